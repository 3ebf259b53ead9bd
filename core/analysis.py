"""Text analysis: a text in a language → its index terms (BM25 in `index.sparse`, highlighting in the API).

Analysis (`analyze`), in this order:

1. NFKC + casefold (NFKC again after casefolding, so the result is closed under both); zero-width
   joiners, word joiners, BOM and soft hyphens are deleted (they sit inside words), a zero-width
   space separates; Persian (۰–۹) and Arabic-Indic (٠–٩) digits become ASCII.
2. Per-language character normalisation:
   * ``fa``: Arabic yeh ي / alef maksura ى → ی, kaf ك → ک, teh marbuta ة → ه, heh with hamza ۀ
     (and other heh forms) → ه, hamza-on-alef أ إ and alef wasla ٱ → ا (madda آ is kept: it is a
     letter of its own in Persian), ؤ → و, ئ → ی; tatweel ـ and the harakat U+064B–U+065F and
     U+0670 are removed.
   * Serbo-Croatian (``cnr bs hr sr hbs``): Cyrillic → Latin (гајевица), so both scripts give the
     same terms; the Montenegrin letters ś ź → sj zj (śutra/sjutra, śekira/sjekira).
3. Tokens: runs of Unicode letters and digits (Python's ``\\w``; ``_`` separates), plus combining
   marks (``\\w`` alone would cut Devanagari or vocalised Arabic words apart at every mark).
4. Persian word assembly. The same word is written three ways: with a zero-width non-joiner
   (می‌شود, کتاب‌ها), run together (میشود, کتابها) or with a space (می شود, کتاب ها). The
   canonical form is the joined one: ZWNJ-separated pieces are joined, the verbal prefixes
   می / نمی are joined to the following word, the comparative تر / ترین to the preceding one;
   the plural/possessive family ها های هایی هایم هایت هایش هایمان هایتان هایشان is attached to the
   preceding word (it is stripped by the stemmer anyway, so it is simply dropped there), and the
   ezafe/indefinite ی / ای and the clitics ام ات اش ایم اید اند after a word ending in ه are dropped
   (خانه‌ای, خانه ای → خانه). A prefix is never stripped from a joined word (میز, میدان, میزان).
   Left ambiguous: a run-together ه + ای reads as a plural (بالقوهای → بالقو, not بالقوه).
5. Stopwords: small built-in lists (en, sv, sw, fa, hbs; 100–170 of the most frequent function
   words each), matched on the normalised surface form before stemming.
6. Stemming:
   * ``en``, ``sv``: Snowball (PyStemmer). Swedish Snowball has no rule for the neuter definite
     ``-et``/``-ets`` (medborgarlöftet stays whole while medborgarlöfte and medborgarlöften give
     medborgarlöft), so a stem still ending in ``-et`` (not ``-het``, ``-itet``, ``-ett``) is
     stemmed again without its ``t`` until stable; ``-ena`` (neuter plural definite, löftena) is
     reduced to ``-e`` first.
   * Serbo-Croatian: Snowball ``serbian``, which takes Latin and Cyrillic and also maps ijekavian
     to ekavian (mjesto/mesto → mest, rijeka/reka → rek, dijete/dete → det), so Montenegrin,
     Bosnian and Croatian ijekavian forms meet Serbian ekavian ones. It mis-stems the
     instrumental of nouns in ``-je``/``-lj``/``-nj``/``-ć``…: nasiljem → nasile (nasilje →
     nasilj), znanjem → znanem, zdravljem → zdravle, učešćem → učešće, roditeljem → roditel.
     A word of 6+ letters ending in (lj|nj|ć|đ|j|ž|š|č)+``em`` is therefore rewritten to the
     genitive ``…a`` before stemming (nasiljem → nasilja → nasilj). Not handled: the Montenegrin
     iotated ć/đ (ćerati for tjerati, đevojka for djevojka) stay different from the standard
     spellings, because ć and đ are ordinary letters elsewhere.
   * ``sw``: no stemming. Swahili inflects with prefixes (noun classes m-/wa-, ki-/vi-, subject,
     tense and object markers on verbs: wanafanya, walifanya, atafanya); its suffixes are
     derivational (applicative -ea/-ia, passive -wa, causative -isha) and change meaning. Prefix
     stripping merges unrelated words (washirika "partners" and mashirika "organisations", both
     in the Swahili corpus document, would both become shirika), so Swahili gets stopwords only.
   * ``fa``: a light suffix stripper written here (`_persian_stem`), one pass: the plural and
     possessive ها family; ezafe/indefinite ی/یی after a final ا or و (دانشجوی → دانشجو); and
     the animate plural ان (شهروندان → شهروند, زنان → زن), یان after a vowel (دانشجویان →
     دانشجو) and گان → ه (نمایندگان → نماینده), with a list of common non-plural words in ان
     (ایران, سازمان, زمان, پایان, جریان, …) and the endings ستان بان مان شان تان left alone.
     Snowball's Persian stemmer (in PyStemmer 3.1) was tried and rejected: it over-stems common
     words (ایرانی → ایر, ظرفیت → ظرف, خانه‌ای → خان) and treats the three spellings of a word
     differently (می‌شود → شود but میشود → میشود, نمی‌شود → نمیشو).
   * Any other language (or none): normalisation and tokenisation only, no stopwords, no stems.

Changing anything above changes the terms of stored vectors: bump `ANALYSIS_VERSION` (it is part
of `index.sparse.SparseEncoder.signature`, which the ingestion pipeline folds into each document's
fingerprint, so changed analysis re-indexes documents).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Callable, Iterable

import Stemmer

from core.languages import analysis_language

ANALYSIS_VERSION = "bm25-v1"
#: The Snowball rules ship with PyStemmer: an upgrade may change stems.
PYSTEMMER_VERSION = Stemmer.version()
_CACHE_LIMIT = 500_000

# ---------------------------------------------------------------- characters
_DIGITS = {0x06F0 + i: str(i) for i in range(10)} | {0x0660 + i: str(i) for i in range(10)}
_INVISIBLE = {0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None, 0x00AD: None, 0x200B: " "}
_COMMON_TABLE = {**_DIGITS, **_INVISIBLE}

_PERSIAN_TABLE = {
    **_COMMON_TABLE,
    0x200C: 0x200C,  # ZWNJ is kept for word assembly (step 4)
    ord("ي"): "ی", ord("ى"): "ی", ord("ې"): "ی", ord("ئ"): "ی",
    ord("ك"): "ک", ord("ڪ"): "ک",
    ord("ة"): "ه", ord("ۀ"): "ه", ord("ۂ"): "ه", ord("ە"): "ه", ord("ہ"): "ه", ord("ھ"): "ه", ord("ۃ"): "ه",
    ord("أ"): "ا", ord("إ"): "ا", ord("ٱ"): "ا",
    ord("ؤ"): "و",
    0x0640: None,  # tatweel
    0x0670: None,  # superscript alef
    **{cp: None for cp in range(0x064B, 0x0660)},  # harakat, shadda, sukun, hamza above/below, ...
}

_PERSIAN_RUNS = re.compile("[" + "".join(re.escape(chr(cp)) for cp in _PERSIAN_TABLE if cp != 0x200C) + "]+")

_CYRILLIC = dict(zip("абвгдђежзијклмнопрстћуфхцчш", "abvgdđežzijklmnoprstćufhcčš"))
_CYRILLIC |= {"љ": "lj", "њ": "nj", "џ": "dž", "ѕ": "dz", "ѓ": "đ", "ќ": "ć"}
_HBS_TABLE = {**_COMMON_TABLE, **{ord(c): lat for c, lat in _CYRILLIC.items()}, ord("ś"): "sj", ord("ź"): "zj"}

# Combining marks (Mn, Mc, Me) in the Basic Multilingual Plane: Python's \w does not match them.
_MARKS = "".join(
    re.escape(chr(cp)) for cp in range(0x300, 0x10000) if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me")
)
_WORD_RE = re.compile(rf"\w[\w{_MARKS}]*")  # underscores are replaced by spaces first


def _persian_run(match: re.Match) -> str:
    return match.group().translate(_PERSIAN_TABLE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------- stopwords
def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


_STOP_EN = _words("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each either few for from further had has have
having he her here hers herself him himself his how however i if in into is it its itself just may me
might more most must my myself no nor not of off on once only or other our ours ourselves out over own per
same shall she should so some such than that the their theirs them themselves then there these they this
those through thus to too under until up upon us very via was we were what when where whether which while
who whom whose why will with within without would you your yours yourself yourselves s t d ll m re ve
""")

