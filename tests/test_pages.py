"""The web pages without a browser: sessions, CSRF, security headers, the interface languages,
filters and exports, through the real app over the session's corpus index (`corpus_app`).
`test_browser.py` drives the same pages in Chromium."""

from __future__ import annotations

import csv
import html
import io
import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import create_key, revoke_key
from api.pages import export, i18n
from api.pages.sessions import COOKIE, Sessions

GOTLAND = "002_6654c4057f6be88f"
VARNAMO = "004_66e64ba19e0754aa"


@pytest.fixture(scope="module")
def keyed(settings_factory, corpus_app):
    """An app with keys on over the corpus: (settings, client, {"reader", "editor"})."""
    settings = settings_factory(rate_limit=0)
    keys = {"reader": create_key(settings.data_dir, "reader", ["read"]), "editor": create_key(settings.data_dir, "editor", ["read", "write"])}
    with TestClient(create_app(settings, app=corpus_app), follow_redirects=False) as client:
        yield settings, client, keys


@pytest.fixture(scope="module")
def open_client(settings_factory, corpus_app):
    with TestClient(create_app(settings_factory(open_access=True, rate_limit=0), app=corpus_app), follow_redirects=False) as client:
        yield client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client: TestClient, key: str, next_url: str = "/search"):
    client.cookies.clear()
    token = csrf_of(client.get("/sign-in").text)
    return client.post("/sign-in", data={"csrf": token, "key": key, "next": next_url})


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inline, self.handlers, self.styles = [], [], []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and "src" not in names:
            self.inline.append(tag)
        self.handlers += [name for name in names if name.startswith("on")]
        self.styles += [name for name in names if name == "style"]
        if tag == "style":
            self.styles.append(tag)


class TestSessions:
    def test_pages_need_a_session_and_api_keys_do_not_open_them(self, keyed):
        _, client, keys = keyed
        client.cookies.clear()
        response = client.get("/compare?topic=x")
        assert response.status_code == 303 and response.headers["location"] == "/sign-in?next=%2Fcompare%3Ftopic%3Dx"
        # A key sent as the API takes it is not a session: pages are for signed-in browsers.
        assert client.get("/search", headers={"X-API-Key": keys["reader"]}).status_code == 303

    def test_sign_in_sets_a_strict_http_only_cookie_and_never_the_key(self, keyed):
        _, client, keys = keyed
        response = sign_in(client, keys["reader"], "/compare?topic=x")
        assert response.status_code == 303 and response.headers["location"] == "/compare?topic=x"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        assert keys["reader"] not in cookie
        page = client.get("/search")
        assert page.status_code == 200 and "Signed in as reader" in page.text and keys["reader"] not in page.text

    def test_sign_in_rotates_the_session(self, keyed):
        _, client, keys = keyed
        client.cookies.clear()
        client.get("/sign-in")
        before = client.cookies.get(COOKIE)
        token = csrf_of(client.get("/sign-in").text)
        client.post("/sign-in", data={"csrf": token, "key": keys["reader"], "next": "/search"})
        assert client.cookies.get(COOKIE) not in (None, before)

    def test_wrong_key_is_refused_on_the_form(self, keyed):
        _, client, _ = keyed
        response = sign_in(client, "ahadi_0123456789ab_" + "x" * 30)
        assert response.status_code == 401 and "not valid" in response.text
        assert client.get("/search").status_code == 303

    def test_sign_out_ends_the_session(self, keyed):
        _, client, keys = keyed
        sign_in(client, keys["reader"])
        stolen = client.cookies.get(COOKIE)
        token = csrf_of(client.get("/search").text)
        response = client.post("/sign-out", data={"csrf": token})
        assert response.status_code == 303 and response.headers["location"] == "/sign-in?signed_out=1"
        client.cookies.set(COOKIE, stolen)  # the old id is worth nothing now
        assert client.get("/search").status_code == 303

    def test_revoking_the_key_ends_its_sessions(self, keyed):
        settings, client, _ = keyed
        key = create_key(settings.data_dir, "temporary", ["read"])
        sign_in(client, key)
        assert client.get("/search").status_code == 200
        assert revoke_key(settings.data_dir, key)
        assert client.get("/search").status_code == 303

    def test_read_key_cannot_add_documents(self, keyed):
        _, client, keys = keyed
        sign_in(client, keys["reader"])
        assert 'href="/add"' not in client.get("/search").text
        page = client.get("/add")
        assert page.status_code == 403 and "write" in page.text

    def test_sessions_expire_when_unused(self):
        now = [1000.0]
        sessions = Sessions(lifetime_seconds=60, clock=lambda: now[0])
        session_id, session = sessions.start("abc")
        now[0] += 59
        assert sessions.get(session_id) is session  # use renews it
        now[0] += 59
        assert sessions.get(session_id) is session
        now[0] += 61
        assert sessions.get(session_id) is None
        assert sessions.get("made-up") is None and sessions.get(None) is None


