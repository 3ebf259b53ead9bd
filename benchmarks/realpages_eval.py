"""Retrieval on real web pages of the genre (`benchmarks/realpages/`), ingested as users have them.

The pages' text is not in the repo (it is not ours to publish): `benchmarks/realpages/<pool>/docs.jsonl`
names each page's URL and the SHA-256 of its text, and the text is read from
`<pages-dir>/<pool>/<doc_id>.txt`. A pool's pages go into a fresh embedded index together with
`corpus/` and the pool's questions run through Ahadi's own search, their language detected as a
user's would be. A question may have several relevant pages, so besides recall@k (the share of
them in the top k) it reports `success@k`: the share of questions with at least one in the top k.
With `--commitments` it scores commitment extraction on the pool's pages instead, against
`<pool>/commitments.jsonl`, as `benchmarks.genre_commitments` does for the genre set; with
`--metadata`, the title, country and region read from each page's text, against `docs.jsonl`
(as `benchmarks.regions_eval` does; a page that names no place should get none).

    python -m benchmarks.realpages_eval --pool dev --pages-dir DIR       # tune here (and on dev2)
    python -m benchmarks.realpages_eval --pool sealed11 --pages-dir DIR  # report (and sealed9, 10, 12); run once
    python -m benchmarks.realpages_eval --pool dev --pages-dir DIR --commitments [--skip-missing]
    python -m benchmarks.realpages_eval --pool dev --pages-dir DIR --metadata [--skip-missing]
Every page's text must be there and hash to its judged SHA-256; with `--skip-missing` a commitments
or metadata run leaves out the pages whose text could not be had (with their judgements; the result
lists them), which makes its figures those of fewer pages.
Writes benchmarks/results/realpages-<pool>.json (or realpages-commitments-<pool>.json, realpages-metadata-<pool>.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path

from benchmarks import genre_commitments, regions_eval
from benchmarks.genre_eval import HEADLINE, measure
from ingest.readers.plain import plain_title
from service.evaluation import CUTOFFS, load_queries
from service.facade import Ahadi
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
REALPAGES = ROOT / "benchmarks" / "realpages"
#: dev and dev2 were for choosing and sealed and sealed2 held out in session 8; all four were read
#: in session 9, whose held-out pools, sealed3 and sealed4, were read in session 10. That session
#: held out sealed5 and sealed6 in its first round and sealed7 and sealed8 in its second; session 11
#: read those two and held out sealed9 and sealed10; session 12 held out sealed11 and sealed12 as
#: well; session 13 read those four and held out sealed13 and sealed14; session 15 read those two and
#: held out sealed15 and sealed16; session 16 read those two and held out sealed17 and sealed18;
#: session 17 held out sealed19 and sealed20, session 19 sealed21 and sealed22, session 20 sealed23
#: to sealed26 and wrote dev4 to dev7 for training; dev3 (session 19) is Swedish pages with
#: commitment judgements only, no questions (benchmarks/realpages/README.md).
POOLS = ("dev", "sealed", "dev2", "dev3", "sealed2", "sealed3", "sealed4", "sealed5", "sealed6", "sealed7", "sealed8", "sealed9", "sealed10",
         "sealed11", "sealed12", "sealed13", "sealed14", "sealed15", "sealed16", "sealed17", "sealed18",
         "sealed19", "sealed20", "sealed21", "sealed22", "sealed23", "sealed24", "sealed25", "sealed26", "dev4", "dev5", "dev6", "dev7",
         "sealed27", "sealed28", "sealed29", "sealed30", "sealed31", "sealed32", "sealed33", "sealed34",
         "sealed35", "sealed36", "sealed37", "sealed38", "sealed39", "sealed40", "sealed41", "sealed42",
         "sealed43", "sealed44", "sealed45", "sealed46", "sealed47", "sealed48", "sealed49", "sealed50",
         "sealed51", "sealed52", "sealed53", "sealed54", "sealed55", "sealed56", "sealed57", "sealed58",
         "sealed59", "sealed60", "sealed61", "sealed62", "sealed63", "sealed64", "sealed65", "sealed66")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pool", choices=POOLS, default="dev")
    parser.add_argument("--pages-dir", type=Path, required=True, help="folder with <pool>/<doc_id>.txt, the pages' text")
    scored = parser.add_mutually_exclusive_group()
    scored.add_argument("--commitments", action="store_true", help="score commitment extraction instead of retrieval")
    scored.add_argument("--metadata", action="store_true", help="score the title, country and region read from the text")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--skip-missing", action="store_true",
                        help="score a commitments or metadata run on the pages present, leaving out those missing (listed in the result)")
    args = parser.parse_args()
    if args.skip_missing and not (args.commitments or args.metadata):
        parser.error("--skip-missing is for --commitments and --metadata: retrieval is scored on whole pools")
    if not (args.commitments or args.metadata) and not (REALPAGES / args.pool / "questions.jsonl").is_file():
        parser.error(f"pool {args.pool} has no questions (commitment judgements only): use --commitments or --metadata")
    pages, missing = load_pages(args.pool, args.pages_dir, skip_missing=args.skip_missing)
    if args.commitments:
        report = genre_commitments.evaluate(REALPAGES / args.pool, docs_dir=args.pages_dir / args.pool, missing=missing)
        print(genre_commitments.render(report))
        write(report, args.out or ROOT / "benchmarks" / "results" / f"realpages-commitments-{args.pool}.json")
        return
    if args.metadata:
        report = {**metadata_report(pages, args.pages_dir / args.pool), "documents_missing": sorted(missing)}
        print(json.dumps({key: report[key] for key in ("titles", "all", "by_language")}, ensure_ascii=False))
        write(report, args.out or ROOT / "benchmarks" / "results" / f"realpages-metadata-{args.pool}.json")
        return
    queries = load_queries(REALPAGES / args.pool / "questions.jsonl")
    doc_language = {page["doc_id"]: page["lang"] for page in pages}
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings.from_env(data_dir=Path(data_dir) / "index")
        with Ahadi(settings) as app:
            report = app.ingest([args.pages_dir / args.pool, ROOT / "corpus"])
            measured = measure(app.searcher, queries, doc_language, given_language=False)
    print(json.dumps({k: measured[k] for k in (*HEADLINE, *(f"success@{k}" for k in CUTOFFS))}, ensure_ascii=False))
    result = {
        "pool": args.pool,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "encoder_backend": settings.encoder_backend,
        "documents": len(report.written),
        "chunks": report.chunks,
        "questions": len(queries),
        "cross_lingual_share": round(sum(q["lang"] != doc_language.get(q["relevant"][0]) for q in queries) / len(queries), 3),
        "measured": measured,
    }
    write(result, args.out or ROOT / "benchmarks" / "results" / f"realpages-{args.pool}.json")


def write(result: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {out}")


def load_pages(pool: str, pages_dir: Path, skip_missing: bool = False) -> tuple[list[dict], frozenset[str]]:
    """The pool's page records, after checking that every page's text is there and is the judged one,
    and the ids of the pages left out as missing (`skip_missing`; a changed text is always refused)."""
    pages = [json.loads(line) for line in (REALPAGES / pool / "docs.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    problems = []
    missing = frozenset(page["doc_id"] for page in pages if skip_missing and not (pages_dir / pool / f"{page['doc_id']}.txt").is_file())
    pages = [page for page in pages if page["doc_id"] not in missing]
    for page in pages:
        path = pages_dir / pool / f"{page['doc_id']}.txt"
        if not path.is_file():
            problems.append(f"{path}: missing (the text of {page['url']})")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != page["sha256"]:
            problems.append(f"{path}: not the judged text (SHA-256 differs from docs.jsonl)")
    if problems:
        raise SystemExit("the pages' text is not as judged:\n  " + "\n  ".join(problems))
    return pages, missing


def metadata_report(pages: list[dict], folder: Path) -> dict:
    """Country and region as `regions_eval` scores them (no year or organisations are judged for
    pages), and the share of pages whose title read from the text is the judged title line."""
    docs = [{**{key: page.get(key) for key in ("doc_id", "lang", "country", "region")}, "year": None,
             "organisations": None, "text": (folder / f"{page['doc_id']}.txt").read_text(encoding="utf-8")} for page in pages]
    report = regions_eval.evaluate(docs)
    titles = {page["doc_id"]: (plain_title(doc["text"]), page.get("title")) for page, doc in zip(pages, docs)}
    right = [doc_id for doc_id, (read, judged) in titles.items() if " ".join((read or "").split()) == " ".join((judged or "").split())]
    report["titles"] = {"right": len(right), "n": len(titles),
                        "wrong": {doc_id: read for doc_id, (read, _) in titles.items() if doc_id not in right}}
    return report


if __name__ == "__main__":
    main()
