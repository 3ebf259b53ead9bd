"""The title of a plain-text document (``.txt``): the first line of its head that reads as one.

A saved web page or a letter starts with what surrounds its title: a cookie or JavaScript notice, a
site name or letterhead, a menu or breadcrumb, a kicker ending in a colon, a date, dateline or byline
line, a share bar, a weather widget; a site's name may follow the headline on its line. Those lines
are passed over; the first line left that is short enough for a title and does not read as a
sentence is the title, with the lines that continue it (a line that starts in lower case without a
blank line before it, or a capitals line under a capitals line, up to `MAX_TITLE_CHARS`). The search
stops at the first line of prose: a document that opens with its text (a letter, a news lead) has no
title, unless a short sentence in capitals or as the first line stood above that prose (a headline
with a full stop or a question mark), or the prose is one notice paragraph above a headline standing
alone between blank lines.

A letterhead (``OPŠTINA KOTOR``, ``Växjö kommun``, ``HALMASHAURI YA WILAYA YA X``,
``فرمانداری شهرستان زنجان``, ``Limerick City and County Council``) is passed over too: it names
who publishes, not what the document is. So is a title-like line none of whose words come back in
the text below it: a headline names what the page goes on about, page furniture that no list here
names ("My Account", a section label, a byline's name) does not.
"""

from __future__ import annotations

import re

from ingest.cleaning import BoilerplateCleaner
from ingest.line_ends import leads_in
from ingest.metadata import find_date

#: Non-empty lines looked at from the top.
HEAD_LINES = 15
MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 200
#: The longest letterhead in mixed case ("کارگروه اجتماعی و پیشگیری از وقوع جرم").
LETTERHEAD_WORDS = 8
#: The longest value of a label line ("Plats och tid: Stadshuset, sammanträdesrum Kinne, kl. 13.00");
#: after a longer one the text before the colon is a kicker over a headline ("Srbija: Policija će …").
LABEL_VALUE_WORDS = 5
#: A title's words recur in the text below it (`_named_below`), compared by their first
#: `STEM_CHARS` letters within `BELOW_CHARS` characters, and judged only when that text has
#: `MIN_WORDS_BELOW` words.
STEM_CHARS = 4
BELOW_CHARS = 20_000
MIN_WORDS_BELOW = 40

_CLEANER = BoilerplateCleaner()
# Navigation separators between menu items or breadcrumb steps: "A | B | C", "Home / News / X"
# (two of them), "Start > Nyheter" (one: an arrow is no title's punctuation).
_SEPARATOR_RE = re.compile(r"\s(?:\||/|·)\s")
_ARROW_RE = re.compile(r"\s(?:>|›|»)\s")
# Columns laid out with runs of spaces: a menu bar ("NYHETER  SPORT  KULTUR") or a letterhead
# with a page number ("PROTOKOLL        Sida 1 av 3").
_COLUMNS_RE = re.compile(r"\S {3,}\S|\S {2}\S.*\S {2}\S")
# A cookie notice or a notice that JavaScript is off, however long, and its buttons.
_NOTICE_RE = re.compile(r"cookie|\bkakor\b|kolačić|vidakuzi|کوکی|javascript", re.IGNORECASE)
# Words of page chrome, anywhere in a short line: cookie buttons, skip links, sign-in and
# subscription links, share bars, logos (a Swedish site's "Nykvarn kommuns logga"), downloads,
# live-stream links, advertisement labels, page numbers, blog footers, notices about an old browser.
_CHROME_RE = re.compile(
    r"jag godkänner|\baccept\b|nakubali|prihvatam"
    r"|skip to|hoppa till|gå direkt till|preskoči na|ruka hadi|رفتن به محتوا|till startsidan|logga in|log in|sign in|prenumerera|subscribe|pretplat"
    r"|my account|mitt konto|moj nalog|akaunti yangu|حساب کاربری"
    r"|connect with us|follow us|följ oss|pratite nas|visa endast rubriker|agenda item|issue - meetings|issue details"
    r"|webbläsare|\bbrowser\b|preglednik"
    r"|facebook|twitter|whatsapp|linkedin|instagram|logotype?\b|\blogga$|powered by|\btheme\b|news tips"
    # a photo's file name as its caption ("IMG 20180626 100531", "DSC_0042")
    r"|^(?:img|dsc|dscn|photo|foto|pic)[\s_-]*\d{3,}"
    r"|download|ladda ner|preuzmi|pakua|دانلود|print this|skriv ut|چاپ|پخش زنده|live tv|direktsänt|on air now"
    r"|startsida|sök på|dela sidan|lyssna på sidan|published on|\bqr\b|\(\d+\s*[KM]B\)|^izvor\s*:|agenda and minutes"
    r"|سایز متن|اندازه متن|^(?:annons|advertisement|reklam|oglas|tangazo|تبلیغات)$"
    r"|^(?:sida|page|strana|stranica|ukurasa|صفحه)\s+\d"
    r"|^(?:publicerad|publicerat|uppdaterad|uppdaterat|published|updated|objavljeno|ažurirano|imechapishwa)\s*:?$"
    r"|^به گزارش\s",  # a Persian news lead's source: "as the public relations office of … reports"
    re.IGNORECASE)
