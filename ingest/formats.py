"""What files Ahadi reads, by name: shared by the reader and the light HTTP client (no heavy imports)."""

#: File types read, by extension (lower-case, ``.jsonl.gz`` checked as a double suffix).
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".pdf", ".docx", ".jsonl", ".jsonl.gz")
#: Metadata for ``NAME.ext`` is read from ``NAME.meta.json`` beside it.
SIDECAR_SUFFIX = ".meta.json"
