"""The REST API for ticketing integrations."""
