"""The workspace in a real browser (Debian's Chromium through Playwright), end to end: import
the city's return and a department's partial return, enter a value, attach evidence, two
check-ins, the dashboard, a value's history, the bulletin, the evidence bundle.

Skipped only where Chromium is not installed and this is not CI (the ``browser`` fixture).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl

from scripts.screenshots import serving_workspace, workspace_walkthrough


def test_a_campaign_in_the_browser(browser, tmp_path: Path) -> None:
    evidence = tmp_path / "污水处理厂运行台账.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% test evidence\n%%EOF\n")
    with serving_workspace(tmp_path / "ws") as base:
        viewport = {"width": 1280, "height": 900}
        context = browser.new_context(accept_downloads=True, viewport=viewport)
        page = context.new_page()
        outside: list[str] = []
        errors: list[str] = []

        def only_the_workbench(route) -> None:  # type: ignore[no-untyped-def]
            url = route.request.url
            if url.startswith((base, "data:", "about:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        page.route("**/*", only_the_workbench)
        page.on("pageerror", lambda error: errors.append(str(error)))
        seen = workspace_walkthrough(page, base, tmp_path, evidence)
        context.close()
    assert outside == []
    assert errors == []
    assert seen["first import"].startswith("已导入：新增 51 项")
    assert "更正 1 项" in seen["department import"]  # forest_cover_rate; the rest unchanged
    assert seen["value"] == "已保存为新版本。"
    assert seen["evidence"] == "佐证材料已上传。"
    assert seen["dashboard rows"] == 1
    assert seen["chart bars"] == 2  # one bar per check-in
    assert seen["verdict"] == "尚不具备"
    assert seen["versions"] == 2  # the import's 83.5 and the 86% typed in the form
    assert "2016-12 → 2017-01" in seen["bulletin"]
    assert "城市污水集中处理率" in seen["bulletin"]  # closed between the two check-ins
    with zipfile.ZipFile(seen["bundle"]) as archive:
        names = archive.namelist()
        index = openpyxl.load_workbook(io.BytesIO(archive.read("index.xlsx"))).active
    assert any(name.endswith("污水处理厂运行台账.pdf") for name in names)
    assert index is not None
    for name in ("web-workspace", "web-workspace-entity", "web-workspace-bulletin"):
        assert (tmp_path / f"{name}.png").stat().st_size > 30_000


def test_three_accounts_run_a_return_through_review(browser, tmp_path: Path) -> None:
    from engine.criteria.loader import load_criteria, search_path
    from engine.workspace.store import open_workspace
    from scripts.screenshots import departments_walkthrough, serving_office

    evidence = tmp_path / "森林资源二类调查.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% test evidence\n%%EOF\n")
    with serving_office(tmp_path / "office") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        seen = departments_walkthrough(page, base, tmp_path, evidence)
        context.close()
    assert errors == []
    assert seen["deadline"] == "截止日期已保存。"
    assert seen["clerk home"].endswith("/workspace/tasks?lang=zh")  # a clerk starts on tasks
    assert 0 < seen["clerk items"] < 20  # only the forestry bureau's items
    assert seen["drafts"] == 2
    assert seen["queue"] == 2
    assert seen["returned"] == "请附林地变更调查报告"
    assert seen["queue after"] == 0
    assert "未达标的条目" in seen["status"]
    assert seen["audit rows"] > 10
    space = open_workspace(tmp_path / "office")
    criteria = load_criteria("yunnan_2014", search_path())
    _, data = space.at_checkin("2017-01", "保山市")
    assert data.values["forest_land_area"].value == "1462500"  # the approved correction
    assert space.now(criteria, "保山市")[0][1].values["forest_cover_rate"].value == "66.2"
    for name in ("web-dept-clerk-tasks", "web-dept-review", "web-dept-returned", "web-dept-status"):
        assert (tmp_path / f"{name}.png").stat().st_size > 20_000
