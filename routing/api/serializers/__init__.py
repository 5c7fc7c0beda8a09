"""Serializers: validate what comes in (naming the field), shape what goes out."""
