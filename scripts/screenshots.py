"""Regenerate the reviewable screenshots (docs/screenshots/): the example's HTML report, the
progress bulletin of examples/progress/, and each page of the web workbench
(``ecoassess serve``) with the example data uploaded.

    python scripts/screenshots.py

Uses Debian's Chromium through Playwright (never Playwright's own browser download).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from engine import evaluate, load_criteria, load_data, render, search_path

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "baoshan_2016.yaml"
WORKBOOK = REPO / "examples" / "baoshan_2016.xlsx"
BATCH = REPO / "examples" / "baoshan_batch"
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


def progress_html() -> str:
    """The progress bulletin of the three 2017 check-ins in examples/progress/."""
    from engine.evaluation.progress import Snapshot, compare
    from engine.reports.progress import render_progress

    criteria = load_criteria("yunnan_2014", search_path())
    snapshots = [
        Snapshot(path.name, evaluate(criteria, load_data(path, criteria)))
        for path in sorted((REPO / "examples" / "progress").glob("*.yaml"))
    ]
    html = render_progress(compare(criteria, snapshots), "html", "zh")
    assert isinstance(html, str)
    return html


@contextmanager
def serving() -> Iterator[str]:
    """The workbench on a free port of 127.0.0.1, on the real server in a background
    thread: its base address."""
    from engine.web.server import background, make_server

    with background(make_server("127.0.0.1", 0)) as base:
        yield base


def web_screenshots(browser: Any, base: str) -> None:
    """One screenshot of each workbench page, in Chinese, with the example data."""
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    shots = [
        ("web-criteria", lambda: page.goto(f"{base}/criteria")),
        ("web-criteria-set", lambda: page.goto(f"{base}/criteria/yunnan_2014")),
        ("web-check", lambda: page.goto(f"{base}/check")),
        ("web-report", lambda: _upload(page, base, "/check", [WORKBOOK])),
        ("web-batch", lambda: _upload(page, base, "/batch", _data_files(BATCH))),
        ("web-diff", lambda: page.goto(f"{base}/diff?a=yunnan_2014&b=national_demo_area")),
    ]
    for name, show in shots:
        show()
        page.screenshot(path=OUT / f"{name}.png")
        print(f"wrote {OUT / f'{name}.png'}")
    page.close()


def _data_files(folder: Path) -> list[Path]:
    from engine.data.sources import DATA_SUFFIXES

    return sorted(p for p in folder.iterdir() if p.suffix.lower() in DATA_SUFFIXES)


def _upload(page: Any, base: str, path: str, files: list[Path]) -> None:
    page.goto(f"{base}{path}")
    form = page.locator(f"form[action='{path}']")
    form.locator("select[name=criteria]").select_option("yunnan_2014")
    form.locator("input[type=file]").set_input_files([str(f) for f in files])
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


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
        progress_file = Path(folder) / "progress.html"
        progress_file.write_text(progress_html(), encoding="utf-8")
        page = browser.new_page(viewport={"width": 1200, "height": 1100})
        page.goto(progress_file.as_uri())
        page.screenshot(path=OUT / "progress-zh.png")
        print(f"wrote {OUT / 'progress-zh.png'}")
        with serving() as base:
            web_screenshots(browser, base)
        browser.close()


if __name__ == "__main__":
    main()
