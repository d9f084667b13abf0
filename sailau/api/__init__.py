"""The HTTP API (django-ninja), mounted at /api/ with its OpenAPI document at /api/openapi.json.
`api.py` holds the NinjaAPI object; each part of the mission adds a router module."""
