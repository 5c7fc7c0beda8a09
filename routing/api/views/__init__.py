"""API views: thin — validate with a serializer, call a service or selector, shape the answer."""
