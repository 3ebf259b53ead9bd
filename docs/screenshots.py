"""Take the README's screenshots of the web pages: the demo corpus in a temporary index, served
open on a local port, photographed by headless chromium (as the browser tests drive it).

    python docs/screenshots.py       # writes docs/screenshots/*.png
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")

SHOTS = {
    "search": ("en-GB", "/search?q=Which+treatment+programme+for+violent+men+is+promised%3F"),
    "document": ("en-GB", "/documents/002_6654c4057f6be88f"),
    "compare": ("en-GB", "/compare?topic=domestic+violence"),
    "search-fa": ("fa-IR", "/search?q=%DA%AF%D8%B4%D8%AA%E2%80%8C%D9%87%D8%A7%DB%8C+%D8%A7%D9%85%D9%86%DB%8C%D8%AA+%D9%85%D8%AD%D9%84%D9%87"),
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    from api.app import create_app
    from service.facade import Ahadi
    from service.settings import Settings
    from tests.browser import launch, serve

    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        settings = Settings.from_env(data_dir=data, open_access=True)
        ahadi = Ahadi(settings)
        ahadi.ingest([ROOT / "corpus"])
        with serve(create_app(settings, app=ahadi)) as base, sync_playwright() as playwright:
            browser = launch(playwright)
            for name, (locale, url) in SHOTS.items():
                context = browser.new_context(base_url=base, locale=locale, viewport={"width": 1000, "height": 760})
                page = context.new_page()
                page.goto(url)
                page.screenshot(path=str(out / f"{name}.png"))
                context.close()
                print(out / f"{name}.png")
            browser.close()
        ahadi.close()


if __name__ == "__main__":
    main()
