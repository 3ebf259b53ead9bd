"""The rule engine: decides each sentence unit of a document, with the context of the pledge list
it stands in."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from haystack import logging

from ingest.commitments.languages import normalize, rule_language
from ingest.commitments.rules import (
    AGENT_BOUND_CUES,
    APRIORI,
    DECISION_CLAUSE,
    PAST_TENSE,
    RULES,
    RULES_BY_ID,
    TIME_AHEAD,
    TIME_BOUND_FUTURES,
    TIME_ONLY_CUES,
    _CLITIC_SUBJECT_AFTER,
    _CLITIC_WINDOW_WORDS,
    _PASSIVE_AFTER,
    _SUBJECT_FIRST,
    Rule,
)
from ingest.commitments.units import _CLAUSE_LINE_RE, _MARKER_RE, Unit, in_capitals, list_marker
from ingest.line_ends import COLON_END_RE, OPEN_END_RE

logger = logging.getLogger(__name__)

_QUOTE_TAGS = {
    "sv": "säger|sa|berättar|fortsätter", "en": "says|said", "sw": "alisema|amesema|anasema",
    "hbs": "rekao|rekla|kazao|izjavio|izjavila|naveo", "fa": "",
}
#: Per rule group: a quotation tag (", säger …"), which ends a list. Only the group's own words:
#: Swedish "sa" (said) is the Bosnian preposition "sa" (with).
_QUOTE_TAG_RES = {group: re.compile(r"(?:,|\s)(" + words + r")\s", re.IGNORECASE)
                  for group, words in _QUOTE_TAGS.items() if words}
#: A Swedish tag comes after the quotation, before its speaker (", säger Anna"); after its own
#: subject the verb is the item's ("… där vi berättar vad som har gjorts").
_QUOTE_TAG_RES["sv"] = re.compile(
    r"(?:,|" + "".join(rf"(?<!\b{w})" for w in ("vi", "jag", "de", "du", "ni", "man", "han", "hon", "som", "det"))
    + r"\s)(" + _QUOTE_TAGS["sv"] + r")\s", re.IGNORECASE)
_FA_QUOTE_TAG_RE = re.compile(r"(?<!\w)(گفت|افزود|خاطر\s?نشان\s?کرد)(?!\w)")
_WIDGET_RE = re.compile(
    r"\.(jpe?g|png|gif|webp)\b|^(slide \d+|previous arrow|next arrow|taggar|tags|dela|share|"
    r"läs mer|read more|kushiriki|pogledaj još|kommentarsfunktionen|comments?)\b|@|https?://|www\.",
    re.IGNORECASE)
_TERMINAL_RE = re.compile(r"[.!?؟؛…]\s*[\"”’»)]?\s*$")
#: A lead-in whose future has the announced list as its subject ("… kommit fram till att följande
#: prioriteringar ska göras:", "the following measures will be taken:") promises only what follows.
_ANNOUNCED_SUBJECT_RE = re.compile(
    r"\b(följande|nedanstående)\s+(\w+\s+){0,2}?(ska|skall|kommer)\b"
    r"|\bthe\s+following\s+(\w+\s+){0,2}?(will|shall|are|is)\b"
    r"|\b(sljedeć|sledeć|slijedeć)\w*\s+(\w+\s+){0,2}?(će|ćemo|su|je)\b", re.IGNORECASE)

#: How many list lines one pledge heading can carry before the list is closed.
MAX_LIST_ITEMS = 20



@dataclass(frozen=True)
class Decision:
    """The decision on one unit: is it a commitment, which rules fired, under which heading."""

    commitment: bool
    rules: tuple[str, ...] = ()
    heading: str | None = None
    heading_index: int | None = None  # index of the heading unit in the classified sequence
    list_item: bool = False
    is_heading: bool = False


@dataclass
class _ListState:
    heading: str
    index: int
    pledging: bool = False  # the lead-in itself promises ("Kommunen lovar att:"), not just names a topic
    style: str | None = None  # marker style of the list, or "plain"
    items: int = 0
    number: tuple[str, tuple[int, ...]] | None = None  # the last item's numbering (`item_number`)
    parent: int | None = None  # the lead-in this one is nested in ("Dogovoreno je sljedeće:" → "Centar će:")
    actor_only: bool = False  # the lead-in only names who acts ("Shiraz Municipality:"): items must complete it
    reporting: bool = False  # the lead-in reports ("The Panel noted:"): past-tense items are facts
    decision: bool = False  # a protocol's decision lead-in ("Rådet beslutar"): items are "att"-clauses with an actor


#: An existential future ("there will be …", "det kommer att finnas …") whose subject, an agent,
#: stands after it: the word before the cue and the verb after it, per group.
_EXISTENTIAL = {
    "en": (re.compile(r"\bthere\s+$"), re.compile(r"\s+(also\s+)?be\b")),
    "sv": (re.compile(r"\bdet\s+$"), re.compile(r"\s+(också\s+|även\s+)?(att\s+)?finnas\b")),
}
_EXISTENTIAL_WINDOW_CHARS = 50

#: A negation in a future cue or right after it ("will not", "kommer … inte att", "neće").
_NEGATION = {
    "en": re.compile(r"\b(not|never)\b|n't\b"),
    "sv": re.compile(r"\b(inte|aldrig|ej)\b"),
    "hbs": re.compile(r"\bne(ću|ćeš|će|ćemo|ćete)\b"),
}
_NEGATION_WINDOW_CHARS = 40
#: The weather has a time ahead and no agent, and is forecast, not promised ("Rain will reach the
#: coast on Sunday", "Mvua itanyesha kesho"): a unit that names it gets no plan from its time.
_WEATHER = re.compile(
    r"\b(rain\w*|showers?|snow\w*|storms?|hurricane|tropical|temperatures?|weather|winds?|flood(s|ing)?|warmth|heatwave|"
    r"regn\w*|snö\w*|oväder|väder\w*|temperatur\w*|mvua|upepo|hali\s+ya\s+hewa|mafuriko|kiš\w*|snijeg\w*|sneg\w*|"
    r"oluj\w*|poplav\w*)\b|(باران|برف|طوفان|سیلاب|دمای\s+هوا)")
#: "will be" with no participle after it states a condition ("Crime will be lower next year"), not an act.
_EN_STATE_AFTER = re.compile(
    r"\s+(\w+ly\s+|also\s+|then\s+|now\s+)?be\s+(?!being\b)(?!\w+(ed|en|ing|wn)\b)"
    r"(?!(held|made|done|paid|led|set|put|run|kept|shut|cut|built|sent|sold|brought|bought|taught)\b)")


def _existential(group: str, text: str, cue: re.Match[str]) -> bool:
    """Is this future cue an existential ("there will be …", "det kommer att finnas …")?"""
    before, after = _EXISTENTIAL.get(group, (None, None))
    return before is not None and bool(before.search(text, 0, cue.start())) and bool(after.match(text, cue.end()))


class CommitmentClassifier:
    """The rule engine. `held_out` switches off rules written only for that document (LODO);
    `disabled` switches off rules by id; `only_apriori` keeps just the a-priori rules."""

    def __init__(self, disabled: Iterable[str] = (), held_out: str | None = None, only_apriori: bool = False):
        disabled = set(disabled)
        unknown = disabled - set(RULES_BY_ID)
        if unknown:
            raise ValueError(f"Unknown rule id(s) {sorted(unknown)}. Valid ids: {sorted(RULES_BY_ID)}")
        for rule in RULES:
            if only_apriori and APRIORI not in rule.origin:
                disabled.add(rule.id)
            if held_out is not None and APRIORI not in rule.origin and not (rule.origin - {held_out}):
                disabled.add(rule.id)
        self.disabled = frozenset(disabled)
        self.active = tuple(rule for rule in RULES if rule.id not in self.disabled)
        self._rules_by_kind: dict[tuple[tuple[str, ...], str], tuple[Rule, ...]] = {}
        self.agent_bound = AGENT_BOUND_CUES.union(*(r.binds for r in self.active if r.kind == "bind"))

    # -- single units -----------------------------------------------------------------------
    def _rules(self, groups: Sequence[str], kind: str) -> tuple[Rule, ...]:
        # asked for every unit, group and kind: chosen once per (groups, kind)
        key = (tuple(groups), kind)
        rules = self._rules_by_kind.get(key)
        if rules is None:
            rules = tuple(r for r in self.active if r.kind == kind and (r.lang in groups or r.lang == "*"))
            self._rules_by_kind[key] = rules
        return rules

    def cues(self, sentence: str, language: str | None) -> tuple[str, ...]:
        """Ids of the cue rules that fire on `sentence` (vetoes applied: then empty)."""
        if not isinstance(sentence, str) or not sentence.strip():
            return ()
        groups = rule_language(language, sentence)
        fired: list[str] = []
        for group in groups:
            text = normalize(sentence, group)
            masked = [span for r in self._rules((group,), "mask") for span in r.spans(text)]
            found = {r.id: m for r in self._rules((group,), "cue") if (m := r.search(text, masked))}
            found = {h: m for h, m in found.items() if h not in TIME_ONLY_CUES or self._time_bound(group, text, h, m)}
            agents = self._rules((group,), "agent")
            if agents and any(h in self.agent_bound for h in found):
                starts = [m.start() for r in agents for m in r.pattern.finditer(text)
                          if not any(s < m.end() and m.start() < e for s, e in masked)]
                found = {h: m for h, m in found.items()
                         if h not in self.agent_bound or self._agent_before(group, text, m, starts)
                         or self._time_bound(group, text, h, m)}
            fired += list(found)
        if fired and self.vetoed(sentence, language):
            return ()
        return tuple(dict.fromkeys(fired))

    def _agent_before(self, group: str, text: str, cue: re.Match[str], agent_starts: Sequence[int]) -> bool:
        """Does an agent bind this future/obligation cue? In the word-order languages whose
        subject comes before the verb (en, sv, hbs) the agent must be named before the cue ends
        ("Police will …", "kommer polisen att …"; not "crime will fall, police say") unless
        the clause is passive ("will be installed", "kommer att genomföras", "biće održan"); in
        Swahili the verb's own subject prefix decides (masks) and in Persian (verb-final) any
        agent of the unit counts."""
        if group not in _SUBJECT_FIRST or "any.agent_before_cue" in self.disabled:
            return bool(agent_starts)
        if any(start < cue.end() for start in agent_starts):
            return True
        # BCMS "će" is a clitic in second place, so the subject may stand between it and its
        # infinitive ("da će policijski službenici preduzimati", "će kroz ovaj projekat biti");
        # one after the infinitive is no subject ("će opasti zahvaljujući policiji")
        clitic, infinitive = _CLITIC_SUBJECT_AFTER.get(group, (None, None))
        if clitic is not None and clitic.fullmatch(cue.group(0)):
            words = re.match(r"[^,;:.!?]*", text[cue.end():]).group(0).split()[:_CLITIC_WINDOW_WORDS]
            before_verb = list(itertools.takewhile(lambda word: not infinitive.fullmatch(word), words))
            window = cue.end() + len(" ".join(before_verb)) + 1
            if before_verb and any(cue.end() <= start < window for start in agent_starts):
                return True
        if bool(_PASSIVE_AFTER[group].search(text, cue.start(), min(len(text), cue.end() + 60))):
            return True
        # "there will be a Force-wide education phase": the existential's subject follows the verb
        if _existential(group, text, cue):
            window = cue.end() + _EXISTENTIAL_WINDOW_CHARS
            return any(cue.end() <= start < window for start in agent_starts)
        return False

    def _time_bound(self, group: str, text: str, cue_id: str, cue: re.Match[str]) -> bool:
        """Does a time ahead make this future a plan without a named agent (`TIME_BOUND_FUTURES`)?
        Not when the unit is about the weather, states a condition ("will be lower"), or the future
        is negated ("kommer … inte fungera") or existential ("there will be")."""
        if cue_id not in TIME_BOUND_FUTURES or "any.time_bound_future" in self.disabled:
            return False
        time_ahead = TIME_AHEAD.get(group)
        if time_ahead is None or not time_ahead.search(text):
            return False
        if _WEATHER.search(text) or (group == "en" and _EN_STATE_AFTER.match(text, cue.end())):
            return False
        negation = _NEGATION.get(group)
        if negation is not None and negation.search(text, cue.start(), min(len(text), cue.end() + _NEGATION_WINDOW_CHARS)):
            return False
        return not _existential(group, text, cue)

    def vetoed(self, sentence: str, language: str | None = None) -> bool:
        """Is the unit no commitment whatever else is said of it (a question, a party clause, an
        appeal to the public)? The learned decision is held to this too (`CommitmentExtractor`)."""
        rules = self._rules(rule_language(language, sentence) if isinstance(sentence, str) else (), "veto")
        texts = {group: normalize(sentence, None if group == "*" else group) for group in {r.lang for r in rules}}
        return any(r.search(texts[r.lang]) for r in rules)

    def heading_cue(self, sentence: str, language: str | None) -> bool:
        return self._matches(sentence, language, "heading")

    def _matches(self, text: str, language: str | None, kind: str) -> bool:
        """Does a rule of `kind` ("heading", "report", "decision", "lead_in", "examples") match `text`?"""
        groups = rule_language(language, text)
        return any(r.search(normalize(text, g)) for g in groups for r in self._rules((g,), kind))

    def classify(self, sentence: str, language: str | None) -> bool:
        """Context-free decision on one sentence."""
        return bool(self.cues(sentence, language))

    # -- a document's units, in order ---------------------------------------------------------
    def classify_units(self, units: Sequence[Unit | str], language: str | None) -> list[Decision]:
        """Decide every unit of one document, in document order, with list-heading context."""
        units = [u if isinstance(u, Unit) else Unit(text=str(u)) for u in units]
        ok = {rid: rid not in self.disabled for rid in
              ("ctx.marked_items", "ctx.infinitive_items", "ctx.plain_items", "ctx.subheading", "ctx.actor_lead_in",
               "ctx.reported_past", "ctx.decision_clauses", "ctx.lead_in_without_colon", "ctx.examples_lead_in")}
        decisions: list[Decision] = []
        state: _ListState | None = None
        line_is_item = False  # the current line belongs to an open pledge list
        for index, unit in enumerate(units):
            text = unit.text.strip()
            cues = self.cues(text, language)
            is_heading = unit.line_end and bool(COLON_END_RE.search(text)) and len(text) > 1
            # such a line opens a list as a colon does when it is no item itself and a marked
            # item follows it
            if not is_heading and unit.line_start and unit.line_end and OPEN_END_RE.search(text) \
                    and list_marker(text) is None and index + 1 < len(units) \
                    and list_marker(units[index + 1].text.strip()) is not None:
                is_heading = True
            decision = ok["ctx.decision_clauses"] and unit.line_start and unit.line_end \
                and self._lead_in(text, language, "decision")
            if not is_heading and ok["ctx.lead_in_without_colon"] and unit.line_start and unit.line_end \
                    and not _TERMINAL_RE.search(text) and index + 1 < len(units) \
                    and (decision or self._lead_in(text, language, "lead_in")):
                is_heading = _opens_items(units[index + 1], language)
            if unit.line_start:
                line_is_item = False
                if state is not None and not is_heading:
                    line_is_item = self._continues(state, text, language, bool(cues), ok)
                    if line_is_item:
                        state.items += 1
                    else:
                        state = None
            member = line_is_item and state is not None and not is_heading
            # a topic line in a list that only names areas ("Fokusområden:" → "– Trygghet i centrum")
            # is a title; under a lead-in that promises, every item is pledged
            if member and state.decision:
                item = bool(cues) or decision_clause(text, language)
            else:
                item = member and (bool(cues) or state.pledging or not _is_title(text, language)) \
                    and not (state.reporting and not cues and self.past_tense(text, language))
            item = item and not self.vetoed(text, language)
            rules = cues + ((("ctx.decision_clauses",) if state.decision else ("ctx.list_item",)) if item and not cues else ())
            # a whole line that reads as a title ("III. OBAVEZE OPŠTINE", "My pledges to women
            # and girls, 2024–2028") names a topic even when a cue word is in it
            title = unit.line_start and unit.line_end and not member and _is_title(text, language, 8)
            parent = state.index if state is not None else None
            if is_heading and state is not None and state.items > 0 and state.parent is not None:
                parent = state.parent  # the next of sibling lead-ins under one announcing lead-in
            decisions.append(Decision(
                commitment=(bool(cues) and not is_heading and not title) or item, rules=rules,
                heading=units[parent].text.strip() if parent is not None else None,
                heading_index=parent, list_item=item, is_heading=is_heading,
            ))
            if is_heading:
                # a sub-heading continues a pledge list only once that list has items
                sub = state is not None and state.items > 0 and ok["ctx.subheading"]
                lead_in = self._lead_in(text, language, "lead_in")
                named = bool(cues) or decision or lead_in or self.heading_cue(text, language)
                examples = not named and ok["ctx.examples_lead_in"] and self._examples_of_measures(units, index, language)
                named = named or examples
                actor_only = not named and ok["ctx.actor_lead_in"] and self.actor_lead_in(text, language)
                opens = named or sub or actor_only
                pledging = bool(cues) or lead_in or examples or (sub and state.pledging)
                # a lead-in right under a lead-in ("Dogovoreno je sljedeće:" / "Centar će:") is its
                # first item: the lists of both are the announced decisions
                nested = state is not None and (state.items == 0 or state.parent is not None)
                state = _ListState(heading=text, index=index, pledging=pledging,
                                   parent=parent if nested else None, actor_only=actor_only and not pledging,
                                   reporting=ok["ctx.reported_past"] and not pledging and self.reports(text, language),
                                   decision=decision and not pledging) \
                    if opens and not _WIDGET_RE.search(text) else None
                line_is_item = False
        # A lead-in line ("Kommunen lovar att:", "Our priorities will be:") is the context of its
        # list, not an item; one that leads into no item at all states its promise itself, unless
        # what it promises is only the list announced (`_ANNOUNCED_SUBJECT_RE`).
        # A lead-in whose sub-lead-ins lead items leads them too.
        led = {d.heading_index for d in decisions if d.list_item}
        grown = True
        while grown:
            above = {d.heading_index for i, d in enumerate(decisions) if d.is_heading and i in led} - led - {None}
            led |= above
            grown = bool(above)
        for index, d in enumerate(decisions):
            if d.is_heading and d.rules and not d.commitment and index not in led \
                    and not _ANNOUNCED_SUBJECT_RE.search(units[index].text):
                decisions[index] = Decision(commitment=True, rules=d.rules, heading=d.heading,
                                            heading_index=d.heading_index, list_item=False, is_heading=True)
        return decisions

    def _lead_in(self, text: str, language: str | None, kind: str) -> bool:
        """Is this line a lead-in of `kind`: "decision" ("Rådet beslutar", "Beslut:") or "lead_in"
        ("Polisens löften", "Vi lovar att")? Marker and colon aside, the whole line must match."""
        marker = _MARKER_RE.match(text)
        return self._matches(text[marker.end():].strip() if marker else text.strip(), language, kind)

    def _examples_of_measures(self, units: Sequence[Unit], index: int, language: str | None) -> bool:
        """Is this lead-in an examples line ("Som exempel kan nämnas:") right after a sentence that
        names measures (a heading word: "insatser", "measures") not done already: not in the past
        tense, or with a time ahead ("Inför årets sommar har kommunen identifierat flera insatser")?"""
        if index == 0 or not self._lead_in(units[index].text.strip(), language, "examples"):
            return False
        before = units[index - 1].text.strip()
        if not self.heading_cue(before, language):
            return False
        return not self.past_tense(before, language) or any(
            g in TIME_AHEAD and TIME_AHEAD[g].search(normalize(before, g)) for g in rule_language(language, before))

    def reports(self, text: str, language: str | None) -> bool:
        """Does this lead-in report ("The following points were highlighted:")?"""
        return self._matches(text, language, "report")

    @staticmethod
    def past_tense(text: str, language: str | None) -> bool:
        return any(g in PAST_TENSE and PAST_TENSE[g].search(normalize(text, g)) for g in rule_language(language, text))

    def actor_lead_in(self, text: str, language: str | None) -> bool:
        """Is this lead-in line only the name of an organisation ("فرماندهی انتظامی شهرستان کرمان:",
        "Medway Council:")? In a plan or agreement the items under it say what that body will do.
        A short line without a verb or a quotation tag, whose name opens with an agent word."""
        body = COLON_END_RE.sub("", text).strip()
        marker = _MARKER_RE.match(body)
        body = body[marker.end():].strip() if marker else body
        if not 0 < len(body.split()) <= 8 or _TERMINAL_RE.search(body) or re.search(r"\d", body):
            return False
        for group in rule_language(language, body):
            norm = normalize(body, group)
            if _LEAD_IN_VERB.get(group) is not None and _LEAD_IN_VERB[group].search(norm):
                continue
            if group in _QUOTE_TAG_RES and _QUOTE_TAG_RES[group].search(f" {norm} "):
                continue
            if any(m.start() < 25 for r in self._rules((group,), "agent") for m in r.pattern.finditer(norm)):
                return True
        return False

    @staticmethod
    def _continues(state: _ListState, text: str, language: str | None, has_cue: bool, ok: dict[str, bool]) -> bool:
        """Does this line continue the open pledge list?"""
        marker = list_marker(text)
        words = text.split()
        if state.items >= MAX_LIST_ITEMS or _WIDGET_RE.search(text):
            return False
        if state.decision:
            # a protocol's decisions: "att"-clauses (an actorless one is decided, not promised,
            # but the list goes on) or a decision with its own cue
            return has_cue or _CLAUSE_LINE_RE.match(_MARKER_RE.sub("", text, count=1).strip()) is not None
        if state.actor_only and not has_cue and not completes_actor(text, language):
            return False  # participants, addresses, figures under a body's name promise nothing
        if any(_QUOTE_TAG_RES[g].search(text) for g in rule_language(language, text) if g in _QUOTE_TAG_RES) \
                or _FA_QUOTE_TAG_RE.search(normalize(text)):
            return False
        if marker is None and len(words) <= 2 and not _TERMINAL_RE.search(text):
            return False  # a title or widget line ("Taggar", "Dela")
        if marker is not None:
            if _is_section_title(text):
                return False  # "V. ZAJEDNIČKE ODREDBE"
            if state.style is None and ok["ctx.marked_items"]:
                state.style = marker
            if marker != state.style:
                return False
            number = item_number(text)
            if number is not None and state.number is not None and number[0] == state.number[0] \
                    and not _follows(state.number[1], number[1]):
                return False  # "4. Ahadi za Halmashauri" after item 6: the document's next section
            own = item_number(state.heading)
            if number is not None and own is not None and number[0] == own[0] \
                    and number[1][:len(own[1])] != own[1] and _follows(own[1], number[1]):
                return False  # clause "4.4" after the lettered items of clause "4.3 … agree to:"
            state.number = number or state.number
            return True
        infinitive = ok["ctx.infinitive_items"] and starts_with_infinitive(text, language)
        if state.style in (None, "plain") and _is_title(text, language):
            return False  # a section title ("ماده ۴- تعهدات طرف دوم") ends an unmarked list
        if state.pledging and state.style in (None, "plain"):
            # under a lead-in that promises ("… se obavezuje da:", "It was agreed that:") every
            # line is part of the promise, whatever mood its verb is in ("postavi", "ارجاع دهد")
            state.style = "plain"
            return True
        if state.style is None:
            # a plain list must open like one: an infinitive item, or a line with its own cue
            if infinitive or (has_cue and ok["ctx.plain_items"]):
                state.style = "plain"
                return True
            return False
        return state.style == "plain" and (infinitive or ok["ctx.plain_items"])


#: A verb in a lead-in line: then it is a sentence ("The Council noted:", "شهردار گفت:"), not a name.
_LEAD_IN_VERB = {
    "en": re.compile(r"\b\w{3,}ed\b|\b(is|are|was|were|has|have|had|says?|said|will|would)\b"),
    "sv": re.compile(r"\b(är|var|har|hade|ska|skall|kommer|säger|sa|\w{3,}(ade|de|te))\b"),
    "hbs": re.compile(r"\b(je|su|smo|sam|bi|\w{2,}(ao|la|li|lo))\b"),
    "sw": re.compile(r"\b(ni|si|\w*(na|li|me|ta|ki)[a-z]{2,}a)\b"),
    "fa": re.compile(r"(?<!\w)(ن?می\s?\S+|است|بود|شد|گفت|کرد|کرده|دارد|داشت|کند|شود)(?!\w)"),
}


def decision_clause(text: str, language: str | None) -> bool:
    """Is this line an "att"-clause of a decision that names its actor (`DECISION_CLAUSE`)?"""
    body = _MARKER_RE.sub("", text, count=1).strip()
    return any(g in DECISION_CLAUSE and DECISION_CLAUSE[g].search(body) for g in rule_language(language, body))


def _opens_items(unit: Unit, language: str | None) -> bool:
    """Does this unit open a list's items: a line with a marker, an "att"-clause or an infinitive?"""
    text = unit.text.strip()
    return unit.line_start and (list_marker(text) is not None or _CLAUSE_LINE_RE.match(text) is not None
                                or starts_with_infinitive(text[:1].upper() + text[1:], language))


