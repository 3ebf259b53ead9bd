"""Read documents from files and folders into Haystack Documents, skipping bad input with a reason.

Formats: ``.txt``, ``.md``, ``.html``/``.htm``, ``.pdf``, ``.docx``, ``.jsonl`` (and ``.jsonl.gz``,
read as a stream). Folders are walked recursively in sorted order; hidden files and folders
(name starting with ".") and ``*.meta.json`` sidecars are not read as documents.

Every whole document is ``Document(id=doc_id, content=text, meta=...)`` with the meta keys
``doc_id source title language country region doc_type organisations date year metadata``
(missing ones present as None / [] / {}). Text is Unicode NFC, with ``\\n`` line ends,
stripped of leading/trailing whitespace.

Sidecar metadata: ``NAME.meta.json`` beside ``NAME.ext`` (a JSON object) supplies ``id``,
``title``, ``language``, ``country``, ``region``, ``doc_type``, ``organisations``, ``date``,
``year``; other keys go to ``meta["metadata"]``; ``evidence`` is ignored. Beside a ``.jsonl``
file the sidecar gives defaults for every line (not ``id``/``title``).

JSONL lines: ``{"id", "text", "title"?, "language"?, "metadata"?}``. The known keys
(country, region, doc_type, organisations, date, year) are taken from inside ``metadata``
and also from the top level; other keys stay in ``metadata``. ``max_file_bytes`` applies to
each line of a JSONL file (the file itself may be larger: it is streamed line by line).

Nothing raises for a bad file: it is yielded as ``{"source": ..., "reason": ...}``, where the
reason is a sentence saying what is wrong and, where it helps, what to do.
"""

from __future__ import annotations

import codecs
import glob
import datetime as dt
import gzip
import io
import json
import os
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from haystack import Document, component, default_from_dict, default_to_dict, logging

from ingest.formats import SIDECAR_SUFFIX, SUPPORTED_EXTENSIONS

logger = logging.getLogger(__name__)

#: Document ids: letters, digits, ``. _ -``, starting with a letter or digit, at most 128 characters.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
#: Meta keys promoted from sidecars and JSONL ``metadata`` to the top level of ``meta``.
PROMOTED_KEYS: tuple[str, ...] = ("country", "region", "doc_type", "organisations", "date", "year")
#: A DOCX may unzip to at most this many bytes in total ...
DOCX_MAX_UNCOMPRESSED_BYTES = 200_000_000
#: ... and no member of it may be compressed more than this (real DOCX XML: 5-30x).
DOCX_MAX_COMPRESSION_RATIO = 200
#: Members smaller than this are not checked for their ratio (tiny files compress oddly).
_RATIO_MIN_MEMBER_BYTES = 1_000_000
_MAX_SIDECAR_BYTES = 1_000_000

_HTML_DROP_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "template", "svg", "iframe")
_HTML_BLOCK_TAGS = frozenset(
    """address article blockquote body caption center dd details dialog dir div dl dt fieldset figcaption
    figure h1 h2 h3 h4 h5 h6 hr html legend li main menu ol p pre section summary table tbody thead tfoot
    tr ul""".split()
)
_HTML_CELL_TAGS = frozenset({"td", "th"})


class _Skip(Exception):
    """A file or line that cannot become a document; the message is the reason."""


def _size_text(n_bytes: int) -> str:
    """``31.0 MB``, ``2.1 GB``, ``0.5 kB``: decimal units, like AHADI_MAX_FILE_MB."""
    if n_bytes >= 1_000_000_000:
        return f"{n_bytes / 1_000_000_000:.1f} GB"
    if n_bytes >= 100_000:
        return f"{n_bytes / 1_000_000:.1f} MB"
    return f"{n_bytes / 1_000:.1f} kB"


def _limit_text(n_bytes: int) -> str:
    """``20 MB`` (or ``0.5 kB`` for tiny test limits)."""
    if n_bytes >= 100_000:
        return f"{n_bytes / 1_000_000:g} MB"
    return f"{n_bytes / 1_000:g} kB"


