"""Embedding, storage and retrieval: the model, the Qdrant stores and the search over them."""

import core  # noqa: F401 - first: it turns Haystack's telemetry off before a component imports Haystack