_STOP_SV = _words("""
alla allt andra annan annat att av bara blev bli blir blivit de dem den denna deras dess dessa det detta
dig din dina ditt du där då efter ej eller en er era ert ett från för genom ha hade han hans har hela
henne hennes hon honom hos hur här i icke ingen inget inom inte jag ju kan kunde man med mellan men mer
mest mig min mina mitt mot mycket ni nu när någon något några och också om oss på samma samt sedan sig
sin sina sitt själv ska skall skulle som så sådan sådana till under upp ut utan vad var vara varför
varit varje vars vart vem vi vid vilka vilken vilket vår våra vårt än är åt över även dock bör både
enligt finns få får hade här kommer kunna måste nog redan sådant vill ju väl dit där därför eftersom
""")

_STOP_SW = _words("""
na wa ya za la cha vya kwa katika ni si kuwa hii hizi huu hiyo huo hilo hizo hayo hao ile ule yule
lile zile vile kile hicho hiki hivi hivyo ambao ambaye ambayo ambalo ambazo ambacho ambavyo ambapo
pia lakini au ama kama hata tu sana zaidi kutoka hadi mpaka juu chini kati baada kabla wakati kwamba
kuhusu ili bila huko hapa pale kule wao yeye sisi ninyi nyinyi mimi wewe wetu yetu zetu letu chetu
vyetu wake yake zake lake chake vyake wao zao yao lao chao vyao kila baadhi ndiyo ndio siyo sio hapana
tena kisha halafu sasa bado mwa kwenye ndani nje yako lako zako chako wako kwake kwao kwetu je nini
gani nani lini wapi vipi kwani kuna kulikuwa alikuwa walikuwa ilikuwa nk
""")

