"""The web pages in a real browser (headless Debian chromium through Playwright), doing what a
policy officer does: ask in English and find the Swedish pledge, filter and unfilter, read a
document, follow precedents, compare regions and download the table, sign in and out, switch to
Persian, upload as an editor; and axe-core on every page.

One server for the module, over its own index of the five corpus documents (the upload test adds
to it), with API keys on: a reader and an editor. Pages run under their real Content-Security-
Policy, and any CSP violation reported by the browser fails the test that caused it.
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from tests.browser import chromium_missing, launch, serve

ROOT = Path(__file__).resolve().parents[1]
GOTLAND = "002_6654c4057f6be88f"
QUESTION = "Which treatment programme for violent men is promised?"

_missing = chromium_missing()
if _missing and os.environ.get("CI"):
    raise RuntimeError(f"CI must run the browser tests: {_missing}")
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.skipif(bool(_missing), reason=_missing or "")]


@pytest.fixture(scope="module")
def site(settings_factory, encoder):
    """The app over the corpus, served on a local port: (base URL, {"reader": key, "editor": key})."""
    from api.app import create_app
    from api.keys import create_key
    from service.facade import Ahadi

    settings = settings_factory(rate_limit=0)
    keys = {"reader": create_key(settings.data_dir, "reader", ["read"]),
            "editor": create_key(settings.data_dir, "editor", ["read", "write"])}
    ahadi = Ahadi(settings, encoder=encoder)
    assert len(ahadi.ingest([ROOT / "corpus"]).written) == 5
    with serve(create_app(settings, app=ahadi)) as base:
        yield base, keys
    ahadi.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site):
    """A fresh browser context (no cookies) whose page fails the test on a CSP violation."""
    context = browser.new_context(base_url=site[0], accept_downloads=True, locale="en-GB")
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert not violations, violations


def sign_in(page, key: str, then: str = "/search") -> None:
    page.goto(then)
    assert "/sign-in" in page.url  # every page needs a session
    page.fill("#key", key)
    page.click("form.sign-in button[type=submit]")
    page.wait_for_url(re.compile(re.escape(then) + "$"))


def ask(page, question: str) -> None:
    page.fill("#q", question)
    page.press("#q", "Enter")
    page.wait_for_selector("ol.cards li.card")


class TestSearch:
    def test_english_question_finds_the_swedish_pledge_first(self, page, site):
        sign_in(page, site[1]["reader"])
        ask(page, QUESTION)
        first = page.locator("ol.cards li.card").first
        assert first.locator("h3 a").inner_text() == "Medborgarlöfte 2020 är signerat"
        assert first.locator("h3 a").get_attribute("href").startswith(f"/documents/{GOTLAND}#p")
        passage = first.locator("blockquote.passage")
        assert passage.get_attribute("lang") == "sv" and passage.get_attribute("dir") == "ltr"
        assert "Alternativ Till Våld" in passage.inner_text()
        assert first.locator(".language").inner_text() == "svenska"
        assert "Gotland" in first.locator(".meta").inner_text()
        assert f"q={QUESTION.replace(' ', '+').replace('?', '%3F')}" in page.url  # the state is in the URL

    def test_filter_by_language_then_remove_the_chip(self, page, site):
        sign_in(page, site[1]["reader"])
        ask(page, "How do police and municipality involve residents in crime prevention?")
        assert len(set(page.locator("ol.cards .language").all_inner_texts())) > 1
        page.locator(".facets section", has=page.locator("h3", has_text="Language")).locator("a", has_text="فارسی").click()
        page.wait_for_url(re.compile(r"language=fa"))
        assert set(page.locator("ol.cards .language").all_inner_texts()) == {"فارسی"}
        assert all(d == "rtl" for d in page.locator("ol.cards blockquote.passage").evaluate_all("els => els.map(e => e.dir)"))
        chip = page.locator(".chips a.chip")
        assert chip.count() == 1 and "فارسی" in chip.inner_text()
        chip.click()
        page.wait_for_url(lambda url: "language=" not in url)
        assert page.locator(".chips a.chip").count() == 0
        assert len(set(page.locator("ol.cards .language").all_inner_texts())) > 1

    def test_hybrid_mode_is_an_option(self, page, site):
        sign_in(page, site[1]["reader"])
        page.fill("#q", "medborgarlöfte Gotland")
        page.select_option("#mode", "hybrid")
        page.press("#q", "Enter")
        page.wait_for_selector("ol.cards li.card")
        assert "mode=hybrid" in page.url
        assert page.locator("ol.cards li.card h3 a").first.inner_text() == "Medborgarlöfte 2020 är signerat"
        assert page.locator("ol.cards li.card mark").count() > 0


class TestDocumentAndPrecedents:
    def test_open_a_document_then_follow_precedents(self, page, site):
        sign_in(page, site[1]["reader"])
        ask(page, QUESTION)
        first = page.locator("ol.cards li.card").first
        first.locator("h3 a").click()
        page.wait_for_url(re.compile(f"/documents/{GOTLAND}"))
        assert page.locator("h1").inner_text() == "Medborgarlöfte 2020 är signerat"
        metadata = page.locator("dl.metadata").inner_text()
        assert "Gotland" in metadata and "2020-02-24" in metadata and "Citizen pledge" in metadata
        commitments = page.locator("ol.commitments > li")
        assert commitments.count() >= 4
        assert "Alternativ Till Våld" in page.locator("ol.commitments").inner_text()
        details = page.locator("ol.commitments dl.details").first.inner_text()
        assert "Actor" in details and "Polisen" in details and "2020" in details
        assert page.locator("ol.passages > li").count() > 5
        similar = page.locator("ul.similar .language").all_inner_texts()
        assert similar and "svenska" not in similar

        page.go_back()
        page.locator("ol.cards li.card").first.locator("a", has_text="Precedents in other languages").click()
        page.wait_for_url(re.compile(f"/precedents/{GOTLAND}\\?chunk=\\d+"))
        assert "Alternativ Till Våld" in page.locator("main > blockquote.passage").inner_text()
        languages = set(page.locator("ol.cards .language").all_inner_texts())
        assert languages and "svenska" not in languages  # other languages only


class TestCompare:
    def test_compare_domestic_violence_and_download_csv_and_xlsx(self, page, site, tmp_path):
        from openpyxl import load_workbook

        sign_in(page, site[1]["reader"], then="/compare")
        page.fill("#topic", "domestic violence")
        page.press("#topic", "Enter")
        page.wait_for_selector("table.compare tbody tr")
        rows = page.locator("table.compare tbody tr")
        regions = set(rows.locator("th").all_inner_texts())
        assert any(r.startswith("Gotland") for r in regions) and any(r.startswith("Berane") for r in regions)
        gotland = rows.filter(has=page.locator("th", has_text="Gotland"))
        assert "2020" in gotland.first.locator("td").nth(0).inner_text()
        assert gotland.first.locator("td a").get_attribute("href") == f"/documents/{GOTLAND}"
        shown = rows.count()

        with page.expect_download() as csv_download:
            page.click("p.exports a:text('CSV')")
        table = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text(encoding="utf-8-sig"))))
        assert len(table) == shown
        assert {row["region"] for row in table} >= {"Gotland", "Berane"}
        treatment = [row for row in table if "Alternativ Till Våld" in row["commitment"]]
        assert treatment and treatment[0]["year"] == "2020" and treatment[0]["quantity"] == "fem"
        assert treatment[0]["doc_id"] == GOTLAND and "Polisen" in treatment[0]["actors"]
        assert treatment[0]["listed_under"].startswith("Polisen på Gotland och Region Gotland ska")
        assert any("dužni da isto prijave" in row["commitment"] for row in table if row["region"] == "Berane")

        with page.expect_download() as xlsx_download:
            page.click("p.exports a:text('Excel (XLSX)')")
        assert xlsx_download.value.suggested_filename.endswith(".xlsx")
        sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
        cells = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert cells[0] == list(table[0].keys())
        assert cells[1:] == [list(row.values()) for row in table]

    def test_keep_only_commitments_the_extractor_is_surer_of(self, page, site):
        sign_in(page, site[1]["reader"], then="/compare?topic=domestic+violence")
        cells = page.locator("table.compare tbody td.confidence")
        assert min(float(text) for text in cells.all_inner_texts()) < 0.85
        page.select_option("#min_confidence", "0.85")
        page.click("form.search button[type=submit]")
        page.wait_for_url(re.compile(r"min_confidence=0\.85"))
        shown = [float(text) for text in cells.all_inner_texts()]
        assert shown and min(shown) >= 0.85
        assert page.locator("#min_confidence").input_value() == "0.85"  # the choice stays on the page
        assert "min_confidence=0.85" in page.locator("p.exports a:text('CSV')").get_attribute("href")


class TestCommitments:
    def test_search_and_browse_commitments_with_filters(self, page, site):
        sign_in(page, site[1]["reader"], then="/commitments")
        documents = page.locator("section.card")
        assert documents.count() == 5
        page.locator(".facets section", has=page.locator("h3", has_text="Year")).locator("a", has_text="2023").click()
        page.wait_for_url(re.compile(r"year=2023"))
        titles = page.locator("section.card h3").all_inner_texts()
        # Värnamo's pledge has a year but no date: the year filter still finds it.
        assert len(titles) == 2 and any("medborgarlöfte" in t.lower() for t in titles)
        page.locator(".chips a.chip").click()
        page.wait_for_url(lambda url: "year=" not in url)
        ask(page, "pledges about domestic violence")
        cards = page.locator("ol.cards li.card")
        texts = cards.locator("p.passage").all_inner_texts()
        assert any("Alternativ Till Våld" in text for text in texts[:5])  # Gotland's pledge item, found from English
        assert cards.locator("dl.details").count() > 0 and "Polisen" in cards.locator("dl.details").first.inner_text()
        assert cards.first.locator("p.passage").get_attribute("lang") in {"sv", "cnr", "fa", "sw", "en"}


class TestAccess:
    def test_sign_in_and_out(self, page, site):
        page.goto("/compare?topic=safety")
        assert "/sign-in?next=" in page.url
        page.fill("#key", "ahadi_000000000000_not-a-real-key-at-all")
        page.click("form.sign-in button[type=submit]")
        assert page.locator(".problem").is_visible() and "/search" not in page.url
        page.fill("#key", site[1]["reader"])
        page.click("form.sign-in button[type=submit]")
        page.wait_for_url(re.compile(r"/compare\?topic=safety$"))  # back where the officer was going
        assert "Signed in as reader" in page.locator("form.sign-out").inner_text()
        assert page.locator("a[href='/add']").count() == 0  # a read key cannot add documents

        cookies = {c["name"]: c for c in page.context.cookies()}
        session = cookies["ahadi_session"]
        assert session["httpOnly"] and session["sameSite"] == "Strict"
        assert site[1]["reader"] not in page.content()
        assert all(site[1]["reader"] not in c["value"] for c in cookies.values())
        assert page.evaluate("document.cookie") == ""  # nothing script can read

        page.click("form.sign-out button[type=submit]")
        page.wait_for_url(re.compile(r"/sign-in\?signed_out=1"))
        assert page.locator("[role=status]").inner_text() == "You are signed out."
        page.goto("/search")
        assert "/sign-in" in page.url

    def test_read_key_cannot_open_add_documents(self, page, site):
        sign_in(page, site[1]["reader"])
        response = page.goto("/add")
        assert response.status == 403


class TestLanguages:
    def test_switch_to_persian_lays_the_page_out_right_to_left(self, page, site):
        sign_in(page, site[1]["reader"])
        ask(page, QUESTION)
        page.click("ul.languages a[lang=fa]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert page.locator("html").get_attribute("lang") == "fa"
        assert page.locator("h1").inner_text() == "جستجو"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert "q=" in page.url  # back on the same results
        # A Swedish passage inside the Persian page stays left to right.
        assert page.locator("ol.cards blockquote.passage[lang=sv]").first.evaluate("e => getComputedStyle(e).direction") == "ltr"
        page.click("ul.languages a[lang=sv]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("dir") == "ltr" and page.locator("h1").inner_text() == "Sök"

    def test_accept_language_picks_the_interface(self, browser, site):
        context = browser.new_context(base_url=site[0], locale="sw-KE")
        page = context.new_page()
        page.goto("/sign-in")
        assert page.locator("html").get_attribute("lang") == "sw" and page.locator("h1").inner_text() == "Ingia"
        context.close()


class TestUpload:
    def test_editor_uploads_files_and_sees_the_summary(self, page, site, tmp_path):
        good = tmp_path / "ystad-trygghetsvandring.txt"
        good.write_text(
            "Medborgarlöfte för Ystad 2025\n\nPolisen och Ystads kommun lovar att genomföra fyra trygghetsvandringar "
            "i centrum under hösten 2025 tillsammans med boende och föreningar.\n", encoding="utf-8",
        )
        empty = tmp_path / "empty.txt"
        empty.write_text("", encoding="utf-8")
        sign_in(page, site[1]["editor"], then="/add")
        page.set_input_files("#files", [str(good), str(empty)])
        page.evaluate("window.stillTheSamePage = true")
        page.click("#upload-form button[type=submit]")
        report = page.locator("#report")
        report.wait_for(timeout=120_000)
        assert page.url.endswith("/add")
        assert report.locator("a[href='/documents/ystad-trygghetsvandring']").count() == 1
        skipped = report.locator("table tbody tr")
        assert skipped.count() == 1 and "empty.txt" in skipped.inner_text() and skipped.locator("td").nth(1).inner_text()
        # The script sent the form and put the summary in place (no navigation), after its progress bar.
        assert page.evaluate("window.stillTheSamePage") is True

        page.goto("/search?q=trygghetsvandringar+i+Ystad")
        assert page.locator("ol.cards li.card h3 a").first.get_attribute("href").startswith("/documents/ystad-trygghetsvandring#")

    def test_upload_without_javascript(self, browser, site, tmp_path):
        context = browser.new_context(base_url=site[0], java_script_enabled=False)
        page = context.new_page()
        sign_in(page, site[1]["editor"], then="/add")
        bad = tmp_path / "notes.exe"
        bad.write_bytes(b"MZ\x00\x01")
        page.set_input_files("#files", [str(bad)])
        page.click("#upload-form button[type=submit]")
        report = page.locator("#report")
        report.wait_for()
        assert "notes.exe" in report.locator("table").inner_text()
        context.close()


AXE = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")
PAGES = [
    "/search", f"/search?q={QUESTION}", "/search?q=safety+walks&language=sv&mode=hybrid",
    f"/documents/{GOTLAND}", f"/precedents/{GOTLAND}?chunk=3", "/compare", "/compare?topic=domestic+violence",
    "/commitments", "/commitments?q=safety+walks&year=2020", "/add", "/documents/no-such-document",
]


class TestAccessibility:
    def _violations(self, page) -> list[str]:
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        assert len(result["passes"]) > 10  # axe really ran over the page
        return [
            f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]

    @pytest.mark.parametrize("ui", ["en", "fa"])
    def test_no_serious_or_critical_violations_on_any_page(self, browser, site, ui):
        # axe is injected by the test, so this context lets it past the pages' CSP.
        context = browser.new_context(base_url=site[0], bypass_csp=True, locale="fa-IR" if ui == "fa" else "en-GB")
        page = context.new_page()
        found = []
        page.goto("/sign-in")
        found += self._violations(page)
        page.fill("#key", site[1]["editor"])
        page.click("form.sign-in button[type=submit]")
        page.wait_for_url(re.compile(r"/search$"))
        for url in PAGES:
            page.goto(url)
            assert page.locator("html").get_attribute("lang") == ui
            found += self._violations(page)
        context.close()
        assert not found, "\n".join(found)
