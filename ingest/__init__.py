"""Ingestion: read, clean, detect language and chunk documents for Ahadi."""