# A button alone on its line: "Print", "Štampa", a read-aloud "Lyssna", a contact block's "Telefon".
_BUTTON_RE = re.compile(r"^(?:print|štampa|штампа|štampaj|штампај|ispis|skriv ut|chapisha|share|dela|podijeli|подели|"
                        r"shiriki|اشتراک|چاپ|snabbnavigation|navigation|navigering|meny|menu|huvudmeny|main menu|"
                        r"lyssna|listen|sikiliza|slušaj|telefon|telephone|e-post|e-mail|email)$",
                        re.IGNORECASE)
# A section label over the headline: "Featured Kitaifa", "Breaking news", "Senaste nytt", "Counties",
# a Swedish municipality's menu section "Kommun och politik".
_SECTION_LABEL_RE = re.compile(r"^(?:featured|trending|breaking|latest|senaste|kitaifa|kimataifa|habari\s+mpya|aktualno|aktuelno"
                               r"|counties|local news|inrikes|lokalt|mikoani|kommun\s+(?:&|och)\s+politik)\b",
                               re.IGNORECASE)
# A weather widget's temperature ("22.3 C", "-4 °C"): the line after it is the widget's city.
_TEMPERATURE_RE = re.compile(r"^-?\d{1,2}(?:[.,]\d)?\s*°?\s*[CF]$")
# A broadcaster's, news site's or newspaper's name over its headline ("Zenj FM", "Mwananchi Online", "Shropshire Star").
_MASTHEAD_RE = re.compile(r"\b(?:fm|tv|radio|news|online|blog|star|times|post|herald|mail|gazette|echo|journal|"
                          r"chronicle|observer|express|telegraph|guardian|mirror|standard|advertiser|argus|courier)$",
                          re.IGNORECASE)
# A form field of a decision sheet, a report's cover or a meeting's page: "Author and Job Role: …",
# "Contact: …", "Decision of PCC: Partly assured", "Venue: Council Chamber", "Link: View meeting".
_FIELD_RE = re.compile(
    r"^[^:]{0,30}\b(?:author|job role|contact|prepared by|decision|venue|link|handläggare|kontaktperson|ansvarig|mwandishi|"
    r"autor|pripremi[oal]|izvjestilac|تهیه\s?کننده)\b[^:]{0,20}:", re.IGNORECASE)
# A byline or a caption: "By Claire Hudson", "Na Mwandishi Wetu, Mbeya", "NA DENIS X, IRINGA", "[Foto: …]".
_BYLINE_RE = re.compile(r"^(?:By|BY|Av|Na[.,]?|NA[.,]?|Autor|Author|Text|نویسنده|خبرنگار)\s")  # "na …" continues a title
# A caption is also a line that ends in its picture's credit ("… säkerhetschef på Skurups kommun.
# Foton: Arkiv") or opens by placing who is pictured ("Kulia ni Kamishina …", "Pichani: …", "Na slici …").
_CAPTION_RE = re.compile(
    r"^\[|^(?:foto|photo|bild|picha|slika|عکس|تصویر)\s*:|\b(?:foto|foton|photo|photos|bild|picha|slika)\s*:\s*[^.!?:]{1,40}$"
    r"|^(?:kulia|kushoto|katikati)\s+(?:ni|kwake|mwenye)\b|^pichani\b|^na\s+(?:slici|fotografiji)\b",
    re.IGNORECASE)
