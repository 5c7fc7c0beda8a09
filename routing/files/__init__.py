"""Stored files' pure core: encryption at rest, content sniffing, image metadata stripping.

Imports no Django, so each piece is tested by itself; the storage and the rows are in
routing.services.files.
"""
