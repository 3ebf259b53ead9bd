"""DOCX (``.docx``) to text (paragraphs and table rows), and its title; possible zip bombs are
refused before anything is unzipped."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ingest.readers.skips import _Skip, _size_text

#: A DOCX may unzip to at most this many bytes in total ...
DOCX_MAX_UNCOMPRESSED_BYTES = 200_000_000
#: ... and no member of it may be compressed more than this (real DOCX XML: 5-30x).
DOCX_MAX_COMPRESSION_RATIO = 200
#: Members smaller than this are not checked for their ratio (tiny files compress oddly).
_RATIO_MIN_MEMBER_BYTES = 1_000_000


def docx_text(path: Path) -> tuple[str, str | None]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as error:
        raise _Skip(f"not a valid DOCX (damaged or not a zip archive: {error})") from None
    except OSError as error:
        raise _Skip(f"cannot read the file: {error.strerror or error}") from None
    total = sum(info.file_size for info in infos)
    if total > DOCX_MAX_UNCOMPRESSED_BYTES:
        raise _Skip(
            f"DOCX expands to {_size_text(total)} when unzipped, over the limit: refused as a possible zip bomb"
        )
    for info in infos:
        if info.file_size >= _RATIO_MIN_MEMBER_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > DOCX_MAX_COMPRESSION_RATIO:
                raise _Skip(
                    f"DOCX member {info.filename} is compressed {ratio:.0f}:1 ({_size_text(info.file_size)} "
                    f"unzipped), over the {DOCX_MAX_COMPRESSION_RATIO}:1 limit: refused as a possible zip bomb"
                )
    if not any(info.filename == "word/document.xml" for info in infos):
        raise _Skip("not a valid DOCX (no word/document.xml inside); is it another zip file?")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
        parts: list[str] = []
        title = (document.core_properties.title or "").strip() or None
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells: list[str] = []
                    for cell in row.cells:
                        cell_text = " ".join(cell.text.split())
                        if cell_text and (not cells or cells[-1] != cell_text):  # merged cells repeat
                            cells.append(cell_text)
                    if cells:
                        parts.append(" | ".join(cells))
            else:
                paragraph_text = block.text.strip()
                if paragraph_text:
                    parts.append(paragraph_text)
                    style = (block.style.name if block.style is not None else "") or ""
                    if title is None and style in ("Title", "Heading 1"):
                        title = " ".join(paragraph_text.split())
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds on damaged files
        raise _Skip(f"damaged DOCX: {type(error).__name__}: {error}") from None
    return "\n\n".join(parts), title