# A list item or bulleted link: "- نویسنده : …", "• Home /", "1. Uvod".
_ITEM_RE = re.compile(r"^(?:[-*•▪▫◦●–]|\d{1,2}[.)])\s*")
# "Broj: 02-1184/25", "Datum: 2024-04-16", "Plats och tid: Stadshuset, kl. 13.00", "امروز: -":
# a label and a value with a number or without words.
_LABEL_RE = re.compile(r"^[^\W\d][\w .-]{0,25}\s*:\s*(?:.*\d|[^\w\s]+$)")
# Invocations that head Persian letters ("In the name of God").
_INVOCATION_RE = re.compile(r"^(?:ب?اسمه تعالی|بسمه تعالی|بسم الله الرحمن الرحیم|به نام خدا(?:ی[^\s]*)?)$")
# A letterhead: an institution named alone on its line.
_LETTERHEAD_RE = re.compile(
    r"^(?:ju\s+)?(?:opštin[ae]|općin[ae]|opstin[ae]|prijestonica|glavni grad|mjesna zajednica|savjet|centar|"
    r"odjeljenje|sekretarijat|halmashauri|jeshi la polisi|ofisi ya|idara ya|kaunti|serikali ya|wizara|"
    r"شهرداری|فرمانداری|استانداری|فرماندهی|شورای|پایگاه|خبرگزاری|اداره کل|وزارت|معاونت|کارگروه|ستاد)\b"
    r"|(?:\bkommun|\bstad|council|police|constabulary|partnership|panel|commissioner|polisen|tanzania)$"
    r"|^(?:republika\s+srbija|republika\s+srpska|republika\s+hrvatska|crna\s+gora|bosna\s+i\s+hercegovina)$",
    re.IGNORECASE)
# A preposition between words: "Medborgarlöften i Kalmar kommun", "Ny överenskommelse mellan X kommun
# och lokalpolisen" name an institution in a headline, not as a letterhead ("Limerick City and County
# Council"). Not Swahili's "ya"/"na" nor BCMS "za": they join a letterhead's own words ("Savjet za bezbjednost").
_PREPOSITION_RE = re.compile(r"\s(?:i|mellan|för|med|om|på|till|in|between|for|with|on|about|to|u|između)\s",
                             re.IGNORECASE)
#: The fewest words a headline keeps before a site's name is cut off it (`_without_site_name`).
SITE_NAME_AFTER_WORDS = 5
# Breadcrumb markers before a headline ("» » HEADLINE").
_LEADING_MARKS_RE = re.compile(r"^(?:[»›>]\s*)+")
# A word written with spaced letters: "Z A P I S N I K".
_SPACED_RE = re.compile(r"\b\w(?: \w){3,}\b")
_SENTENCE_END_RE = re.compile(r"[.!?؟]['\"”’»)]*$")
_ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06ff]")


def _words(line: str) -> list[str]:
    return [w for w in line.split() if any(ch.isalpha() for ch in w)]


def _is_navigation(raw: str, line: str) -> bool:
    """A menu bar or a breadcrumb. Wide gaps between words make a menu of a short line only: running
    text typed with double spaces ("Jeshi  la Polisi mkoani …") is prose."""
    return (len(_SEPARATOR_RE.findall(line)) >= 2 or bool(_ARROW_RE.search(line)) or line.endswith("/")
            or (bool(_COLUMNS_RE.search(raw.strip())) and not _is_prose(line)))


def _is_chrome(raw: str, line: str) -> bool:
    """A line of page furniture, passed over on the way to the title."""
    words = _words(line)
    if not words or _CLEANER.line_reason(line) is not None or _INVOCATION_RE.match(line) or _NOTICE_RE.search(line):
        return True
    # a cell of a picture's table: "Polisi Kata …, akitoa Elimu … |" is the photo's caption
    if line.endswith("|"):
        return True
    if _is_navigation(raw, line):
        return True
    label = _LABEL_RE.match(line) and len(_words(line.partition(":")[2])) <= LABEL_VALUE_WORDS
    if _CAPTION_RE.search(line) or _ITEM_RE.match(line) or label or _FIELD_RE.match(line):
        return True
    if _BUTTON_RE.match(line) or (len(words) <= 3 and (_MASTHEAD_RE.search(line) or _SECTION_LABEL_RE.match(line))):
        return True
    short = len(words) <= 12
    if short and (_CHROME_RE.search(line) or (len(words) <= 6 and _BYLINE_RE.match(line))):
        return True
    # A date line ("Publicerad 22 maj 2025 kl 06.00", "Kotor, 11. 2. 2025.", "Machi 6, 2025").
    return short and find_date(line, len(line)) is not None