# ---------------------------------------------------------------------------- text helpers
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


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),  # code fences (content kept)
    (re.compile(r"^ {0,3}(?:[-*_] *){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$", re.M), ""),  # reference link definitions
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.M), ""),  # setext heading underlines
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),  # blockquote markers
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    (re.compile(r"!?\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline links → text
    (re.compile(r"!?\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links → text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # _emphasis_
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"`([^`\n]+)`"), r"\1"),  # inline code
)


def markdown_to_text(markdown: str) -> tuple[str, str | None]:
    """Strip markdown syntax lightly; returns (text, title from the first level-1/2 heading)."""
    title = None
    match = re.search(r"^ {0,3}#{1,2}[ \t]+(.+?)[ \t]*#*[ \t]*$", markdown, re.M)
    if match:
        title = match.group(1).strip()
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    if title is not None:
        for pattern, replacement in _MD_RULES[6:]:
            title = pattern.sub(replacement, title)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text, title or None


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text of an HTML page, block elements separated by blank lines; and its title."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title = None
    title_node = tree.css_first("title")
    if title_node is not None:
        title = " ".join(title_node.text(deep=True).split()) or None
    for node in tree.css(",".join(_HTML_DROP_TAGS)):
        node.decompose()
    if title is None:
        h1 = tree.css_first("h1")
        if h1 is not None:
            title = " ".join(h1.text(deep=True).split()) or None
    root = tree.body if tree.body is not None else tree.root
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line_texts = [" ".join(part.split()) for part in "".join(current).split("\n")]
        block = "\n".join(line for line in line_texts if line)
        if block:
            blocks.append(block)
        current.clear()

    if root is not None:
        # iterative walk (deeply nested pages must not hit the recursion limit)
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            tag = node.tag
            if leaving:
                if tag in _HTML_BLOCK_TAGS:
                    flush()
                elif tag in _HTML_CELL_TAGS:
                    current.append(" ")
                continue
            if tag == "-text":
                current.append(node.text(deep=False) or "")
                continue
            if tag in ("-comment", "-doctype") or tag is None:
                continue
            if tag == "br":
                current.append("\n")
                continue
            if tag == "pre":
                flush()
                blocks.append(node.text(deep=True).strip("\n"))
                continue
            if tag in _HTML_BLOCK_TAGS:
                flush()
            stack.append((node, True))
            children = []
            child = node.child
            while child is not None:
                children.append(child)
                child = child.next
            stack.extend((c, False) for c in reversed(children))
    flush()
    return "\n\n".join(block for block in blocks if block.strip()), title


# ---------------------------------------------------------------------------- meta helpers
def _empty_meta(doc_id: str, source: str) -> dict[str, Any]:
    return {
        "doc_id": doc_id,
        "source": source,
        "title": None,
        "language": None,
        "country": None,
        "region": None,
        "doc_type": None,
        "organisations": [],
        "date": None,
        "year": None,
        "metadata": {},
    }


def _optional_str(key: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise _Skip(f'"{key}" must be a string, got {type(value).__name__}')
    text = " ".join(str(value).split())
    return text or None


def _organisations(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Skip('"organisations" must be a list of strings')
    return [" ".join(v.split()) for v in value if v.strip()]


def _date(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        match = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$", text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
            except ValueError:
                pass
    raise _Skip(f'"date" must be an ISO date "YYYY-MM-DD", got {value!r}')


def _year(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Skip(f'"year" must be a whole number, got {value!r}')
    if isinstance(value, int):
        year = value
    elif isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        year = int(value)
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    else:
        raise _Skip(f'"year" must be a whole number, got {value!r}')
    if not 1000 <= year <= 2999:
        raise _Skip(f'"year" must be a four-digit year, got {value!r}')
    return year


def _apply_fields(meta: dict[str, Any], fields: dict[str, Any], allow_identity: bool = True) -> None:
    """Validate and merge user-supplied fields (sidecar or JSONL) into meta, in place."""
    for key, value in fields.items():
        if key == "evidence" or key == "id":
            continue
        if key in ("title", "text") and not allow_identity:
            continue
        if key == "title":
            meta["title"] = _optional_str("title", value)
        elif key == "language":
            language = _optional_str("language", value)
            meta["language"] = language.lower() if language else None
        elif key in ("country", "region", "doc_type"):
            meta[key] = _optional_str(key, value)
        elif key == "organisations":
            meta["organisations"] = _organisations(value)
        elif key == "date":
            meta["date"] = _date(value)
        elif key == "year":
            meta["year"] = _year(value)
        elif key == "metadata":
            if value is None:
                continue
            if not isinstance(value, dict):
                raise _Skip('"metadata" must be a JSON object')
            nested = {k: v for k, v in value.items() if k in PROMOTED_KEYS}
            others = {k: v for k, v in value.items() if k not in PROMOTED_KEYS and k != "evidence"}
            meta["metadata"] = {**meta["metadata"], **others}
            _apply_fields(meta, nested)
        elif key != "text":
            meta["metadata"] = {**meta["metadata"], key: value}
    if meta["year"] is None and meta["date"] is not None:
        meta["year"] = int(meta["date"][:4])


def _check_id(doc_id: Any) -> str:
    if not isinstance(doc_id, str) or not ID_PATTERN.fullmatch(doc_id):
        shown = doc_id if isinstance(doc_id, str) else repr(doc_id)
        extra = ' ("#" is reserved for chunk ids)' if isinstance(doc_id, str) and "#" in doc_id else ""
        raise _Skip(
            f'document id "{shown}" is not valid{extra}: ids are 1-128 letters, digits, ".", "_" or "-", '
            "starting with a letter or digit"
        )
    return doc_id


# ---------------------------------------------------------------------------- the component
@component
class DocumentReader:
    """
    Reads files and folders into whole Documents; bad inputs become ``skipped`` entries.

    ``run(sources)`` returns everything at once; ``iter_documents(sources)`` yields
    ``Document`` or skipped ``{"source", "reason"}`` items one by one, in order, streaming
    JSONL line by line, so a pipeline can batch from it with bounded memory. Document ids
    must be unique within one call: a later document with an id already seen is skipped,
    with a reason naming the first source.

    ### Usage example

    ```python
    from ingest.readers import DocumentReader

    result = DocumentReader().run(sources=["corpus/"])
    result["documents"][0].meta["source"], result["skipped"]
    ```
    """

    def __init__(self, max_file_bytes: int = 20_000_000) -> None:
        """
        Create a DocumentReader.

        :param max_file_bytes: Files larger than this are skipped without being read
            (for JSONL: each line). The CLI takes it from ``AHADI_MAX_FILE_MB``, see
            :func:`max_file_bytes_from_env`.
        :raises ValueError: if max_file_bytes is not a positive integer.
        """
        if isinstance(max_file_bytes, bool) or not isinstance(max_file_bytes, int) or max_file_bytes <= 0:
            raise ValueError(f"max_file_bytes must be a positive integer (bytes), got {max_file_bytes!r}.")
        self.max_file_bytes = max_file_bytes

    @component.output_types(documents=list[Document], skipped=list[dict[str, str]])
    def run(self, sources: list[str | Path]) -> dict[str, Any]:
        """
        Read all sources.

        :param sources: Files and/or folders (folders are read recursively, in sorted order).
        :returns: ``documents``: the documents read; ``skipped``: ``{"source", "reason"}``
            for each file, JSONL line or source that could not be read.
        """
        documents: list[Document] = []
        skipped: list[dict[str, str]] = []
        for item in self.iter_documents(sources):
            if isinstance(item, Document):
                documents.append(item)
            else:
                skipped.append(item)
        return {"documents": documents, "skipped": skipped}

    def iter_documents(self, sources: Iterable[str | Path]) -> Iterator[Document | dict[str, str]]:
        """Yield a Document or a skipped ``{"source", "reason"}`` for each input, in order."""
        seen_ids: dict[str, str] = {}
        seen_files: set[str] = set()
        if isinstance(sources, (str, Path)):
            sources = [sources]
        for source in sources:
            path = Path(source)
            try:
                is_dir = path.is_dir()
                exists = is_dir or path.exists()
            except OSError as error:
                yield {"source": str(source), "reason": f"cannot access it: {error.strerror or error}"}
                continue
            if not exists:
                yield {"source": str(source), "reason": "no such file or folder"}
                continue
            if is_dir:
                files = list(self._walk(path))
                if not any(isinstance(f, Path) for f in files):
                    yield {"source": str(source), "reason": "folder has no documents (hidden files and *.meta.json sidecars are not read)"}
                for entry in files:
                    if isinstance(entry, dict):
                        yield entry
                    else:
                        yield from self._read_path(entry, seen_ids, seen_files, explicit=False)
            else:
                yield from self._read_path(path, seen_ids, seen_files, explicit=True)

    # ------------------------------------------------------------------ walking
    def _walk(self, folder: Path) -> Iterator[Path | dict[str, str]]:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as error:
            yield {"source": str(folder), "reason": f"cannot list the folder: {error.strerror or error}"}
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            try:
                if entry.is_dir():
                    yield from self._walk(path)
                elif entry.is_file():
                    yield path
            except OSError as error:
                yield {"source": str(path), "reason": f"cannot access it: {error.strerror or error}"}

    @staticmethod
    def _extension(path: Path) -> str:
        name = path.name.lower()
        if name.endswith(".jsonl.gz"):
            return ".jsonl.gz"
        return path.suffix.lower()

    def _read_path(
        self, path: Path, seen_ids: dict[str, str], seen_files: set[str], explicit: bool
    ) -> Iterator[Document | dict[str, str]]:
        source = str(path)
        if path.name.lower().endswith(SIDECAR_SUFFIX):
            base = path.name[: -len(SIDECAR_SUFFIX)]
            siblings = [p for p in path.parent.glob(f"{glob.escape(base)}.*") if not p.name.lower().endswith(SIDECAR_SUFFIX)]
            if not siblings:
                yield {
                    "source": source,
                    "reason": f"metadata sidecar without a document: no {base}.<ext> beside it "
                    f"(supported: {', '.join(SUPPORTED_EXTENSIONS)})",
                }
            return
        try:
            key = str(path.resolve())
        except OSError:
            key = source
        if key in seen_files:
            yield {"source": source, "reason": "already read in this run (the file was listed twice)"}
            return
        seen_files.add(key)
        extension = self._extension(path)
        if extension not in SUPPORTED_EXTENSIONS:
            shown = extension or "(no extension)"
            yield {
                "source": source,
                "reason": f"unsupported file type {shown}; supported: {', '.join(SUPPORTED_EXTENSIONS)}",
            }
            return
        try:
            sidecar = self._read_sidecar(path)
        except _Skip as skip:
            yield {"source": source, "reason": str(skip)}
            return
        if extension in (".jsonl", ".jsonl.gz"):
            yield from self._read_jsonl(path, extension, sidecar, seen_ids)
            return
        try:
            yield self._read_file(path, extension, sidecar, seen_ids)
        except _Skip as skip:
            yield {"source": source, "reason": str(skip)}
        except Exception as error:  # noqa: BLE001 - a bad file must never stop a run
            logger.warning("Unexpected error reading {source}: {error}", source=source, error=error)
            yield {"source": source, "reason": f"could not be read: {type(error).__name__}: {error}"}

    def _read_sidecar(self, path: Path) -> dict[str, Any]:
        name = path.name
        extension = self._extension(path)
        stem = name[: -len(extension)] if extension and name.lower().endswith(extension) else path.stem
        sidecar_path = path.with_name(stem + SIDECAR_SUFFIX)
        if not sidecar_path.is_file():
            return {}
        try:
            size = sidecar_path.stat().st_size
            if size > _MAX_SIDECAR_BYTES:
                raise _Skip(f"sidecar {sidecar_path.name} is {_size_text(size)}, over the 1 MB limit for metadata")
            data = json.loads(_decode_text(sidecar_path.read_bytes()))
        except _Skip as skip:
            raise _Skip(f"sidecar {sidecar_path.name}: {skip}") from None
        except json.JSONDecodeError as error:
            raise _Skip(
                f"sidecar {sidecar_path.name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
            ) from None
        except OSError as error:
            raise _Skip(f"cannot read sidecar {sidecar_path.name}: {error.strerror or error}") from None
        if not isinstance(data, dict):
            raise _Skip(f"sidecar {sidecar_path.name} must hold a JSON object, not {type(data).__name__}")
        return data

    def _new_meta(self, doc_id: str, source: str, sidecar: dict[str, Any], what: str) -> dict[str, Any]:
        meta = _empty_meta(doc_id, source)
        try:
            _apply_fields(meta, sidecar)
        except _Skip as skip:
            raise _Skip(f"{what}: {skip}") from None
        return meta

    def _claim_id(self, doc_id: str, source: str, seen_ids: dict[str, str]) -> None:
        first = seen_ids.get(doc_id)
        if first is not None:
            raise _Skip(f'document id "{doc_id}" already used by {first}')
        seen_ids[doc_id] = source

    # ------------------------------------------------------------------ single files
    def _read_file(self, path: Path, extension: str, sidecar: dict[str, Any], seen_ids: dict[str, str]) -> Document:
        source = str(path)
        doc_id = _check_id(sidecar["id"] if "id" in sidecar else path.name[: -len(extension)])
        meta = self._new_meta(doc_id, source, sidecar, f"sidecar {path.name[: -len(extension)]}{SIDECAR_SUFFIX}")
        try:
            size = path.stat().st_size
        except OSError as error:
            raise _Skip(f"cannot read the file: {error.strerror or error}") from None
        if size == 0:
            raise _Skip("empty file")
        if size > self.max_file_bytes:
            raise _Skip(f"file is {_size_text(size)}, over the {_limit_text(self.max_file_bytes)} limit (AHADI_MAX_FILE_MB)")
        title: str | None = None
        if extension == ".pdf":
            text, title = self._pdf_text(path)
        elif extension == ".docx":
            text, title = self._docx_text(path)
        else:
            try:
                raw = path.read_bytes()
            except OSError as error:
                raise _Skip(f"cannot read the file: {error.strerror or error}") from None
            text = _decode_text(raw)
            if extension == ".md":
                text, title = markdown_to_text(text)
            elif extension in (".html", ".htm"):
                text, title = html_to_text(text)
        text = _normalize_text(text)
        if not text:
            raise _Skip("empty file" if extension in (".txt", ".md") else "no text found in the file")
        if meta["title"] is None and title:
            meta["title"] = unicodedata.normalize("NFC", title)
        self._claim_id(doc_id, source, seen_ids)
        return Document(id=doc_id, content=text, meta=meta)

    def _pdf_text(self, path: Path) -> tuple[str, str | None]:
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

    def _docx_text(self, path: Path) -> tuple[str, str | None]:
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

    # ------------------------------------------------------------------ JSONL
    def _read_jsonl(
        self, path: Path, extension: str, sidecar: dict[str, Any], seen_ids: dict[str, str]
    ) -> Iterator[Document | dict[str, str]]:
        source = str(path)
        try:
            if path.stat().st_size == 0:
                yield {"source": source, "reason": "empty file"}
                return
            raw = gzip.open(path, "rb") if extension == ".jsonl.gz" else path.open("rb")
        except OSError as error:
            yield {"source": source, "reason": f"cannot read the file: {error.strerror or error}"}
            return
        defaults = {k: v for k, v in sidecar.items() if k not in ("id", "title")}
        any_line = False
        with raw:
            try:
                head = raw.peek(4)[:4] if hasattr(raw, "peek") else b""
            except (OSError, EOFError, zlib.error) as error:
                yield {"source": source, "reason": f"not a valid gzip file: {error}"}
                return
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                lines: Iterator[tuple[int, bytes | str]] = self._utf16_lines(raw)
            else:
                lines = self._utf8_lines(raw)
            try:
                for number, line in lines:
                    line_source = f"{source}#L{number}"
                    if isinstance(line, bytes) and len(line) > self.max_file_bytes:
                        yield {
                            "source": line_source,
                            "reason": f"line {number}: the line is over the {_limit_text(self.max_file_bytes)} "
                            "limit (AHADI_MAX_FILE_MB)",
                        }
                        continue
                    if not line.strip():
                        continue
                    any_line = True
                    try:
                        yield self._jsonl_document(line, number, line_source, defaults, seen_ids)
                    except _Skip as skip:
                        yield {"source": line_source, "reason": f"line {number}: {skip}"}
            except _Skip as skip:
                yield {"source": source, "reason": str(skip)}
                return
            except (OSError, EOFError, zlib.error) as error:
                yield {"source": source, "reason": f"stopped reading: damaged or truncated file ({error})"}
                return
        if not any_line:
            yield {"source": source, "reason": "empty file (no JSON lines)"}

    def _utf8_lines(self, raw: io.BufferedIOBase) -> Iterator[tuple[int, bytes]]:
        number = 0
        limit = self.max_file_bytes + 1
        while True:
            line = raw.readline(limit)
            if not line:
                return
            number += 1
            if len(line) >= limit and not line.endswith(b"\n"):
                # over the limit: skip the rest of this line without keeping it
                while True:
                    rest = raw.readline(1_000_000)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield number, line  # longer than max_file_bytes: reported by the caller
                continue
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8) :]
            yield number, line

    def _utf16_lines(self, raw: io.BufferedIOBase) -> Iterator[tuple[int, str]]:
        reader = io.TextIOWrapper(raw, encoding="utf-16", newline=None)
        number = 0
        try:
            for line in reader:
                number += 1
                yield number, line
        except UnicodeDecodeError:
            raise _Skip(f"not valid UTF-16 after line {number}; save it as UTF-8") from None

    def _jsonl_document(
        self, line: bytes | str, number: int, line_source: str, defaults: dict[str, Any], seen_ids: dict[str, str]
    ) -> Document:
        if isinstance(line, bytes):
            if b"\x00" in line:
                raise _Skip("binary content (NUL bytes)")
            try:
                text_line = line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise _Skip(_utf8_reason(line, error, where=" of the line")) from None
        else:
            text_line = line
        try:
            record = json.loads(text_line)
        except json.JSONDecodeError as error:
            raise _Skip(f"not valid JSON ({error.msg} at column {error.colno})") from None
        return self._record_document(record, line_source, line_source, defaults, seen_ids)

    def iter_records(self, records: Iterable[Any], source: str) -> Iterator[Document | dict[str, str]]:
        """Documents given as JSONL-shaped records, not read from a file: a Document, or a skipped
        ``{"source": "documents[i]", "reason", "doc_id"?}``, for each. The stored records say they
        came from `source`."""
        seen_ids: dict[str, str] = {}
        for index, record in enumerate(records):
            place = f"documents[{index}]"
            try:
                yield self._record_document(record, source, place, {}, seen_ids)
            except _Skip as skip:
                skipped = {"source": place, "reason": str(skip)}
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    skipped["doc_id"] = record["id"]
                yield skipped

    def _record_document(
        self, record: Any, source: str, place: str, defaults: dict[str, Any], seen_ids: dict[str, str]
    ) -> Document:
        """One JSONL-shaped record → a Document; `source` is stored, `place` names it in messages."""
        if not isinstance(record, dict):
            raise _Skip(f"must be a JSON object, not {type(record).__name__}")
        if "id" not in record:
            raise _Skip('missing "id"')
        if "text" not in record:
            raise _Skip('missing "text"')
        if not isinstance(record["text"], str):
            raise _Skip(f'"text" must be a string, got {type(record["text"]).__name__}')
        raw_id = record["id"]
        if isinstance(raw_id, int) and not isinstance(raw_id, bool):
            raw_id = str(raw_id)
        doc_id = _check_id(raw_id)
        meta = _empty_meta(doc_id, source)
        _apply_fields(meta, defaults)
        _apply_fields(meta, {k: v for k, v in record.items() if k not in ("id", "text")})
        if "\x00" in record["text"]:
            raise _Skip('"text" contains NUL characters (binary content)')
        text = _normalize_text(record["text"])
        if not text:
            raise _Skip('"text" is empty')
        if meta["title"] is not None:
            meta["title"] = unicodedata.normalize("NFC", meta["title"])
        self._claim_id(doc_id, place, seen_ids)
        return Document(id=doc_id, content=text, meta=meta)

    def to_dict(self) -> dict[str, Any]:
        """Serializes the component to a dictionary."""
        return default_to_dict(self, max_file_bytes=self.max_file_bytes)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "DocumentReader":
        """Deserializes the component from a dictionary."""
        return default_from_dict(cls, data)

