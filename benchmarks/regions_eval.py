"""Country and region inferred from the text alone, against the truth of a judged set.

    python -m benchmarks.regions_eval --part dev          # benchmarks/genre/dev
    python -m benchmarks.regions_eval --part sealed       # once, at the end
    python -m benchmarks.regions_eval --corpus            # corpus/, its sidecars read as the truth only

Each document's text goes through `ingest.places.infer_place` with the language detected as the
pipeline detects it, and nothing else: no sidecar, no title (the genre set's documents are plain
.txt). A region is `exact` when the predicted place is written like the true one (any of its
forms; case, diacritics, "&"/"and" and hyphens ignored) and `partial` when one lies inside the
other in the gazetteer (Tabriz for East Azerbaijan, Calderdale for West Yorkshire).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

from benchmarks.genre_parts import GENRE, PARTS
from core.detection import detect_language
from core.languages import family_of
from ingest.places import infer_place, load_gazetteer

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", (name or "").casefold().replace("&", " and ").replace("-", " "))
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


def load_part(part: str) -> list[dict]:
    folder = GENRE / part
    truth = folder / "docs.jsonl"
    if not truth.is_file():
        raise SystemExit(f"regions_eval: no {truth.relative_to(ROOT)}")
    docs = []
    for line in truth.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            text = (folder / "docs" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
            docs.append({"doc_id": row["doc_id"], "lang": row["lang"], "country": row["country"], "region": row["region"], "text": text})
    return docs


def load_corpus() -> list[dict]:
    docs = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        meta = json.loads(path.with_name(path.stem + ".meta.json").read_text(encoding="utf-8"))
        docs.append({"doc_id": path.stem, "lang": meta["language"], "country": meta["country"], "region": meta["region"],
                     "text": path.read_text(encoding="utf-8")})
    return docs


def judge(predicted_id: str | None, predicted: str | None, truth: str | None, country: str) -> str:
    """"exact", "partial" or "miss" for a predicted region against the true one."""
    if predicted is None or truth is None:
        return "exact" if predicted == truth else "miss"
    gazetteer = load_gazetteer()
    forms = {_norm(predicted)}
    if predicted_id is not None:
        forms |= {" ".join(key) for key, found in gazetteer.forms.items() if any(f.target == predicted_id and not f.is_country for f in found)}
    if _norm(truth) in forms:
        return "exact"
    if predicted_id is not None:
        for place in gazetteer.lookup(truth, country):
            if place in gazetteer.ancestors(predicted_id) or gazetteer.places[predicted_id] in gazetteer.ancestors(place.id):
                return "partial"
    return "miss"


def evaluate(docs: list[dict]) -> dict:
    rows = []
    for doc in docs:
        language = detect_language(doc["text"])
        guess = infer_place(doc["text"], language)
        rows.append({
            "doc_id": doc["doc_id"], "lang": family_of(doc["lang"]) if doc["lang"] not in ("cnr",) else "cnr",
            "detected_language": language, "true_country": doc["country"], "true_region": doc["region"],
            "country": guess.country, "region": guess.region,
            "country_ok": guess.country == doc["country"],
            "region_match": judge(guess.region_id, guess.region, doc["region"], doc["country"]) if guess.country == doc["country"] else "miss",
            "country_weights": guess.country_weights, "region_weights": dict(list(guess.region_weights.items())[:4]),
            "evidence": guess.region_evidence,
        })
    by_language: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_language[row["lang"]].append(row)

    def summary(part: list[dict]) -> dict:
        n = len(part)
        exact = sum(r["region_match"] == "exact" for r in part)
        partial = sum(r["region_match"] == "partial" for r in part)
        return {"n": n, "country": round(sum(r["country_ok"] for r in part) / n, 3), "region_exact": round(exact / n, 3),
                "region_exact_or_partial": round((exact + partial) / n, 3)}

    return {
        "all": summary(rows),
        "by_language": {lang: summary(part) for lang, part in sorted(by_language.items())},
        "misses": [r for r in rows if not r["country_ok"] or r["region_match"] != "exact"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--part", choices=PARTS, default="dev", help="the genre set's part (default dev)")
    which.add_argument("--corpus", action="store_true", help="corpus/ instead, its sidecars used as the truth only")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    report = evaluate(load_corpus() if args.corpus else load_part(args.part))
    report["set"] = "corpus" if args.corpus else f"genre/{args.part}"
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{report['set']}: country and region from the text alone")
    print(f"{'language':<9} {'n':>3} {'country':>8} {'region':>8} {'+partial':>9}")
    for name, row in [("all", report["all"])] + list(report["by_language"].items()):
        print(f"{name:<9} {row['n']:>3} {row['country']:>8.3f} {row['region_exact']:>8.3f} {row['region_exact_or_partial']:>9.3f}")
    for miss in report["misses"]:
        print(f"- {miss['doc_id']}: {miss['country']}/{miss['region']} for {miss['true_country']}/{miss['true_region']}"
              f" ({miss['region_match']}); countries {miss['country_weights']}, regions {miss['region_weights']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
