"""Regenerate the reviewable screenshots of the example's HTML report (docs/screenshots/).

    python scripts/screenshots.py

Uses Debian's Chromium through Playwright (never Playwright's own browser download).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from engine import evaluate, load_criteria, load_data, render, search_path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "baoshan_2016.yaml"
OUT = REPO / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def example_html(lang: str) -> str:
    criteria = load_criteria("yunnan_2014", search_path())
    return render(evaluate(criteria, load_data(EXAMPLE, criteria)), criteria, "html", lang)


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for lang in ("zh", "en"):
            page_file = Path(folder) / f"report-{lang}.html"
            page_file.write_text(example_html(lang), encoding="utf-8")
            page = browser.new_page(viewport={"width": 1200, "height": 1400})
            page.goto(page_file.as_uri())
            page.screenshot(path=OUT / f"report-{lang}.png")
            print(f"wrote {OUT / f'report-{lang}.png'}")
        browser.close()


if __name__ == "__main__":
    main()