class TestCsrf:
    def test_forms_without_their_token_are_refused(self, keyed):
        _, client, keys = keyed
        client.cookies.clear()
        client.get("/sign-in")
        assert client.post("/sign-in", data={"key": keys["reader"], "next": "/search"}).status_code == 403
        assert client.post("/sign-in", data={"csrf": "forged", "key": keys["reader"]}).status_code == 403
        sign_in(client, keys["editor"])
        refused = client.post("/add", data={"csrf": "forged"}, files={"files": ("a.txt", "Polisen lovar att hjälpa.".encode(), "text/plain")})
        assert refused.status_code == 403 and "expired" in refused.text
        assert client.post("/sign-out", data={}).status_code == 403

    def test_sign_in_goes_back_only_to_this_site(self, keyed):
        _, client, keys = keyed
        for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
            assert sign_in(client, keys["reader"], target).headers["location"] == "/search"


class TestOpenAccess:
    def test_pages_are_open_and_show_no_sign_in(self, open_client):
        page = open_client.get("/search")
        assert page.status_code == 200 and "/sign-out" not in page.text and 'href="/add"' in page.text
        assert open_client.get("/add").status_code == 200


class TestHeaders:
    @pytest.mark.parametrize("url", ["/search", "/search?q=safety+walks", f"/documents/{GOTLAND}", "/compare?topic=domestic+violence",
                                     "/commitments", "/add", "/sign-in", "/documents/none-such"])
    def test_security_headers_and_no_inline_script(self, open_client, url):
        response = open_client.get(url)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp and "form-action 'self'" in csp
        assert response.headers["x-frame-options"] == "DENY" and response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-store"
        parser = _Scripts()
        parser.feed(response.text)
        assert parser.inline == [] and parser.handlers == [] and parser.styles == []

    def test_static_files_are_served_from_the_package(self, open_client):
        script = open_client.get("/static/ahadi.js")
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]
        assert "cache-control" not in script.headers
        assert open_client.get("/static/ahadi.css").status_code == 200

    def test_api_keeps_its_own_policy(self, open_client):
        assert open_client.get("/v1/health").headers["content-security-policy"].startswith("default-src 'none'; frame-ancestors")


class TestLanguages:
    def test_catalogs_translate_every_string_with_the_same_placeholders(self):
        with open(i18n.LOCALE_DIR / "messages.pot", "rb") as pot:
            wanted = {m.id for m in read_po(pot) if m.id}
        placeholder = re.compile(r"%\(\w+\)[sd]")
        for code in i18n.UI_LANGUAGES[1:]:
            with open(i18n.LOCALE_DIR / code / "LC_MESSAGES" / "messages.po", "rb") as po:
                catalog = read_po(po)
            assert {m.id for m in catalog if m.id} == wanted, code
            for message in catalog:
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                assert all(strings) and not message.fuzzy, (code, message.id)
                for string in strings:
                    assert sorted(placeholder.findall(string)) == sorted(placeholder.findall(ids[-1])), (code, message.id, string)

    @pytest.mark.parametrize(("header", "expected"), [
        ("sv-SE,sv;q=0.9,en;q=0.8", "sv"), ("de-DE,fa;q=0.5", "fa"), ("sr-Latn-ME", "cnr"), ("bs", "cnr"),
        ("de, fr;q=0.5", "en"), ("", "en"), ("en;q=0.2, sw;q=0.9", "sw"), ("sv;q=0", "en"),
    ])
    def test_accept_language(self, open_client, header, expected):
        page = open_client.get("/sign-in", headers={"accept-language": header})
        assert f'<html lang="{expected}" dir="{"rtl" if expected == "fa" else "ltr"}">' in page.text
        assert page.headers["content-language"] == expected

    def test_switcher_remembers_the_choice_and_returns(self, open_client):
        response = open_client.get("/language/fa?next=%2Fsearch%3Fq%3Dx")
        assert response.status_code == 303 and response.headers["location"] == "/search?q=x"
        page = open_client.get("/commitments", headers={"accept-language": "sv"})
        assert page.text.count('dir="rtl"') >= 1 and '<html lang="fa" dir="rtl">' in page.text and "تعهدها" in page.text
        assert open_client.get("/language/xx?next=https://evil.example").headers["location"] == "/search"
        open_client.cookies.clear()

    def test_passages_carry_their_language_and_direction(self, open_client):
        page = open_client.get("/search", params={"q": "گشت‌های امنیت محله", "language": "fa"})
        assert re.search(r'<blockquote class="passage" lang="fa" dir="rtl">', page.text)
        assert '<span class="language" lang="fa" dir="rtl">فارسی</span>' in page.text