_STOP_FA = _words("""
و در به از که این آن با را برای تا بر هم نیز یا اما ولی اگر هر همه چه چون پس پیش بین روی زیر
درباره مانند مثل طی توسط بدون جز نه آیا است بود شد شود میشود باشد باشند کرد کند کنند کرده کردن
دارد دارند داشت داشته خواهد خواهند باید نیست نبود هست هستند بودند بوده شده شدند میکند میکنند
ای یک وی او ما شما آنها ایشان اینها آنان خود من تو همین همان چنین چنان اینکه آنکه بسیار خیلی
دیگر دیگری اکنون حال سپس بنابراین زیرا ها های هایی می نمی ی تنها فقط همچنین البته حتی چند
کدام چرا کجا کی وقتی هنگام میان نزد سوی علیه درون بیرون ضمن مورد باره جهت براساس بنا لذا
""")

_STOP_HBS = _words("""
i u na je se su da za od do sa s o a ali ili kao što šta koji koja koje kojeg kojega kojem kojoj
kojim kojima kojih ne bi biti bio bila bilo bili bile će ću ćeš ćemo ćete sam si smo ste jesu jeste
nije nisu ima imaju iz po pri prema kroz između među nakon prije pre poslije posle bez kod oko ovaj
ova ovo ovi ove ovog ovoga ovom ovoj ovim ovih taj ta to ti te tog toga tom toj tim tih onaj ona ono
oni one on ja mi vi njih njega nje njoj njemu nam vam im ga mu joj ih me nas vas svoj svoja svoje
svojih svojim svog svom njihov njihova njihove njegov njegova njegove njen njena njene takođe također
već još samo kako gdje gde kada kad jer pa ni niti li tako sve svi sva svih bih bismo čak ako dok
zbog tokom tijekom odnosno te uz bi ovdje ovde tu sada sad treba može mogu
""")

_STOPWORDS: dict[str, frozenset[str]] = {}

# ---------------------------------------------------------------- stemmers
_local = threading.local()


def _snowball(name: str) -> Stemmer.Stemmer:
    """A per-thread Snowball stemmer (PyStemmer objects are not safe to share across threads)."""
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    stemmer = stemmers.get(name)
    if stemmer is None:
        stemmer = stemmers[name] = Stemmer.Stemmer(name)
    return stemmer


def _english_stem(word: str) -> str:
    return _snowball("english").stemWord(word)


_SV_ET_KEEP = ("het", "itet", "ett")


# Short words are outside Snowball's R1 region and keep their endings; the frequent ones are listed.
_SV_FORMS = {"året": "år", "årets": "år", "åren": "år", "årens": "år"}


def _swedish_stem(word: str) -> str:
    if word in _SV_FORMS:
        return _SV_FORMS[word]
    stemmer = _snowball("swedish")
    if len(word) >= 7 and word.endswith("ena"):
        word = word[:-2]  # löftena → löfte
    stem = stemmer.stemWord(word)
    # Snowball Swedish has no neuter definite -et: stem "medborgarlöftet" as "medborgarlöfte".
    while len(stem) >= 5 and stem.endswith("et") and not stem.endswith(_SV_ET_KEEP):
        shorter = stemmer.stemWord(stem[:-1])
        if len(shorter) >= len(stem):
            break
        stem = shorter
    return stem


