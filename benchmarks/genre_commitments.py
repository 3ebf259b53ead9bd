"""Score commitment extraction on the judged genre set (documents as users have them).

    python -m benchmarks.genre_commitments [--part dev|sealed|sealed2|sealed3] [--json] [--root DIR]

The set lives in ``benchmarks/genre/<part>/``: ``docs/*.txt`` (plain text, no sidecars),
``docs.jsonl`` (the documents' true metadata; only ``language`` is used here, to group the
figures) and ``commitments.jsonl``, one judged unit a line::

    {"doc_id", "text", "actors": [...], "year": int|null, "quantity": str|null,
     "borderline": bool, "commitment": bool}

``text`` is a verbatim substring of the document (a sentence or a list item; it may span line
breaks). Each document goes through the steps the ingestion pipeline runs before extraction --
`DocumentReader`, `BoilerplateCleaner`, `LanguageDetector`, `MetadataExtractor` (as
`ingest.pipeline.Ingestor.prepare` wires them) -- and then `CommitmentExtractor` with the
configured model's `CommitmentProbe`, as ingestion runs it (the bundled model has one; the probe
needs the model's layers, the steps before it no model). The extracted units have offsets into the *cleaned* text; each is located
in the original document by its non-space characters (the cleaner only drops lines, characters
and whitespace), so both sides are compared as character spans of the original file.

Matching (`match_spans`): a predicted span and a gold span match when their overlap covers at
least half of the shorter of the two; pairs are taken by decreasing overlap, each gold and each
prediction at most once; gold commitments are matched before documented non-commitments.

* a matched gold commitment is a true positive, an unmatched one a false negative;
* a prediction matched to no gold commitment is a false positive (also when it matches a
  documented non-commitment, which the listing then names);
* a *borderline* gold commitment counts neither way: unmatched it is no FN, matched it makes
  its prediction neither TP nor FP.

Attribute accuracy is measured on the matched, non-borderline pairs: actors (the gold actors and
the predicted ones name the same set, compared inflection-tolerantly -- `actors_agree`), year
(equal, null included) and quantity (equal after normalising digits, number words and spacing --
`quantities_agree`).

The newest sealed part is run once per code version, by the lead: ``--part sealed3``. Tune on the
other parts only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.genre_parts import GENRE, PARTS

DEFAULT_ROOT = GENRE

TARGET_OVERALL_F1 = 0.85
TARGET_LANGUAGE_F1 = 0.75


# ------------------------------------------------------------------------------------- data

@dataclass
class Gold:
    doc_id: str
    text: str
    commitment: bool
    borderline: bool = False
    actors: list[str] = field(default_factory=list)
    year: int | None = None
    quantity: str | None = None
    start: int = -1
    end: int = -1


@dataclass
class Pred:
    doc_id: str
    text: str
    start: int
    end: int
    actors: list[str] = field(default_factory=list)
    year: int | None = None
    quantity: str | None = None
    rules: list[str] = field(default_factory=list)
    listed: bool = False  # an item of a list under a lead-in or heading (it has a `context`), not a sentence on its own
    confidence: float | None = None  # the learned decision's probability (None where the rules decided)


def load_gold(path: Path) -> list[Gold]:
    """The judged units of ``commitments.jsonl``; a line without doc_id/text/commitment is an error."""
    rows: list[Gold] = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            r = json.loads(line)
            missing = [key for key in ("doc_id", "text", "commitment") if key not in r]
            if missing:
                raise ValueError(f"{path}:{number}: missing {', '.join(missing)}")
            rows.append(Gold(doc_id=str(r["doc_id"]), text=r["text"], commitment=bool(r["commitment"]),
                             borderline=bool(r.get("borderline")), actors=list(r.get("actors") or []),
                             year=r.get("year"), quantity=r.get("quantity")))
    return rows


def load_docs_meta(path: Path) -> dict[str, dict[str, Any]]:
    """doc_id → its true metadata (``docs.jsonl``); {} when the file is absent."""
    if not path.exists():
        return {}
    out: dict[str, dict[str, Any]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                out[str(r.get("doc_id") or r.get("id"))] = r
    return out


# ---------------------------------------------------------------------------- span location

def read_original(path: Path) -> str:
    """The document as the judges saw it: UTF-8, newlines unified, NFC (gold text is NFC too)."""
    text = path.read_text(encoding="utf-8-sig")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _ignored(ch: str) -> bool:
    """Characters the comparison skips: whitespace and format/control characters (the cleaner
    collapses the first and drops most of the second)."""
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc")


class Locator:
    """Finds texts in a document by their non-space characters, returning original offsets."""

    def __init__(self, text: str):
        self.text = text
        self.positions = [i for i, ch in enumerate(text) if not _ignored(ch)]
        self.squeezed = "".join(text[i] for i in self.positions)

    def find(self, fragment: str, from_pos: int = 0) -> tuple[int, int] | None:
        """(start, end) in the original text of the first occurrence of `fragment` at or after
        original offset `from_pos` (whitespace-insensitive); else of any occurrence; else None."""
        needle = "".join(ch for ch in unicodedata.normalize("NFC", fragment) if not _ignored(ch))
        if not needle:
            return None
        begin = next((k for k, p in enumerate(self.positions) if p >= from_pos), len(self.positions))
        k = self.squeezed.find(needle, begin)
        if k < 0:
            k = self.squeezed.find(needle)
        if k < 0:
            return None
        return self.positions[k], self.positions[k + len(needle) - 1] + 1


def locate_gold(rows: list[Gold], text: str) -> list[Gold]:
    """Sets each gold unit's span (verbatim first, in file order; whitespace-insensitive as a
    fallback). Returns the units that could not be found."""
    locator = Locator(text)
    lost: list[Gold] = []
    pos = 0
    for row in rows:
        fragment = unicodedata.normalize("NFC", row.text)
        i = text.find(fragment, pos)
        if i < 0:
            i = text.find(fragment)
        span = (i, i + len(fragment)) if i >= 0 else locator.find(fragment, pos)
        if span is None:
            lost.append(row)
            continue
        row.start, row.end = span
        pos = span[1]
    return lost


def located_by_document(rows: list[Gold], originals: dict[str, str], source: Path) -> tuple[dict[str, list[Gold]], list[Gold]]:
    """Judged units by document, each with its span in the document's text (`locate_gold`), and the
    units that could not be found there. A unit naming a document not in `originals` is an error."""
    by_doc: dict[str, list[Gold]] = defaultdict(list)
    for row in rows:
        by_doc[row.doc_id].append(row)
    unknown = sorted(set(by_doc) - set(originals))
    if unknown:
        raise ValueError(f"{source}: judged units name documents that are not among the texts: {unknown}")
    lost = [g for doc_id, units in by_doc.items() for g in locate_gold(units, originals[doc_id])]
    return by_doc, lost


# ---------------------------------------------------------------------------------- matching

def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def spans_match(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """The overlap covers at least half of the shorter span."""
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and 2 * overlap(a, b) >= shorter


def match_spans(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> dict[int, int]:
    """gold index → pred index, one-to-one, for matching pairs, by decreasing overlap (ties: document order)."""
    pairs = sorted(((overlap(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
                    if spans_match(g, p)), key=lambda t: (-t[0], t[1], t[2]))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in out and pi not in used:
            out[gi] = pi
            used.add(pi)
    return out


@dataclass
class DocScore:
    tp: list[tuple[Gold, Pred]] = field(default_factory=list)
    fn: list[Gold] = field(default_factory=list)
    fp: list[tuple[Pred, Gold | None]] = field(default_factory=list)  # with the non-commitment it matched
    borderline_matched: int = 0


def score_document(gold: list[Gold], pred: list[Pred]) -> DocScore:
    """TP/FN/FP of one document's predictions against its located gold units (see module doc)."""
    out = DocScore()
    positives = [g for g in gold if g.commitment and g.start >= 0]
    negatives = [g for g in gold if not g.commitment and g.start >= 0]
    pred_spans = [(p.start, p.end) for p in pred]
    matched = match_spans([(g.start, g.end) for g in positives], pred_spans)
    used = set(matched.values())
    for gi, g in enumerate(positives):
        if gi in matched:
            if g.borderline:
                out.borderline_matched += 1
            else:
                out.tp.append((g, pred[matched[gi]]))
        elif not g.borderline:
            out.fn.append(g)
    rest = [pi for pi in range(len(pred)) if pi not in used]
    against = match_spans([(g.start, g.end) for g in negatives], [pred_spans[pi] for pi in rest])
    named = {rest[pk]: negatives[gi] for gi, pk in against.items()}
    out.fp = [(pred[pi], named.get(pi)) for pi in rest]
    return out