class TestFilters:
    def test_year_filter_finds_documents_dated_only_by_year(self, open_client):
        page = open_client.get("/search", params={"q": "medborgarlöfte", "year": "2023"})
        assert f"/documents/{VARNAMO}#" in page.text  # Värnamo's pledge has a year and no date
        assert f"/documents/{GOTLAND}#" not in page.text

    def test_facets_count_documents_and_chips_remove_filters(self, open_client):
        page = open_client.get("/search", params={"q": "safety", "language": "sv"}).text
        assert "2 documents under these filters" in page
        chip = re.search(r'<a class="chip" href="([^"]+)">', page).group(1)
        assert chip == "/search?q=safety"
        organisations = re.search(r"<h3>Organisation</h3>(.*?)</section>", page, re.S).group(1)
        assert "Region Gotland" in organisations and "(1)" in organisations

    def test_a_region_is_listed_under_the_region_it_lies_within(self, open_client):
        page = open_client.get("/search", params={"q": "safety"}).text
        regions = re.search(r"<h3>Region</h3>(.*?)</section>", page, re.S).group(1)
        items = [(depth or "0", re.sub(r"<[^>]+>|\s+", " ", text).strip())
                 for depth, text in re.findall(r'<li(?: class="depth-(\d)")?>(.*?)</li>', regions, re.S)]
        names = [text.rsplit("(", 1)[0].strip() for _, text in items]
        assert names.index("Gotland") == names.index("Gotlands län") + 1, items
        assert items[names.index("Gotland")][0] == "1" and items[names.index("Gotlands län")][0] == "0", items

    def test_bad_filter_is_a_page_not_a_crash(self, open_client):
        page = open_client.get("/search", params={"q": "x", "year": "twenty"})
        assert page.status_code == 422 and "<h1>" in page.text and "year" in page.text

    def test_unknown_document_is_404(self, open_client):
        page = open_client.get("/documents/none-such")
        assert page.status_code == 404 and "none-such" in page.text


def _table_confidences(page: str) -> list[float]:
    return [float(v) for v in re.findall(r'<td class="confidence">([^<]+)</td>', page)]


def _card_confidences(page: str) -> list[float]:
    return [float(v) for v in re.findall(r'<div class="confidence"><dt>[^<]+</dt><dd>([^<]+)</dd></div>', page)]


def _stored_confidences(client: TestClient, page: str) -> list[float]:
    """The unrounded confidences of every commitment of the documents a page links to, from the API."""
    doc_ids = dict.fromkeys(re.findall(r'<h3><a href="/documents/([^"#]+)"', page))
    listed = [client.get(f"/v1/documents/{doc_id}/commitments").json()["commitments"] for doc_id in doc_ids]
    return [c["commitment"]["confidence"] for items in listed for c in items if c["commitment"].get("confidence") is not None]