def _without_site_name(line: str) -> str:
    """The line without a site's name after a closing " - " ("… turističke sezone - Volim Podgoricu"):
    one to three capitalised words. A tag line in lower case, or an acronym or a name in capitals,
    belongs to the headline."""
    head, separator, tail = line.rpartition(" - ")
    names = tail.split()
    if separator and len(_words(head)) >= SITE_NAME_AFTER_WORDS and 1 <= len(names) <= 3 and all(
            name[:1].isupper() and name[1:].isalpha() and name[1:].islower() for name in names):
        return head
    return line


def _is_letterhead(line: str) -> bool:
    """An institution named alone on its line. A line in mixed case that opens with one but runs
    on past a comma or `LETTERHEAD_WORDS` words is a headline about it ("Jeshi la polisi Kusini
    Unguja kuimarisha ulinzi, usalama"); a letterhead in capitals may be longer."""
    if not _LETTERHEAD_RE.search(line) or (not line.isupper() and _PREPOSITION_RE.search(line)):
        return False
    return line.isupper() or (len(_words(line)) <= LETTERHEAD_WORDS and not re.search(r"[,،]", line))


def _is_prose(line: str) -> bool:
    """A line of running text: the document has begun. A line in capitals is a headline however it
    ends ("WAKAZI … WATAKIWA KUWAREJESHA WANAO SHULENI.") if it is short enough for one."""
    words = _words(line)
    return len(words) > MAX_TITLE_WORDS or len(line) > MAX_TITLE_CHARS or (
        len(words) >= 8 and bool(_SENTENCE_END_RE.search(line)) and not line.isupper())


def _continues(title: str, line: str) -> bool:
    """Whether `line` goes on the title above it (a title wrapped over lines)."""
    first = next((ch for ch in line if ch.isalpha()), "")
    if first.islower():
        # Only in a script with case: a Persian title has no lower-case continuation.
        return any(ch.isupper() for ch in title)
    return title.isupper() and line.isupper() and not _SENTENCE_END_RE.search(title)


def _head(text: str) -> tuple[list[str], list[bool]]:
    """The first `HEAD_LINES` non-empty lines (leading breadcrumb marks off), and for each whether
    a blank line follows it."""
    lines: list[str] = []
    blank_after: list[bool] = []
    for raw in (text or "").splitlines():
        line = _LEADING_MARKS_RE.sub("", raw.strip())
        if not line:
            if blank_after:
                blank_after[-1] = True
            continue
        if len(lines) == HEAD_LINES:
            break
        lines.append(line)
        blank_after.append(False)
    return lines, blank_after


def _standalone_title(lines: list[str], flat: list[str], blank_after: list[bool], i: int) -> bool:
    """Is line `i` a headline standing alone between blank lines after a first paragraph (a
    site's lead sentence or notice above the headline)?"""
    line = flat[i]
    return (0 < i < len(flat) - 1 and blank_after[i - 1] and blank_after[i] and 2 <= len(_words(line)) <= 15
            and not _SENTENCE_END_RE.search(line) and not leads_in(line)
            and not _is_chrome(lines[i], line) and not _is_letterhead(line))


def _headline_sentence(line: str) -> bool:
    """Could this line that ends like a sentence be a headline: short, with a full stop, an exclamation
    mark or a question mark ("طرح نوروزی پلیس از فردا آغاز میشود.", "WANAFUNZI 254 WAPATA UJAUZITO
    WILAYANI SENGEREMA!", "Hur ökar vi tryggheten i Tyresö?")?"""
    return 3 <= len(_words(line)) <= 15 and line.endswith((".", "!", "?", "؟")) and not leads_in(line)