_FA_PRESENT_END = re.compile(r"(?<!\w)ن?می\s?\S+?(د|ند)\s*[.؛]?\s*$")
_PAREN_MARKER_RE = re.compile(r"^\(\w{1,4}\)\s*")  # "(a)", "(iv)"
_HBS_INFINITIVE = re.compile(r"\b\w{2,}(?<!os|as|es|is)ti\b")


def completes_actor(text: str, language: str | None) -> bool:
    """Does a list item complete a lead-in that only names who acts? In the form a plan uses
    for what a body will do: Persian present tense at the end ("… را پاک سازی می کند"), a BCMS
    infinitive ("– do juna postaviti kamere"), an infinitive first in sw/sv/en ("(a) kufunga
    taa", "– publish a monthly alert")."""
    marker = _MARKER_RE.match(text)
    body = text[marker.end():].strip() if marker else text.strip()
    for group in rule_language(language, body):
        if group == "fa" and _FA_PRESENT_END.search(normalize(body, "fa")):
            return True
        if group == "hbs" and _HBS_INFINITIVE.search(" ".join(normalize(body, "hbs").split()[:10])):
            return True
        if group in ("sw", "sv", "en") and starts_with_infinitive(_PAREN_MARKER_RE.sub("", body), group):
            return True
    return False