_HBS_INSTRUMENTAL = re.compile(r"(lj|nj|ć|đ|j|ž|š|č)em$")


def _serbian_stem(word: str) -> str:
    if len(word) >= 6 and word.endswith("em"):
        word = _HBS_INSTRUMENTAL.sub(r"\1a", word)  # nasiljem → nasilja (Snowball: nasile)
    return _snowball("serbian").stemWord(word)


_FA_PLURAL = ("هایشان", "هایتان", "هایمان", "هایش", "هایت", "هایم", "هایی", "های", "ها")
_FA_PLURAL_KEEP = frozenset("تنها انتها بها رها اینها آنها گاها".split())
_FA_AN_KEEP = frozenset(
    """
    ایران تهران زبان جوان نوجوان میان خیابان سازمان زمان انسان بیان جریان پایان امکان مکان نشان
    آسمان درمان ایمان باران کاروان گمان جهان میدان ارزان آسان دندان زندان مهمان پنهان روان
    قربان دوران بحران توان فرمان ساختمان پیمان رمضان آبان کیهان میزان دیوان ایوان عنوان
    آذربایجان اصفهان کرمان خراسان گیلان سمنان زنجان همدان لبنان سودان یونان آلمان عمان کلان
    نگران گران ویران جبران کران بنیان شایان نمایان عیان ارمغان طوفان بستان بوستان دکان
    پایتخت سلطان شیطان قرآن برهان عرفان عمران حیوان بیابان کمان نردبان گریبان دهان
    گروگان رایگان بازرگان
    """.split()
)
_FA_AN_KEEP_ENDINGS = ("ستان", "بان", "مان", "شان", "تان")


def _persian_stem(word: str) -> str:
    if word not in _FA_PLURAL_KEEP:
        for suffix in _FA_PLURAL:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                word = word[: -len(suffix)]
                break
    if len(word) >= 4 and word[-3] in "او" and word.endswith("یی"):
        return word[:-2]  # indefinite after a vowel: دانشجویی → دانشجو
    if len(word) >= 3 and word[-2] in "او" and word[-1] == "ی" and word not in ("برای",):
        return word[:-1]  # ezafe after a vowel: دانشجوی → دانشجو
    if len(word) >= 4 and word.endswith("ان") and word not in _FA_AN_KEEP and not word.endswith(_FA_AN_KEEP_ENDINGS):
        if word.endswith("یان") and len(word) >= 5 and word[-4] in "او":
            return word[:-3]  # دانشجویان → دانشجو
        if word.endswith("گان"):
            # نمایندگان → نماینده, پناهندگان → پناهنده; short ones are mostly names (گرگان, سمنگان)
            return word[:-3] + "ه" if len(word) >= 7 else word
        return word[:-2]  # شهروندان → شهروند
    return word


def _identity(word: str) -> str:
    return word


_STEMMERS: dict[str | None, Callable[[str], str]] = {
    "en": _english_stem,
    "sv": _swedish_stem,
    "hbs": _serbian_stem,
    "fa": _persian_stem,
    "sw": _identity,
    None: _identity,
}

# ---------------------------------------------------------------- Persian word assembly
# Done on the text with regular expressions (C speed), after character normalisation.
_FA_LETTER = "[\u0621-\u063a\u0641-\u064a\u0671-\u06d3]"
_FA_GAP = "[\u200c\\s]+"  # a ZWNJ or whitespace between the parts of one word
_FA_END = "(?![\\w\u200c])"  # the part is a whole token
_FA_PLURAL_ALT = "|".join(_FA_PLURAL)
_FA_HEH_CLITICS = frozenset({"ای", "ی", "ام", "ات", "اش", "ایم", "اید", "اند"})
# One pass for the pieces that follow a word, one for the prefixes that precede one.
_FA_SUFFIX_RE = re.compile(
    f"(?<={_FA_LETTER}){_FA_GAP}"
    f"(?:(?:(?P<plural>{_FA_PLURAL_ALT})|(?P<clitic>{'|'.join(sorted(_FA_HEH_CLITICS, key=len, reverse=True))})){_FA_END}"
    f"|(?=(?:ترین|تر){_FA_END}))"
)
_FA_PREFIX_RE = re.compile(f"(?<![\\w\u200c])(ن?می){_FA_GAP}(?={_FA_LETTER})")


