"""Regenerate the reviewable screenshots (docs/screenshots/): the example's HTML report, the
progress bulletin of examples/progress/, each page of the web workbench (``ecoassess
serve``) with the example data uploaded, and the paper outputs — the report, the one-page
summary and the bulletin as PDF, the technical report's Word draft — rendered to PNG.

    python scripts/screenshots.py          # everything
    python scripts/screenshots.py paper    # the paper outputs only

Uses Debian's Chromium through Playwright (never Playwright's own browser download); the
paper outputs need poppler's pdftoppm, and LibreOffice (soffice) for the Word draft.
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
    seen["bulletin"] = page.locator("#report").inner_text()
    shot("web-workspace-bulletin")
    page.go_back()
    with page.expect_download() as download:
        page.locator("a.checkin-bundle").last.click()
    bundle = shots / "bundle.zip"
    download.value.save_as(bundle)
    seen["bundle"] = bundle
    return seen


ACCOUNTS = {"admin": ("主任", None), "clerk": ("林业局填报员", "市林业局"),
            "reviewer": ("技术组审核员", None)}  # fmt: skip
PASSWORD = "示例密码 example-only"


@contextmanager
def serving_office(folder: Path) -> Iterator[str]:
    """A workspace with the example city and three accounts (administrator, the forestry
    bureau's clerk, a reviewer), served by the workbench: its address."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.web.server import background, make_server
    from engine.workspace.accounts import add_user
    from engine.workspace.store import init

    space = init(folder, criteria=["yunnan_2014"])
    space.import_files([EXAMPLE], load_criteria("yunnan_2014", search_path()), user="创建办")
    for role, (name, department) in ACCOUNTS.items():
        add_user(space, name, role, PASSWORD, department)
    with background(make_server("127.0.0.1", 0, workspace=folder)) as base:
        yield base


def departments_walkthrough(page: Any, base: str, shots: Path, evidence: Path) -> dict[str, Any]:
    """Three people, one campaign: the administrator sets a deadline; the clerk enters and
    submits values with evidence; the reviewer returns one with a reason and approves the
    other; the clerk corrects and resubmits; the reviewer approves; the administrator checks
    in and reads the department's status page. Screenshots go to ``shots``."""
    seen: dict[str, Any] = {}

    def submit(form: Any, button: str = "button[type=submit]") -> None:
        with page.expect_navigation():
            form.locator(button).first.click()

    def login(role: str) -> None:
        page.goto(f"{base}/login")
        page.locator("#login-name").fill(ACCOUNTS[role][0])
        page.locator("#login-password").fill(PASSWORD)
        submit(page.locator("#login"))

    def logout() -> None:
        with page.expect_navigation():
            page.locator("#logout").click()

    def enter(input_name: str, value: str) -> None:
        row = page.locator(f"form.value-form:has(input[value={input_name}])")
        row.locator("input[name=value]").fill(value)
        submit(row)

    login("admin")
    page.goto(f"{base}/workspace/deadlines")
    page.locator("#deadline-checkin").fill("2017-01")
    page.locator("#deadline-due").fill("2017-01-31")
    page.locator("#deadline-department").select_option("市林业局")
    submit(page.locator("#ws-deadline"))
    seen["deadline"] = page.locator("#done").inner_text()
    logout()

    login("clerk")
    seen["clerk home"] = page.url
    page.goto(f"{base}/workspace/entity/保山市")
    seen["clerk items"] = page.locator("#ws-items tr.group").count()
    enter("forest_cover_rate", "66.2")
    enter("forest_land_area", "1462400")
    form = page.locator("#ws-evidence")
    form.locator("select[name=target]").select_option("input:forest_cover_rate")
    form.locator("input[type=file]").set_input_files([str(evidence)])
    submit(form)
    page.goto(f"{base}/workspace/tasks")
    seen["drafts"] = page.locator(".ws-drafts tbody tr").count()
    page.screenshot(path=shots / "web-dept-clerk-tasks.png", full_page=True)
    submit(page.locator("#ws-submit"))
    logout()

    login("reviewer")
    page.goto(f"{base}/workspace/review")
    seen["queue"] = page.locator("#ws-queue tbody tr").count()
    page.screenshot(path=shots / "web-dept-review.png")
    row = page.locator("#review-forest_land_area")
    row.locator("input[name=reason]").fill("请附林地变更调查报告")
    submit(row, "button.return")
    submit(page.locator("#review-forest_cover_rate"), "button.approve")
    logout()

    login("clerk")
    page.goto(f"{base}/workspace/tasks")
    seen["returned"] = page.locator(".ws-returned .reason").inner_text()
    page.screenshot(path=shots / "web-dept-returned.png", full_page=True)
    page.goto(f"{base}/workspace/entity/保山市")
    enter("forest_land_area", "1462500")
    page.goto(f"{base}/workspace/tasks")
    submit(page.locator("#ws-submit"))
    logout()

    login("reviewer")
    page.goto(f"{base}/workspace/review")
    submit(page.locator("#review-forest_land_area"), "button.approve")
    seen["queue after"] = page.locator("#ws-queue tbody tr").count()
    logout()

    login("admin")
    page.locator("#checkin-name").fill("2017-01")
    submit(page.locator("#ws-checkin"))
    page.goto(f"{base}/workspace/departments/市林业局")
    seen["status"] = page.locator("#ws-department-counts").inner_text()
    page.screenshot(path=shots / "web-dept-status.png", full_page=True)
    page.goto(f"{base}/workspace/audit")
    seen["audit rows"] = page.locator("#ws-audit tbody tr").count()
    logout()
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


PLAN = REPO / "examples" / "lufeng_plan_2023.yaml"


def paper_screenshots(folder: Path) -> None:
    """Each paper output's first page (or pages) as PNG, as a reader of the file sees it."""
    import subprocess

    from click.testing import CliRunner

    from engine.cli import main as cli

    made = {
        "pdf-report": ["check", str(EXAMPLE), "--criteria", "yunnan_2014"],
        "pdf-summary": ["check", str(PLAN), "--criteria", "lufeng_2024", "--document", "summary"],
        "pdf-bulletin": ["progress", *map(str, sorted((REPO / "examples" / "progress").glob(
            "*.yaml"))), "--criteria", "yunnan_2014"],
        "word-technical": ["check", str(REPO / "examples" / "guigang_2022.yaml"), "--criteria",
                           "guigang_2023", "--document", "technical"],
    }  # fmt: skip
    for name, args in made.items():
        suffix = ".docx" if name.startswith("word") else ".pdf"
        out = folder / f"{name}{suffix}"
        result = CliRunner().invoke(cli, [*args, "-o", str(out)])
        assert out.exists(), result.output
        if suffix == ".docx":  # Word → PDF as LibreOffice lays it out, then to PNG
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                            str(folder), str(out)], check=True, capture_output=True)  # fmt: skip
            out = out.with_suffix(".pdf")
        pages = "2" if name in ("word-technical", "pdf-report") else "1"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", pages, str(out),
                        str(folder / name)], check=True)  # fmt: skip
        for number, page in enumerate(sorted(folder.glob(f"{name}-*.png")), start=1):
            target = OUT / (f"{name}.png" if number == 1 else f"{name}-{number}.png")
            page.replace(target)
            print(f"wrote {target}")


def main() -> None:
    import sys

    from playwright.sync_api import sync_playwright

    if sys.argv[1:] == ["paper"]:
        with tempfile.TemporaryDirectory() as folder:
            paper_screenshots(Path(folder))
        return

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
        with serving_office(Path(folder) / "office") as base:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            departments_walkthrough(page, base, OUT, evidence)
            print(f"wrote {OUT}/web-dept-*.png")
        browser.close()
        paper_screenshots(Path(folder))


if __name__ == "__main__":
    main()
