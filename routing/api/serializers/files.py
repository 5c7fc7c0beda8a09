"""Files on a request: the upload form and what is shown of a stored file (never its content)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from routing.models import FilePurpose


class FileUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text="The content; its type is judged from its bytes, not its name."
    )
    purpose = serializers.ChoiceField(choices=FilePurpose.choices)
    kind = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=32,
        help_text="The part (one of the request's kinds) it answers; empty for the whole request.",
    )
    scope = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=128,
        help_text="A scope key of the request's organisation it concerns.",
    )


class RequestFileSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes of the content.")
    sha256 = serializers.CharField(help_text="Of the content, hex.")
    purpose = serializers.ChoiceField(choices=FilePurpose.choices)
    kind = serializers.CharField()
    scope = serializers.CharField(
        source="scope.key", allow_null=True, help_text="The scope key; null when none."
    )
    content_type = serializers.CharField(help_text="Found from the content.")
    created_at = serializers.DateTimeField()
    deleted_at = serializers.DateTimeField(
        allow_null=True, help_text="When it was deleted; its metadata remain."
    )


class ManifestFileSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    kind = serializers.CharField()
    scope = serializers.CharField(help_text="A scope key; empty when none.")


class ManifestSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    generated_at = serializers.DateTimeField()
    files = ManifestFileSerializer(many=True)