# ------------------------------------------------------------------------------- attributes

_WORD_NUMBERS: dict[str, int] = {
    # en, sv, sw, hbs, fa number words up to twenty and tens (the forms pledges use)
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100,
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9, "tio": 10,
    "elva": 11, "tolv": 12, "tjugo": 20, "trettio": 30, "femtio": 50, "hundra": 100,
    "moja": 1, "mbili": 2, "tatu": 3, "nne": 4, "tano": 5, "sita": 6, "saba": 7, "nane": 8, "tisa": 9, "kumi": 10,
    "ishirini": 20, "thelathini": 30, "hamsini": 50, "mia": 100,
    "jedan": 1, "jedna": 1, "dva": 2, "dvije": 2, "tri": 3, "četiri": 4, "pet": 5, "šest": 6, "sedam": 7,
    "osam": 8, "devet": 9, "deset": 10, "dvadeset": 20, "trideset": 30, "pedeset": 50, "sto": 100,
    "یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9, "ده": 10,
    "بیست": 20, "سی": 30, "پنجاه": 50, "صد": 100,
}
_FA_DIGITS = str.maketrans({**{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)}})


def quantity_key(value: str | None) -> str | None:
    """A comparable form of a quantity: its leading number as digits plus the rest, casefolded."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).translate(_FA_DIGITS).casefold()
    text = re.sub(r"(?<=\d)[\s\u00a0,](?=\d{3}\b)", "", text)
    words = text.split()
    if words and words[0] in _WORD_NUMBERS:
        words[0] = str(_WORD_NUMBERS[words[0]])
    return " ".join(words) or None


def quantities_agree(gold: str | None, pred: str | None) -> bool:
    """Equal after `quantity_key`; a gold number with its noun ("5 walks") also accepts the bare
    number ("5") and vice versa: the leading numbers must agree."""
    g, p = quantity_key(gold), quantity_key(pred)
    if g is None or p is None:
        return g is None and p is None
    return g == p or g.split()[0] == p.split()[0]


def _actor_key(name: str) -> list[str]:
    text = unicodedata.normalize("NFC", name).casefold()
    return [w[:max(4, len(w) - 2)] if len(w) > 4 else w for w in re.findall(r"\w+", text)]


def actor_matches(gold: str, pred: str) -> bool:
    """Inflection-tolerant: every word stem of the shorter name occurs in the longer, in order
    ("Kommunen" ~ "Värnamo kommun", "Uprave policije" ~ "Uprava policije")."""
    a, b = _actor_key(gold), _actor_key(pred)
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    it = iter(long_)
    return all(any(w.startswith(s) or s.startswith(w) for w in it) for s in short)


def attribute_checks(gold: Gold, pred: Pred) -> dict[str, bool]:
    """Does a matched pair agree on actors, year and quantity?"""
    return {"actors": actors_agree(gold.actors, pred.actors), "year": gold.year == pred.year,
            "quantity": quantities_agree(gold.quantity, pred.quantity)}


def actors_agree(gold: list[str], pred: list[str]) -> bool:
    """Every gold actor is named by a prediction and every predicted actor by the gold."""
    return all(any(actor_matches(g, p) for p in pred) for g in gold) and \
        all(any(actor_matches(g, p) for g in gold) for p in pred)


# ------------------------------------------------------------------------------------ running

def prepare_documents(paths: list[Path]) -> list[Any]:
    """Read, clean, detect the language and fill metadata: the steps `Ingestor.prepare` runs
    before `CommitmentExtractor` (the change filter aside, which needs a store)."""
    from ingest.cleaning import BoilerplateCleaner
    from ingest.language import LanguageDetector
    from ingest.metadata import MetadataExtractor
    from ingest.readers import DocumentReader

    read = DocumentReader().run([str(p) for p in paths])
    if read["skipped"]:
        raise ValueError(f"documents the reader skipped: {read['skipped']}")
    documents = BoilerplateCleaner().run(read["documents"])["documents"]
    documents = LanguageDetector().run(documents)["documents"]
    return MetadataExtractor().run(documents)["documents"]


def ingestion_extractor() -> Any:
    """The extractor ingestion runs: with the probe the settings give it (`service.facade.commitment_probe`)."""
    from ingest.commitments import CommitmentExtractor
    from service.facade import commitment_probe
    from service.settings import Settings

    return CommitmentExtractor(probe=commitment_probe(Settings.from_env()))


def predict(paths: list[Path], originals: dict[str, str], extractor: Any = None
            ) -> tuple[dict[str, list[Pred]], list[dict[str, Any]], dict[str, Any]]:
    """doc_id → its extracted commitments located in the original text; the ones that could not
    be located; doc_id → the detected language. `extractor`: ingestion's unless given."""
    extractor = extractor or ingestion_extractor()
    out: dict[str, list[Pred]] = defaultdict(list)
    lost: list[dict[str, Any]] = []
    detected: dict[str, Any] = {}
    for doc in prepare_documents(paths):
        doc_id = str(doc.id)
        detected[doc_id] = doc.meta.get("language")
        locator = Locator(originals[doc_id])
        pos = 0
        for c in extractor.run([doc])["commitments"]:
            span = locator.find(c.content, pos)
            if span is None:
                lost.append({"doc_id": doc_id, "text": c.content})
                continue
            pos = span[1]
            out[doc_id].append(Pred(doc_id=doc_id, text=c.content, start=span[0], end=span[1],
                                    actors=list(c.meta.get("actors") or []), year=c.meta.get("year"),
                                    quantity=c.meta.get("quantity"), rules=list(c.meta.get("rules") or []),
                                    listed=bool(c.meta.get("context")), confidence=c.meta.get("confidence")))
    return dict(out), lost, detected


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def language_group(code: Any) -> str:
    code = str(code or "unknown").lower()
    return "hbs" if code in {"cnr", "bs", "hr", "sr", "hbs", "sh"} else code


