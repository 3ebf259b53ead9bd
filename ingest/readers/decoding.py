"""Bytes to text: UTF-8 (a BOM stripped) or UTF-16 with a BOM; UTF-32, binary content and bad bytes
are refused with a reason that says how to fix the file."""

from __future__ import annotations

import codecs
import unicodedata

from ingest.readers.skips import _Skip


def _normalize_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def _decode_text(data: bytes) -> str:
    """UTF-8 (BOM stripped) or UTF-16 with a BOM; raise _Skip with a clear reason otherwise."""
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        raise _Skip("UTF-32 text is not supported; save it as UTF-8")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise _Skip(
                f"not valid UTF-16 (bad data at offset {error.start}) although it starts with a "
                "UTF-16 byte order mark; save it as UTF-8"
            ) from None
        if "\x00" in text:
            raise _Skip("binary content (NUL bytes); not a text document")
        return text
    if b"\x00" in data:
        raise _Skip("binary content (NUL bytes); not a text document")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _Skip(_utf8_reason(data, error)) from None


def _utf8_reason(data: bytes, error: UnicodeDecodeError, where: str = "") -> str:
    byte = data[error.start]
    hint = ""
    try:
        data.decode("cp1252")
        hint = " (it looks like Latin-1/Windows-1252)"
    except UnicodeDecodeError:
        pass
    return f"not valid UTF-8 (invalid byte 0x{byte:02x} at offset {error.start}{where}){hint}; save it as UTF-8"
