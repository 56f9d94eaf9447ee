"""The HTML report in a real browser: Debian's Chromium, headless, with the network shut.

Skipped only where Chromium is not installed and this is not CI (the `browser` fixture).
"""

from pathlib import Path

import pytest

from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from engine.reports.charts import is_measurable
from engine.reports.render import render
from tests.conftest import EXAMPLE


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_in_chromium(browser, yunnan, tmp_path: Path, lang: str) -> None:
    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    page_file = tmp_path / "report.html"
    page_file.write_text(render(report, yunnan, "html", lang), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    fetched: list[str] = []

    def block(route) -> None:
        if not route.request.url.startswith("file:"):
            fetched.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", block)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())

    banner = page.locator("header.verdict")
    assert banner.get_attribute("data-verdict") == "not_ready"
    assert banner.is_visible()
    assert banner.bounding_box()["y"] < 5  # the verdict is the first thing seen
    expected = (
        "尚未具备申报技术评估条件" if lang == "zh" else "Not ready for the technical assessment"
    )
    assert page.locator("header.verdict .word").inner_text() == expected

    measurable = sum(1 for r in report.results if is_measurable(r))
    assert page.locator("#all svg.bullet").count() == measurable
    assert page.locator("#departments article.department").count() == 5
    for chart in page.locator("#all svg.bullet").all():
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 100  # drawn, not collapsed
    assert page.locator("img").count() == 0
    assert fetched == []
    assert errors == []
    page.screenshot(path=tmp_path / f"report-{lang}.png", full_page=True)
    assert (tmp_path / f"report-{lang}.png").stat().st_size > 50_000
    page.close()


def test_print_layout_puts_departments_on_their_own_pages(browser, yunnan, tmp_path: Path) -> None:
    report = evaluate(yunnan, load_data(EXAMPLE, yunnan))
    page_file = tmp_path / "report.html"
    page_file.write_text(render(report, yunnan, "html"), encoding="utf-8")
    page = browser.new_page()
    page.goto(page_file.as_uri())
    page.emulate_media(media="print")
    breaks = page.eval_on_selector_all(
        "#departments .department", "els => els.map(e => getComputedStyle(e).breakBefore)"
    )
    assert breaks[1:] == ["page"] * (len(breaks) - 1)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    page.close()
