"""The application: `facade.Ahadi` (every use case, behind one write lock), the settings, the
filter vocabulary, and the evaluation of retrieval. The CLI and the HTTP API sit on top of it."""