_FA_LETTERS = ("الف", "ب", "ج", "د", "ه", "و", "ز", "ح", "ط", "ی", "ک")
_ITEM_NUMBER_RE = re.compile(r"^\s*(?:(\d{1,3}(?:[.\-]\d{1,3}){0,3})|([a-z])|(الف|[بجدهوزحطیک]))\s?(?:[.)\-–]|(?<=\d)(?=\s))")


def item_number(text: str) -> tuple[str, tuple[int, ...]] | None:
    """The numbering of a numbered or lettered list item: "3-2." → ("digit", (3, 2)), "b)" →
    ("latin", (2,)), "ج)" → ("persian", (3,)); None for other lines."""
    if list_marker(text) != "number":
        return None
    m = _ITEM_NUMBER_RE.match(normalize(text))
    if not m:
        return None
    if m.group(1):
        return "digit", tuple(int(p) for p in re.split(r"[.\-]", m.group(1)))
    if m.group(2):
        return "latin", (ord(m.group(2)) - ord("a") + 1,)
    return "persian", (_FA_LETTERS.index(m.group(3)) + 1,)


def _follows(previous: tuple[int, ...], number: tuple[int, ...]) -> bool:
    """Can `number` come after `previous` in one list? The next number at the same depth, or a
    step into or out of a sub-list ("3." → "3.1", "3.2" → "4."). A number that goes back or
    skips ("6." → "4.") starts something else."""
    if len(number) == len(previous):
        return number[:-1] == previous[:-1] and number[-1] == previous[-1] + 1
    if len(number) > len(previous):
        return number[:len(previous)] == previous or (number[:len(previous) - 1] == previous[:-1]
                                                      and number[len(previous) - 1] == previous[-1] + 1)
    return number[:-1] == previous[:len(number) - 1] and number[-1] == previous[len(number) - 1] + 1


