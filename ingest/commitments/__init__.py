"""Rule-based detection and extraction of commitments (pledges, plans, duties) in five languages.

A *commitment* is a sentence unit in which an organisation promises, plans, agrees or is obliged
to do something (see ``benchmarks/commitments/RULES.md``). Detection is deliberately rule-based
and explainable: every decision carries the ids of the rules that fired, and every rule records
where it came from (``origin``):

* ``"a-priori"`` -- a textbook cue of the language (future/obligation modals, pledge verbs,
  commitment nouns) or a generic text-structure rule; it would be in the lexicon without having
  read this corpus (several of them were also named in the project brief);
* a set of corpus document ids -- the rule was written after reading that document's labels,
  because an a-priori cue did not cover a construction it uses;
* ``"ntrex-dev"`` (`NTREX_DEV`) -- written after reading the errors on the dev split of the judged
  NTREX-128 news sentences (``benchmarks/commitments/ntrex_labels.jsonl``); the test split, which
  is the held-out score, was not used for them;
* ``"genre-pages"`` (`GENRE_PAGES`), ``"realpages-dev"`` (`REAL_PAGES_DEV`) and ``"realpages-seen"``
  (`REAL_PAGES_SEEN`) -- written from real public pages of the genre (no page text kept); the
  second from the errors on the dev pools of ``benchmarks/realpages`` in session 8, whose sealed
  pools were not read for them; the third in session 9 from the errors on those four pools, all
  read by then (the pools written after them were not).

The origin makes a mechanical leave-one-document-out estimate possible: to score document *d*,
the rules written only for *d* are switched off (`CommitmentClassifier(held_out=d)`), see
``benchmarks/commitments_eval.py``.

Four layers decide a unit:

1. **cues** (`kind="cue"`): per-language patterns over a normalised, lower-cased text
   (Serbian Cyrillic transliterated to Latin, Persian letters/digits unified, ZWNJ → space);
   **masks** (`kind="mask"`) blank out look-alikes of cues and agents first (``kitaifa`` is no
   ``-ta-`` future, ``باید گفت`` "it must be said" no obligation, ``centralni`` no ``centar``);
2. **agents** (`kind="agent"`): a bare future tense predicts as often as it promises ("rain will
   reach Arizona"), so the future-tense cues (`AGENT_BOUND_CUES`, and the cues a `kind="bind"`
   rule adds) count only when the unit also names an organisation, "we", partners, or the
   plan/pledge itself;
3. **vetoes** (`kind="veto"`): a question, a party clause or an appeal to the public is never a
   commitment, whichever decides (the probe too);
4. **context** (`kind="context"`): items listed under a *pledge heading* -- a line that ends with
   ``:`` and names a pledge/plan (``Medborgarlöftet 2023:``, ``… genom att:``, ``Our commitments:``)
   -- are commitments although they carry no modal (``Fortsätta med …``, ``– Narkotika: Med fokus
   på ungdomar.``). The list ends at a line that breaks the list's marker style, a short title or
   widget line, a quotation (``säger …``) or after `MAX_LIST_ITEMS` items. A lead-in that only
   names an organisation (``شهرداری کرمان:``, ``Kent Police:``) opens a list too, but its items
   count only in the form a plan uses (Persian present tense, an infinitive); under a lead-in
   that reports (``The Panel noted:``) an item in the past tense is a fact. A Swedish lead-in
   needs no colon when the next line is an item (``Polisens löften``, ``Vi lovar att``,
   kind ``lead_in``); under a protocol's decision lead-in (``Rådet beslutar``, ``Beslut``, kind
   ``decision``) the items are ``att``-clauses, which count when they name their actor.

The `CommitmentExtractor` component runs this over whole documents and emits one Haystack
`Document` per commitment with exact offsets, actors, quantity, target, year/deadline and the
enclosing passage. Given a `CommitmentProbe` (`ingest.commitments.probe`; the ingestion pipeline
gives it one for the bundled model), the probe decides which units are commitments instead of
the rules, which carried over to unseen pages less well (in Swahili, a unit the a-priori rules fire
on is one from a lower score: `RULE_VOUCHED_FLOOR`); the rules above still find lead-ins,
headings, lists and every attribute. Each commitment then carries the probe's probability as its
``confidence`` (None when the rules decided): a caller who wants fewer, surer commitments keeps
the higher ones (BENCHMARKS.md, "Session 23", has precision and recall by confidence on unseen pages).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from haystack import Document, component, default_from_dict, default_to_dict, logging

from core.languages import SUPPORTED_LANGUAGES, analysis_language
from ingest.commitments.attributes import (
    alias_actors,
    clean_organisations,
    collective_subject,
    extract_quantities,
    extract_target,
    extract_years,
    find_actors,
    party_aliases,
    pick_quantity,
    sentence_actors,
    sh_year_to_gregorian,
    subject_actors,
    tagged_actors,
    tasked_actors,
)
from ingest.commitments.classifier import (
    DEFAULT_CLASSIFIER,
    MAX_LIST_ITEMS,
    CommitmentClassifier,
    Decision,
    classify_commitment,
    classify_units,
    starts_with_infinitive,
)
from ingest.commitments.languages import RULE_LANGUAGES, normalize, rule_language
from ingest.commitments.probe import CommitmentProbe
from ingest.commitments.rules import (
    AGENT_BOUND_CUES,
    APRIORI,
    GENRE_PAGES,
    NTREX_DEV,
    RULES,
    RULES_BY_ID,
    RULES_VERSION,
    Rule,
    rule_counts,
)
from ingest.commitments.units import Unit, in_capitals, list_marker, paragraph_span, sentence_units, soft_line_breaks

__all__ = [
    "AGENT_BOUND_CUES",
    "APRIORI",
    "CommitmentClassifier",
    "CommitmentExtractor",
    "DEFAULT_CLASSIFIER",
    "Decision",
    "GENRE_PAGES",
    "LARGE_META_KEYS",
    "MAX_LIST_ITEMS",
    "NTREX_DEV",
    "RULES",
    "RULES_BY_ID",
    "RULES_VERSION",
    "RULE_LANGUAGES",
    "Rule",
    "Unit",
    "alias_actors",
    "classify_commitment",
    "classify_units",
    "clean_organisations",
    "collective_subject",
    "extract_quantities",
    "extract_target",
    "extract_years",
    "find_actors",
    "list_context",
    "in_capitals",
    "list_marker",
    "normalize",
    "paragraph_span",
    "party_aliases",
    "pick_quantity",
    "rule_counts",
    "rule_language",
    "sentence_actors",
    "sentence_units",
    "sh_year_to_gregorian",
    "soft_line_breaks",
    "starts_with_infinitive",
    "subject_actors",
    "tasked_actors",
]

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------- component

#: Meta keys never copied onto commitment documents (large or irrelevant to a single commitment).
LARGE_META_KEYS: frozenset[str] = frozenset(
    {"evidence", "extracted", "content", "text", "html", "raw", "embedding", "sparse_embedding", "chunks"})
_MAX_META_CHARS = 500


def _small_meta(meta: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in meta.items():
        if key in LARGE_META_KEYS:
            continue
        if isinstance(value, str) and len(value) > _MAX_META_CHARS:
            continue
        if isinstance(value, (dict, list, tuple)) and len(repr(value)) > 4 * _MAX_META_CHARS:
            continue
        out[key] = value
    return out


# Defined here, not in a submodule: its `to_dict()["type"]` (``ingest.commitments.CommitmentExtractor``)
# is part of the ingestion signature, and a new type would re-index every stored document.
@component
class CommitmentExtractor:
    """Finds the commitments in whole documents and emits one `Document` per commitment.

    Each commitment is ``Document(id=f"{doc_id}!c{k}", content=<sentence unit>, meta=...)`` where
    meta holds the document's (small) meta plus ``doc_id``, ``kind="commitment"``,
    ``commitment_index`` k, exact ``start``/``end`` offsets into the document text, ``actors``
    (+ ``actors_source``), ``quantity`` (+ ``quantities``), ``target``, ``year`` (stated in the
    sentence, else inherited: ``year_source`` says from where; the document's own year is kept
    as ``doc_year``), ``deadline`` and, for
    Solar Hijri dates, ``years_sh``/``period``/``year_range``, ``passage`` (the enclosing
    paragraph), ``heading`` (the pledge heading the unit is listed under), ``context`` (for a
    listed item: the start of the lead-in paragraph that ends with its heading, which says what
    the list is about; embedded with the item) and ``rules`` (the ids of the rules that fired).

    ### Usage example
    ```python
    from haystack import Document
    from ingest.commitments import CommitmentExtractor

    doc = Document(id="d1", content="Polisen ska öka närvaron i centrum under 2024.",
                   meta={"doc_id": "d1", "language": "sv", "organisations": ["Polisen"]})
    CommitmentExtractor().run([doc])["commitments"][0].meta["year"]  # 2024
    ```
    """

    def __init__(self, disabled_rules: list[str] | None = None, default_language: str | None = None,
                 max_passage_chars: int = 2000, max_context_chars: int = 400, probe: CommitmentProbe | None = None) -> None:
        """
        :param disabled_rules: rule ids to switch off (see `RULES`).
        :param default_language: used when a document has no ``language`` in meta; None = guess from script.
        :param max_passage_chars: a longer paragraph is cut to a window of this length centred on the
            sentence (never shorter than the sentence).
        :param max_context_chars: how much of a listed item's lead-in paragraph is kept as its
            ``context`` (cut at a word boundary). 400 put all three of Gotland's violence items
            first for "pledges about domestic violence"; without context, a drug-use item ranked
            above them because the items themselves rarely name their topic.
        :param probe: when given, it decides which units are commitments (`ingest.commitments.probe`);
            the rules still find lead-ins, headings, lists and attributes. None: the rules decide.
        :raises ValueError: on unknown rule ids, an unsupported default language or a non-positive length.
        """
        self.disabled_rules = list(disabled_rules or [])
        unknown = sorted(set(self.disabled_rules) - set(RULES_BY_ID))
        if unknown:
            raise ValueError(f"Unknown rule id(s) {unknown}. Valid rule ids: {sorted(RULES_BY_ID)}")
        if default_language is not None and analysis_language(default_language) is None:
            raise ValueError(
                f"Unsupported default_language '{default_language}'. Valid values: None or a code or name of "
                f"one of {sorted(SUPPORTED_LANGUAGES)}")
        if max_passage_chars <= 0 or max_context_chars <= 0:
            raise ValueError("max_passage_chars and max_context_chars must be greater than 0.")
        self.default_language = default_language
        self.max_passage_chars = max_passage_chars
        self.max_context_chars = max_context_chars
        self.classifier = CommitmentClassifier(disabled=self.disabled_rules)
        self.probe = probe

    def to_dict(self) -> dict[str, Any]:
        # rules_version is no parameter: it makes the ingestion signature change with the rules
        # nor is the probe: its weights' identity makes the signature change with them
        return default_to_dict(self, disabled_rules=self.disabled_rules, default_language=self.default_language,
                               max_passage_chars=self.max_passage_chars, max_context_chars=self.max_context_chars,
                               rules_version=RULES_VERSION, probe=self.probe.identity if self.probe else None)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "CommitmentExtractor":
        """A serialised extractor runs with the current rules, whichever version it was saved with,
        and without a probe (which needs the model's files: pass one to the constructor)."""
        init = {k: v for k, v in data.get("init_parameters", {}).items() if k not in ("rules_version", "probe")}
        return default_from_dict(cls, {**data, "init_parameters": init})

    @component.output_types(commitments=list[Document])
    def run(self, documents: list[Document]) -> dict[str, list[Document]]:
        """
        Extract commitments from whole documents.

        :param documents: whole documents (``content`` = full text, meta per the document contract).
        :returns: ``{"commitments": [...]}``, one Document per commitment, in document order.
        """
        out: list[Document] = []
        for doc in documents:
            if not doc.content or not doc.content.strip():
                continue
            try:
                out.extend(self.extract(doc))
            except ImportError:  # a missing module is a setup error, not a bad document
                raise
            except Exception:  # one bad document must not stop a batch
                logger.exception("commitment extraction failed for document {doc_id}", doc_id=doc.id)
        return {"commitments": out}

    def extract(self, doc: Document) -> list[Document]:
        text = doc.content or ""
        meta = dict(doc.meta or {})
        doc_id = str(meta.get("doc_id") or doc.id)
        language = meta.get("language") or self.default_language
        organisations = [o for o in (meta.get("organisations") or []) if isinstance(o, str) and o.strip()]
        units = sentence_units(text)
        decisions = self.classifier.classify_units(units, language)
        confidences: list[float | None] = [None] * len(units)
        if self.probe is not None:
            accepted, scores = self.probe.decide(units, language)
            # the probe never saw the vetoes' cases as a class of their own; they hold for it too
            decisions = [replace(d, commitment=bool(ok) and not self.classifier.vetoed(unit.text, language))
                         for d, ok, unit in zip(decisions, accepted, units)]
            confidences = [round(float(score), 3) for score in scores]
        base = _small_meta(meta)
        if "year" in base:
            base["doc_year"] = base.pop("year")
        # without a year of its own or above it, an item takes the document's period, else the
        # year it is dated (a meeting's decisions are of the meeting's year)
        period = _document_period(text, language)
        dated = {"year": base["doc_year"], "source": "document"} if base.get("doc_year") is not None else {}
        aliases = party_aliases(text, language)
        parties = _lead_in_parties(units, decisions, language, organisations, aliases) or \
            _citizen_pledge_parties(text, language, organisations)
        whole_items = _whole_list_items(text, units, decisions)
        commitments: list[Document] = []
        for index, (unit, decision) in enumerate(zip(units, decisions)):
            if not decision.commitment or index in whole_items.absorbed:
                continue
            unit = whole_items.spans.get(index, unit)
            k = len(commitments)
            p_start, p_end = paragraph_span(text, unit.start, unit.end)
            width = max(self.max_passage_chars, unit.end - unit.start)
            if p_end - p_start > width:  # a window of the paragraph centred on the sentence
                p_start = max(p_start, min(unit.start - (width - (unit.end - unit.start)) // 2, p_end - width))
                p_end = p_start + width
            passage = text[p_start:p_end]
            context = list_context(text, units, decision, self.max_context_chars)
            actors, source = self._actors(text, units, decisions, index, language, organisations, passage,
                                          parties, aliases)
            quantities = extract_quantities(unit.text, language)
            quantity = pick_quantity(quantities)
            years = extract_years(unit.text, language)
            if not years:  # the period of the pledge stands in its lead-in or a heading above it
                years = self._inherited_years(text, units, decisions, index, language)
            if not years:
                years = period or dated
            commitments.append(Document(
                id=f"{doc_id}!c{k}",
                content=unit.text,
                meta={
                    **base,
                    "doc_id": doc_id,
                    "kind": "commitment",
                    "commitment_index": k,
                    "start": unit.start,
                    "end": unit.end,
                    "actors": actors,
                    "actors_source": source,
                    "quantity": quantity,
                    "quantities": quantities,
                    "target": extract_target(unit.text, language, quantity),
                    "year": years.get("year"),
                    "year_source": years.get("source", "sentence") if years else None,
                    "deadline": years.get("deadline"),
                    **{key: years[key] for key in ("year_range", "years_sh", "period", "calendar") if key in years},
                    "passage": passage,
                    "heading": decision.heading,
                    "context": context,
                    "confidence": confidences[index],
                    "rules": list(decision.rules),
                },
            ))
        return commitments

    @staticmethod
    def _actors(text: str, units: Sequence[Unit], decisions: Sequence[Decision], index: int,
                language: str | None, organisations: Sequence[str], passage: str,
                parties: Sequence[str] = (), aliases: dict[str, str] | None = None) -> tuple[list[str], str | None]:
        """Who makes the commitment, and where that was found.

        First an actor tag at the unit's end ("… varje dygn. (Polisen)", source ``tag``;
        `tagged_actors`), then the subject of the unit's own clause as the unit names it, whether or not the
        document's metadata lists it ("Škole će …", "Zadužuje se Centar bezbjednosti Nikšić da …",
        source ``subject``; `subject_actors`); a party called by its alias ("طرف دوم …") is named
        by its name, and "we" or "the parties" (`collective_subject`) stand for all the
        `parties` (source ``parties``). An item listed under a lead-in otherwise takes the
        lead-in's actor ("Age UK Medway will:", "Kommunen lovar att:" → its items are the
        municipality's, even when an item names the police as a partner) unless it opens with a
        known actor before its cue; other units take the subject of their own sentence, else the actors
        named in the sentence. Then the lead-ins above (climbing sub-headings; the lead-in's own
        subject first) and their paragraphs, the passage, and the document's organisations."""
        aliases = aliases or {}
        unit, decision = units[index], decisions[index]
        if parties and collective_subject(unit.text, language):
            return list(parties), "parties"
        tagged = tagged_actors(unit.text, language, organisations)
        if tagged:
            return tagged, "tag"
        tasked = tasked_actors(unit.text, language, organisations)
        if tasked:
            return tasked, "tasked"
        named = alias_actors(unit.text, language, aliases) or subject_actors(unit.text, language, organisations)
        if named:
            return named, "subject"
        own = sentence_actors(unit.text, language, organisations)
        subject = sentence_actors(unit.text, language, organisations, subject_only=True,
                                  opening=decision.list_item)
        if subject:
            return subject, "sentence"
        if own and not decision.list_item:
            return own, "sentence"
        h_index, seen = decision.heading_index, set()
        while h_index is not None and h_index not in seen:  # climb sub-headings
            seen.add(h_index)
            heading = units[h_index]
            if parties and collective_subject(heading.text, language):
                return list(parties), "parties"
            found = alias_actors(heading.text, language, aliases) or \
                subject_actors(heading.text, language, organisations) or \
                sentence_actors(heading.text, language, organisations)
            if found:
                return found, "heading"
            h_start, h_end = paragraph_span(text, heading.start, heading.end)
            found = sentence_actors(text[h_start:h_end], language, organisations)
            if found:
                return found, "heading paragraph"
            h_index = decisions[h_index].heading_index
        if own:
            return own, "sentence"
        found = sentence_actors(passage, language, organisations)
        if found:
            return found, "paragraph"
        if parties:
            return list(parties), "parties"
        return list(clean_organisations(organisations)), ("document" if organisations else None)

    @staticmethod
    def _inherited_years(text: str, units: Sequence[Unit], decisions: Sequence[Decision], index: int,
                         language: str | None) -> dict[str, Any]:
        """The years of the unit's lead-in(s), else of the nearest heading line above it that
        names a year ("Medborgarlöfte 2024–2025"); dates ("Publicerad 2024-03-01") and file
        numbers are no period."""
        h_index, seen = decisions[index].heading_index, set()
        while h_index is not None and h_index not in seen:
            seen.add(h_index)
            years = extract_years(_without_dates(units[h_index].text), language)
            if years:
                return {**years, "source": "heading"}
            h_index = decisions[h_index].heading_index
        for back in range(index - 1, -1, -1):
            candidate = units[back]
            if candidate.line_start and candidate.line_end and _is_heading_line(candidate.text):
                years = extract_years(_without_dates(candidate.text), language)
                if years:
                    return {**years, "source": "heading"}
        return {}


class _WholeItems(NamedTuple):
    spans: dict[int, Unit]  # index of an item's first sentence → the whole item
    absorbed: set[int]  # indexes of the sentences after it, which are part of it


def _whole_list_items(text: str, units: Sequence[Unit], decisions: Sequence[Decision]) -> _WholeItems:
    """A list item is one commitment, whatever number of sentences it has ("- Work with the Chief
    Constable to … I want to see …"): when a later sentence of the item's line is a commitment too,
    the item's first sentence stands for the whole line and the others are not emitted again.
    A marked line is an item only in a list: under a lead-in, or beside another marked line. A lone
    dash line in news opens a quotation ("- I druge općine su to napravile … Kako doznajemo …"),
    whose sentences stand on their own."""
    spans: dict[int, Unit] = {}
    absorbed: set[int] = set()
    for index, (unit, decision) in enumerate(zip(units, decisions)):
        if not decision.commitment or index in absorbed or not unit.line_start or unit.line_end \
                or list_marker(unit.text) is None or not (decision.list_item or _beside_marked_line(units, index)):
            continue
        last = index
        while not units[last].line_end and last + 1 < len(units):
            last += 1
        rest = range(index + 1, last + 1)
        if any(decisions[i].commitment for i in rest):
            end = units[last].end
            spans[index] = Unit(text=text[unit.start:end], start=unit.start, end=end, line_start=True, line_end=True)
            absorbed.update(rest)
    return _WholeItems(spans, absorbed)


def _beside_marked_line(units: Sequence[Unit], index: int) -> bool:
    """Does the line before or after the line of `units[index]` open with a list marker?"""
    before = next((u for u in reversed(units[:index]) if u.line_start), None)
    after = next((u for u in units[index + 1:] if u.line_start), None)
    return any(u is not None and list_marker(u.text) is not None for u in (before, after))


#: Dates and reference numbers: a file number ("Dnr KS 2023/00871", "Broj: 02-1184/25") names no period.
_DATE_RE = re.compile(
    r"\b\d{4}/\d{3,}\b|\b\d{1,4}/\d{4}\b|\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[./]\s?\d{1,2}[./]\s?\d{4}\b|[۰-۹\d]{4}/[۰-۹\d]{1,2}/[۰-۹\d]{1,2}")


def _without_dates(text: str) -> str:
    return _DATE_RE.sub(" ", text)


#: How many non-empty opening lines form a document's title block.
_TITLE_BLOCK_LINES = 15


def _document_period(text: str, language: str | None) -> dict[str, Any]:
    """The period a whole document is about: the first of its opening lines that names a range
    of years ("… CETINJE 2025–2026.", "Agreement period: 1 April 2024 – 31 March 2025"), dates
    and file numbers aside; else {}."""
    lines = [line for line in text.splitlines() if line.strip()][:_TITLE_BLOCK_LINES]
    for line in lines:
        years = extract_years(_without_dates(line), language)
        if "year_range" in years:
            return {**years, "source": "document period"}
    return {}


def _lead_in_parties(units: Sequence[Unit], decisions: Sequence[Decision], language: str | None,
                     organisations: Sequence[str], aliases: dict[str, str]) -> list[str]:
    """The actors the document's lead-ins name, in order ("Polisen lovar att:", "Kommunen lovar
    att:"; "طرف اول متعهد می‌شود:" by the party's name): who "we" and "the parties" are in an
    agreement or a joint pledge. Fewer than two is no partnership: []."""
    found: list[str] = []
    for h_index in sorted({d.heading_index for d in decisions if d.heading_index is not None}):
        lead = units[h_index].text
        if not collective_subject(lead, language):
            found += alias_actors(lead, language, aliases) or subject_actors(lead, language, organisations)
    parties: list[str] = []
    for name in found:
        if name.casefold() not in {p.casefold() for p in parties}:
            parties.append(name)
    return parties if len(parties) >= 2 else []


def _citizen_pledge_parties(text: str, language: str | None, organisations: Sequence[str]) -> list[str]:
    """A Swedish medborgarlöfte is by definition the municipality's and the local police's joint
    pledge: both are its parties, by the names the document gives them, when no lead-in names them."""
    if rule_language(language, text)[0] != "sv" or "medborgarlöfte" not in text.casefold():
        return []
    return sentence_actors("kommunen och polisen", language, organisations)


def _is_heading_line(text: str, max_words: int = 12) -> bool:
    """A whole line that reads as a title: short, no closing full stop (a colon may end it)."""
    stripped = text.strip()
    closed = re.search(r"[.!?؟]\s*[\"”’»)]*$", stripped) and not in_capitals(stripped)
    return 0 < len(stripped.split()) <= max_words and not closed


def list_context(text: str, units: Sequence[Unit], decision: Decision, max_chars: int = 400) -> str | None:
    """For a unit listed under a pledge heading: the start of the lead-in paragraph that ends with
    the heading (what the list is about), at most `max_chars`, cut at a word; else None."""
    if decision.heading_index is None:
        return None
    lead = units[decision.heading_index]
    return _cut_at_word(text[slice(*paragraph_span(text, lead.start, lead.end))], max_chars)


def _cut_at_word(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut.rsplit(None, 1)[0] if " " in cut else cut
