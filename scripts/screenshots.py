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


RETURN = REPO / "examples" / "workspace" / "市林业局_2017-01.csv"


@contextmanager
def serving_workspace(folder: Path) -> Iterator[str]:
    """A new workspace (yunnan_2014) in ``folder``, served by the workbench: its address."""
    from engine.web.server import background, make_server
    from engine.workspace.store import init

    init(folder, criteria=["yunnan_2014"])
    with background(make_server("127.0.0.1", 0, workspace=folder)) as base:
        yield base


def workspace_walkthrough(page: Any, base: str, shots: Path, evidence: Path) -> dict[str, Any]:
    """A campaign in the browser: import the city's return, check in, import a department's
    return, enter a value, attach evidence, check in again, read the dashboard and the
    bulletin, download the evidence bundle. Screenshots of each page go to ``shots``; what
    the pages showed is returned for the test to check."""
    seen: dict[str, Any] = {}

    def submit(form: Any) -> None:
        with page.expect_navigation():
            form.locator("button[type=submit]").click()

    def shot(name: str, full: bool = False) -> None:
        page.screenshot(path=shots / f"{name}.png", full_page=full)

    page.goto(f"{base}/workspace")
    form = page.locator("#ws-import")
    form.locator("input[type=file]").set_input_files([str(EXAMPLE)])
    form.locator("input[name=period]").fill("2016-12")
    submit(form)
    seen["first import"] = page.locator("#done").inner_text()
    page.locator("#checkin-name").fill("2016-12")
    submit(page.locator("#ws-checkin"))
    form = page.locator("#ws-import")
    form.locator("input[type=file]").set_input_files([str(RETURN)])
    form.locator("input[name=period]").fill("2017-01")
    submit(form)
    seen["department import"] = page.locator("#done").inner_text()
    page.locator("#ws-entities a").first.click()
    page.wait_for_load_state()
    row = page.locator("form.value-form:has(input[value=urban_sewage_treatment_rate])")
    row.locator("input[name=value]").fill("86%")
    row.locator("input[name=source]").fill("市住房城乡建设局")
    row.locator("input[name=period]").fill("2017-01")
    submit(row)
    seen["value"] = page.locator("#done").inner_text()
    form = page.locator("#ws-evidence")
    form.locator("select[name=target]").select_option("input:urban_sewage_treatment_rate")
    form.locator("input[type=file]").set_input_files([str(evidence)])
    submit(form)
    seen["evidence"] = page.locator("#done").inner_text()
    page.goto(f"{base}/workspace")
    page.locator("#checkin-name").fill("2017-01")
    submit(page.locator("#ws-checkin"))
    seen["dashboard rows"] = page.locator("#ws-entities tbody tr").count()
    seen["chart bars"] = page.locator("#ws-chart svg rect").count()
    shot("web-workspace", full=True)
    page.locator("#ws-entities a").first.click()
    page.wait_for_load_state()
    seen["verdict"] = page.locator("#verdict .word").inner_text()
    shot("web-workspace-entity")
    history = page.locator("a[href*='history?input=urban_sewage_treatment_rate']")
    history.click()
    page.wait_for_load_state()
    seen["versions"] = page.locator("#ws-versions tbody tr").count()
    shot("web-workspace-history")
    page.go_back()
    with page.expect_navigation():
        page.locator("#run-progress").click()
    seen["bulletin"] = page.frame_locator("iframe.report").locator("body").inner_text()
    shot("web-workspace-bulletin")
    page.go_back()
    with page.expect_download() as download:
        page.locator("a.checkin-bundle").last.click()
    bundle = shots / "bundle.zip"
    download.value.save_as(bundle)
    seen["bundle"] = bundle
    return seen


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
        evidence = Path(folder) / "污水处理厂运行台账.pdf"
        evidence.write_bytes(b"%PDF-1.4\n% illustrative evidence\n%%EOF\n")
        with serving_workspace(Path(folder) / "ws") as base:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            workspace_walkthrough(page, base, OUT, evidence)
            (OUT / "bundle.zip").unlink()
            print(f"wrote {OUT}/web-workspace*.png")
        browser.close()


if __name__ == "__main__":
    main()