#: Confidence cut-offs at which precision and recall are reported as well (`by_confidence`): a caller
#: who wants fewer, surer commitments keeps those at or above one.
CONFIDENCE_CUTS = (0.75, 0.85, 0.95)


def evaluate(part_dir: Path, docs_dir: Path | None = None, missing: frozenset[str] = frozenset(),
             extractor: Any = None) -> dict[str, Any]:
    """Score the part in `part_dir` (its docs.jsonl and commitments.jsonl); the documents are in
    `docs_dir`, by default the part's own `docs/` (the real pages' text lives outside the repo).
    Judgements of the documents in `missing` (real pages whose text could not be had) are left out.
    `extractor`: ingestion's (`ingestion_extractor`) unless given."""
    docs_dir = docs_dir or part_dir / "docs"
    gold_path = part_dir / "commitments.jsonl"
    if not docs_dir.is_dir() or not gold_path.exists():
        raise FileNotFoundError(f"{part_dir} needs docs/ and commitments.jsonl")
    paths = sorted(docs_dir.glob("*.txt"))
    if not paths:
        raise FileNotFoundError(f"no .txt documents in {docs_dir}")
    originals = {p.stem: read_original(p) for p in paths}
    meta = load_docs_meta(part_dir / "docs.jsonl")
    gold = [g for g in load_gold(gold_path) if g.doc_id not in missing]
    by_doc, lost_gold = located_by_document(gold, originals, gold_path)
    predictions, lost_pred, detected = predict(paths, originals, extractor)

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_basis: dict[str, list[int]] = {"listed": [0, 0], "sentence": [0, 0]}  # basis → [right, wrong]
    by_confidence: dict[float, list[int]] = {cut: [0, 0, 0] for cut in CONFIDENCE_CUTS}  # cut → [tp, fp, fn]
    scored = any(p.confidence is not None for preds in predictions.values() for p in preds)
    attrs: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # attribute → [agree, pairs]
    fps: list[dict[str, Any]] = []
    fns: list[dict[str, Any]] = []
    mismatches: list[dict[str, Any]] = []
    borderline_matched = 0
    for doc_id in originals:
        lang = language_group((meta.get(doc_id) or {}).get("language") or (meta.get(doc_id) or {}).get("lang")
                               or detected.get(doc_id))
        result = score_document(by_doc.get(doc_id, []), predictions.get(doc_id, []))
        borderline_matched += result.borderline_matched
        for key in (lang, "overall"):
            counts[key][0] += len(result.tp)
            counts[key][1] += len(result.fp)
            counts[key][2] += len(result.fn)
        for cut in CONFIDENCE_CUTS if scored else ():
            sure = score_document(by_doc.get(doc_id, []), [p for p in predictions.get(doc_id, []) if (p.confidence or 0.0) >= cut])
            by_confidence[cut] = [by_confidence[cut][0] + len(sure.tp), by_confidence[cut][1] + len(sure.fp), by_confidence[cut][2] + len(sure.fn)]
        for _, p in result.tp:
            by_basis[_basis(p)][0] += 1
        for p, _ in result.fp:
            by_basis[_basis(p)][1] += 1
        for g, p in result.tp:
            checks = attribute_checks(g, p)
            for name, ok in checks.items():
                attrs[name][0] += ok
                attrs[name][1] += 1
            if not all(checks.values()):
                mismatches.append({"doc_id": doc_id, "lang": lang, "text": g.text,
                                   **{name: {"gold": getattr(g, name), "pred": getattr(p, name)}
                                      for name, ok in checks.items() if not ok}})
        fns += [{"doc_id": doc_id, "lang": lang, "text": g.text} for g in result.fn]
        fps += [{"doc_id": doc_id, "lang": lang, "text": p.text, "rules": p.rules,
                 "non_commitment": g is not None} for p, g in result.fp]
    languages = {k: prf(*v) for k, v in sorted(counts.items()) if k != "overall"}
    return {
        "part": part_dir.name,
        "documents": len(originals),
        "documents_missing": sorted(missing),
        "gold_commitments": sum(g.commitment and not g.borderline for g in gold),
        "gold_borderline": sum(g.commitment and g.borderline for g in gold),
        "gold_non_commitments": sum(not g.commitment for g in gold),
        "borderline_matched": borderline_matched,
        "overall": prf(*counts["overall"]),
        "languages": languages,
        "by_basis": {basis: {"predicted": right + wrong, "right": right, "precision": round(right / (right + wrong), 3) if right + wrong else None}
                     for basis, (right, wrong) in by_basis.items()},
        "by_confidence": {str(cut): prf(*counted) for cut, counted in by_confidence.items()} if scored else None,
        "attributes": {k: {"accuracy": round(a / n, 3) if n else None, "agree": a, "pairs": n}
                       for k, (a, n) in attrs.items()},
        "false_positives": fps,
        "false_negatives": fns,
        "attribute_mismatches": mismatches,
        "gold_not_found": [{"doc_id": g.doc_id, "text": g.text} for g in lost_gold],
        "predictions_not_located": lost_pred,
        "targets": {"overall_f1": TARGET_OVERALL_F1, "language_f1": TARGET_LANGUAGE_F1},
    }


