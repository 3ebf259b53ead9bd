"""Score the rule-based commitment classifier against the judged set.

    python -m benchmarks.commitments_eval [--json] [--labels PATH] [--corpus DIR] [--clear-only] [--ntrex PATH]
                                          [--ntrex-labels PATH [--split test|dev]]

Each document's units are rebuilt from ``labels.jsonl`` in order and classified with
`ingest.commitments.classify_units` -- the same function, with the same list-heading context,
that `CommitmentExtractor` uses. When the document's text is found in ``--corpus`` (default:
``corpus/`` next to the labels' parent), each unit is located in it (in order, as RULES.md's
validation does) so the units carry the same line positions the extractor sees; without the
text every unit is treated as one whole line.

Three figures are reported:

* ``all rules``: every rule on (rules were tuned with all five documents' labels);
* ``leave-one-document-out``: each document is scored with the rules written *only* for it
  switched off (`CommitmentClassifier(held_out=doc_id)`; a rule's ``origin`` says which
  document(s) it was written for). A-priori rules -- textbook cues, several of them named in
  the project brief, whose wording itself came from reading this corpus -- stay on, so this is
  an optimistic estimate of held-out performance. Rules written from NTREX dev (origin
  ``ntrex-dev``) were not written for any of these documents and stay on too;
* ``a-priori rules only``: no corpus- or NTREX-motivated rule at all;
* ``probe``: what ingestion decides with the configured model's `CommitmentProbe` (the rules
  still give headings and lists); absent for a model without one. It was trained on judged real
  pages and the genre set, never on these labels.

Per language and overall: precision, recall, F1, with the false positives and negatives listed.

The judged set covers only the documents the rules were written on, so ``--ntrex-labels`` adds a
held-out score: ``ntrex_labels.jsonl`` judges every English sentence of NTREX-128's test and dev
news documents (RULES.md, "Held-out set"); each judgement is carried over to the aligned line in
every translation, which is classified on its own (`CommitmentClassifier.cues`, what
`classify_units` decides for a line with no pledge heading above it). ``test`` is the reported
split; rules may be tuned on ``dev`` only, and the test figures are also shown without the
rules written from dev.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks import ntrex
from ingest.commitments import NTREX_DEV, RULES, CommitmentClassifier, Unit, rule_counts, sentence_units
from ingest.commitments.probe import CommitmentProbe

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LABELS = ROOT / "benchmarks" / "commitments" / "labels.jsonl"
DEFAULT_CORPUS = ROOT / "corpus"
DEFAULT_NTREX_LABELS = ROOT / "benchmarks" / "commitments" / "ntrex_labels.jsonl"

TARGET_OVERALL_F1 = 0.85
TARGET_LANGUAGE_F1 = 0.75


@dataclass
class Row:
    doc_id: str
    lang: str
    n: int
    text: str
    gold: bool
    note: str = ""


def load_labels(path: Path) -> dict[str, list[Row]]:
    """doc_id → its rows in `n` order."""
    docs: dict[str, list[Row]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            docs[r["doc_id"]].append(Row(r["doc_id"], r["lang"], int(r["n"]), r["text"], bool(r["commitment"]),
                                         r.get("note") or ""))
    for rows in docs.values():
        rows.sort(key=lambda row: row.n)
    return dict(docs)


def rebuild_units(rows: list[Row], text: str | None) -> list[Unit]:
    """The document's units in order; with its text, located in it to recover line positions."""
    if text is None:
        return [Unit(text=row.text) for row in rows]
    units: list[Unit] = []
    pos = 0
    for row in rows:
        i = text.find(row.text, pos)
        if i < 0:  # the labels and the text disagree: fall back on layout-free units
            return [Unit(text=r.text) for r in rows]
        end = i + len(row.text)
        line_begin = text.rfind("\n", 0, i) + 1
        line_stop = text.find("\n", end)
        line_stop = len(text) if line_stop < 0 else line_stop
        units.append(Unit(text=row.text, start=i, end=end, line_start=not text[line_begin:i].strip(),
                          line_end=not text[end:line_stop].strip()))
        pos = end
    return units


