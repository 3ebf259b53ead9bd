"""Ahadi's HTTP API (FastAPI). `api.app.create_app(settings)` builds it; `ahadi serve` runs it."""