def _fa_suffix(match: re.Match) -> str:
    if match.group("clitic") and match.string[match.start() - 1] != "ه":
        return match.group()  # ای, ی, ام … are only clitics after a final heh
    # the plural family is stripped by the stemmer from joined words (کتاب‌ها, کتاب ها → کتاب);
    # ezafe/indefinite/clitics after heh are dropped (خانه‌ای, خانه ای → خانه);
    # the gap before تر / ترین is closed (بزرگ‌تر, بزرگ تر → بزرگتر)
    return ""


def _persian_assemble(text: str) -> str:
    text = _FA_SUFFIX_RE.sub(_fa_suffix, text)
    text = _FA_PREFIX_RE.sub(r"\1", text)  # the verbal prefixes: می‌شود, می شود → میشود
    return text.replace("\u200c", "")  # compounds written with a ZWNJ are joined: هم‌کاری → همکاری


# ---------------------------------------------------------------- analysis
_NEEDS_COMMON = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u0660-\u0669\u06f0-\u06f9]")
_NEEDS_HBS = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u0660-\u0669\u06f0-\u06f9\u0400-\u04ffśź\u0301]")
_HAS_MARK = re.compile(f"[{_MARKS}]")
_SIMPLE_WORD_RE = re.compile(r"\w+")


def _tokens(text: str, key: str | None) -> list[str]:
    """Normalised surface tokens (before stopwords and stemming)."""
    text = _fold(text)
    if key == "fa":
        text = _persian_assemble(_PERSIAN_RUNS.sub(_persian_run, text))
    elif key == "hbs":
        if _NEEDS_HBS.search(text):
            text = text.translate(_HBS_TABLE)
            if "\u0301" in text:  # Montenegrin Cyrillic с́ з́ (no precomposed letters)
                text = text.replace("s\u0301", "sj").replace("z\u0301", "zj")
    elif _NEEDS_COMMON.search(text):
        text = text.translate(_COMMON_TABLE)
    if "_" in text:
        text = text.replace("_", " ")
    # Letters and digits; combining marks stay inside words (Python's \w does not match them).
    return (_WORD_RE if _HAS_MARK.search(text) else _SIMPLE_WORD_RE).findall(text)


def _fold_stopwords(key: str, words: Iterable[str]) -> frozenset[str]:
    """Stopwords go through the same normalisation as text, so the lists may be written naturally."""
    folded: set[str] = set()
    for word in words:
        folded.update(_tokens(word, key))
    return frozenset(folded)


for _key, _list in (("en", _STOP_EN), ("sv", _STOP_SV), ("sw", _STOP_SW), ("fa", _STOP_FA), ("hbs", _STOP_HBS)):
    _STOPWORDS[_key] = _fold_stopwords(_key, _list)
_STOPWORDS_NONE: frozenset[str] = frozenset()

# Surface token → term ("" for a stopword), per analysis. Plain dicts: a racing duplicate
# computation is harmless, and a full cache is simply emptied.
_TERM_CACHES: dict[str | None, dict[str, str]] = {key: {} for key in _STEMMERS}


def _term_function(key: str | None) -> Callable[[str], str]:
    cache = _TERM_CACHES[key]
    stopwords = _STOPWORDS.get(key, _STOPWORDS_NONE)
    stem = _STEMMERS[key]

    def term(token: str) -> str:
        found = cache.get(token)
        if found is not None:
            return found
        if token in stopwords:
            result = ""
        elif token.isalpha():
            result = stem(token) or token
        else:
            result = token  # numbers and mixed tokens are not stemmed
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[token] = result
        return result

    return term


_TERMS: dict[str | None, Callable[[str], str]] = {key: _term_function(key) for key in _STEMMERS}


def analyze(text: str, language: str | None) -> list[str]:
    """The index terms of `text` in `language`, in text order (repeats kept).

    Unknown or missing languages get the language-neutral analysis: normalisation, casefolding
    and tokenisation, no stopwords and no stemming.
    """
    key = analysis_language(language)
    tokens = _tokens(text, key)
    found = list(map(_TERM_CACHES[key].get, tokens))  # None: not cached yet; "": a stopword
    if None in found:
        term = _TERMS[key]
        found = [term(token) if got is None else got for token, got in zip(tokens, found)]
    return list(filter(None, found))