def _tally(counts: dict[str, list[int]], keys: Iterable[str], pred: bool, gold: bool) -> None:
    """Add one decision to the [tp, fp, fn] counts of each key."""
    for key in keys:
        c = counts[key]
        c[0] += pred and gold
        c[1] += pred and not gold
        c[2] += (not pred) and gold


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def score(docs: dict[str, list[Row]], corpus: Path | None, mode: str = "all",
          clear_only: bool = False, probe: CommitmentProbe | None = None) -> dict[str, Any]:
    """Classify every document and score. mode: "all" | "lodo" | "apriori" | "probe" (with `probe`)."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    errors: list[dict[str, Any]] = []
    for doc_id, rows in docs.items():
        if mode == "lodo":
            clf = CommitmentClassifier(held_out=doc_id)
        elif mode == "apriori":
            clf = CommitmentClassifier(only_apriori=True)
        else:
            clf = CommitmentClassifier()
        path = corpus / f"{doc_id}.txt" if corpus else None
        text = path.read_text(encoding="utf-8") if path and path.exists() else None
        units = rebuild_units(rows, text)
        language = rows[0].lang if rows else None
        decisions = clf.classify_units(units, language)
        if mode == "probe":
            decisions = [replace(d, commitment=bool(ok)) for d, ok in zip(decisions, probe.accepts(units, language))]
        for row, decision in zip(rows, decisions):
            if clear_only and row.note.startswith("borderline:"):
                continue
            pred = decision.commitment
            _tally(counts, (row.lang, "overall", f"doc:{doc_id}"), pred, row.gold)
            if pred != row.gold:
                errors.append({"type": "FP" if pred else "FN", "doc_id": doc_id, "lang": row.lang, "n": row.n,
                               "text": row.text, "rules": list(decision.rules), "note": row.note})
    by_lang = {k: prf(*v) for k, v in sorted(counts.items()) if k != "overall" and not k.startswith("doc:")}
    by_doc = {k[4:]: prf(*v) for k, v in counts.items() if k.startswith("doc:")}
    return {"mode": mode, "overall": prf(*counts["overall"]), "languages": by_lang, "documents": by_doc,
            "errors": errors}


def chunking_agreement(docs: dict[str, list[Row]], corpus: Path | None) -> dict[str, Any] | None:
    """How many labelled units `ingest.commitments.sentence_units` (the extractor's splitter, built
    on `ingest.chunking.split_sentences`) reproduces exactly, per document; None without corpus or
    without ingest.chunking."""
    if corpus is None:
        return None
    try:
        from ingest.commitments import sentence_units

        out: dict[str, Any] = {}
        for doc_id, rows in docs.items():
            path = corpus / f"{doc_id}.txt"
            if not path.exists():
                continue
            got = [u.text for u in sentence_units(path.read_text(encoding="utf-8"))]
            gold = [row.text for row in rows]
            out[doc_id] = {"units": len(gold), "extractor_units": len(got),
                           "identical": got == gold, "shared": len(set(got) & set(gold))}
        return out
    except ImportError:
        return None


def run(labels: Path, corpus: Path | None, clear_only: bool = False, probe: CommitmentProbe | None = None) -> dict[str, Any]:
    docs = load_labels(labels)
    held_out_rules = {doc_id: sorted(r.id for r in RULES if "a-priori" not in r.origin and not (r.origin - {doc_id}))
                      for doc_id in docs}
    return {
        "labels": str(labels),
        "units": sum(len(rows) for rows in docs.values()),
        "clear_only": clear_only,
        "rule_counts": rule_counts(),
        "rules_written_for": held_out_rules,
        "all": score(docs, corpus, "all", clear_only),
        "lodo": score(docs, corpus, "lodo", clear_only),
        "apriori": score(docs, corpus, "apriori", clear_only),
        "probe": score(docs, corpus, "probe", clear_only, probe) if probe else None,
        "targets": {"overall_f1": TARGET_OVERALL_F1, "language_f1": TARGET_LANGUAGE_F1},
        "extractor_units": chunking_agreement(docs, corpus),
    }


def _table(result: dict[str, Any]) -> str:
    lines = [f"{'':10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    rows = [*result["languages"].items(), ("overall", result["overall"]),
            *((f"  doc {d[:3]}", m) for d, m in result.get("documents", {}).items())]
    for name, m in rows:
        lines.append(f"{name:10} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['tp']:4} {m['fp']:4} {m['fn']:4}")
    return "\n".join(lines)


def render(report: dict[str, Any]) -> str:
    out = [f"Commitment benchmark: {report['units']} units from {report['labels']}"
           + (" (clear-cut units only)" if report["clear_only"] else "")]
    out.append("Rules per language: " + ", ".join(
        f"{lang}: {sum(c.values())} ({', '.join(f'{n} {k}' for k, n in sorted(c.items()))})"
        for lang, c in report["rule_counts"].items()))
    titles = {"all": "All rules", "lodo": "Leave-one-document-out (rules written only for the scored document off)",
              "apriori": "A-priori rules only (no corpus-motivated rule)", "probe": "The probe (what ingestion decides)"}
    for mode in ("all", "lodo", "apriori", "probe"):
        if report.get(mode):
            out += ["", f"== {titles[mode]}", _table(report[mode])]
    out += ["", "Rules written only for a document (off when it is scored in LODO):"]
    out += [f"  {doc}: {', '.join(ids) or '-'}" for doc, ids in report["rules_written_for"].items()]
    for mode in ("all", "lodo"):
        errs = report[mode]["errors"]
        out += ["", f"== Errors ({titles[mode].split(' (')[0]}): {len(errs)}"]
        for e in errs:
            text = e["text"] if len(e["text"]) <= 160 else e["text"][:157] + "..."
            out.append(f"  {e['type']} {e['doc_id'][:3]}/{e['n']} [{e['lang']}] {text}  rules={e['rules']}"
                       + (f"  ({e['note']})" if e["note"].startswith("borderline") else ""))
    agreement = report.get("extractor_units")
    if agreement:
        same = sum(a["identical"] for a in agreement.values())
        out += ["", f"Extractor's sentence units (ingest.chunking) identical to the labelled units in "
                    f"{same}/{len(agreement)} documents"
                + "".join(f"; {d[:3]}: {a['shared']}/{a['units']} shared" for d, a in agreement.items() if not a["identical"])]
    overall = report["all"]["overall"]["f1"]
    worst = min(m["f1"] for m in report["all"]["languages"].values())
    met = overall >= TARGET_OVERALL_F1 and worst >= TARGET_LANGUAGE_F1
    out += ["", f"Targets (all rules): overall F1 {overall:.3f} ≥ {TARGET_OVERALL_F1}, every language ≥ "
                f"{TARGET_LANGUAGE_F1} (worst {worst:.3f}): {'met' if met else 'NOT met'}"]
    return "\n".join(out)


#: The diagnostic's languages (NTREX code → Ahadi code); also what "overall" pools on the judged set.
NTREX_LANGUAGES = {code: ntrex.LANGUAGES[code] for code in ntrex.BENCHMARK_LANGUAGES}


@dataclass
class NtrexDoc:
    split: str
    lines: dict[str, list[str]]  # Ahadi language code → the lines (sentences) of its text


def read_ntrex(path: Path, languages: Iterable[str]) -> dict[str, NtrexDoc]:
    """doc_id → its split and the lines of each of `languages` (NTREX codes) it has, keyed by
    Ahadi code; both splits, read with `benchmarks.ntrex.load`."""
    docs: dict[str, NtrexDoc] = {}
    for split in ("dev", "test"):
        for r in ntrex.load(split, tuple(languages), path):
            docs.setdefault(r["doc_id"], NtrexDoc(split=split, lines={})).lines[r["lang"]] = r["text"].split("\n")
    return docs


def aligned_length(doc: NtrexDoc, languages: Iterable[str]) -> int | None:
    """The line count shared by all `languages`; None when they differ (not aligned line by line)."""
    lengths = {len(doc.lines.get(lang, [])) for lang in languages}
    return lengths.pop() if len(lengths) == 1 else None


def ntrex_consistency(path: Path) -> dict[str, Any]:
    """Diagnostic without labels: run the context-free classifier over NTREX-128's sentence-aligned
    news translations (eng/swa/swe/bos/fas) and report, per language, how often it fires, which
    rules fire, and how often it agrees with its decision on the English original. General news
    has few organisational commitments, so this checks that the cues behave alike across
    languages and how much they fire outside the pledge domain -- not precision."""
    docs = read_ntrex(path, NTREX_LANGUAGES)
    clf = CommitmentClassifier()
    n = 0
    fired: dict[str, int] = defaultdict(int)
    agree: dict[str, int] = defaultdict(int)
    rules: dict[str, int] = defaultdict(int)
    for doc in docs.values():
        length = aligned_length(doc, NTREX_LANGUAGES.values())
        if length is None:
            continue
        for i in range(length):
            n += 1
            decision = {}
            for lang, code in NTREX_LANGUAGES.items():
                cues = clf.cues(doc.lines[code][i], code)
                decision[lang] = bool(cues)
                fired[lang] += bool(cues)
                for cue in cues:
                    rules[cue] += 1
            for lang in NTREX_LANGUAGES:
                agree[lang] += decision[lang] == decision["eng"]
    return {
        "sentences": n,
        "fire_rate": {NTREX_LANGUAGES[k]: round(fired[k] / n, 3) for k in NTREX_LANGUAGES} if n else {},
        "agreement_with_english": {NTREX_LANGUAGES[k]: round(agree[k] / n, 3) for k in NTREX_LANGUAGES if k != "eng"} if n else {},
        "rules": dict(sorted(rules.items(), key=lambda kv: -kv[1])),
    }


@dataclass
class NtrexLabel:
    doc_id: str
    split: str
    n: int  # 0-based line index in the document's text
    sha1: str  # of the English line: the file keeps no NTREX text
    gold: bool
    note: str = ""
    text: str = ""  # the English line, read from NTREX by `load_ntrex_labels`


def line_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def load_ntrex_labels(path: Path, docs: dict[str, NtrexDoc]) -> list[NtrexLabel]:
    """The judged NTREX sentences, in file order, each with its English line from `docs`.

    The label file stores a hash of each line, not the line: NTREX is read in place and never
    committed. A label whose hash or split does not match the line at its index raises ValueError
    (the labels would be scored against the wrong sentences)."""
    rows: list[NtrexLabel] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            row = NtrexLabel(r["doc_id"], r["split"], int(r["n"]), r["sha1"], bool(r["commitment"]), r.get("note") or "")
            doc = docs.get(row.doc_id)
            english = doc.lines.get("en", []) if doc else []
            if row.n >= len(english) or line_hash(english[row.n]) != row.sha1 or doc.split != row.split:
                raise ValueError(f"label {row.doc_id}/{row.n} does not match the English NTREX line at that index "
                                 "(or its split)")
            row.text = english[row.n]
            rows.append(row)
    return rows


def aligned_lines(doc: NtrexDoc, n: int) -> dict[str, str | None]:
    """Line `n` of `doc` in every NTREX language; None where that language's text is not aligned
    line by line with the English one."""
    english = doc.lines["en"]
    return {
        code: lines[n] if len(lines := doc.lines.get(code, [])) == len(english) else None
        for code in ntrex.LANGUAGES.values()
    }


def score_ntrex(labels: list[NtrexLabel], docs: dict[str, NtrexDoc], split: str = "test",
                clear_only: bool = False, classifier: CommitmentClassifier | None = None,
                probe: CommitmentProbe | None = None) -> dict[str, Any]:
    """Score the context-free classifier on the judged NTREX sentences of `split`, in every NTREX
    language (`benchmarks.ntrex.LANGUAGES`) whose text is aligned with the English one. Croatian
    and Serbian run the same rules as Bosnian, so "overall" pools only `NTREX_LANGUAGES`.

    `labels` come from `load_ntrex_labels`, which checks them against the English lines."""
    clf = classifier or CommitmentClassifier()
    rows = [r for r in labels if r.split == split and not (clear_only and r.note.startswith("borderline:"))]
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    unaligned: dict[str, int] = defaultdict(int)
    errors: list[dict[str, Any]] = []
    for row in rows:
        for code, text in aligned_lines(docs[row.doc_id], row.n).items():
            if text is None:
                unaligned[code] += 1
                continue
            rules = clf.cues(text, code)
            pred = bool(rules) if probe is None else bool(probe.accepts(sentence_units(text), code).any())
            _tally(counts, (code, "overall") if code in NTREX_LANGUAGES.values() else (code,), pred, row.gold)
            if pred != row.gold:
                errors.append({"type": "FP" if pred else "FN", "lang": code, "doc_id": row.doc_id, "n": row.n,
                               "text": text, "english": row.text, "rules": list(rules), "note": row.note})
    return {
        "split": split,
        "clear_only": clear_only,
        "sentences": len(rows),
        "commitments": sum(r.gold for r in rows),
        "borderline": sum(r.note.startswith("borderline:") for r in rows),
        "languages": {code: prf(*counts[code]) for code in ntrex.LANGUAGES.values() if code in counts},
        "overall": prf(*counts["overall"]),
        "overall_languages": list(NTREX_LANGUAGES.values()),
        "unaligned": dict(unaligned),
        "errors": errors,
    }


def ntrex_judged(labels: Path, texts: Path, split: str = "test", clear_only: bool = False,
                 probe: CommitmentProbe | None = None) -> dict[str, Any]:
    """`score_ntrex` with every rule, plus the same figures without the rules written from the dev
    split (origin `NTREX_DEV`), so what dev tuning did to the reported split stays visible, and
    with `probe` what it decides."""
    docs = read_ntrex(texts, ntrex.LANGUAGES)
    rows = load_ntrex_labels(labels, docs)
    result = score_ntrex(rows, docs, split, clear_only)
    dev_rules = sorted(r.id for r in RULES if NTREX_DEV in r.origin)
    without = score_ntrex(rows, docs, split, clear_only, CommitmentClassifier(disabled=dev_rules))
    result["without_ntrex_dev"] = {"rules": dev_rules, "languages": without["languages"], "overall": without["overall"]}
    if probe is not None:
        with_probe = score_ntrex(rows, docs, split, clear_only, probe=probe)
        result["probe"] = {"languages": with_probe["languages"], "overall": with_probe["overall"]}
    return result


def configured_probe() -> CommitmentProbe | None:
    """The probe ingestion gives the configured model's extractor (None without one, or switched off)."""
    from service.facade import commitment_probe
    from service.settings import Settings

    return commitment_probe(Settings.from_env())


