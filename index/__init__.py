"""Embedding, storage and retrieval: the model, the Qdrant stores and the search over them."""
