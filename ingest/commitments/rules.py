"""The commitment rules: each named, with its language group, kind and origin (see the package
docstring), and the tables that say how the classifier combines them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# -------------------------------------------------------------------------------------- rules

APRIORI = "a-priori"


@dataclass(frozen=True)
class Rule:
    """One named rule. `pattern` runs over `normalize(text, lang)`; `exclude` masks matches."""

    id: str
    lang: str  # a RULE_LANGUAGES group, or "*" for every language
    kind: str  # "cue" | "mask" | "agent" | "bind" | "heading" | "report" | "veto" | "context" | "decision" | "lead_in" | "examples"
    description: str
    origin: frozenset[str] = frozenset({APRIORI})
    pattern: re.Pattern[str] | None = None
    exclude: re.Pattern[str] | None = None
    binds: frozenset[str] = frozenset()  # ``bind`` rules: cue ids that then need an agent

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of `pattern` (used by ``mask`` rules)."""
        return [m.span() for m in self.pattern.finditer(text)] if self.pattern is not None else []

    def search(self, text: str, masked: Sequence[tuple[int, int]] = ()) -> re.Match[str] | None:
        """The first match of `pattern` that neither an `exclude` match nor a `masked` span overlaps."""
        if self.pattern is None:
            return None
        masked = list(masked) + ([m.span() for m in self.exclude.finditer(text)] if self.exclude else [])
        for match in self.pattern.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e in masked):
                return match
        return None


def _rule(id_: str, lang: str, kind: str, description: str, pattern: str | None = None,
          exclude: str | None = None, origin: Iterable[str] = (APRIORI,), binds: Iterable[str] = ()) -> Rule:
    return Rule(
        id=id_, lang=lang, kind=kind, description=description, origin=frozenset(origin),
        pattern=re.compile(pattern) if pattern else None,
        exclude=re.compile(exclude) if exclude else None,
        binds=frozenset(binds),
    )


D_SW, D_CNR, D_GOTLAND, D_FA, D_VARNAMO = (
    "000_281576f5e720134a", "001_a6815435d5072c96", "002_6654c4057f6be88f",
    "003_3629adb00e0c4f21", "004_66e64ba19e0754aa",
)
#: Origin of the rules written after reading the classifier's errors on NTREX-128's dev split
#: (news; ``benchmarks/commitments/ntrex_labels.jsonl``). The test split was never used for them.
NTREX_DEV = "ntrex-dev"
#: Origin of the rules written for issue 12 from the failures measured on 30 real pages of the
#: genre and from reading other such pages, and in session 7 on 32 more (no page text is kept);
#: no corpus document's labels.
GENRE_PAGES = "genre-pages"

#: Origin of the rules written in session 8 from the errors on the dev pool of the real pages
#: (`benchmarks/realpages/dev`); the sealed pool was not read for them.
REAL_PAGES_DEV = "realpages-dev"

#: Origin of the rules written in session 9 from the errors on all four real-page pools (`dev`, `dev2`,
#: `sealed`, `sealed2`, held out until session 8 and read since), and in session 10 from those on
#: `sealed3` and `sealed4` (held out in session 9; rules v19) and then on `sealed5` and `sealed6`
#: (held out until run once with v19; rules v20), in session 11 on `sealed7` and `sealed8` (held
#: out until run once with v20; rules v21), and in session 13 on `sealed9` … `sealed12` (held out
#: until run once with v21; rules v22: general forms, a future bound by its time, the reader
#: addressed, the progressive with a time ahead), and in session 15 on `sealed13` and `sealed14`
#: (held out until run with v22; rules v23: orders, conditions, stances, Persian plan idioms); the
#: pools written after them were not read.
REAL_PAGES_SEEN = "realpages-seen"
#: Those the public is called in Swahili news: citizens, parents, residents, owners, drivers …
_SW_PUBLIC = (r"(?:wananchi|wazazi|wakazi|wamiliki|madereva|jamii|watu|vijana|wanafunzi|walezi|waendesha\w*|"
              r"wafanyabiashara|wageni|waumini|abiria|wale\s+wote|watanzania)")

#: Version of the rules and of the extraction logic. It is part of `CommitmentExtractor.to_dict`,
#: which the ingestion signature includes, so a change re-extracts stored documents.
RULES_VERSION = "36"

#: Persian verbal nouns of planned actions, the first half of a compound verb (اجرا + می شود,
#: تأمین + می کند): with a present or future light verb they state what will be done.
_FA_ACTION = (
    r"(اجرا|اجرایی|عملیاتی|انجام|برگزار|آغاز|راه\s?اندازی|ایجاد|تشکیل|تقویت|گسترش|فعال|تجهیز|مجهز|نصب|توزیع|"
    r"برقرار|پیگیری|ارائه|مستقر|استقرار|تامین|اعزام|اعمال|پیاده|معرفی|درج|تعمیم|اختصاص|تخصیص|احداث|بازسازی|"
    r"بهسازی|ساماندهی|شناسایی|جمع\s?آوری|رسیدگی|تهیه|تدوین|ارسال|فراهم|اطلاع\s?رسانی|برخورد|اقدام|تمدید|"
    r"تعبیه|آموزش|پایش|تعیین|اهدا|تکمیل|طراحی|ابلاغ|اصلاح|دایر|برپا|(به\s?)?کار\s?گیری|بکارگیری|به\s?کار|پوشش)"
)

#: Swedish: a time still ahead, as it opens a clause or follows its verb ("i sommar", "under
#: hösten", "från och med januari", "efter årsskiftet", "nästa vecka", "den 20 december").
_SV_MONTH = r"(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december)"
_SV_TIME_AHEAD = (
    r"i\s+(sommar|höst|vinter|vår)|under\s+(sommaren|hösten|vintern|våren|sommarlovet|höstlovet|sportlovet|"
    r"jullovet|resten\s+av\s+året|kommande\s+\w+|nästa\s+\w+)|inför\s+(sommaren|hösten|vintern|våren|sommarlovet)|"
    r"(från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|från|efter|i\s+början\s+av|i\s+slutet\s+av|till)\s+(" + _SV_MONTH
    + r"|årsskiftet|nyår|sommaren|hösten|nästa\s+år)|(nästa|kommande)\s+(vecka|månad|år|läsår|termin)|"
    r"senare\s+i\s+(år|höst|vår|sommar|vinter)|inom\s+kort|den\s+\d{1,2}\s+" + _SV_MONTH
    + r"|inför\s+(årets|nästa|kommande)\s+(sommar|höst|vinter|vår|lov|sommarlov|höstlov)"
)
#: Present-tense verbs that state no action: auxiliaries, states, trends ("I sommar är …",
#: "… har polisen …", "kommer" as 'arrives').
_SV_NOT_PLAN_VERB = (r"(är|har|blir|kommer|kan|får|finns|ser|verkar|behöver|vill|bör|känner|tror|hoppas|vet|"
                     r"gäller|handlar|brukar|saknar|menar|tycker|anser|märker|upplever|beror|står|ligger|sker|uppger|säger|skriver|"
                     r"meddelar|rapporterar|berättar|konstaterar|bekräftar|svarar|återkommer)")
#: A word that may stand between a verb and its subject ("… anställer Skellefteå kommun"): not a
#: preposition, whose noun would be no subject ("ökar brotten mot kommunen").
_SV_NOT_PREPOSITION = r"(?!(i|på|av|för|till|med|mot|hos|från|om|enligt|inom|vid|under|bland|utan)\s)\S+\s+"
#: The subject of a Swedish plan: an organisation or 'vi' (compounds included: lokalpolisen,
#: socialförvaltningen, fritidsgården).
_SV_ACTOR = (r"\w*(polis(en|erna)?|kommun(en|erna)?|nämnd(en|erna)?|förvaltning(en|arna)?|styrelse(n|rna)?|"
             r"regionen|tjänst(en)?|bolag(et|en)?|skol(an|orna)|gård(en|arna)|vi)")

RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- English (no corpus doc)
    _rule("en.will", "en", "cue", "future/obligation modal will/shall (not 'be able', not the noun 'will')",
          r"\b(will|shall|won't|wo n't)\b",
          r"\b(political|free|good|ill|the|a|their|our|its|his|her|your|of)\s+will\b|\bwill\s+(not\s+)?be\s+able\b"),
    _rule("en.pledge_verb", "en", "cue", "commit/pledge/promise/undertake/agree/vow + to|that",
          r"\b(commit(s|ted)?|pledge[sd]?|pledging|promise[sd]?|promising|undert(ake[sn]?|ook)|agree[sd]?|vow(s|ed)?)\s+(themselves\s+|ourselves\s+|itself\s+)?(to|that)\b"),
    # 'must' is left out: on the real pages it states needs and opinions ('which must be addressed',
    # 'we must all play our roles'), never a judged commitment in sixteen pools (session 16)
    _rule("en.obligation", "en", "cue", "required / obliged / has to / responsible for / going to",
          r"\b((is|are)\s+(required|obliged|obligated|expected)\s+to|ha(s|ve)\s+to|(is|are)\s+responsible\s+for|(is|are)\s+going\s+to)\b"),
    _rule("en.plan", "en", "cue", "plans/intends to, aims to; commitment to (not the name of an 'action plan to …')",
          r"\b(plans?|planning|intends?|intending)\s+to\b|\bcommitment\s+to\s+\w+ing\b",
          r"\baction\s+plans?\s+to\b"),
    # priorities and focus areas name topics, not promises (session 9: their lists were judged so on
    # real pages); the interventions or measures of a bid or plan are what will be done
    _rule("en.heading", "en", "heading", "pledge heading words",
          r"\b(pledges?|promises?|commitments?|we will|will|action plan|actions|the following|agree(d)?|by)\b"
          r"|\b(interventions|measures|initiatives)\b"),
    # ---------------------------------------------------------------- Swedish
    _rule("sv.ska", "sv", "cue", "modal ska/skall (not 'ska kunna' = ability)",
          r"\b(ska|skall)\b", r"\b(ska|skall)\s+(\w+\s+)?kunna\b"),
    _rule("sv.kommer_att", "sv", "cue", "future 'kommer att' (not 'kommer att kunna')",
          r"\bkommer\s+att\b", r"\bkommer\s+att\s+kunna\b"),
    _rule("sv.pledge_verb", "sv", "cue", "lovar/lovat/lovade att, åtar sig, förbinder sig",
          r"\b(lovar|lovat|lovade|utlovar)\s+((?!inte\b|aldrig\b)\S+\s+){0,6}?(att|vi)\b|\båt(ar|og|agit)\s+(sig|oss)\b|\bförbinder\s+(sig|oss)\b"),
    _rule("sv.obligation", "sv", "cue", "måste, är skyldig(a) att, har i uppdrag att, ansvarar för att",
          r"\bmåste\b|\b(är|blir)\s+skyldiga?\s+att\b|\bhar\s+i\s+uppdrag\s+att\b|\bansvarar\s+för\s+att\b"),
    _rule("sv.plan", "sv", "cue", "planerar/avser/har för avsikt att",
          r"\b(planerar|avser|har\s+för\s+avsikt)\s+att\b"),
    _rule("sv.i_ar_present", "sv", "cue", "'i år' + present/passive action verb: this year's plan",
          r"\bi\s+år\s+(görs|genomförs|satsas|satsar|prioriteras|prioriterar|fokuserar|införs|startas|utökas|utvecklas)\b",
          origin=(D_GOTLAND,)),
    _rule("sv.kommande_ar_present", "sv", "cue", "'kommande år / nästa år' + present verb: future reference",
          r"\b(kommande|nästa)\s+år\s+(\w+\s+){0,2}?\w+(ar|er|as|rs)\b", origin=(D_VARNAMO,)),
    _rule("sv.pledge_content", "sv", "cue", "'[medborgar]löftet innebär att' / 'del i löftet är att'",
          r"\blöfte\w*\s+(\d{4}\s+)?(innebär|omfattar|går\s+ut\s+på)\b|\bdel\s+(i|av)\s+\w*löfte\w*\s+är\s+att\b",
          origin=(D_VARNAMO,)),
    _rule("sv.heading", "sv", "heading", "pledge heading words (löfte, åtagande, följande, handlingsplan …)",
          r"löfte|åtagande|följande|handlingsplan|åtgärder|insatser|prioritering|\bmål\b"),
    _rule("sv.heading_focus", "sv", "heading", "'fokusområden' as a pledge heading",
          r"fokusområde", origin=(D_VARNAMO,)),
    # ---------------------------------------------------------------- Swahili
    _rule("sw.future_ta", "sw", "cue", "future tense: subject prefix + -ta- + verb (not -weza 'can')",
          r"\b(ha)?(ni|u|a|tu|m|wa|i|zi|li|ya|ki|vi|pa|mu)ta[a-z]{2,}a\b",
          r"\b(ha)?(ni|u|a|tu|m|wa|i|zi|li|ya|ki|vi|pa|mu)ta(weza|wezesha|ka|ka[ao]\w*)\b"
          r"|\b(utawala|utata|mtaala|kitanda|kitambaa|kitaaluma|mtaa|kitabia)\b"),
    _rule("sw.not_future_adjective", "sw", "mask", "'kitaifa' (national) looks like a -ta- future verb",
          r"\b(kitaifa|kimataifa)\b", origin=(D_SW,)),
    _rule("sw.jitolea", "sw", "cue", "verbs -jitolea (pledge oneself; not the noun wajitolea 'volunteers') / -ahidi (promise; not ushahidi)",
          r"\b\w*(na|ta|me|li|ku|ki|ka)(jitole(a|wa)|ahidi)\b"),
    _rule("sw.commitment_noun", "sw", "cue", "dhamira/ahadi (ya/yetu …) ya + infinitive",
          r"\b(dhamira|ahadi)\b(\s+\w+){0,4}?\s+(ya|za|kwa)\s+ku\w+"),
    # No obligation cue: 'lazima' (it is necessary), '-paswa' (ought to) and 'wajibu wa' (the duty to)
    # state needs and exhortations in news ('vikundi vinapaswa kuwa na nia moja'), and no judged
    # commitment on any real page had one (sessions 15 and 16)
    _rule("sw.agreement_content", "sw", "cue", "makubaliano/mkataba/mpango + -na-bainisha/-eleza (the agreement sets out)",
          r"\b(makubaliano|mkataba|mpango)\b(\s+\w+){0,4}?\s+\w*na(bainisha|eleza|weka|ainisha|lenga)\b",
          origin=(D_SW,)),
    _rule("sw.heading", "sw", "heading", "pledge heading words",
          r"ahadi|dhamira|malengo|vipaumbele|mpango|makubaliano|mkataba|yafuatayo|zifuatazo|hatua|tutafanya|"
          r"\b\w{0,5}kubali(ana)?\b"),  # "Halmashauri inakubali:", "Pande zote zimekubaliana:" (agrees, have agreed)
    _rule("sw.heading_duty", "sw", "heading", "'wajibu/majukumu (wa/ya):' duties as a lead-in ('X itakuwa na wajibu wa:')",
          r"\b(wajibu|majukumu)\b", origin=(GENRE_PAGES,)),
    # ---------------------------------------------------------------- Bosnian/Croatian/Montenegrin/Serbian
    # 'treba' (should) alone states opinions and needs in news ('na čemu se posebno treba raditi'):
    # no judged commitment on a real page had it (session 16). A meeting's conclusion that work
    # should go on ('ocijenjeno … da se treba nastaviti') is a decision to continue.
    _rule("hbs.treba_continue", "hbs", "cue", "treba (da se) nastaviti: 'should continue'",
          r"\btreba(ju|mo|lo\s+bi)?\s+(da\s+se\s+)?nastav\w*"),
    _rule("hbs.mora", "hbs", "cue", "mora(ju/mo) + da/infinitive, moraće: 'must' (not the noun mora 'of the sea')",
          r"\bmora(ju|mo|te|š)?\s+(\w+\s+){0,2}?(da|biti|bit|\w+(ti|ći))\b|\bmora(ću|će|ćemo|ćete)\b"),
    _rule("hbs.obligation", "hbs", "cue", "dužan/dužni, obaveza/obavezuju se, zadužen",
          r"\bduž(an|na|ni|ne|no|nost\w*)\b|\bobavez(a|e|u|om|ama|an|ni|na|no|uje|uju|ujemo|ao|ala|ali)\b|\bzadužen[aoi]?\b"),
    _rule("hbs.future", "hbs", "cue", "future: će/ćemo/ću + infinitive, fused -ću/-će (not moći 'can')",
          r"\b(ne)?(ću|ćeš|će|ćemo|ćete)\b|\b\w{2,}[ai](ću|ćeš|će|ćemo|ćete)\b",
          r"\b(ne)?(ću|ćeš|će|ćemo|ćete)\s+(se\s+)?moći\b|\bmoći\s+(ne)?(ću|ćeš|će|ćemo|ćete)\b|\bmoć(i)?(ću|će|ćemo)\b"),
    _rule("hbs.plan", "hbs", "cue", "planira, u planu je, dogovoreno je, obavezali/saglasili su se",
          r"\bplanira(ju|mo|no|na|ni)?\b|\bu\s+planu\s+je\b|\bdogovoren[oaie]?\b|\bdogovorili\s+su\b|\b(saglasil|usaglasil|složil)[aio]?\s+su\s+se\b"),
    _rule("hbs.heading", "hbs", "heading", "pledge heading words",
          r"obavez|plan|aktivnost|mjer[ea]|\bmer[ea]\b|zaključ|prioritet|sljedeć|sledeć|dogovor|ciljev"),
    _rule("hbs.heading_future", "hbs", "heading",
          "a lead-in that ends in the bare future auxiliary ('JU Dom zdravlja će:'): its items carry the infinitives",
          r"\b(će|ćemo)\s*:$", origin=(GENRE_PAGES,)),
    # ---------------------------------------------------------------- Persian
    _rule("fa.future", "fa", "cue", "future auxiliary خواهد/خواهند/خواهیم (not می خواهد 'wants', not توانست)",
          r"(?<!\w)(ن)?خواه(د|ند|یم|م|ی|ید)(?!\w)",
          r"(?<!\w)می\s?(ن)?خواه(د|ند|یم|م|ی|ید)(?!\w)|خواه(د|ند|یم)\s+توانست"),
    _rule("fa.not_future_ability", "fa", "mask",
          "'قابل تمدید/اجرا خواهد بود' (will be extendable, feasible) states a possibility, like 'ska kunna'",
          r"(?<!\w)قابل\s+\S+(\s+\S+)?\s+(ن)?خواه(د|ند)\s+بود(?!\w)", origin=(GENRE_PAGES,)),
    _rule("fa.obligation", "fa", "cue", "باید/نباید/بایستی, موظف, ملزم, مکلف",
          r"(?<!\w)(ن)?(باید|بایستی|بایست)(?!\w)|موظف|ملزم|مکلف"),
    _rule("fa.not_obligation", "fa", "mask", "'باید گفت' (it must be said) and counterfactual 'باید … می شد' (should have)",
          r"باید\s+(گفت|اذعان\s+کرد|اعتراف\s+کرد)|باید[^.،؛]{0,60}?می\s?(شد|کرد|کردم|کردند|کردیم|بود)(?!\w)"),
    _rule("fa.commitment", "fa", "cue", "متعهد, تعهد + verb, قرار است/شده (is scheduled / decided)",
          r"متعهد|تعهد\s+(می|کرد|کرده|داد|داده)|(?<!\w)قرار\s+(است|شده|شد)\s+(که\s+)?\S+"),
    _rule("fa.plan_progressive", "fa", "cue", "plan noun … را اجرایی/اجرا/عملیاتی می کند (progressive as future)",
          r"(طرح|برنامه|پروژه)[^.؛:!?]{0,90}?(?<!\w)را\s+(اجرایی|اجرا|عملیاتی|پیاده\s?سازی|پیاده|آغاز|پیگیری)\s?(می|خواهد|خواهند)\s?(کند|کنند|نماید|نمایند|کرد|کردند)(?!\w)",
          origin=(D_FA,)),
    _rule("fa.plan_passive", "fa", "cue", "present passive of an implementation noun: بهره گیری/استفاده/اجرا … می شود",
          r"(بهره\s?گیری|بهره\s?برداری|استفاده|اجرا|پیگیری|ارائه|راه\s?اندازی|ایجاد|تشکیل)\s?می\s?(شود|شوند)(?!\w)",
          origin=(D_FA,)),
    _rule("fa.plan_partner", "fa", "cue", "partners in implementing the plan: همکار… در اجرای طرح/برنامه",
          r"(همکار|شریک)\S*(\s+\S+){0,2}\s+در\s+اجرای\s+(طرح|برنامه)", origin=(D_FA,)),
    _rule("fa.heading", "fa", "heading", "pledge heading words",
          r"تعهد|برنامه|طرح|اقدامات|محور|اولویت|موارد\s+(زیر|ذیل)|شرح\s+(زیر|ذیل)|اهداف|مصوبات|تصمیمات|وظایف|تکالیف"),
    # ---------------------------------------------------------------- agents
    # A bare future tense predicts as often as it promises ("rain will reach Arizona"). The
    # future-tense cues (see AGENT_BOUND_CUES) therefore count only when the unit names an agent
    # that can commit -- an organisation, "we", partners -- or the plan/pledge itself.
    _rule("en.agent", "en", "agent", "organisations, we/our, partners, plan/pledge nouns",
          r"\b(police|polic(e|ing)|councils?|authorit(y|ies)|municipalit(y|ies)|regions?|governments?|ministr(y|ies)|departments?|"
          r"agenc(y|ies)|offices?|commissioners?|forces?|services?|partners?|partnerships?|we|our|us|plan|pledge|agreement|"
          r"strategy|programme|program|scheme|project|phase|funding|officers|staff|teams?)\b"
          # an operation or a campaign is the force that runs it ("The operation will gather teams")
          r"|\b(operations?|campaigns?|crackdown|enforcement)\b"),
    _rule("sv.agent", "sv", "agent", "myndigheter, kommun, region, vi/vår, parterna, plan-/löftesord",
          r"\b(polis\w*|kommun\w*|region\w*|vi|oss|vår\w*|parter\w*|myndighet\w*|förvaltning\w*|socialtjänst\w*|"
          r"länsstyrels\w*|räddningstjänst\w*|\w*löfte\w*|\w*plan(en|er|erna)?|åtgärd\w*|insats\w*|samverkan|nämnd\w*|"
          r"styrelse\w*|regering\w*)\b"),
    _rule("sw.agent", "sw", "agent", "polisi, halmashauri, serikali, washirika, tu-/sisi, mpango/makubaliano",
          r"\b(polisi|halmashauri|serikali|wizara|ofisi|mamlaka|\w*shirika|ushirikiano|jeshi|kamishna|sisi|"
          r"tu(ta|na|me|li)\w{3,}|mpango|mipango|makubaliano|mkataba|ahadi|huduma|taasisi|kaunti|wilaya|manispaa)\b"),
    _rule("hbs.agent", "hbs", "agent", "policija, uprava, opština, centar, mi/naš, partneri, plan/program",
          r"\b(policij\w*|uprav\w*|opštin\w*|općin\w*|opstin\w*|cent(a)?r\w*|ministarstv\w*|vlad[aeiu]\w*|služb\w*|"
          r"ustanov\w*|institucij\w*|savjet\w*|sekretarijat\w*|mi|naš\w*|\w*ćemo|partner\w*|plan\w*|program\w*|"
          r"projek\w*|strategij\w*|sporazum\w*|mjesn\w*|grad\w*|škol\w*|mup\w*|cjb)\b"),
    _rule("fa.agent", "fa", "agent", "پلیس، شهرداری، وزارت، سازمان، ما، طرح/برنامه",
          r"پلیس|فراجا|ناجا|شهرداری|وزارت|سازمان|کلانتری|دولت|مجلس|نهاد|ستاد|(?<!\w)ما(?!\w)|خواهیم|طرح|برنامه|"
          r"پروژه|همکار|شورا|فرمانداری|استانداری|بسیج|نیروی انتظامی"),
    _rule("fa.agent_official", "fa", "agent",
          "offices and officials who announce a plan: اداره (کل), مدیرکل, رئیس, فرمانده, معاون, شهردار, هیئت, طرفین …",
          r"اداره|مدیر|(?<!\w)(رئیس|رییس|فرمانده|فرماندهی|معاون|معاونت|شهردار|استاندار|فرماندار|دادستان|دادستانی|هیئت|"
          r"انجمن|کمیته|مسئول|بهزیستی|اورژانس|آموزش\s+و\s+پرورش|دادگستری|طرفین|ماموران|افسران|کانون)",
          origin=(GENRE_PAGES,)),
    # ---------------------------------------------------------------- written from NTREX dev (news)
    # News uses obligation modals mostly for opinions ("X should …"), advice ("you must …") and
    # demands on someone else; like the future tense they count only with an agent.
    _rule("any.obligation_needs_agent", "*", "bind",
          "obligation modals (has to/måste/treba nastaviti/mora/باید) count only when the unit names an agent",
          origin=(NTREX_DEV,),
          binds=("en.obligation", "sv.obligation", "hbs.treba_continue", "hbs.mora", "fa.obligation")),
    _rule("en.not_obligation", "en", "mask", "'is expected to' is a forecast in news, not a duty",
          r"\b(is|are|was|were|be|been|being)\s+(widely\s+|also\s+)?expected\s+to\b", origin=(NTREX_DEV,)),
    _rule("en.pledge_verb_far", "en", "cue",
          "pledged/promised/vowed … (not) to + verb, words apart ('pledged in a meeting with Moon to dismantle')",
          r"\b(pledged|pledging|promised|promising|vowed|vowing|committed|undertook)\s+(\w+\s+){0,8}?(not\s+)?to\s+"
          r"(?!the\b|a\b|an\b|his\b|her\b|their\b)\w+", origin=(NTREX_DEV,)),
    _rule("en.agent_news", "en", "agent", "organisations as news names them: company, party, school, court, parliament, officials …",
          r"\b(company|companies|firm|supermarket|retailer|chain|airline|bank|group|school|schools|university|court|"
          r"parliament|assembly|congress|senate|committee|commission|party|administration|military|army|navy|"
          r"airport|legislation|law|rules|policy|union|association|organi[sz]ation|charity|trust|board|"
          r"pubs|bars|venues|licensees|businesses|officials?)\b",
          origin=(NTREX_DEV,)),
    _rule("sv.ska_hearsay", "sv", "mask", "'ska ha + supine' reports an allegation ('ska ha använt' = allegedly used)",
          r"\b(ska|skall)\s+(\w+\s+){0,2}?ha\s+\w+", origin=(NTREX_DEV,)),
    _rule("sv.promised", "sv", "cue", "lovade/lovat/svor/svurit (promised, swore) with any object; 'planer på att' (plans to)",
          r"\b(lovade|lovat|svor|svurit)\b|\bplaner(na)?\s+(på|om)\s+att\b", origin=(NTREX_DEV,)),
    _rule("sv.agent_news", "sv", "agent", "organisations as news names them: företag, parti, skola, domstol, riksdag …",
          r"\b(företag\w*|bolag\w*|parti\w*|skol(a|or|an|orna)|universitet\w*|domstol\w*|riksdag\w*|parlament\w*|"
          r"butik\w*|kedja\w*|flygplats\w*|lagstiftning\w*|lagen|regler(na)?|militär\w*|armé\w*|organisation\w*|"
          r"förbund\w*|kommitté\w*|kommission\w*)\b", origin=(NTREX_DEV,)),
    _rule("sw.intend", "sw", "cue", "-kusudia/-nuia (intend), mpango/mipango wa/ya + infinitive (a plan to …)",
          r"\b\w*(na|ta|me|li)(kusudia|nuia)\b|\b(mpango|mipango)\s+(\w+\s+){0,2}?(wa|ya)\s+ku\w+",
          origin=(NTREX_DEV,)),
    _rule("sw.agent_news", "sw", "agent", "organisations as news names them: kampuni, chama, shule, mahakama, bunge …",
          r"\b(kampuni|makampuni|chama|vyama|shule|chuo|vyuo|mahakama|bunge|baraza|duka|maduka|sheria|"
          r"uwanja\s+wa\s+ndege|kamati|tume|jumuiya|muungano)\b", origin=(NTREX_DEV,)),
    _rule("hbs.not_agent", "hbs", "mask", "look like agents but are not: centralni (≠ centar), planina, Vladimir, službeni",
          r"\b(centraln\w*|planin\w*|planet\w*|vladimir\w*|služben(a|e|i|o|oj|om|ih|im|u))\b", origin=(NTREX_DEV,)),
    _rule("hbs.pledge_verb", "hbs", "cue",
          "the verb obećati (promise; not the noun obećanje), zakleti se (swear), planovi da/za (plans to/for)",
          r"\bobeća(o|la|li|le|lo|va|vaju|vamo|ti)\b|\bzakle(o|la|li)\s+se\b|\bplanov(a|e|ima)\s+(da|za)\b",
          origin=(NTREX_DEV,)),
    _rule("hbs.agent_news", "hbs", "agent", "organisations as news names them: kompanija, stranka, sud, parlament …",
          r"\b(kompanij\w*|preduzeć\w*|poduzeć\w*|firm[aeiu]\w*|strank\w*|partij\w*|sud(a|u|om|ovi|ova)?|"
          r"parlament\w*|skupštin\w*|supermarket\w*|prodavnic\w*|trgovin\w*|lan(ac|ca|cu|cem)|aerodrom\w*|"
          r"zakon\w*|vojsk\w*|organizacij\w*|univerzitet\w*|sveučilišt\w*|komitet\w*|komisij\w*|odbor\w*)\b",
          origin=(NTREX_DEV,)),
    _rule("fa.pledge_verb", "fa", "cue", "قول/وعده داد (promised), قصد دارد (intends), برنامه ریزی می کند (plans)",
          r"(?<!\w)(قول|وعده)\s+(داد|داده|دادند|می\s?دهد|می\s?دهند)(?!\w)|(?<!\w)قصد\s+(دارد|دارند|داریم)(?!\w)"
          r"|برنامه\s?ریزی\s+(می\s?کند|می\s?کنند|کرده)(?!\w)", origin=(NTREX_DEV,)),
    _rule("fa.agent_news", "fa", "agent", "organisations as news names them: شرکت، حزب، مدرسه، دادگاه، پارلمان …",
          r"شرکت|حزب|مدرسه|مدارس|دانشگاه|دادگاه|پارلمان|کنگره|سنا(?!\w)|فروشگاه|سوپرمارکت|فرودگاه|قانون|ارتش|"
          r"کمیته|کمیسیون|اتحادیه", origin=(NTREX_DEV,)),
    # ---------------------------------------------------------------- written from real pages of the genre (issue 12)
    _rule("en.agent_speaker", "en", "agent", "the speaker of a plan: I/my ('I will …' in a commissioner's plan)",
          r"\b(i|my|me)\b", origin=(GENRE_PAGES,)),
    _rule("en.pledge_verb_adverb", "en", "cue", "commit/pledge/promise/agree + therefore/also/… + to|that",
          r"\b(commit(s|ted)?|pledge[sd]?|promise[sd]?|undertake[s]?|agree[sd]?|vow(s|ed)?)\s+"
          r"(therefore|also|further|now|hereby|jointly|fully|all)\s+(to|that)\b", origin=(GENRE_PAGES,)),
    _rule("sv.kommer_x_att", "sv", "cue",
          "future with words between auxiliary and 'att': 'kommer därför att', 'kommer polisen och kommunen att'",
          r"\bkommer\s+(?!fram\b|ihåg\b|överens\b|in\b|ut\b|till\b|tillbaka\b|från\b|att\b)([^\s,.;:!?]+\s+){1,6}?att\s+\w+"
          # a lead-in: "… kommer polisen i samverkan med kommunen fortsatt under 2023 att:"
          r"|\bkommer\s+(?!fram\b|ihåg\b|överens\b|in\b|ut\b|till\b|tillbaka\b|från\b|att\b)([^\s,.;:!?]+\s+){1,10}?att\s*:\s*$",
          origin=(GENRE_PAGES,)),
    _rule("sv.agent_speaker", "sv", "agent", "the speaker of a pledge: jag", r"\bjag\b", origin=(GENRE_PAGES,)),
    _rule("sw.resolve", "sw", "cue", "-azimia/-dhamiria (resolve, be determined), azimio la ku- (a resolution to), "
          "-jipanga (vyema) ku- (be prepared to: 'limejipanga kuimarisha')",
          r"\b\w*(na|ta|me|li|ku)(azimia|adhimia|dhamiria)\b|\bazimio\s+(la|letu|lao)\s+(\w+\s+){0,2}?ku\w+"
          r"|\b\w*(na|ta|me|li)jipanga\s+(\w+\s+){0,2}?ku\w+",
          origin=(GENRE_PAGES,)),
    _rule("sw.future_passive", "sw", "cue",
          "passive future of a planned action (itajengwa, zitatolewa) and -tafanyika (will take place)",
          r"\b(i|zi|u|ya|li|ki|vi|wa|a)ta[a-z]{2,}wa\b|\b(i|zi|u|ya|li|ki|vi)tafanyika\b",
          # -taka- + a relative marker (utakaotekelezwa 'which will be implemented') qualifies a noun
          r"\b\w*ta(kuwa|pewa)\b|\b\w*taka(o|yo|ye|zo|lo|cho|vyo|po|ko|mo)\w*", origin=(GENRE_PAGES,)),
    _rule("sw.prediction", "sw", "mask",
          "active future of a thing, not an agent (uhalifu utapungua, maendeleo yatapatikana): a prediction",
          r"\b(u|ya|zi|vi)ta(?![a-z]*wa\b|fanyika\b)[a-z]{2,}a\b", origin=(GENRE_PAGES,)),
    _rule("hbs.agent_council", "hbs", "agent", "vijeće/veće (council), vlasti (authorities), potpisnici/strane (signatories)",
          r"\b(vijeć\w*|već(e|a|u|em)|vlast(i|ima)|potpisni\w*|predstavni\w*|odjeljenj\w*|odeljenj\w*|"
          r"stran(e|a)\s+potpisnic\w*)\b", origin=(GENRE_PAGES,)),
    _rule("sw.agent_officers", "sw", "agent", "askari/maafisa (officers), walimu (teachers), viongozi (leaders), kikao",
          r"\b(askari|maafisa|afisa|walimu|mwalimu|viongozi|kiongozi|kikao|wazazi)\b", origin=(GENRE_PAGES,)),
    _rule("en.reported_would", "en", "cue", "minutes: 'agreed/confirmed/undertook that X would …'",
          r"\b(agreed|confirmed|undertook|stated|decided|resolved)\b[^.;]{0,120}?\bwould\b", origin=(GENRE_PAGES,)),
    _rule("en.said_would", "en", "cue", "news: 'X said (that) the council would …', bound to an agent as futures are",
          r"\b(said|announced|told\s+\w+)\b[^.;]{0,120}?\bwould\b"),
    _rule("en.action_item", "en", "cue", "minutes' action log: 'ACTION: Ms Grant to circulate …'",
          r"^\s*actions?\s*[:–-]\s*[^.;]{2,80}?\bto\s+(?!the\b|a\b|an\b)\w+"),
    _rule("en.heading_reported", "en", "heading",
          "minutes: a lead-in that reports what an officer stated/confirmed/announced ('She stated that:'), whose "
          "items say what 'would' be done",
          r"\b(stated|confirmed|announced|assured\s+\w+|undertook)\s+that\s*:?\s*$", origin=(GENRE_PAGES,)),
    _rule("en.agent_signatories", "en", "agent", "signatories, chief constable, committee, garda",
          r"\b(signator(y|ies)|chief\s+constable|committee|garda|constabulary)\b", origin=(GENRE_PAGES,)),
    _rule("hbs.conclusion", "hbs", "cue",
          "council conclusions: '(1.) Da se …', 'Zadužuje se …', 'Zaključeno je da se …', 'Nalaže se …'",
          r"^(\d{1,2}[.)]\s*|[-–•]\s*)?da\s+se\s+\w+|\bzaduž(uje|uju)\b|\bnalaže\s+se\b"
          r"|\bzaključ(eno|ili|io|ila|en[oa]?)\s+(je\s+|su\s+)?da\s+(se|će|ćemo|treba|bi)\b",
          origin=(GENRE_PAGES,)),
    _rule("fa.plan_present_passive", "fa", "cue",
          "present/future passive (شود/گردد) of a planned action: اجرا/برگزار/معرفی/نصب … می شود, "
          "تعمیم داده می شود, به اجرا گذاشته می شود, در اختیار … قرار می گیرد (is made available)",
          _FA_ACTION + r"\s?((داده|گذاشته|گرفته)\s+)?(می|خواهد)\s?(شود|شوند|گردد|گردند)(?!\w)"
          r"|به\s+اجرا\s+(گذاشته\s+)?(می\s?شود|در\s?می\s?آید|خواهد\s+آمد|خواهد\s+شد|می\s?گذار(د|ند)|خواهد\s+گذاشت)(?!\w)"
          r"|در\s+(اختیار|دسترس)\s+[^.؛:!?]{0,60}?قرار\s+(می\s?گیرد|می\s?گیرند|داده\s+می\s?شود|خواهد\s+گرفت)(?!\w)",
          origin=(GENRE_PAGES,)),
    _rule("fa.plan_present_active", "fa", "cue",
          "present tense of a planned action, which Persian uses for the near future: "
          "(شهرداری …) تأمین می کند, تشکیل می دهند, برگزار می کنیم",
          _FA_ACTION + r"\s?می\s?(کند|کنند|کنیم|نماید|نمایند|نماییم|دهد|دهند|دهیم)(?!\w)",
          # 'انجام می دهند' (they do), 'آموزش می دهند' (they teach) describe habits more often than plans
          r"(?<!\w)(انجام|آموزش)\s?می\s?\S+", origin=(GENRE_PAGES,)),
    _rule("fa.undertake", "fa", "cue",
          "takes on / is charged with: (بر/به) عهده می گیرد/گرفت/دارد, عهده دار … است/می شود",
          r"(?<!\w)(بر|به)\s?عهده\s+(می\s?گیرد|می\s?گیرند|خواهد\s+گرفت|خواهند\s+گرفت|گرفت|گرفتند|گرفته\s+است"
          r"|دارد|دارند|است|خواهد\s+بود)(?!\w)|(?<!\w)بر\s?عهده\s+[^.؛:!?]{0,60}?گذاشته\s+(شده|شد)(?!\w)|(?<!\w)عهده\s?دار\s+[^.؛:!?]{0,60}?(است|هستند|می\s?شود|می\s?شوند|خواهد\s+بود)(?!\w)",
          origin=(GENRE_PAGES,)),
    _rule("fa.decision", "fa", "cue",
          "meeting decisions: مقرر شد/گردید (it was decided), توافق کردند / به توافق رسیدند (agreed), "
          "تصمیم گرفته شد/گرفتیم (not one person's 'تصمیم گرفت'), تصویب شد / به تصویب رسید (approved)",
          r"(?<!\w)مقرر\s+(شد|گردید|گشت|است|شده|می\s?شود|می\s?گردد)(?!\w)"
          r"|(?<!\w)(توافق|موافقت)\s+(کردند|کرده\s?اند|می\s?کنند|نمودند|می\s?نمایند|شد|گردید|کرد|کردیم|می\s?کنیم)(?!\w)"
          r"|(?<!\w)به\s+توافق\s+(رسیدند|رسید|رسیده\s?اند|رسیدیم)(?!\w)"
          r"|(?<!\w)تصمیم\s+(گرفته\s+شد|گرفتیم)(?!\w)"
          r"|(?<!\w)(تصویب|مصوب)\s+(شد|گردید)(?!\w)|(?<!\w)به\s+تصویب\s+(رسید|رسیده\s+است)(?!\w)",
          origin=(GENRE_PAGES,)),
    _rule("fa.announced_plan", "fa", "cue",
          "a news lead that announces an action still to come: 'از اجرای/آغاز/نصب … خبر داد' with a time "
          "ahead (تا پایان, از ابتدای, آینده, به زودی, امسال)",
          r"^(?=.*?(تا\s+پایان|از\s+(ابتدای|اول)\s|آینده|به\s?زودی|امسال|سال\s+جاری|از\s+فردا))"
          r".*?(?<!\w)از\s+(اجرای|آغاز|راه\s?اندازی|برگزاری|ایجاد|تشکیل|نصب|احداث|استقرار|توزیع|تجهیز|اعزام|اختصاص)"
          r"(?!\w)[^.؛!?]{0,200}?خبر\s+(داد|دادند|می\s?دهد|می\s?دهند)(?!\w)", origin=(GENRE_PAGES,)),
    _rule("fa.intend", "fa", "cue", "در نظر دارد / برنامه دارد (intends, plans to); قول/وعده/اطمینان می دهیم (we promise/assure)",
          r"(?<!\w)در\s+نظر\s+(دارد|دارند|داریم)(?!\w)|(?<!\w)برنامه\s+(داریم|دارد|دارند)(?!\w)"
          r"|(?<!\w)(قول|وعده|اطمینان)\s+(می\s?دهیم|می\s?دهم|دادیم)(?!\w)", origin=(GENRE_PAGES,)),
    _rule("fa.prediction", "fa", "mask", "'کاهش/افزایش خواهد یافت' (will fall/rise), 'باعث … خواهد شد' (will cause) predict, they do not promise",
          r"(کاهش|افزایش|بهبود)\s+(خواهد|خواهند)\s+یافت"
          r"|(باعث|موجب|منجر\s+به)\s+[^.؛:!?]{0,80}?(خواهد|خواهند)\s+(شد|گردید)(?!\w)", origin=(GENRE_PAGES,)),
    _rule("sv.not_main_clause_ska", "sv", "mask",
          "'ska' in a purpose clause ('för att webbplatsen ska fungera'), an indirect question ('vilka "
          "tecken de ska …') or a stated aim ('målet är att tiden ska kortas') promises nothing itself",
          r"(?<!ansvarar )(?<!ansvara )(?<!ansvarat )(?<!ansvariga )(?<!ansvarig )\b(för|så)\s+att\s+[^,.;:!?]{0,80}?\b(ska|skall)\b"
          r"|\b(vilka|vilken|vilket|vad|hur)\s+(\w+\s+){0,3}?(ska|skall)\b"
          # what residents are asked to think the police should do ('vad du … tycker att polisen ska …')
          r"|\b(vilka|vilken|vilket|vad|hur)\s+(\w+\s+){0,5}?(tycker|tror|anser|vill)\s+(\w+\s+){0,6}?(ska|skall)\b"
          r"|\bmål(et|en)?\s+(är|var)\s+att\s+[^.;:!?]{0,100}?\b(ska|skall)\b", origin=(GENRE_PAGES,)),
    _rule("sv.expectation", "sv", "mask", "'vi räknar med / tror / hoppas att … kommer att', 'Polisens bedömning är att …' expects, it does not promise",
          r"\b(räknar\s+med|tror|hoppas|förväntar\s+(oss|sig)|bedömer|väntar\s+oss|bedömning(en)?\s+är)\s+att\s+[^.;:!?]{0,80}?\bkommer\s+att\b",
          origin=(GENRE_PAGES,)),
    _rule("hbs.expectation", "hbs", "mask", "'očekuje/vjeruje/nada se da će …' expects, it does not promise",
          r"\b(očekuj\w*|vjeruj\w*|veruj\w*|nada(m|mo|ju)?\s+se|nad(a|aj)\w*|smatra\w*|procjenjuj\w*|procenjuj\w*)"
          r"\s+(\w+\s+){0,2}?da\s+(će|ćemo|ću|bi)\b", origin=(GENRE_PAGES,)),
    _rule("hbs.not_obligation", "hbs", "mask",
          "the noun 'obaveze' as a topic ('prava i obaveze' rights and obligations) or disclaimed "
          "('ne stvara finansijske obaveze') is no duty, nor is an office ('vršilac dužnosti', acting)",
          r"\bprava\s+i\s+(obavez|dužnost)\w*|\b(obavez|dužnost)\w*\s+i\s+prava\b"
          r"|\bne\s+(stvara|stvaraju|predstavlja|nameće|proizvodi|podrazumijeva|podrazumeva)\s+(\w+\s+){0,2}?obavez\w*"
          # an office, not a duty: "vršilac dužnosti direktora" (acting director, v.d.), "razriješen
          # dužnosti" (dismissed), "stupio na dužnost" (took office)
          r"|\bvrši(lac|oca|ocu|ocem|telj\w*)\s+dužnosti\b|\b(razriješ|razrješ|razreš)\w*\s+(\w+\s+)?dužnosti\b"
          r"|\bstup\w*\s+na\s+dužnost\b",
          origin=(GENRE_PAGES,)),
    _rule("hbs.not_fused_future", "hbs", "mask",
          "a name in -ić after a preposition or a given name or title in the dative ('u Nikšiću', 'o Petroviću', "
          "'direktoru policije Vladimiru Rebiću') is no fused future ('uradiću')",
          r"\b(u|o|po|prema|ka|pri)\s+\w+iću\b|\b\w+u\s+\w+iću\b", origin=(GENRE_PAGES,)),
    # ---------------------------------------------------------------- written from the real pages' dev pool (session 8)
    _rule("sv.next_step", "sv", "cue", "'nästa steg är att …', 'nästa fas, som blir att …' (the next step is to)",
          r"\bnästa\s+(steg|fas)\b[^.;!?]{0,30}?\b(är|blir)\s+att\b", origin=(REAL_PAGES_DEV,)),
    _rule("sv.hope", "sv", "mask", "'hoppas/tror att …': a hope or a belief, not a pledge",
          r"\b(hoppas|tror)\s+(att\s+)?[^.;!?]{0,80}", origin=(REAL_PAGES_DEV,)),
    _rule("sv.vision", "sv", "mask", "'alla ska vara trygga', 'ingen ska behöva …': a vision for everyone, not a pledge",
          r"\b(alla|ingen|var\s?och\s?en)\s+ska\b", origin=(REAL_PAGES_DEV,)),
    _rule("en.tasked", "en", "cue", "a tasking in the passive: 'have been instructed / directed / tasked to'",
          r"\b((has|have|had|is|are)\s+(been\s+)?|being\s+)(instructed|directed|tasked|ordered|mandated)\s+to\b",
          origin=(REAL_PAGES_DEV,)),
    _rule("en.conditional", "en", "mask",
          "a sentence that opens with 'If'/'Unless' states a condition and what would follow from it ('If no "
          "changes are made, we will still be 164 officers short'), not a promise",
          r"^[\"“‘']?\s*(if|unless)\b[^.;!?]*", origin=(REAL_PAGES_SEEN,)),
    _rule("any.vague_resolve", "*", "mask",
          "stock phrases of resolve that name no action: 'will do everything in my power', 'will spare no "
          "effort', 'از هیچ تلاشی دریغ نخواهد کرد'",
          r"\b((will|shall)\s+)?(do|doing)\s+(everything|all|whatever)\s+(in|within)\s+(my|our|its|their|his|her)\s+power\b"
          r"|\b((will|shall)\s+)?spare\s+no\s+(effort|efforts|expense)\b"
          r"|از\s+هیچ\s+(تلاشی|کوششی|اقدامی)\s+(\S+\s+){0,6}?دریغ(\s+\S+){0,2}",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.stance", "en", "mask",
          "'is/was committed to …' describes a stance ('council was committed to working with residents'); "
          "'will help (to) …' claims a benefit of a thing ('The money will help to keep crime low'); neither names an action",
          r"\b(is|are|was|were|remains?|remained|am|be|been)\s+(\w+\s+)?committed\s+to\b"
          r"|(?<!\bwe\s)(?<!\bi\s)\bwill\s+(also\s+)?(help|go\s+a\s+long\s+way|facilitate|contribute)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.hope", "en", "mask", "'hopes / expects / believes that … will': a hope or a forecast, not a promise",
          r"\b(hopes?|hoped|hoping|expects?|expected|believes?|believed|trusts?|confident|optimistic)\s+(that\s+)?[^.;]{0,100}?\bwill\b",
          origin=(REAL_PAGES_DEV,)),
    _rule("en.evaluation", "en", "mask", "'will be transformational / vital / a success': a judgement of the future",
          r"\bwill\s+be\s+(\w+ly\s+)?(a\s+)?(transformational|transformative|significant|important|vital|crucial|"
          r"essential|huge|great|fantastic|welcome|beneficial|positive|successful|invaluable|success|game\s?changer)\b",
          origin=(REAL_PAGES_DEV,)),
    _rule("sw.wish", "sw", "mask", "'linawatakia … sikukuu njema' wishes, it does not promise (-takia, -tamani)",
          r"\b\w*(takia|tamani)\b", origin=(REAL_PAGES_DEV,)),
    _rule("sw.not_future_nationality", "sw", "mask", "'Watanzania' (Tanzanians) looks like a -ta- future verb",
          r"\b(wa|m)tanzania\b", origin=(REAL_PAGES_DEV,)),
    _rule("sw.agent_speaker", "sw", "agent", "the speaker of a pledge: ni-ta- (I will), mimi",
          r"\b(nita(?!kuwa)\w{3,}|mimi)\b", origin=(REAL_PAGES_DEV,)),
    _rule("hbs.adopted_conclusion", "hbs", "cue",
          "'usvojio je zaključak da …', 'zahtijeva od … da …' (a body adopts a conclusion, demands of another body)",
          r"\b(usvoj\w*|don(io|ijel\w*|el\w*|et\w*|ij\w*))\s+(je\s+|su\s+)?zaključ\w*\s+da\b"
          r"|\b(zahtijeva|zahteva|traži)\s+od\s+[^.;]{0,60}?\bda\b", origin=(REAL_PAGES_DEV,)),
    _rule("hbs.agent_team", "hbs", "agent", "a team ('tim koji/za', not the pronoun 'u tim zgradama'), komisija, forum, radna grupa",
          r"\btim\s+(koji|za)\b|\b(timovi|komisij\w*|forum\w*|radn\w+\s+grup\w*)\b", origin=(REAL_PAGES_DEV,)),
    _rule("hbs.relative_should", "hbs", "mask", "'smjernice koje treba preduzeti' describes guidance, it does not task",
          r"\bkoj\w*\s+(\w+\s+)?treba\b", origin=(REAL_PAGES_DEV,)),
    _rule("en.next_step", "en", "cue", "'the next step is to …'",
          r"\bnext\s+steps?\s+(is|are|will\s+be)\s+to\b", origin=(REAL_PAGES_DEV,)),
    _rule("sw.decided", "sw", "cue",
          "a body has decided to: 'limeamua/imeamua/kimeamua/tumeamua ku-' (not a-/wa-, people's decisions)",
          r"\b(li|i|tu|ki)(me|li|na)amua\s+(\w+\s+){0,2}?ku\w+", origin=(REAL_PAGES_DEV,)),
    _rule("sw.headline_promise", "sw", "cue", "a headline's -a- tense of -ahidi ('Jeshi la Polisi laahidi kulinda')",
          r"\b(a|wa|la|ya|za)ahidi\s+ku\w+", origin=(REAL_PAGES_DEV,)),
    _rule("sw.conditional", "sw", "mask", "a future inside an 'if' clause ('endapo litafanya kazi …') states a condition",
          r"\b(endapo|iwapo|ikiwa)\s+(\w+\s+){0,3}?\w*ta\w+", origin=(REAL_PAGES_DEV,)),
    _rule("hbs.provides_for", "hbs", "cue",
          "a plan or agreement that provides for an action: 'predviđa instaliranje', 'predviđeno je da'",
          r"\bpredviđ(a|aju|eno\s+je|eno)\s+(\w+\s+){0,2}?(da|\w+(anje|enje|jenje|ćanje))\b",
          r"\bpredviđ\w*\s+(\w+\s+){0,2}?da\s+(bi|će)\b", origin=(REAL_PAGES_DEV,)),
    _rule("hbs.conclusions_demand", "hbs", "cue", "'zaključci kojima se traži / nalaže …' (conclusions that demand)",
          r"\bzaključ\w*\s+(\w+\s+){0,2}?kojim\w*\s+se\s+(traži|nalaže|zadužuj\w*|obavezuj\w*)\b",
          origin=(REAL_PAGES_DEV,)),
    _rule("fa.announced_plan", "fa", "cue",
          "news: 'از اجرای/آغاز طرح … خبر داد' (announced that a plan is being carried out or started)",
          r"از\s+(اجرای|آغاز|راه\s?اندازی|برگزاری|تشکیل|ایجاد)\s[^.؛!?]{0,120}?خبر\s+(داد|داده|می\s?دهد)",
          # what started last year or some months ago is news of the past
          r"(?<!\w)(گذشته|پارسال|دیروز)(?!\w)|(?<!\w)(روز|هفته|ماه|سال)\s+(پیش|قبل)(?!\w)",
          origin=(REAL_PAGES_DEV,)),
    # ---------------------------------------------------------------- written in session 9 from all four real-page pools
    # (`dev`, `dev2`, `sealed`, `sealed2`, all read by then); the new sealed pools were not read for them
    _rule("hbs.future_bice", "hbs", "cue", "future of 'biti' fused as one word: 'biće angažovan', 'bićemo tu'",
          r"\bbi(ću|ćeš|će|ćemo|ćete)\b", r"\b(ljudsk|živ)\w*\s+biće\b", origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.announced", "hbs", "cue", "'najavio je održavanje …', 'najavljeno je da …' (announced what is coming)",
          r"\bnajavi(o|la|li|le)\s+(je|su)\b|\b(je|su)\s+najavi(o|la|li|le)\b|\bnajavljen[oaie]?\s+(je|su)\b"
          r"|\bnajavljuj\w*\b", origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.task_is", "hbs", "cue", "'zadatak vijeća do kraja godine je objediniti …' (a body's task is to)",
          r"\bzadat(ak|ci|ka)\s+(\S+\s+){0,8}?(je|su|će\s+biti)\s+(da\s|\w+ti\b)", origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.hope", "hbs", "mask", "'izrazili su nadu da će …', 'očekuju da će …': a hope or an expectation, not a promise",
          r"\b(nad(u|a)|nada(ju|mo|m)?\s+se|očekuj\w*|vjeruj\w*|veruj\w*)\s+(\S+\s+){0,2}?da\s+(\S+\s+){0,3}?(će|ćemo|biće)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.consider", "hbs", "mask", "'će razmotriti mogućnost', 'najavljeno je razmatranje': to consider promises nothing",
          r"(\bnajav\w*|\bće|\bćemo)\s+(\S+\s+){0,8}?(razmotr|razmatr)\w*", origin=(REAL_PAGES_SEEN,)),
    _rule("sv.decision_taken", "sv", "cue",
          "a decision to act: '(har) tagit/fattat beslutet att anställa', 'beslutet om att … togs', 'beslutades om en förlängning', "
          "'bestämdes att kommunen skulle gå vidare'",
          r"\b(tagit|tog|fattat|fattade|fattats|tagits)\s+(ett\s+|det\s+)?beslut(et)?\s+(om\s+)?att\b"
          r"|\bbeslut(et)?\s+om\s+att\s+[^.;!?]{0,120}?\b(togs|fattades)\b|\bbeslutades\s+(det\s+)?om\s+\w+"
          r"|\b(bestämdes|beslutades)\s+(det\s+)?att\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.tasked", "sv", "cue", "a tasking in the passive: 'föreningarna har tillfrågats / ombetts om att', 'har fått i uppdrag att', 'fått uppdraget att'",
          r"\b(har|hade|är|blir)\s+(\S+\s+)?(tillfrågats|tillfrågade|ombetts|ombedda|fått\s+i\s+uppdrag|uppdragits)\s+(om\s+)?att\b"
          # a subordinate clause drops "har": "eftersom förvaltningen fått uppdraget att upphandla"
          r"|\bfått\s+uppdraget\s+att\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.purpose", "sv", "mask",
          "what measures 'ska bidra till / ska ge effekt / ska ge förutsättningar', what 'ska ses som', 'det ska vara tryggt': purpose and vision",
          r"\bska\s+(på\s+\S+\s+\S+\s+)?(bidra\s+till|ge\s+effekt|ge\s+förutsättningar|ses\s+som)\b|\bdet\s+ska\s+vara\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.passive_promise", "en", "cue", "a promise in the passive or without 'to': 'have been promised', 'I pledge 450 officers'",
          r"\b(has|have|had)\s+been\s+(promised|pledged)\b|\b(i|we)\s+(hereby\s+)?(pledge|promise)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.scheduled", "en", "cue", "'is/are set to' (scheduled), bound to an agent or a passive as futures are",
          r"\b(is|are)\s+(now\s+)?set\s+to\b", origin=(REAL_PAGES_SEEN,)),
    _rule("sw.tasked", "sw", "cue",
          "a body is required to: 'vijiji vimetakiwa kuanzisha', 'kamati zimetakiwa ku-', 'mnatakiwa m-' (not citizens: see sw.urged)",
          r"\b\w*(me|na|li)takiwa\s+(ku\w+|m\w+e)\b", origin=(REAL_PAGES_SEEN,)),
    _rule("sw.urged", "sw", "mask",
          "'wananchi wametakiwa kutoa taarifa', 'watu wanapaswa kushiriki': citizens, parents, drivers are urged, nothing is promised",
          r"^\W*(\w+\s+)?(wananchi|wazazi|jamii|watu|wakazi|vijana|wanafunzi|madereva|waendesha\w*|abiria|walezi|mtoto|watoto)\b[^.;]{0,200}?(takiwa|paswa)\b"
          r"|\b(wananchi|wazazi|jamii|watu|wakazi|vijana|wanafunzi|madereva|waendesha\w*|abiria|walezi|mtoto|watoto)\s+(\w+\s+){0,3}?\w*(takiwa|paswa)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("fa.urged", "fa", "mask", "'خانواده ها باید …', 'شهروندان باید …': citizens, parents, drivers are urged, nothing is promised",
          r"(?<!\w)(خانواده|شهروند|مردم|والدین|رانندگان|راننده|دانش\s?آموز|مسافر|عابر|شهروندان)\S*\s+(\S+\s+){0,4}?(ن)?(باید|بایستی)(?!\w)",
          origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.urged", "hbs", "mask", "'građani treba da prijave', 'građani i policija moraju raditi zajedno': an appeal or an aim",
          r"\bgrađan\w*\b[^.;]{0,60}?\b(mora\w*|treba\w*)\b", origin=(REAL_PAGES_SEEN,)),
    # session 29, from the false positives of the learned decision on the Swahili and English dev pages:
    # the judges' rule that an exhortation to citizens promises nothing, held against the probe too
    _rule("sw.appeal", "sw", "veto",
          "an official's appeal to the public, opening the unit: 'aliwaasa wananchi …', 'amewataka wazazi …', "
          "'ametoa wito kwa wakazi …', 'wananchi wanashauriwa …' (a body tasked is no appeal: sw.asked_body)",
          r"^\W*(?:\S+\s+){0,12}?(?:(?:a|wa|li)(?:li|me|na)(?:wa)?(?:taka|sihi|asa|omba|shauri|hamasisha|"
          r"tahadharisha|onya|sisitiza|hasa|kumbusha)\s+(?:\w+\s+){0,2}?"
          r"|(?:a|wa|li)(?:li|me|na)toa\s+(?:wito|rai|tahadhari|ushauri)\s+kwa\s+(?:\w+\s+){0,2}?)" + _SW_PUBLIC + r"\b"
          r"|^\W*(?:\S+\s+){0,4}?" + _SW_PUBLIC + r"\s+(?:\w+\s+){0,3}?(?:wana|wame)(?:shauriwa|ombwa|himizwa)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.appeal", "en", "veto",
          "an appeal to the public, opening the unit: 'Sakaja urged parents to …', 'She called on residents to …'",
          r"^\W*(?:\S+\s+){0,12}?(?:urged|urges|urging|called\s+on|calls\s+on|appealed\s+to|appeals\s+to|"
          r"encouraged|encourages|advised|advises|reminded|reminds)\s+(?:the\s+|all\s+|local\s+)?"
          r"(?:public|residents|parents|people|"
          r"motorists|drivers|members\s+of\s+the\s+public|everyone|community|communities|citizens|shoppers|homeowners|"
          r"road\s+users|young\s+people|businesses)\b", origin=(REAL_PAGES_SEEN,)),
    _rule("fa.appeal", "fa", "veto", "an appeal to the public: 'وی از مردم خواست …', 'از شهروندان می خواهیم …'",
          r"(?<!\w)از\s+(?:\S+\s+){0,2}?(?:مردم|شهروندان|خانواده\s?ها|والدین|رانندگان|مسافران|هموطنان|اهالی)\s+"
          r"(?:\S+\s+){0,2}?(?:خواست|خواستار\s+شد|درخواست\s+کرد|تقاضا\s+کرد|می\s?خواه\S*)(?!\w)", origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.aim", "hbs", "mask", "'cilj vijeća je pružiti okvir koji će …': what a body is for, a general aim",
          r"\bcilj\w*\s+[^.;]{0,80}?\bje\s+[^.;]{0,160}", origin=(REAL_PAGES_SEEN,)),
    _rule("en.not_limited", "en", "mask", "legal boilerplate: 'will not be limited to', 'shall include but not be limited to'",
          r"\b((will|shall)\s+include\s*,?\s*but\s+((will|shall)\s+)?not|(will|shall)\s+not)\s+be\s+limited\s+to\b", origin=(REAL_PAGES_SEEN,)),
    _rule("fa.on_agenda", "fa", "cue", "'… را در دستور کار داریم / در دستور کار قرار دارد' (is on the agenda), "
          "'… پیش بینی شده است' (has been provided for, not 'predicted that')",
          r"در\s+دستور\s+کار\s+(\S+\s+){0,3}?(داریم|دارد|دارند|قرار\s+(دارد|دارند|می\s?گیرد|گرفت|گرفته|خواهد\s+گرفت)|است)(?!\w)"
          r"|پیش\s?بینی\s+(شده|گردیده)\s+(است|اند)(?!\w)(?!\s+که)",
          # "… در دستور کار قرار گرفت و در هشت ماه گذشته اجرایی شد": placed there and since done
          r"قرار\s+گرفت\s+و\s+[^.؛:!?]{0,60}?(شد|گردید)(?!\w)",
          origin=(REAL_PAGES_SEEN,)),
    # ---------------------------------------------------------------- written in session 10 from `sealed3` and `sealed4`
    # (held out in session 9, read since); `sealed5` and `sealed6` were not read for them
    _rule("sv.kommer_infinitive", "sv", "cue",
          "future 'kommer' with a bare infinitive, no 'att' ('extrabussar kommer sättas in', 'kommer också röra sig'), "
          "bound to an agent or a passive as 'kommer att' is",
          r"\bkommer\s+(också\s+|även\s+|dessutom\s+|sedan\s+)?(?!tillbaka\b|sedan\b|senare\b|snart\b|bara\b)\w{3,}(a|as)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.agent_guards", "sv", "agent", "ordningsvakter, väktare, fältassistenter, ungdomscoacher, nattvandrare: "
          "who a municipality sets in ('Ordningsvakter kommer att ha utökad rondering')",
          r"\b(ordningsvakt\w*|väktar\w*|väktare|fältassistent\w*|fältare\w*|ungdomscoach\w*|nattvandrar\w*)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.visible_patrols", "en", "cue",
          "what residents will see: 'people will see more patrols', 'residents can expect to see high-visible patrols'",
          r"\b(people|residents|the\s+public|communities|you|visitors)\s+(will|can\s+expect\s+to)\s+(also\s+)?(see|notice)\s+"
          r"[^.;]{0,60}?\b(patrols?|officers|police|presence|checks)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sw.ban", "sw", "cue", "a ban or an operation announced by an authority: 'limepiga marufuku', 'limetangaza operesheni ya ku-'",
          r"\b\w*(me|na|ta|li)piga\s+marufuku\b|\b\w*(me|na|ta|li)tangaza\s+(operesheni|oparesheni|msako|kampeni)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.ordered", "hbs", "cue", "a tasking in the passive: 'naloženo je da', 'obrazovnim ustanovama naloženo je'",
          r"\bnaložen[oa]\s+(je|im\s+je|mu\s+je|joj\s+je)\b|\b(je|su)\s+naložen[oa]?\b", origin=(REAL_PAGES_SEEN,)),
    _rule("sv.continues", "sv", "cue", "an actor goes on with its work: 'Polisen fortsätter arbetet mot …', 'kommunen fortsätter att …' "
          "(not 'bedrägerierna fortsätter öka')",
          r"\b" + _SV_ACTOR + r"\s+(också\s+|även\s+)?fortsätter\s+(att\s+\w+|arbetet|sitt|sina|sin|med)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.possessive_noun", "hbs", "mask", "after a possessive a word in -iće is a noun ('zaštitimo naše noniće'), not a fused future",
          r"\b(naš|vaš|svoj|moj|tvoj|njihov|njen|njegov)\w*\s+\w+(ću|će|ćemo|ćete)\b", origin=(REAL_PAGES_SEEN,)),
    _rule("sv.examples", "sv", "examples", "'Som exempel kan nämnas:', 'Bland annat:', 'Till exempel:'",
          r"^(som\s+exempel\s+kan\s+(nämnas|näm\w+)|bland\s+annat|till\s+exempel|exempelvis|exempel\s+på\s+\w+(\s+\w+)?\s+är)\s*:?$",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.examples", "en", "examples", "'For example:', 'These include:', 'Examples of the measures are:'",
          r"^(for\s+(example|instance)|these\s+include|they\s+include|among\s+them|examples?\s+(include|of\s+\w+(\s+\w+)?\s+(are|include)))\s*:?$",
          origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.examples", "hbs", "examples", "'Između ostalog:', 'Na primjer:'",
          r"^(na\s+prim(j)?er|između\s+ostalog|među\s+njima\s+su)\s*:?$", origin=(REAL_PAGES_SEEN,)),
    _rule("sw.examples", "sw", "examples", "'Kwa mfano:', 'Miongoni mwa hatua hizo ni:'",
          r"^(kwa\s+mfano|miongoni\s+mwa\s+\w+(\s+\w+)?\s+ni)\s*:?$", origin=(REAL_PAGES_SEEN,)),
    _rule("fa.examples", "fa", "examples", "'از جمله:', 'به عنوان مثال:'",
          r"^(از\s+جمله(\s+\S+)?(\s+عبارتند\s+از)?|به\s+عنوان\s+مثال|برای\s+مثال)\s*:?$", origin=(REAL_PAGES_SEEN,)),
    _rule("ctx.examples_lead_in", "*", "context",
          "an examples lead-in ('Som exempel kan nämnas:') right after a sentence that names measures ahead ('Inför årets "
          "sommar har kommunen identifierat flera insatser som …') opens a list of those measures: its items are pledged",
          origin=(REAL_PAGES_SEEN,)),
    _rule("fa.future_passive_action", "fa", "cue",
          "the passive future of a planned action, no agent needed: '… راه اندازی خواهد شد', 'برخورد قضایی خواهد شد'",
          r"(راه\s?اندازی|ایجاد|اجرا|تشکیل|برخورد|نصب|احداث|برگزار|تجهیز|افتتاح|تامین|تأمین)(\s+\S+)?\s+(ن)?خواهد\s+شد(?!\w)",
          origin=(REAL_PAGES_SEEN,)),
    # ---------------------------------------------------------------- written in session 10 from `sealed5` and `sealed6`
    # (held out until run once with rules v19, read since); `sealed7` and `sealed8` were not read for them
    _rule("sv.kommer_passive", "sv", "cue",
          "'kommer' … a passive infinitive, 'att' or not: 'Varje år kommer minst en tillsyn … göras', "
          "'kommer ANDTS-information (alkohol, …) att ges'",
          # the passives of what pledges do, not every -as verb: "färdas", "hoppas", "väntas" are no passives
          r"\bkommer\s+(?!fram\b|ihåg\b|överens\b|in\b|ut\b|till\b|tillbaka\b|från\b|att\b)(\S+\s+){1,14}?(att\s+)?"
          r"(göras|genomföras|ges|erbjudas|införas|anordnas|ordnas|utföras|utökas|förstärkas|sättas|hållas|startas|"
          r"inrättas|anställas|installeras|satsas|skapas|byggas|placeras|delas\s+ut|följas\s+upp)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.chosen", "sv", "cue", "a choice made: 'har valt att skapa ett medborgarlöfte' (not a relative clause: 'vilka problem parterna har valt')",
          r"\b(har|hade)\s+(\w+\s+)?valt\s+att\s+\w+", r"\b(vilka|vilken|vilket|som|vad)\s+(\S+\s+){0,3}?(har|hade)\s+(\w+\s+)?valt\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.wish_or_law", "sv", "mask",
          "'vi vill att människor ska …' (a wish), 'enligt alkohollagen ska kommunen …', 'krav på att … ska' (what a law requires)",
          r"\bvill\s+att\s+[^.;]{0,60}?\bska\b|\benligt\s+\w*lag(en|ar|arna)?\b[^.;]{0,40}?\bska\b"
          r"|\bkrav\s+på\s+att\b[^.;]{0,80}?\bska\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.tasked_active", "en", "cue", "a tasking: 'has instructed the sub-county committees to hold …', 'I have ordered the administrators to …', "
          "'has ordered closure of all bars …'",
          r"\b(has|have|had)\s+(\w+\s+)?(instructed|directed|ordered|tasked)\s+(\S+\s+){1,9}?to\s+(?!the\b|a\b|an\b|be\b)\w+"
          r"|\b(has|have|had)\s+(\w+\s+)?ordered\s+(the\s+)?(immediate\s+)?(closure|closing|ban|banning|removal|demolition|suspension|eviction|arrest)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sw.ordered", "sw", "cue", "an official's order: 'ameagiza kuundwa kwa kamati', 'ametoa maelekezo kwa …' (not to citizens)",
          r"\b\w*(me|li|na)agiza\b|\bna\s+kuagiza\b|\b\w*(me|li|na)toa\s+(maagizo|maelekezo|agizo)\b",
          r"\b\w*agiza\s+(wananchi|wazazi|jamii|watu|wakazi|madereva|vijana|wanafunzi)\b",
          origin=(REAL_PAGES_SEEN,)),
    # (not every verb before "će se": "proširit će se", "nastavit će se" are reflexive, and predict)
    _rule("hbs.work_will_be_done", "hbs", "cue", "'radit će se na …' (work will be done on): an impersonal passive future",
          r"\b(radit|raditi|radiće)\s+(će\s+)?se\s+na\b", origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.begins", "hbs", "cue", "'Danas počinje realizacija projekta' (the carrying out begins)",
          r"\b(počinje|počinju|startuje|kreće)\s+(\w+\s+)?(realizacij|primjen|primen|provođen|sprovođen|implementacij)\w*",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.study_answers", "sv", "mask", "'Utredningen ska ge svar på om …': what a study, report or analysis is to find out",
          r"\b(utredningen|studien|rapporten|analysen|kartläggningen|undersökningen)\s+(\w+\s+){0,2}?ska\b", origin=(REAL_PAGES_SEEN,)),
    # ---------------------------------------------------------------- written in session 11 from `sealed7` and `sealed8`
    # (held out until run once with rules v20, read since); `sealed9` and `sealed10` were not read for them
    _rule("en.not_duty_of_public", "en", "mask",
          "'residents have to close early', 'the victim that has to move': what people suffer, not what anyone promises",
          r"\b(residents|people|victims?|survivors?|women|children|families|businesses)\s+(\w+\s+){0,2}?(have|has|had)\s+to\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.would_welcome", "en", "mask", "'would welcome / would like': a wish reported in minutes, not an undertaking",
          r"\bwould\s+(welcome|like|love|be\s+(happy|glad|pleased|keen))\b", origin=(REAL_PAGES_SEEN,)),
    _rule("en.ban", "en", "cue", "a ban or curfew imposed by an authority: 'police have banned operators from …', 'imposed a curfew'",
          r"\b(has|have|had)\s+(\w+\s+)?banned\b|\b(imposed|announced|introduced)\s+an?\s+(\w+\s+)?(ban|curfew)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.resolved", "en", "cue", "a body's resolution: 'the Committee resolved to make a recommendation', 'decided to install'",
          r"\b(resolved|decided)\s+(unanimously\s+)?to\s+(?!the\b|a\b|an\b)\w+", origin=(REAL_PAGES_SEEN,)),
    _rule("sw.asked_body", "sw", "cue",
          "an official asks a body or its leaders to act: 'amelitaka Jeshi la Polisi … kuhakikisha', 'amezitaka halmashauri kuweka', 'Sajenti … aliwataka viongozi hao kufuatilia' (not citizens, see sw.urged, nor leaders a lecturer advises)",
          r"\b(a|wa|li|i)(me|li|na)(li|wa|zi|ki|i|ya|m)taka\s+(jeshi|polisi|askari|maafisa|kamati|halmashauri|idara|taasisi|vyombo)\b"
          r"[^.;]{0,120}?\bku\w+"
          # leaders, when an officer or official asks them (a lecturer who advises them does not task them)
          r"|\b(sajenti|koplo|inspekta|kamanda|mkuu|afisa|ofisa|mkurugenzi|diwani|mwenyekiti)\b[^.;]{0,80}?"
          r"\b(a|wa)(me|li|na)wataka\s+viongozi\b[^.;]{0,120}?\bku\w+",
          origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.accepted_proposal", "hbs", "cue",
          "a body accepts a proposal that something be done: 'prihvaćen je prijedlog PU da se ponovo tiska letak'",
          r"\b(prihvać\w*|prihvat\w*|usvoj\w*)\s+(je\s+|su\s+)?(i\s+)?(prijedlog|predlog|inicijativ)\w*\s+[^.;]{0,100}?\bda\s+(se|će)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.conclusion_is", "hbs", "cue", "'Zaključak sastanka je da … treba nastaviti' (the meeting's conclusion)",
          r"\bzaključak\s+(\w+\s+){0,2}?(je|bio\s+je)\s+da\b", origin=(REAL_PAGES_SEEN,)),
    _rule("sv.pledge_described", "sv", "mask",
          "'åtgärder som polisen och kommunen lovar att genomföra', 'Fokus … kommer att ligga på': describes a pledge, promises nothing",
          r"\bsom\s+(\S+\s+){1,5}?lovar\s+att\s+(genomföra|göra|arbeta\s+med)\s*[.]?$|\bfokus\w*\b[^.;!?]{0,60}?\b(kommer\s+att|ska)\s+ligga\b"
          # 'Medborgarlöftet beskriver de åtaganden som … ska fokusera på' (session 16)
          r"|\b(beskriver|innehåller|redovisar|anger|sammanfattar)\s+(\w+\s+){0,2}?(åtaganden|åtgärder|insatser|aktiviteter|löften)\s+som\s+[^.;:!?]{0,80}?\b(ska|skall|kommer\s+att)\b",
          origin=(REAL_PAGES_SEEN,)),
    # ---------------------------------------------------------------- Swedish protocols, pledge lists and news plans
    # Written from Swedish administrative usage and from reading real protocols, medborgarlöften
    # and municipal news pages (no page text is kept).
    _rule("sv.decision_lead_in", "sv", "decision",
          "a protocol's decision lead-in, with or without a colon ('Beslut', 'Rådet beslutar', 'Följande "
          "beslutades:', '§ 5 Trygghetsvandringar – beslut'): its items are 'att'-clauses (`DECISION_CLAUSE`)",
          r"^(§\s*\d+\b.*\s)?(\S+\s+){0,2}?(beslut|beslutar|beslutade|beslöt|beslutades)\s*:?$"
          r"|^följande\s+(beslutades|beslutas)\s*:?$",
          r"\b(förslag\s+till\s+beslut|beslutsförslag|beslutsunderlag)\b", origin=(GENRE_PAGES,)),
    _rule("sv.decision", "sv", "cue",
          "an inline decision whose 'att'-clause names its actor in the present tense ('Rådet beslutade att "
          "kommunpolisen bjuder in …') or gives an assignment ('beslutar att uppdra åt / ge X i uppdrag att')",
          r"\bbeslut(ar|ade|at|öt)\s+(därför\s+|också\s+|även\s+|vidare\s+)?att\s+((\S+\s+)?"
          r"\w*(polis\w*|kommun(en|erna)|nämnd(en|erna)|förvaltning(en|arna)|styrelse[nr]?|tjänst(en)|grupp(en|erna)|"
          r"bolag(et|en)|samordnar(en|na)|sekreterar(en|na)|assistent(erna|en)|handläggar(en|na)|region(en)?|skol(an|orna)"
          r"|rådet)\s+(\w+\s+){0,3}?\w+(ar|er|ör|år|ger|ter|r)\b|(ge|uppdra)\s+(åt\s+)?\S+)",
          origin=(GENRE_PAGES,)),
    _rule("sv.pledge_lead_in", "sv", "lead_in",
          "a lead-in that says what an actor will do, with or without a colon: 'Polisens löften', 'Kommunens "
          "åtaganden', 'Detta gör polisen', 'Gemensamt ska vi', 'Polisen åtar sig att', 'Vi lovar att': its items "
          "are pledged",
          r"^(\S+\s+){0,2}?\w+s\s+(löften|åtaganden)\s*:?$"
          r"|^(detta|det\s+här|så\s+här)\s+(gör|lovar|ska)\s+(\S+\s+){0,5}?\S+\s*:?$"
          r"|^(gemensamt|tillsammans)\s+(ska|lovar|gör)\s+vi\s*:?$"
          r"|^(\S+\s+){0,3}?(åtar\s+(sig|vi\s+oss|oss)|lovar|förbinder\s+(sig|oss))\s+(\S+\s+)?att\s*:?$"
          # 'Kommunen genomför följande aktiviteter under 2020:' (session 16)
          r"|^(\S+\s+){0,3}?(genomför|gör|utför)\s+följande\s+(aktiviteter|åtgärder|insatser)\b[^:]{0,40}:?$",
          origin=(GENRE_PAGES,)),
    _rule("sv.plan_time_ahead", "sv", "cue",
          "present tense with a time ahead: a plan ('I sommar anställer kommunen …', 'Under hösten inför polisen …', "
          "'Från och med januari öppnar kommunen …', 'Kommunen öppnar i höst …'); not 'brukar', 'förväntas', "
          "reported speech or a past tense",
          # the whole unit is read: a habit, forecast or quotation tag anywhere in it rules the plan out
          r"^(?!.*\b(brukar|förväntas|väntas|beräknas|troligen|sade|sa|berättade|berättar|uppgav|varje|varenda|alltid)\b)"
          r"(?:(" + _SV_TIME_AHEAD + r")\s+(?!" + _SV_NOT_PLAN_VERB + r"\b)\w{2,}(ar|er|ör|år|ger|ter|r)\s+("
          + _SV_NOT_PREPOSITION + r")?" + _SV_ACTOR + r"\b"
          r"|(" + _SV_NOT_PREPOSITION + r")?" + _SV_ACTOR + r"\s+(?!" + _SV_NOT_PLAN_VERB + r"\b)\w{2,}(ar|er|ör|år|ger|ter|r)\s+"
          r"(\S+\s+){0,3}?(" + _SV_TIME_AHEAD + r")\b)",
          origin=(GENRE_PAGES,)),
    # ---------------------------------------------------------------- session 13, from sealed9-sealed12
    _rule("any.time_bound_future", "*", "context",
          "a future tense whose unit names no agent still states a plan when it names a time ahead ('The "
          "commissioning of the cameras will begin in late December', 'Deset policajaca bit će odabrano 17 "
          "ožujka'); not when negated, existential ('there will be people … this summer'), about the weather "
          "or 'will be' with a state ('Crime will be lower next year')",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.progressive_ahead", "en", "cue",
          "the present progressive with a time ahead is a future arrangement ('is being launched in Dereham "
          "tomorrow', 'We are opening a hub next month'); without one it reports what goes on ('Police are "
          "investigating')", r"\b(is|are|am)\s+(now\s+|also\s+)?(being\s+\w{3,}(ed|en|t)|(?!(ongoing|going)\b)\w{3,}ing)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.tasked_past", "en", "cue",
          "an official's order in the simple past: 'the Commissioner directed security agencies to deal with …' "
          "(the perfect is `en.tasked_active`)",
          r"\b(directed|ordered|instructed|tasked|mandated)\s+(\S+\s+){1,9}?to\s+(?!the\b|a\b|an\b|be\b)\w+",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.second_person", "sv", "mask",
          "'du/ni ska' addresses the reader: advice ('Du ska alltid ringa 112', 'om du ska köpa något'), not a "
          "commitment", r"\b(du|ni)\s+(ska|skall|måste|kommer\s+att)\b|\b(ska|skall|måste)\s+(du|ni)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.reminded_rule", "sv", "mask",
          "'påminde/påpekade/informerade om att … ska' reports a rule that applies, not what the speaker will do",
          r"\b(påminde|påminner|påpekade|påpekar|informerade|informerar|upplyste|upplyser)\s+(\w+\s+)?om\s+att\s+"
          r"[^.;:!?]{0,100}?\b(ska|skall)\b", origin=(GENRE_PAGES,)),
    _rule("ctx.decision_clauses", "*", "context",
          "under a decision lead-in ('Rådet beslutar', 'Beslut:') an 'att'-clause that names its actor ('att "
          "polisen under hösten genomför …,') is that actor's commitment; one without an actor ('att lägga "
          "informationen till handlingarna') is not", origin=(GENRE_PAGES,)),
    _rule("ctx.lead_in_without_colon", "*", "context",
          "a lead-in line without a colon ('Rådet beslutar', 'Polisens löften') opens its list when the next "
          "line is an item of one (a marker, an 'att'-clause, an infinitive)", origin=(GENRE_PAGES,)),
    # ---------------------------------------------------------------- reporting lead-ins
    # Minutes list what was reported ("The following points were highlighted:", "The Panel noted:");
    # an item in the past tense under such a lead-in states a fact (see `PAST_TENSE`).
    _rule("en.report", "en", "report", "a lead-in that reports: noted, highlighted, reported, raised, explained …",
          r"\b(noted|highlighted|reported|raised|discussed|presented|mentioned|observed|heard|explained|asked|informed|"
          r"told|updated)\b", origin=(GENRE_PAGES,)),
    _rule("sv.report", "sv", "report", "noterades, rapporterades, redovisades, framkom, informerade, konstaterade …",
          r"\b(noterade\w*|rapportera\w*|redovisa(de|des)|framkom|framfördes|diskuterades|informera(de|des)|"
          r"berättade|konstatera(de|des)|lyftes)\b", origin=(GENRE_PAGES,)),
    _rule("hbs.report", "hbs", "report", "konstatovano je, istaknuto je, navedeno je, informisao je, izvijestio je …",
          r"\b(konstatova\w*|istaknut\w*|istak(ao|la|li)|naglašen\w*|navedeno|nave(o|la|li)|saopšten\w*|"
          r"informisa(o|la|li)|izvijesti(o|la|li)|izvesti(o|la|li)|ukaza(o|la|li)|rečeno)\b", origin=(GENRE_PAGES,)),
    _rule("sw.report", "sw", "report", "ilielezwa, ilibainishwa, iliripotiwa, walieleza, alibainisha …",
          r"\b\w*(li|me)(elezwa|eleza|bainisha|bainishwa|ripoti|ripotiwa|jadiliwa|arifu|arifiwa|tajwa)\b",
          origin=(GENRE_PAGES,)),
    _rule("ctx.reported_past", "*", "context",
          "under a lead-in that reports, an item in the past tense ('- thefts had fallen', '- the team had dealt "
          "with') states a fact, not a commitment, unless a cue of its own promises", origin=(GENRE_PAGES,)),
    # ---------------------------------------------------------------- every language
    _rule("any.question", "*", "veto", "a question is not a commitment", r"[?؟]\s*[\"”’»]?$"),
    _rule("any.party", "*", "veto",
          "an agreement's party clause ('1. Opštine Budva, koju zastupa …', 'represented by', 'hereinafter', "
          "'به نمایندگی … از این پس') names a signatory, it promises nothing",
          r"\b(koj[aeiu]|koga|kojeg)\s+zastupa(ju)?\b|\bu\s+daljem\s+tekstu\b|\brepresented\s+by\b|\bhereinafter\b"
          r"|\bföreträdd[a]?\s+av\b|\bnedan\s+kallad\b|\b(inayowakilishwa|anayewakilishwa|ikiwakilishwa)\b"
          r"|(?<!\w)به\s+نمایندگی(?!\w)[^.؛]{0,120}?از\s+این\s+پس", origin=(GENRE_PAGES,)),
    _rule("any.site_chrome", "*", "veto",
          "a web page's cookie notice ('Ova stranica koristi kolačiće …', 'Vi använder kakor …', 'این سایت از "
          "کوکی …') is site chrome: its future tense ('kolačiće' even reads as a fused future) promises nothing",
          r"\b(cookies?|kolačić\w*|kolacic\w*|vidakuzi)\b|کوکی"
          r"|\b(använder|används|godkänn\w*|webbplats\w*)\b[^.!?]{0,60}?\bkakor\b|\bkakor\b[^.!?]{0,40}?\b(används|godkänn\w*)\b",
          origin=(GENRE_PAGES,)),
    _rule("any.agent_before_cue", "*", "context",
          "in en/sv/hbs a future cue needs its agent before it (the subject) or a passive after it: "
          "'crime will fall, police say' predicts", origin=(GENRE_PAGES,)),
    _rule("ctx.marked_items", "*", "context",
          "numbered/dashed/bulleted list items under a pledge heading are pledged"),
    _rule("ctx.infinitive_items", "*", "context",
          "unmarked lines that open with an infinitive ('Genomföra …', 'Nastaviti …', 'Kuimarisha …') "
          "under a pledge heading are pledged", origin=(D_VARNAMO,)),
    _rule("ctx.plain_items", "*", "context",
          "once such a list runs, its other unmarked lines count too ('Utefter … genomför kommunen …')",
          origin=(D_VARNAMO,)),
    _rule("ctx.actor_lead_in", "*", "context",
          "a lead-in line that only names an organisation ('Shiraz Municipality:', 'فرماندهی انتظامی شهرستان:') "
          "opens a list whose items count when they complete it as a plan does: a Persian present tense, a "
          "BCMS infinitive, a sw/sv/en infinitive first; participants, addresses and figures do not",
          origin=(GENRE_PAGES,)),
    _rule("ctx.subheading", "*", "context",
          "a heading ending in ':' inside an open pledge list starts a sub-list (e.g. 'Fyra fokusområden:')",
          origin=(D_VARNAMO,)),
    # ---------------------------------------------------------------- written in session 16 from `sealed15` and `sealed16`
    # (held out in session 15, read since); `sealed17` and `sealed18` were not read for them.
    # A lead-in in the past tense that announces "the following" lists what was done or said
    # ("Discussion … included the following:", "… har polisen och kommunen genomfört följande
    # aktiviteter:"), as a follow-up report or minutes do.
    _rule("en.report_following", "en", "report", "a past verb announcing 'the following' ('included the following:')",
          r"\b(\w{3,}ed|had|was|were|did|went|took)\s+(\w+\s+){0,3}?the\s+following\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.report_following", "sv", "report", "a past or perfect verb announcing 'följande' ('har … genomfört följande')",
          r"\bhar\s+(\w+\s+){0,5}?\w{2,}t\s+följande\b|\b\w{3,}(ade|des|dde)\s+följande\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("any.hedged_future", "*", "mask",
          "a future hedged with 'probably' ('pa ćemo vjerojatno morati i mi', 'will probably be') predicts, it does not promise",
          r"(\S+\s+){0,2}(probably|likely|troligen|förmodligen|sannolikt|vjerojatno|vjerovatno|verovatno|pengine|huenda|"
          r"احتمالا|احتمالاً)(\s+\S+){0,2}",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.appeal_progressive", "en", "mask",
          "a progressive of appeal or warning ('local councils are highlighting …', 'police are urging residents …') "
          "exhorts, even with a time ahead",
          r"\b(is|are|am)\s+(now\s+|also\s+)?(highlighting|urging|reminding|warning|advising|encouraging|asking|appealing|calling)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("fa.conditional", "fa", "mask",
          "a future after 'در صورت' (in case of: 'در صورت تکرار به مراجع قضایی معرفی خواهند شد') states a condition",
          r"در\s+صورت\s+[^.؛:!?]{0,80}?(خواهد|خواهند)\s+\S+",
          origin=(REAL_PAGES_SEEN,)),
    _rule("fa.priority_on_agenda", "fa", "mask",
          "'به عنوان یکی از اولویت‌ها در دستور کار قرار گرفته' names a priority, as focus areas do, not an action",
          r"(به\s?عنوان|بعنوان)\s+(یکی\s+از\s+)?اولویت\S*\s+[^.؛:!?]{0,60}?در\s+دستور\s+کار\s+[^.؛:!?]{0,30}",
          origin=(REAL_PAGES_SEEN,)),
    _rule("fa.continues_until", "fa", "cue",
          "'تا پایان سال تحصیلی … ادامه دارد' (goes on until the end of …): an ongoing plan with its end ahead",
          r"تا\s+(پایان|آخر|انتهای)\s+[^.؛:!?]{0,60}?ادامه\s+(دارد|خواهد\s+داشت|می\s?یابد|پیدا\s+می\s?کند)(?!\w)",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sv.weekday_present", "sv", "cue",
          "a present tense after a coming weekday, with the municipality or the police as its subject: "
          "'På torsdag kväll genomför kommunen och polisen sin årliga trygghetsvandring'",
          r"^(nu\s+)?(på|under|i)\s+(måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(en|s)?(\s+(kväll|morgon|eftermiddag|förmiddag|natt))?"
          r"\s+\w{3,}(ar|er|r)\s+(kommunen|polisen|\w+\s+kommun|lokalpolis\w*)\b",
          origin=(REAL_PAGES_SEEN,)),
    # ---------------------------------------------------------------- written in session 17 from `sealed17` and `sealed18`
    # (held out in session 16, read once `sealed19` and `sealed20` were sealed and run).
    _rule("sw.future_ta_loanverb", "sw", "cue",
          "future tense of a verb that does not end in -a ('watawakabili', 'itazidi', 'hatutakubali'); "
          "not the u-/m-/ki- nouns that look alike (utaratibu, mtaalamu, kitalii) nor wataalamu, watalii, watafiti, "
          "nor a relative ('watakavyoshiriki', the way they will take part)",
          r"\b(ha)?(ni|a|tu|wa|i|zi|li|ya|vi|pa|mu)ta[a-z]{2,}[iu]\b",
          r"\b(wataalam\w*|watalii|watafiti|watalibani|itabidi|ataalamu|\w+taka(o|ye|vyo|po|cho|lo|zo|yo|mo|ko)\w*)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("sw.not_future_tanzania", "sw", "mask", "'Watanzania', 'Kitanzania' look like a -ta- future verb",
          r"\b\w*tanzania\b", origin=(REAL_PAGES_SEEN,)),
    _rule("en.is_to_be", "en", "cue",
          "news future 'are to be rolled out', 'meetings are to take place' (not 'the aim is to …')",
          r"\b(is|are)\s+to\s+be\s+(\w+ly\s+)?\w+(ed|en|wn|t)\b|\bare\s+to\s+(?!be\b)[a-z]+\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.are_planned", "en", "cue", "a present passive plan: 'a number of activities are planned' (not 'as planned')",
          r"(?<!\bas\s)\b(is|are)\s+(now\s+|also\s+)?planned\b", origin=(REAL_PAGES_SEEN,)),
    _rule("en.motion_seconded", "en", "cue",
          "minutes: a motion proposed or seconded 'that a letter be forwarded to …'",
          r"\b(proposed|seconded)\b[^.;]{0,80}?\bthat\s+[^.;]{0,80}?\bbe\s+\w+(ed|en|t)\b",
          origin=(REAL_PAGES_SEEN,)),
    _rule("en.standing_orders", "en", "mask",
          "minutes: 'it was agreed that Standing Orders be suspended' runs the meeting, it pledges nothing",
          r"\b(agreed|proposed|seconded|resolved)\b[^.;]{0,40}?\bthat\s+standing\s+orders\b[^.;]*", origin=(REAL_PAGES_SEEN,)),
    _rule("hbs.agreed_on_a_fact", "hbs", "mask",
          "members agreeing that a problem exists ('složili su se kako postoji problem') state a fact, they decide nothing",
          r"\bsložili\s+su\s+se\s+(kako|da)\s+(postoj\w*|je|su|ima|nema)\b[^.;]*", origin=(REAL_PAGES_SEEN,)),
    _rule("sv.satsar_pa_att", "sv", "cue", "'Kommunen satsar på att ha vuxna ute …' (sets out to): a present-tense pledge",
          r"\bsatsar\s+(\w+\s+){0,2}?på\s+att\b", origin=(REAL_PAGES_SEEN,)),
    _rule("sv.dated_present", "sv", "cue",
          "a present or present passive with the dates ahead: 'Kring studenten sker nattvandringar den 8, 9, 16 och 17 juni' "
          "(not the date of the next meeting)",
          r"\b(sker|genomförs|hålls|äger\s+rum|anordnas|arrangeras)\b[^.;:!?]{0,60}?\bden\s+\d{1,2}(\s*(,|och|ovh|-|–)\s*\d{1,2})*\s+"
          r"(jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)",
          r"\b(möte[nt]?|sammanträde\w*)\s+(sker|genomförs|hålls|äger)\b", origin=(REAL_PAGES_SEEN,)),
    _rule("en.law_will", "en", "mask", "'or the law will deal with them', 'the law will catch up': a threat, no pledge",
          r"\bthe\s+law\s+will\b", origin=(REAL_PAGES_SEEN,)),
    _rule("sw.warns", "sw", "mask",
          "a warning ('Jeshi la Polisi linawatahadharisha wale wote ambao watakuwa …', 'linatoa tahadhari kwa …') exhorts",
          r"\b\w*(tahadharisha|toa\s+tahadhari)\b[^.;]*", origin=(REAL_PAGES_SEEN,)),
    _rule("sv.state_prediction", "sv", "mask",
          "'det kommer att vara stökigt': a state predicted with an empty subject, no action",
          r"\bdet\s+kommer\s+(att\s+)?(vara|bli)\s+(\w+\s+)?\w+(igt|t)\b", origin=(REAL_PAGES_SEEN,)),
    _rule("en.focus_will_be", "en", "mask", "'our focus will be on …' names a focus, as focus areas do",
          r"\b(our|the|my|their|its)\s+(main\s+|key\s+)?focus\s+will\s+be\b", origin=(REAL_PAGES_SEEN,)),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

#: What follows a BCMS future auxiliary when the pledged thing, not an actor, is the subject: a
#: passive "se" verb ("će se održati", "će se vršiti") or "biti" with a participle or verbal noun
#: ("će biti uspostavljen", "prioritet će biti intenziviranje").
_HBS_PARTICIPLE = r"\w+((an|en|jen|ven|ut|at)(a|o|i|e)?|anje|enje|jenje)\b"
_HBS_PASSIVE_VERBS = (r"(održa|organizova|organizira|realizova|formira|uspostavi|pokrenu|pojača|nastavi|provesti|provede|provodi|sprovodi|"
                      r"sprovesti|sprovede|obezbijedi|obezbedi|osigura|izradi|izgradi|postavi|otvori|vrši|obavlja|obavi|"
                      r"proširi|prošire|unaprijedi|unapredi|uvede|uvodi|poveća|preduz|poduz|tiska|distribuira|"
                      r"finansira|instalira)\w*")
HBS_PASSIVE = r"(se\s+" + _HBS_PASSIVE_VERBS + r"|biti\s+(" + _HBS_PARTICIPLE + r"|prisutn\w*))"
_EN_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
_HBS_MONTH = (r"(januar\w*|februar\w*|mart\w*|april\w*|maj\w*|jun\w*|jul\w*|avgust\w*|august\w*|septemb\w*|"
              r"oktob\w*|novemb\w*|decemb\w*|siječ\w*|veljač\w*|ožuj\w*|travn\w*|svib\w*|lipn\w*|srpn\w*|kolovoz\w*|"
              r"rujn\w*|listopad\w*|studen\w*|prosin\w*)")
_SW_MONTH = r"(januari|februari|machi|aprili|mei|juni|julai|agosti|septemba|oktoba|novemba|desemba)"
_FA_MONTH = r"(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند)"
#: A time ahead, per group (normalised text): a date, a month or weekday after a preposition, "next
#: week", "over the coming years", "tomorrow". It makes a sentence in the past or perfect tense a
#: plan ("Inför årets sommar har kommunen identifierat flera insatser"), and a future without a
#: named agent one ("The commissioning … will begin in late December", `TIME_BOUND_FUTURES`).
TIME_AHEAD = {
    "sv": re.compile(r"\b(" + _SV_TIME_AHEAD + r")\b"),
    "en": re.compile(
        r"\b(tomorrow|tonight|next\s+(week|month|year|weekend|spring|summer|autumn|winter|term|financial\s+year|monday|"
        r"tuesday|wednesday|thursday|friday|saturday|sunday)|"
        r"this\s+(week|weekend|month|summer|autumn|winter|spring|christmas|easter|halloween)|"
        r"(in|from|by|until|during|before|starting|throughout)\s+(early\s+|mid-?|late\s+|the\s+end\s+of\s+)?" + _EN_MONTH + r"|"
        r"(on|from|by|until)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
        r"(over|in|during|within)\s+the\s+(next|coming)\s+\w+|within\s+\w+\s+(days|weeks|months)|"
        r"later\s+this\s+(year|month|week)|(by|in|from)\s+20\d\d|"
        r"(over|during|throughout)\s+the\s+(summer|christmas|easter|festive|school|half-term)\s+(holidays?|break|period|season)|"
        r"(leading\s+up\s+to|in\s+the\s+run-?up\s+to|ahead\s+of)\s+(the\s+)?(christmas|easter|new\s+year|festive|holidays?|"
        r"halloween|summer|bonfire|eid|ramadan))\b"),
    "hbs": re.compile(
        r"\b(sutra|prekosutra|(narednom|narednih|naredne|narednog|sljedećem|sljedećih|sljedeće|sljedećeg|idućem|idućih|"
        r"iduće|idućeg|nadolazećem|nadolazećih|predstojećem|predstojećih|predstojeće)\s+\w+|do\s+kraja\s+\w+|"
        r"(od|do|u|tokom|tijekom|krajem|početkom|sredinom)\s+(\d{1,2}\.?\s+)?" + _HBS_MONTH + r"|\d{1,2}\.?\s+" + _HBS_MONTH
        + r")\b"),
    "sw": re.compile(
        r"\b(kesho|keshokutwa|(wiki|mwezi|mwaka|msimu|muhula)\s+(ujao|ijayo|ujayo|unaokuja|ijao)|siku\s+(chache\s+)?zijazo|"
        r"kuanzia\s+(kesho|leo|wiki|mwezi|mwaka|tarehe|\d)|ifikapo\s+\w+|tarehe\s+\d+|mwezi\s+" + _SW_MONTH + r"|"
        + _SW_MONTH + r"\s+(mwaka\s+)?\d{4})\b"),
    "fa": re.compile(
        r"(فردا|(هفته|ماه|سال|روزهای|ماههای|سالهای|ایام)\s+(آینده|آتی|پیش\s+رو)|آینده\s+نزدیک|"
        r"(از|تا|در|اول|پایان|ابتدای|نیمه|اواسط|اواخر|اوایل)\s+" + _FA_MONTH + r"\s+(ماه\s+)?(\d|امسال|سال)|نوروز)"),
}

#: Groups whose subject precedes the verb: there an agent binds a future cue only from before it.
_SUBJECT_FIRST = frozenset({"en", "sv", "hbs"})
#: A passive at or right after the cue: the pledged thing is the subject ("will be installed").
_PASSIVE_AFTER = {
    "en": re.compile(r"\b(will|shall|must|set\s+to)\s+(not\s+)?(\w+ly\s+|also\s+|then\s+|now\s+)?be\s+(\w+ly\s+)?"
                     r"((?!subject\b)\w+(ed|en|t|wn)|made|done|paid|led)\b"),
    # deponents end in -as too and are no passives: "måste det finnas", "kommer att färdas"
    "sv": re.compile(r"\b(att|ska|skall|måste|kommer)\s+(\w+\s+){0,2}?"
                     r"(?!(finnas|hoppas|färdas|lyckas|synas|kännas|trivas|minnas|väntas|förväntas|behövas|andas)\b)\w{3,}as\b"),
    # "će se" may stand apart from its verb: "ће се у наредних мјесец дана предузети мјере"
    "hbs": re.compile(r"\b(će|ćemo)\s+([^\s,.;]+\s+){0,3}?" + HBS_PASSIVE + r"|\b(biće|bit\s+će)\s+" + _HBS_PARTICIPLE
                      + r"|\bće\s+se\s+([^\s,.;]+\s+){1,5}?" + _HBS_PASSIVE_VERBS),
}

#: A future auxiliary that is a clitic, whose subject may stand between it and the infinitive
#: ("da će policija … preduzeti"): the clitic and the infinitive per group, and how many words
#: after the clitic an agent may stand and still bind it.
_CLITIC_SUBJECT_AFTER = {"hbs": (re.compile(r"(ne)?(ću|ćeš|će|ćemo|ćete)"), re.compile(r"\w+(ti|ći)"))}
_CLITIC_WINDOW_WORDS = 5

#: The past tense of a reported item (`ctx.reported_past`): had/was/-ed, hade/-ade, je … -o/-la,
#: the Swahili -li-/-me- tenses.
PAST_TENSE = {
    "en": re.compile(r"\b(had|was|were|did|said|told|thought|felt|made|took|gave|saw|knew|found|met|held|spoke|dealt|"
                     r"kept|sent|spent|fell|rose|began|went|came|got|led|brought|became|grew|ran|wrote|paid|heard)\b"
                     r"|\b\w{3,}ed\b"),
    "sv": re.compile(r"\b(hade|var|blev|\w{3,}(ade|dde|ades|ddes)|\w{2,}(rde|lde|gde|rdes|ldes|gdes)|"
                     r"gjorde|gjordes|tog|togs|gav|fick|såg|höll|hölls|drev|bedrev|gick|sattes|\w{3,}(kte|pte|ktes|ptes))\b"
                     r"|\bhar\s+(\w+\s+)?\w{2,}ts?\b"),
    "hbs": re.compile(r"\b(je|su|smo|sam|bio|bila|bili)\b[^.;]{0,40}?\b\w{2,}(ao|la|li|lo|le|eo|no|ne|na)\b"
                      r"|\b\w{2,}(ao|la|li|lo)\s+(je|su)\b"),
    "sw": re.compile(r"\b(a|wa|i|zi|li|ya|ki|vi|u|tu|ni)(li|me)[a-z]{3,}a\b"),
}

#: The item of a decision list (`ctx.decision_clauses`): an "att"-clause whose subject is an
#: organisation, its officer or a named body ("att socialförvaltningen tar fram …", "att Mjölby
#: Bostäder sanerar …"), or an assignment ("att uppdra åt kommunpolisen att …", "att ge nämnden i
#: uppdrag att …"). Matched over the original text (the case of a name counts), marker stripped.
DECISION_CLAUSE = {
    "sv": re.compile(
        r"^(?i:att)\s+((?i:den|det|de|berörda|lokala|respektive)\s+)?((?i:\w*(polis(en|erna)?|kommun(en|erna)?|nämnd(en|erna)?"
        r"|förvaltning(en|arna)?|styrelse(n|rna)?|regionen|tjänst(en)?|bolag(et|en)?|skol(an|orna)|rådet|grupp(en|erna)"
        r"|samordnar(en|na)|sekreterar(en|na)|sekreterare(n)?|assistent(en|erna)|handläggar(en|na)|ordförande(n)?"
        r"|chef(en|erna)?|enhet(en|erna)?|vi))\b|[A-ZÅÄÖ]\w+\b(?!\s+\w+s\b))"
        r"|^(?i:att)\s+(?i:(ge|uppdra)\s+(åt\s+)?\S+)"),
}

#: The plain future tenses: without a named agent they still count when the unit states a time
#: ahead (`TIME_AHEAD`), unless negated, existential, about the weather or "will be" with a state
#: (`CommitmentClassifier._time_bound`). Reported speech ("said he would") does not.
TIME_BOUND_FUTURES: frozenset[str] = frozenset(
    {"en.will", "en.progressive_ahead", "sv.kommer_att", "sv.kommer_x_att", "sv.kommer_infinitive", "sw.future_ta",
     "sw.future_ta_loanverb", "hbs.future", "hbs.future_bice", "fa.future"})

#: Cues that count only with a time ahead (`TIME_AHEAD`), agent or not.
TIME_ONLY_CUES: frozenset[str] = frozenset({"en.progressive_ahead"})

#: Future-tense cues that count only when the unit also names an agent (the "<lang>.agent" rule).
AGENT_BOUND_CUES: frozenset[str] = frozenset(
    {"en.tasked_past", "en.will", "en.said_would", "sv.kommer_att", "sv.kommer_x_att", "sv.kommer_infinitive", "sw.future_ta", "sw.future_ta_loanverb", "hbs.future", "hbs.future_bice", "fa.future",
     "fa.plan_present_active", "en.scheduled"})


def rule_counts() -> dict[str, dict[str, int]]:
    """Rules per language group and kind, e.g. ``{"sv": {"cue": 8, "heading": 2}, "*": {...}}``."""
    counts: dict[str, Counter] = {}
    for rule in RULES:
        counts.setdefault(rule.lang, Counter())[rule.kind] += 1
    return {lang: dict(c) for lang, c in counts.items()}

