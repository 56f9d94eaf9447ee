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