def render_ntrex(result: dict[str, Any], examples: int = 3) -> str:
    """The held-out table and, per language, the first `examples` false positives and negatives."""
    out = [f"== NTREX-128 judged set, split {result['split']}: {result['sentences']} English sentences "
           f"({result['commitments']} commitments, {result['borderline']} borderline)"
           + (" (clear-cut only)" if result["clear_only"] else "")
           + "; each aligned line classified on its own",
           _table({"languages": result["languages"], "overall": result["overall"]}),
           f"overall pools {', '.join(result['overall_languages'])} (hr and sr run the bs rules)"]
    if "without_ntrex_dev" in result:
        without = result["without_ntrex_dev"]
        out += [f"-- without the {len(without['rules'])} rules written from NTREX dev (origin {NTREX_DEV})",
                _table(without)]
    if "probe" in result:
        out += ["-- the probe (what ingestion decides; each line's sentence units, a commitment if any is one)",
                _table(result["probe"])]
    if result["unaligned"]:
        out.append("not aligned with English, skipped: " + ", ".join(f"{k} {v}" for k, v in result["unaligned"].items()))
    for code in result["languages"]:
        for kind in ("FP", "FN"):
            errs = [e for e in result["errors"] if e["lang"] == code and e["type"] == kind]
            if not errs:
                continue
            out.append(f"{kind} {code}: {len(errs)}")
            for e in errs[:examples]:
                text = e["text"] if len(e["text"]) <= 140 else e["text"][:137] + "..."
                out.append(f"  {e['doc_id']}/{e['n']} {text}  rules={e['rules']}  ({e['note']})")
                if code != "en":
                    out.append(f"      en: {e['english'][:120]}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="judged units (JSONL)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="folder with <doc_id>.txt, for line positions (default: corpus/ of the repo)")
    parser.add_argument("--clear-only", action="store_true", help="skip units whose note starts with 'borderline:'")
    parser.add_argument("--ntrex", type=Path, default=None,
                        help="also run the cross-language diagnostic on NTREX-128 (ntrex_docs.jsonl.gz)")
    parser.add_argument("--ntrex-labels", type=Path, nargs="?", const=DEFAULT_NTREX_LABELS, default=None,
                        help=f"also score on the judged NTREX sentences (default {DEFAULT_NTREX_LABELS}); "
                             f"texts from --ntrex, else {ntrex.DEFAULT_PATH}")
    parser.add_argument("--split", choices=("test", "dev"), default="test",
                        help="NTREX split to score with --ntrex-labels (test is reported; tune on dev)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    if not args.labels.exists():
        parser.error(f"labels file not found: {args.labels}")
    if args.ntrex is not None and not args.ntrex.exists():
        parser.error(f"NTREX file not found: {args.ntrex}")
    ntrex_docs = args.ntrex or ntrex.DEFAULT_PATH
    if args.ntrex_labels is not None:
        if not args.ntrex_labels.exists():
            parser.error(f"NTREX labels file not found: {args.ntrex_labels}")
        if not ntrex_docs.exists():
            parser.error(f"NTREX file not found: {ntrex_docs} (pass --ntrex PATH)")
    corpus = args.corpus if args.corpus is not None else DEFAULT_CORPUS
    probe = configured_probe()  # one cut model for both sets
    report = run(args.labels, corpus if corpus.is_dir() else None, args.clear_only, probe)
    if args.ntrex is not None:
        report["ntrex"] = ntrex_consistency(args.ntrex)
    if args.ntrex_labels is not None:
        report["ntrex_labels"] = ntrex_judged(args.ntrex_labels, ntrex_docs, args.split, args.clear_only, probe)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(render(report))
        if "ntrex" in report:
            nx = report["ntrex"]
            print(f"\n== NTREX-128 diagnostic ({nx['sentences']} aligned news sentences, no labels)")
            print("fires on: " + ", ".join(f"{k} {v:.1%}" for k, v in nx["fire_rate"].items()))
            print("agrees with its English decision: " + ", ".join(f"{k} {v:.1%}" for k, v in nx["agreement_with_english"].items()))
            print("rules: " + ", ".join(f"{k} {v}" for k, v in nx["rules"].items()))
        if "ntrex_labels" in report:
            print("\n" + render_ntrex(report["ntrex_labels"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
