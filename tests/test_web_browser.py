"""The workbench end to end: the real server, driven in Debian's headless Chromium.

Skipped only where Chromium is not installed and this is not CI (the `browser` fixture).
"""

from pathlib import Path

import openpyxl
import pytest
from docx import Document

from scripts.example_workbook import WORKBOOK
from scripts.screenshots import serving


@pytest.fixture(scope="module")
def site(browser):
    with serving() as base:
        yield browser, base


@pytest.fixture
def page(site):
    browser, base = site
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    outside: list[str] = []

    def only_the_workbench(route) -> None:
        url = route.request.url
        if url.startswith((base, "data:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", only_the_workbench)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.base = base
    yield page
    context.close()
    assert outside == []  # nothing is fetched from anywhere else
    assert errors == []


def test_upload_the_example_workbook_see_the_verdict_download_the_docx(
    page, tmp_path: Path
) -> None:
    page.goto(f"{page.base}/check")
    form = page.locator("form[action='/check']")
    form.locator("select[name=criteria]").select_option("yunnan_2014")
    form.locator("input[type=file]").set_input_files(str(WORKBOOK))
    with page.expect_navigation():
        form.locator("#run-check").click()
    verdict = page.locator("#report header.verdict")
    assert verdict.is_visible()
    assert "尚未具备申报技术评估条件" in verdict.inner_text()
    assert verdict.get_attribute("data-verdict") == "not_ready"
    assert page.locator("iframe").count() == 0  # the report is the page: one scroll
    assert page.get_by_text("尚未具备申报技术评估条件", exact=True).count() == 1
    page.emulate_media(media="print")  # printing gives the report, without the workbench
    assert not page.locator("header.bar").is_visible()
    assert not page.locator(".downloads").is_visible()
    assert page.locator("#report #departments").is_visible()
    page.emulate_media(media="screen")
    with page.expect_download() as download_info:
        page.locator("#download-docx").click()
    download = download_info.value
    assert download.suggested_filename == "保山市_yunnan_2014.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "尚未具备申报技术评估条件" in text


def test_download_the_template_from_the_check_page(page, tmp_path: Path) -> None:
    page.goto(f"{page.base}/check?lang=en")
    form = page.locator("form[action='/template']")
    form.locator("select[name=criteria]").select_option("national_demo_area")
    form.locator("input[name=year]").fill("2023")
    with page.expect_download() as download_info:
        form.locator("#download-template").click()
    saved = tmp_path / "template.xlsx"
    download_info.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    header = next(row for row in sheet.iter_rows() if row[2].value == "Input")
    assert [cell.value for cell in header][7:9] == ["2022", "2023"]


def test_a_bad_upload_shows_the_message_in_the_page(page, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a workbook")
    page.goto(f"{page.base}/check")
    form = page.locator("form[action='/check']")
    form.locator("input[type=file]").set_input_files(str(broken))
    with page.expect_navigation() as navigation:
        form.locator("#run-check").click()
    assert navigation.value.status == 422
    assert page.locator("#problems li").first.inner_text().startswith("broken.xlsx: 不是可读取的")


def test_switch_to_english_and_browse_a_set(page) -> None:
    page.goto(f"{page.base}/criteria")
    page.locator("a.lang").click()
    assert page.locator("h1").inner_text() == "Criteria sets"
    page.locator("a[href^='/criteria/national_demo_area']").click()
    assert page.locator("table tbody tr").count() > 53


def test_a_batch_then_one_entitys_report_on_demand(page) -> None:
    folder = Path(__file__).resolve().parent.parent / "examples" / "baoshan_batch"
    page.goto(f"{page.base}/batch")
    form = page.locator("form[action='/batch']")
    form.locator("select[name=criteria]").select_option("yunnan_2014")
    files = sorted(str(p) for p in folder.iterdir() if p.suffix in (".yaml", ".csv"))
    form.locator("input[type=file]").set_input_files(files)
    with page.expect_navigation():
        form.locator("#run-batch").click()
    assert page.locator("#matrix").is_visible()
    with page.context.expect_page() as opened:
        page.locator("#matrix a.report-link").first.click()
    report = opened.value
    report.wait_for_load_state()
    assert "尚未具备申报技术评估条件" in report.locator("#report header.verdict").inner_text()
    report.close()
