"""The pages' interface language: English, Swedish, Swahili, Montenegrin or Persian.

The catalogs are gettext `.po` files under `locale/<code>/LC_MESSAGES/messages.po`, read with Babel
when first used (no compiled `.mo` to build or keep in step). The language is the one chosen with
the switcher (a cookie), else the best of `Accept-Language`, else English. To add strings: mark
them `_("...")` in the templates, then
`pybabel extract -F api/pages/babel.cfg -o api/pages/locale/messages.pot api/pages` and
`pybabel update -i api/pages/locale/messages.pot -d api/pages/locale -D messages`.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from fastapi import Request

from core.languages import LANGUAGE_ENDONYMS, RTL_LANGUAGES, family_of, normalize_language

UI_LANGUAGES = ("en", "sv", "sw", "cnr", "fa")
DEFAULT = "en"
COOKIE = "ahadi_ui"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: ContextVar[gettext.NullTranslations] = ContextVar("ui_translations", default=gettext.NullTranslations())


@cache
def translations(code: str) -> gettext.NullTranslations:
    if code == DEFAULT:
        return gettext.NullTranslations()
    with open(LOCALE_DIR / code / "LC_MESSAGES" / "messages.po", "rb") as po:
        catalog = read_po(po)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def ui_code(tag: str | None) -> str | None:
    """The interface language for a language tag (`sv-SE` → sv; any Serbo-Croatian variant → cnr)."""
    code = normalize_language(tag) if tag else None
    if code in UI_LANGUAGES:
        return code
    return "cnr" if code and family_of(code) == "hbs" else None


def choose(request: Request) -> str:
    chosen = request.cookies.get(COOKIE)
    if chosen in UI_LANGUAGES:
        return chosen
    weighted = []
    for position, part in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        code = ui_code(tag.strip())
        if code and quality > 0:
            weighted.append((-quality, position, code))
    return min(weighted)[2] if weighted else DEFAULT


def direction(code: str | None) -> str:
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def endonym(code: str | None) -> str:
    return LANGUAGE_ENDONYMS.get(code or "", code or "?")


def activate(code: str) -> object:
    return _current.set(translations(code))


def deactivate(token) -> None:
    _current.reset(token)


def gettext_(message: str) -> str:
    return _current.get().gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return _current.get().ngettext(singular, plural, n)