def _basis(pred: Pred) -> str:
    """How a commitment was found: listed under a lead-in or heading, or a sentence standing alone."""
    return "listed" if pred.listed else "sentence"


def _short(text: str, n: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def render(report: dict[str, Any]) -> str:
    out = [f"Genre commitments, part {report['part']}: {report['documents']} documents, "
           f"{report['gold_commitments']} gold commitments (+{report['gold_borderline']} borderline, "
           f"{report['borderline_matched']} of them matched), {report['gold_non_commitments']} documented non-commitments",
           f"{'':10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for name, m in [*report["languages"].items(), ("overall", report["overall"])]:
        out.append(f"{name:10} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['tp']:4} {m['fp']:4} {m['fn']:4}")
    out.append("Attributes on matched pairs: " + ", ".join(
        f"{k} {v['accuracy']:.3f} ({v['agree']}/{v['pairs']})" if v["pairs"] else f"{k} -"
        for k, v in report["attributes"].items()))
    out.append("Precision by basis: " + ", ".join(
        f"{basis} {v['precision']:.3f} ({v['right']}/{v['predicted']})" if v["predicted"] else f"{basis} -"
        for basis, v in report["by_basis"].items()))
    if report.get("by_confidence"):
        out.append("By confidence (at or above): " + ", ".join(
            f"{cut} P {v['precision']:.3f} R {v['recall']:.3f}" for cut, v in report["by_confidence"].items()))
    worst = min((m["f1"] for m in report["languages"].values()), default=0.0)
    met = report["overall"]["f1"] >= TARGET_OVERALL_F1 and worst >= TARGET_LANGUAGE_F1
    out.append(f"Targets: overall F1 ≥ {TARGET_OVERALL_F1}, every language ≥ {TARGET_LANGUAGE_F1} "
               f"(worst {worst:.3f}): {'met' if met else 'NOT met'}")
    for title, rows in (("False positives", report["false_positives"]), ("False negatives", report["false_negatives"])):
        out += ["", f"== {title}: {len(rows)}"]
        for e in rows:
            tag = " [documented non-commitment]" if e.get("non_commitment") else ""
            rules = f"  rules={e['rules']}" if "rules" in e else ""
            out.append(f"  {e['doc_id']} [{e['lang']}] {_short(e['text'])}{tag}{rules}")
    out += ["", f"== Attribute mismatches: {len(report['attribute_mismatches'])}"]
    for e in report["attribute_mismatches"]:
        diffs = "; ".join(f"{k}: gold {e[k]['gold']!r} got {e[k]['pred']!r}" for k in ("actors", "year", "quantity") if k in e)
        out.append(f"  {e['doc_id']} [{e['lang']}] {_short(e['text'], 90)}  -- {diffs}")
    for title, key in (("Gold units not found in their document", "gold_not_found"),
                       ("Extracted units not located in the original text", "predictions_not_located")):
        if report[key]:
            out += ["", f"== {title}: {len(report[key])}"]
            out += [f"  {e['doc_id']} {_short(e['text'])}" for e in report[key]]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=PARTS, default="dev",
                        help="which part of the genre set to score (sealed3: the held-out part, once, at the end)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help=f"the genre set's folder (default {DEFAULT_ROOT})")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    part_dir = args.root / args.part
    try:
        report = evaluate(part_dir)
    except (FileNotFoundError, ValueError) as error:
        parser.error(str(error))
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