class TestLeastConfidence:
    """The commitment pages' "Confidence at least" choice, as `min_confidence` on the API."""

    def test_compare_keeps_only_surer_commitments_in_the_table_and_its_files(self, open_client):
        assert min(_table_confidences(open_client.get("/compare", params={"topic": "domestic violence"}).text)) < 0.85
        params = {"topic": "domestic violence", "min_confidence": "0.85"}
        page = open_client.get("/compare", params=params).text
        shown = _table_confidences(page)
        assert shown and min(shown) >= 0.85
        assert '<option value="0.85" selected>' in page
        assert re.search(r'href="/compare\.csv\?topic=domestic\+violence&amp;min_confidence=0\.85"', page)
        rows = list(csv.DictReader(io.StringIO(open_client.get("/compare.csv", params=params).content.decode("utf-8-sig"))))
        assert sorted(f"{float(row['confidence']):.2f}" for row in rows) == sorted(f"{c:.2f}" for c in shown)

    def test_commitment_search_and_browsing_keep_only_surer_commitments(self, open_client):
        found = _card_confidences(open_client.get("/commitments", params={"q": "safety walks", "min_confidence": "0.9"}).text)
        assert found and min(found) >= 0.9
        every = _stored_confidences(open_client, open_client.get("/commitments").text)
        surest = _card_confidences(open_client.get("/commitments", params={"min_confidence": "0.95"}).text)
        assert min(every) < 0.95 and surest and min(surest) >= 0.95
        assert len(surest) == sum(c >= 0.95 for c in every)

    def test_facet_links_keep_the_bound(self, open_client):
        page = open_client.get("/commitments", params={"q": "safety", "min_confidence": "0.85"}).text
        links = re.findall(r'<a href="(/commitments\?[^"]+)">', re.search(r'<aside class="facets".*?</aside>', page, re.S).group(0))
        assert links and all("min_confidence=0.85" in html.unescape(link) for link in links)

    @pytest.mark.parametrize("value, problem", [("2", "less than or equal to 1"), ("lots", "valid number")])
    def test_a_bound_that_is_no_confidence_is_refused_on_the_page(self, open_client, value, problem):
        page = open_client.get("/compare", params={"topic": "safety", "min_confidence": value})
        assert page.status_code == 422 and "min_confidence" in page.text and problem in page.text

    @pytest.mark.parametrize("params", [{"q": "safety walks", "min_confidence": "0.85"}, {"min_confidence": "0.85"}])
    def test_the_passage_search_refuses_a_bound_it_cannot_apply(self, open_client, params):
        """Passages have no confidence: the page says so, as the API does, rather than carry the bound
        along in its links and show every passage."""
        page = open_client.get("/search", params=params)
        assert page.status_code == 422 and "min_confidence is for commitment searches only" in page.text


class TestExport:
    def test_csv_and_xlsx_hold_the_table_rows(self, open_client):
        from openpyxl import load_workbook

        params = {"topic": "domestic violence"}
        page = open_client.get("/compare", params=params).text
        shown = page.count("<th scope=\"row\">")
        csv_response = open_client.get("/compare.csv", params=params)
        assert csv_response.headers["content-disposition"] == 'attachment; filename="ahadi-commitments.csv"'
        rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
        assert rows[0] == list(export.COLUMNS) and len(rows) - 1 == shown > 0
        book = load_workbook(io.BytesIO(open_client.get("/compare.xlsx", params=params).content))
        cells = [["" if v is None else str(v) for v in row] for row in book.active.iter_rows(values_only=True)]
        assert cells == rows
        # an item of a list carries the lead-in it was listed under, on the page and in the files
        table = [dict(zip(rows[0], row)) for row in rows[1:]]
        treatment = next(row for row in table if "Alternativ Till Våld" in row["commitment"])
        assert treatment["listed_under"].startswith("Polisen på Gotland och Region Gotland ska")
        # the page shortens a long lead-in and keeps it whole in the cell's title
        assert f'<td class="listed-under" lang="sv" dir="auto" title="{html.escape(treatment["listed_under"])}">Polisen på Gotland' in page
        # each row shows how sure the extractor is, in the files too
        assert f'<td class="confidence">{float(treatment["confidence"]):.2f}</td>' in page

    def test_cells_are_never_formulas(self):
        from openpyxl import load_workbook

        row = {"region": "=HYPERLINK(\"https://evil.example\")", "commitment": "+1", "actors": "@x", "year": 2020}
        text = export.to_csv([row]).decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "'+1" in text and "'@x" in text
        sheet = load_workbook(io.BytesIO(export.to_xlsx([row], "t"))).active
        values = [cell.value for cell in sheet[2]]
        assert values[0] == row["region"] and sheet["A2"].data_type == "s" and values[2] == 2020
