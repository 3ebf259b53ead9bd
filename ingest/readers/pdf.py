"""PDF (``.pdf``) to text, and its title; truncated, encrypted and scanned files are refused."""

from __future__ import annotations

import os
from pathlib import Path

from ingest.readers.skips import _Skip


def pdf_text(path: Path) -> tuple[str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(0)
            head = handle.read(1024)
            handle.seek(max(0, size - 2048))
            tail = handle.read()
    except OSError as error:
        raise _Skip(f"cannot read the file: {error.strerror or error}") from None
    if b"%PDF-" not in head:
        raise _Skip("not a PDF file (no %PDF- header); check the file type")
    if b"%%EOF" not in tail:
        raise _Skip(
            "truncated or damaged PDF: no %%EOF marker at the end of the file "
            "(the download or copy was probably cut short)"
        )
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                reader.decrypt("")
                pages = [page.extract_text() or "" for page in reader.pages]
            except (FileNotDecryptedError, NotImplementedError, PdfReadError):
                raise _Skip("PDF is encrypted (password-protected); save an unprotected copy") from None
        else:
            pages = [page.extract_text() or "" for page in reader.pages]
        title = None
        try:
            info = reader.metadata
            if info is not None and info.title:
                title = " ".join(str(info.title).split()) or None
        except Exception:  # noqa: BLE001 - a bad info dictionary only loses the title
            title = None
    except _Skip:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on damaged files
        raise _Skip(f"truncated or damaged PDF: {type(error).__name__}: {error}") from None
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    if not text.strip():
        raise _Skip("PDF has no extractable text (scanned image?)")
    return text, title
