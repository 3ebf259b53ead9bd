"""Ingestion: read, clean, detect language and chunk documents for Ahadi."""

import core  # noqa: F401 - first: it turns Haystack's telemetry off before a component imports Haystack
