"""The `ahadi` command: ingest, search, stats, delete, serve."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from service.settings import Settings

RESULT_FIELDS = ("doc_id", "chunk_id", "score", "text", "language", "title", "metadata")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ahadi",
        description="Ahadi: find what other regions promised and did, across Swahili, Swedish, Montenegrin, Persian and English.",
    )
    parser.add_argument("--data-dir", type=Path, help="where the embedded index lives (default: $AHADI_DATA_DIR or ./data)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="add or update documents: files, folders, JSONL")
    ingest.add_argument("paths", nargs="+", type=Path, help=".txt .md .html .pdf .docx files, folders of them, or .jsonl bulk files")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    ingest.add_argument(
        "--api", metavar="URL",
        help="send the files to a running `ahadi serve` at URL instead of opening the store (default: $AHADI_API_URL)",
    )
    ingest.add_argument("--api-key", help="write key for --api (default: $AHADI_API_KEY)")
    ingest.add_argument(
        "--access", action="append", metavar="GROUP",
        help="the groups that may read documents declaring no `access` (repeatable; default: $AHADI_DEFAULT_ACCESS, public)",
    )

    search = commands.add_parser("search", help="ask a question in any of the languages")
    search.add_argument("query")
    search.add_argument("--top-k", type=int, default=5, help="results to return (1-100, default 5)")
    search.add_argument("--lang", action="append", default=[], metavar="L", help="only documents in this language (repeatable)")
    search.add_argument("--country", action="append", default=[], metavar="CC", help="only this country, ISO code (repeatable)")
    search.add_argument("--mode", choices=("dense", "hybrid"), help="retrieval mode (default: the measured best)")
    search.add_argument("--passages", action="store_true", help="every matching passage, not one per document")
    search.add_argument("--json", action="store_true", help="print {\"results\": [...]} as JSON")

    pledges = commands.add_parser(
        "commitments", help="find what was promised on a topic; --compare for a table by region; --doc ID for one document's"
    )
    pledges.add_argument("topic", nargs="?", help="what to look for, in any language (not with --doc)")
    pledges.add_argument("--doc", metavar="ID", help="list this document's commitments, in document order")
    pledges.add_argument("--compare", action="store_true", help="group the best matches by region, side by side")
    pledges.add_argument("--min-confidence", type=float, help="only commitments the extractor is at least this sure of (0-1; the 'sure' column)")
    pledges.add_argument("--top-k", type=int, default=10, help="commitments to list (1-100, default 10); per region with --compare: 3")
    pledges.add_argument("--lang", action="append", default=[], metavar="L", help="only documents in this language (repeatable)")
    pledges.add_argument("--country", action="append", default=[], metavar="CC", help="only this country, ISO code (repeatable)")
    pledges.add_argument("--json", action="store_true", help="print JSON")

    evaluate = commands.add_parser("eval", help="measure retrieval quality on a judged query set")
    evaluate.add_argument("queries", type=Path, help='JSONL: {"id", "query", "relevant": [doc ids], "phrase"?, "lang"?} per line')
    evaluate.add_argument("--mode", choices=("dense", "hybrid"), help="retrieval mode (default: the measured best)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")

    commands.add_parser("stats", help="what the index holds")

    delete = commands.add_parser("delete", help="remove a document and its passages")
    delete.add_argument("doc_id")

    snapshot = commands.add_parser("snapshot", help="write the whole index (documents, passages, vectors) to one file")
    snapshot.add_argument("file", type=Path)
    snapshot.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    restore = commands.add_parser("restore", help="rebuild the index from a snapshot file (checksum verified first)")
    restore.add_argument("file", type=Path)
    restore.add_argument("--force", action="store_true", help="replace a non-empty index")

    keys = commands.add_parser("keys", help="manage the API keys of this data directory")
    key_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="ACTION")
    create = key_commands.add_parser("create", help="create a key and print it once")
    create.add_argument("name")
    create.add_argument("--scope", action="append", choices=("read", "write", "admin"), default=[], help="repeatable (default: read); admin: snapshots and restore")
    create.add_argument(
        "--group", action="append", default=[], metavar="GROUP",
        help="the key reads documents of this group (repeatable; every key reads `public`; * for every document)",
    )
    key_commands.add_parser("list", help="the keys (names, scopes, dates; never the secrets)")
    revoke = key_commands.add_parser("revoke", help="revoke a key by id, name or the key itself")
    revoke.add_argument("key")

    audit = commands.add_parser("audit", help="read the API's audit log (who searched, read, wrote or deleted what, when)")
    audit.add_argument("--since", metavar="WHEN", help="from this time on: ISO date or time (2025-03-01, 2025-03-01T12:00), or 30m, 12h, 7d ago")
    audit.add_argument("--who", metavar="ID", help="one caller: a key id, an SSO user, or key:ID / sso:USER")
    audit.add_argument("--route", metavar="TEXT", help="routes containing TEXT (e.g. /v1/documents)")
    audit.add_argument("--tail", type=int, metavar="N", help="only the last N matching lines")
    audit.add_argument("--json", action="store_true", help="the lines as stored (JSONL)")

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(data_dir=args.data_dir, api_url=getattr(args, "api", None), api_key=getattr(args, "api_key", None))
    except ValueError as error:
        print(f"ahadi: {error}", file=sys.stderr)
        return 2
    if args.command == "serve":
        return _serve(settings, args)
    if args.command == "keys":
        return _keys(settings, args)
    if args.command == "audit":
        return _audit(settings, args)
    if args.command == "ingest" and settings.api_url:
        return _ingest_via_api(settings, args)

    from index.store import StoreLockedError
    from index.store.backup import SnapshotError
    from service.errors import AhadiError, NotFound
    from service.facade import Ahadi

    try:
        app = Ahadi(settings)
    except StoreLockedError as error:
        print(f"ahadi: {error}", file=sys.stderr)
        if args.command == "ingest":
            print("ahadi: for example: ahadi ingest --api http://127.0.0.1:8000 --api-key KEY " + " ".join(map(str, args.paths)), file=sys.stderr)
        return 2
    with app as opened:
        try:
            return _run(opened, args)
        except NotFound as error:
            print(f"ahadi: {error}", file=sys.stderr)
            return 1
        except (AhadiError, SnapshotError, StoreLockedError, ValueError, OSError, RuntimeError) as error:
            print(f"ahadi: {error}", file=sys.stderr)
            return 2


def _run(app, args) -> int:
    """One command on the facade; its refusals are reported by `main`."""
    from index.compare import COMMITMENT_MIN_SCORE
    from service.access import ALL_DOCUMENTS
    from service.filters import FilterValues

    # The CLI opens the data directory itself: whoever may do that reads every document.
    everything = ALL_DOCUMENTS

    if args.command == "ingest":
        missing = [str(p) for p in args.paths if not p.exists()]
        if missing:
            print(f"ahadi: no such file or folder: {', '.join(missing)}", file=sys.stderr)
            return 2
        report = app.ingest(args.paths, progress=not args.quiet and sys.stderr.isatty(), access=args.access)
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else _format_report(report))
        return 0
    if args.command == "search":
        found = app.search(
            everything, args.query, FilterValues(language=args.lang, country=args.country), top_k=args.top_k,
            group_by_document=not args.passages, mode=args.mode,
        )
        if args.json:
            payload = {"results": [{key: r.to_dict()[key] for key in RESULT_FIELDS} for r in found.results]}
            print(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            print(_format_results(args.query, found.results))
        return 0
    if args.command == "commitments":
        if (args.topic is None) == (args.doc is None) or (args.doc and args.compare):
            print("ahadi: give a topic, or --doc ID (without --compare)", file=sys.stderr)
            return 2
        if args.doc:
            listed = app.document_commitments(everything, args.doc, args.min_confidence)
            print(json.dumps(listed.to_dict(), ensure_ascii=False, indent=2) if args.json else _format_document_commitments(listed))
            return 0
        filters = FilterValues(language=args.lang, country=args.country, min_confidence=args.min_confidence)
        if args.compare:
            groups = app.compare(
                everything, args.topic, filters, per_group=min(args.top_k, 3), kind="commitment", min_score=COMMITMENT_MIN_SCORE
            ).groups
        else:
            groups = app.commitments(everything, args.topic, filters, top_k=args.top_k)
        payload = {"groups": [group.to_dict() for group in groups]}
        print(json.dumps(payload, ensure_ascii=False, indent=2) if args.json else _format_commitments(args.topic, groups))
        return 0
    if args.command == "eval":
        from service.evaluation import evaluate, load_queries

        queries = load_queries(args.queries)
        report = evaluate(app.searcher, queries, mode=args.mode)
        print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else _format_eval(report))
        return 0
    if args.command == "stats":
        print(json.dumps(app.stats(), ensure_ascii=False, indent=2))
        return 0
    if args.command == "delete":
        app.delete(everything, args.doc_id)
        print(f"deleted {args.doc_id}")
        return 0
    if args.command == "snapshot":
        manifest = app.snapshot(args.file, overwrite=args.overwrite)
    else:
        manifest = app.restore(args.file, force=args.force)
    done = "wrote" if args.command == "snapshot" else "restored"
    print(f"{done} {args.file}: {manifest['documents']} documents, {manifest['points']} points, sha256 {manifest['sha256'][:16]}…")
    return 0


def _serve(settings: Settings, args) -> int:
    import uvicorn

    from api.app import create_app

    # proxy_headers off: the client address must be the peer that connected, for the sign-on
    # proxy check (`AHADI_TRUSTED_PROXIES`); uvicorn would otherwise take it from X-Forwarded-For.
    uvicorn.run(create_app(settings), host=args.host, port=args.port, proxy_headers=False)
    return 0


def _keys(settings: Settings, args) -> int:
    from api.keys import KeyFileError, create_key, list_keys, revoke_key

    try:
        if args.keys_command == "create":
            key = create_key(settings.data_dir, args.name, args.scope or ["read"], args.group)
            print(key)
            print("store it now: it is not shown again (only its hash is kept)", file=sys.stderr)
        elif args.keys_command == "list":
            for entry in list_keys(settings.data_dir):
                groups = ",".join(entry["groups"]) or "-"
                print(f"{entry['id']}  {entry['name']:<20} {','.join(entry['scopes']):<17} groups {groups:<20} created {entry['created_at']}")
        elif not revoke_key(settings.data_dir, args.key):
            print(f"ahadi: no key {args.key!r}", file=sys.stderr)
            return 1
    except KeyFileError as error:
        print(f"ahadi: {error}", file=sys.stderr)
        return 2
    return 0


def _audit(settings: Settings, args) -> int:
    from collections import deque
    from datetime import datetime, timedelta, timezone

    from service.audit import read_entries

    since = None
    if args.since:
        text = args.since.strip()
        units = {"m": "minutes", "h": "hours", "d": "days"}
        try:
            if text[:-1].isdigit() and text[-1:] in units:
                since = datetime.now(timezone.utc) - timedelta(**{units[text[-1]]: int(text[:-1])})
            else:
                since = datetime.fromisoformat(text)
                since = since if since.tzinfo else since.replace(tzinfo=timezone.utc)
        except ValueError:
            print(f"ahadi: --since {args.since!r} is not an ISO date or time, nor 30m / 12h / 7d", file=sys.stderr)
            return 2
    path = settings.layout.audit_file
    entries = read_entries(path, since=since, who=args.who, route=args.route)
    if args.tail is not None:
        entries = deque(entries, maxlen=max(args.tail, 0))
    shown = 0
    for entry in entries:
        shown += 1
        print(json.dumps(entry, ensure_ascii=False) if args.json else _format_audit(entry))
    if not shown and not path.exists():
        print(f"ahadi: no audit log at {path} yet (the API writes it)", file=sys.stderr)
    return 0


def _format_audit(entry: dict) -> str:
    if "unreadable" in entry:
        return f"(unreadable line) {entry['unreadable'][:120]}"
    parts = [entry.get("time", "?"), entry.get("who", "?"), f"{entry.get('method', '')} {entry.get('route', '')}".strip(), str(entry.get("status", ""))]
    if "results" in entry:
        parts.append(f"results {entry['results']}")
    for key in ("written", "deleted"):
        if entry.get(key):
            parts.append(f"{key} {','.join(entry[key])}")
    if entry.get("query") is not None:
        parts.append(f"query {entry['query']!r}")
    elif entry.get("query_sha256"):
        parts.append(f"query sha256 {entry['query_sha256'][:16]}")
    return "  ".join(parts)


def _ingest_via_api(settings: Settings, args) -> int:
    from api.client import ApiClientError, ingest_via_api

    try:
        report = ingest_via_api(settings.api_url, settings.api_key, args.paths, max_request_mb=settings.max_upload_mb, access=args.access)
    except ApiClientError as error:
        print(f"ahadi: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"sent to {settings.api_url}: documents written {len(report['written'])}, unchanged {len(report['unchanged'])}, "
              f"skipped {len(report['skipped'])}, chunks {report['chunks']}")
        for skipped in report["skipped"]:
            print(f"  skipped {skipped['source']}: {skipped['reason']}")
    return 0


def _format_report(report) -> str:
    lines = [
        f"documents written: {len(report.written)}   unchanged: {len(report.unchanged)}   skipped: {len(report.skipped)}",
        f"chunks written: {report.chunks}   languages: "
        + (", ".join(f"{lang} {n}" for lang, n in sorted(report.languages.items())) or "-")
        + f"   in {report.seconds:.1f} s",
    ]
    for skipped in report.skipped:
        lines.append(f"  skipped {skipped['source']}: {skipped['reason']}")
    return "\n".join(lines)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _format_commitments(topic: str, groups) -> str:
    if not groups:
        return f"no commitments found for {topic!r}"
    lines = [f"{'region':<24} {'year':<6} {'quantity':<16} {'sure':<5} commitment", f"{'':<54} ↳ document: id · title · the lead-in it was listed under"]
    previous = None
    for group in groups:
        place = ", ".join(x for x in dict.fromkeys((group.label, group.country)) if x)
        for item in group.results:
            details = item.commitment or {}
            year = details.get("year") or item.year or ""
            shown = "" if place == previous else place  # a region's rows after its first stay blank
            lines.append(f"{shown[:24]:<24} {str(year):<6} {str(details.get('quantity') or '')[:16]:<16} {_confidence(details):<5} "
                         f"[{item.language}] {_shorten(item.text, 110)}")
            lines.append(f"{'':<54} ↳ {item.doc_id}" + (f" · {_shorten(item.title, 80)}" if item.title else "")
                         + _listed_under(details))
            previous = place
    return "\n".join(lines)


def _format_document_commitments(listed) -> str:
    place = ", ".join(x for x in (listed.region or "region unknown", listed.country) if x)
    lines = [f"{listed.doc_id}" + (f" · {listed.title}" if listed.title else "") + f"  ({listed.language}, {place})"]
    if not listed.commitments:
        return lines[0] + "\nno commitments extracted from this document"
    lines.append(f"{'#':<4} {'year':<6} {'quantity':<16} {'sure':<5} commitment")
    for number, item in enumerate(listed.commitments, 1):
        details = item["commitment"] or {}
        lines.append(f"{number:<4} {str(details.get('year') or ''):<6} {str(details.get('quantity') or '')[:16]:<16} {_confidence(details):<5} "
                     f"{_shorten(item['text'], 110)}"
                     + _listed_under(details))
    return "\n".join(lines)


def _confidence(details: dict) -> str:
    """The learned decision's probability that the statement is a commitment ("" where the rules
    decided): higher ones are right more often (README, "Commitments")."""
    confidence = details.get("confidence")
    return "" if confidence is None else f"{confidence:.2f}"


def _listed_under(details: dict) -> str:
    """The lead-in a commitment was listed under ("Kommunen lovar att:"): such commitments are
    right more often than ones read from a sentence on their own (README, "Measured quality")."""
    context = details.get("context")
    return f" · listed under “{_shorten(context, 60)}”" if context else ""


def _format_eval(report: dict) -> str:
    from service.evaluation import METRICS

    shown = [m for m in METRICS if m in report]
    rows = [("all", report)] + list(report["by_language"].items())
    lines = ["language  n    " + "  ".join(f"{m:>14}" for m in shown)]
    for name, row in rows:
        lines.append(f"{name:<9} {row['n']:<4} " + "  ".join(f"{row.get(m, float('nan')):>14.3f}" for m in shown))
    if report["misses"]:
        lines.append("not found in the top 10: " + ", ".join(report["misses"]))
    return "\n".join(lines)


def _format_results(query: str, results) -> str:
    if not results:
        return f"no results for {query!r}"
    lines = []
    for rank, result in enumerate(results, 1):
        where = ", ".join(x for x in (result.region, result.country, result.date or (str(result.year) if result.year else None)) if x)
        lines.append(f"{rank}. [{result.language}] {result.title or result.doc_id}  ({where})  score {result.score:.3f}")
        lines.append(textwrap.indent(textwrap.fill(result.text[:400] + ("…" if len(result.text) > 400 else ""), 96), "   "))
        lines.append(f"   {result.chunk_id}, characters {result.start}-{result.end}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