def _is_section_title(text: str) -> bool:
    """A marked line in capitals ("V. ZAJEDNIČKE ODREDBE", "3. ÅTGÄRDER"): a section, not an item."""
    marker = _MARKER_RE.match(text)
    body = text[marker.end():].strip() if marker else text.strip()
    return in_capitals(body, min_letters=4)


_SV_NOT_INFINITIVE = frozenset(
    "alla andra flera vissa sådana denna dessa båda egna sista första nya gamla hela samma enda ena "
    "många mina dina våra era hennes deras sina bra vilka varenda fyra åtta elva tolv tjugo hundra "
    "gemensamma olika större bättre fler flera".split())
#: A Swedish definite plural ("Trygghetsvärdarna", "Ordningsvakterna", "Parterna") ends in -a too, but
#: names who acts; "varna" and "förvarna" are the verbs that end the same way.
_SV_DEFINITE_PLURAL = re.compile(r"\w{2,}(?<!v)(arna|orna|erna)$")
_EN_ITEM_VERBS = frozenset(
    "continue increase improve develop hold carry conduct establish introduce provide ensure support work "
    "reduce strengthen involve create set offer organise organize implement promote prevent raise expand "
    "train publish review monitor meet engage deliver launch run maintain build invest recruit tackle "
    "protect respond target share update visit patrol".split())