def _stems(line: str) -> set[str]:
    """The line's words of four letters or more, cut to `STEM_CHARS` letters (inflection-tolerant in every script)."""
    return {word[:STEM_CHARS] for word in re.findall(r"[^\W\d_]{4,}", line.casefold())}


def _text_below(text: str, head_lines: list[str]) -> str:
    """The text after `head_lines`, found in order from the top (all of `text` if one is not found)."""
    at = 0
    for line in head_lines:
        found = text.find(line, at)
        if found < 0:
            return text
        at = found + len(line)
    return text[at:]


def _named_below(title: str, below: str) -> bool:
    """Whether any content word of `title` recurs in the text `below` it. A headline names what
    the page is about, so its words come back in the text; page furniture that no list above names
    ("My Account", "Visa endast rubriker", a section label, a byline's name) names nothing the page
    goes on about. With too little text below to tell, the title stands."""
    words = _stems(title)
    below = below[:BELOW_CHARS]
    return not words or len(_words(below)) < MIN_WORDS_BELOW or bool(words & _stems(below))


def plain_title(text: str) -> str | None:
    """The title of a plain-text document, or None when its head has no line that reads as one."""
    lines, blank_after = _head(text)
    flat = [" ".join(raw.split()) for raw in lines]
    # a short sentence in capitals or as the first line: the headline if prose follows it
    headline_sentence: str | None = None
    first = True  # no line but chrome yet: a section label or a byline may stand above the headline
    for i, line in enumerate(flat):
        after = flat[i + 1] if i + 1 < len(flat) else ""
        before = flat[i - 1] if i else ""
        # a short line that opens in lower case is the tail of a sentence the excerpt cut, not a headline
        if _is_chrome(lines[i], line) or _TEMPERATURE_RE.match(before) or (line[:1].islower() and not _is_prose(line)):
            continue
        # A site's name over its menu (a masthead; a share bar is no menu); menu items one a line
        # ("HABARI", "MICHEZO").
        if len(line.split()) <= 4 and after and _is_navigation(lines[i + 1], after) and not _CHROME_RE.search(after):
            continue
        if len(line.split()) == 1 and 1 in (len(before.split()), len(after.split())):
            continue
        # A place in capitals alone on its line is a dateline over the headline ("KAKANJ", "SARAJEVO").
        if len(line.split()) == 1 and line.isupper():
            continue
        # "Title | Site", "Title - Site Name": the part after a lone separator names the site.
        line = _without_site_name(re.split(r"\s\|\s", line)[0])
        if _is_prose(line):
            # the first sentence with a byline or a date under it is the headline, not the lead
            if first and _headline_sentence(line) and i + 1 < len(flat) and _is_chrome(lines[i + 1], flat[i + 1]):
                headline_sentence, first = line, False
                continue
            if headline_sentence is not None:
                return headline_sentence
            if i + 1 < len(flat) and _standalone_title(lines, flat, blank_after, i + 1):
                return flat[i + 1]
            return None
        # A field label ("Närvarande:", "Present:"): the body has begun. In Persian news a lone
        # "فرماندار:" is the kicker over the headline (who speaks in it).
        if line.endswith(":") and len(line.split()) == 1 and not _ARABIC_SCRIPT_RE.match(line):
            return None
        # A kicker or lead-in ("X خبر داد:", "I pledge to;"), a short sentence, a letterhead:
        # not the title, which may come next.
        if leads_in(line) or _SENTENCE_END_RE.search(line) or _is_letterhead(line):
            if headline_sentence is None and _headline_sentence(line) and (line.isupper() or first):
                headline_sentence = line
            first = False
            continue
        title, last = line, i
        for k, (raw_next, following) in enumerate(zip(lines[i + 1:], flat[i + 1:]), start=i + 1):
            # a lower-case line after a blank line is a tag line, not the title's wrapped end
            if (following == line or not _continues(title, following) or _is_chrome(raw_next, following)
                    or (blank_after[k - 1] and not following.isupper()) or len(title) + 1 + len(following) > MAX_TITLE_CHARS):
                break
            title, last = f"{title} {following}", k
        if not _named_below(title, _text_below(text, lines[i:last + 1])):
            continue
        return _SPACED_RE.sub(lambda m: m.group().replace(" ", ""), title)
    return None
