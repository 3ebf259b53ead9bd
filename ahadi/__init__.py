"""Ahadi: a multilingual knowledge base of commitments and practices (settings, CLI, service)."""