_FA_ITEM_NOUNS = re.compile(
    r"^(افزایش|ایجاد|توسعه|برگزاری|اجرای|اجرا|تقویت|ارتقای|ارتقا|کاهش|پیگیری|راه\s?اندازی|گسترش|آموزش|حمایت|"
    r"استقرار|ارائه|تشکیل|تدوین|شناسایی|جذب|بهبود)(?!\w)|^\S+(یدن|ادن|ودن|تن|دن)(?!\w)")


def _is_title(text: str, language: str | None, max_words: int = 6) -> bool:
    """A short line without closing punctuation that does not open with a verb: a topic or
    focus-area title ("Trygghet i centrum", "– Narkotika"), not a pledged item."""
    marker = _MARKER_RE.match(text)
    body = text[marker.end():].strip() if marker else text.strip()
    words = len(body.split())
    if starts_with_infinitive(body, language):
        return False
    if words <= 2 or (words <= max_words and body.isupper()):  # "KUMB.", "V. ZAJEDNIČKE ODREDBE"
        return True
    return words <= max_words and not _TERMINAL_RE.search(body)


def starts_with_infinitive(text: str, language: str | None) -> bool:
    """Does the line open with an infinitive/base verb (or, in Persian, a verbal noun)?"""
    groups = rule_language(language, text)
    stripped = text.strip().lstrip("\"'“”»«(")
    first = stripped.split(maxsplit=1)[0] if stripped else ""
    word = normalize(first).strip(".,:;")
    if not word:
        return False
    for group in groups:
        if group == "sv" and first[:1].isupper() and word not in _SV_NOT_INFINITIVE \
                and not _SV_DEFINITE_PLURAL.match(word) \
                and (word.endswith("a") or word in {"ge", "gå", "se", "bo", "ha", "nå", "stå", "tro", "dra"}):
            return True
        if group == "en" and word in _EN_ITEM_VERBS:
            return True
        if group == "hbs" and re.fullmatch(r"\w{3,}(ti|ći)", normalize(first, "hbs").strip(".,:;")) \
                and not re.search(r"(nosti|osti|sti)$", word):
            return True
        if group == "sw" and re.fullmatch(r"ku[a-z]{3,}", word) and word not in {"kusini", "kuhusu", "kutoka", "kuliko"}:
            return True
        if group == "fa" and _FA_ITEM_NOUNS.search(normalize(stripped, "fa")):
            return True
    return False


DEFAULT_CLASSIFIER = CommitmentClassifier()


def classify_commitment(sentence: str, language: str | None) -> bool:
    """True when `sentence` states a commitment (context-free: list-heading context needs
    `classify_units`). Never raises on text input; `language` may be any code or None."""
    try:
        return DEFAULT_CLASSIFIER.classify(sentence, language)
    except Exception:  # pragma: no cover - defensive: a classifier must not break ingestion
        logger.exception("commitment classification failed")
        return False


def classify_units(units: Sequence[Unit | str], language: str | None,
                   classifier: CommitmentClassifier | None = None) -> list[Decision]:
    """Decide a document's units in order (list items under a pledge heading count)."""
    return (classifier or DEFAULT_CLASSIFIER).classify_units(units, language)


