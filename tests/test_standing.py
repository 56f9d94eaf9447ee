"""A set's standing in every output (issue 16): superseded, incomplete, verification, roles."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from engine.cli import main
from engine.criteria.loader import load_path
from engine.errors import CriteriaError
from tests.conftest import MINI_SET, REPO, write_data, write_set

INCOMPLETE = MINI_SET.replace(
    "source: written for the tests\n",
    """source: written for the tests
verification: official
incomplete:
  reason: {zh: 来源第4、5项的原文尚未找到, en: the source's items 4 and 5 have not been found}
  untranscribed:
    - {number: "4", name: {zh: 第四项}, binding: true}
    - {number: "5", name: {zh: 第五项}, binding: false}
""",
)
READY = """\
entity: {name: 甲市, level: city, year: 2020}
values:
  plan_adopted: {value: true, evidence: 市政发〔2020〕1号}
  income: 120
  part: 50
  total: 100
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def incomplete(tmp_path: Path) -> Path:
    return write_set(tmp_path / "sets", INCOMPLETE)


def test_an_incomplete_set_never_reports_a_plain_ready(tmp_path: Path, incomplete: Path) -> None:
    data = write_data(tmp_path, READY)
    common = ["check", str(data), "--criteria", "mini", "--criteria-path", str(incomplete.parent)]
    result = run(*common, "--format", "json")
    assert result.exit_code == 1  # readiness cannot be concluded: not the "ready" status 0
    document = json.loads(result.stdout)
    assert document["verdict"] == "ready"  # the items transcribed are all met ...
    assert document["criteria"]["complete"] is False  # ... and the set says it is not all
    assert document["criteria"]["untranscribed"] == 2
    assert document["criteria"]["untranscribed_binding"] == 1
    markdown = run(*common, "--format", "md").stdout
    assert "## 结论: 已录入的条目均已达标，但指标体系不完整，尚不能据此认定具备申报条件" in markdown
    assert "来源文件中另有 2 项未录入(其中约束性或可能为约束性的 1 项: 4)" in markdown
    assert "已具备申报技术评估条件" not in markdown
    text = run(*common, "--format", "text", "--lang", "en").stdout
    assert "Every item transcribed is met, but the criteria set is incomplete" in text
    html = run(*common, "--format", "html").stdout
    assert 'class="verdict ready partial"' in html
    assert 'id="standing"' in html
    out = tmp_path / "r.docx"
    assert run(*common, "-o", str(out)).exit_code == 1
    paragraphs = [p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs]
    assert any("指标体系不完整" in p for p in paragraphs)


def test_list_and_show_state_status_and_verification(incomplete: Path) -> None:
    listed = run("list", "--criteria-path", str(incomplete.parent)).stdout.splitlines()
    national = next(line for line in listed if line.startswith("national_demo_area\t"))
    assert national.split("\t")[4] == "已被替代(自 2021)"
    assert national.split("\t")[5] == "核实: 官方文本 0 / 转载文件 36 / 未核实 17"
    mini = next(line for line in listed if line.startswith("mini\t"))
    assert "现行，不完整(未录入 2 项)" in mini
    shown = json.loads(run("show", "national_demo_area", "--format", "json").stdout)
    assert shown["criteria"]["status"] == "superseded"
    assert "环办生态函〔2021〕353号" in shown["criteria"]["superseded"]["by"][0]
    assert shown["criteria"]["verification"] == {"official": 0, "secondary": 36, "unverified": 17}
    assert {item["verification"] for item in shown["items"]} == {"secondary", "unverified"}
    text = run("show", "national_demo_area").stdout
    assert "状态: 已被替代" in text
    assert "! 该指标体系已被替代: 自 2021 起由 《国家生态文明建设示范区建设指标(修订版)》" in text


def test_no_user_facing_text_names_developer_notes() -> None:
    """Citations name documents by title and number, never "seed 003" or shared/DOMAIN.md."""
    for set_id in ("yunnan_2014", "national_demo_area", "guigang_2023", "lufeng_2024",
                   "pingliang_2025"):  # fmt: skip
        shown = json.loads(run("show", set_id, "--format", "json").stdout)
        texts = [shown["criteria"]["source"], *(item["source"] for item in shown["items"])]
        for text in texts:
            assert "seed" not in text, (set_id, text)
            assert "DOMAIN" not in text, (set_id, text)
            assert "corroborated" not in text, (set_id, text)


def test_roles_print_under_their_own_names_and_tasks_go_to_the_lead() -> None:
    """Guigang's 牵头单位 printed under 责任单位 and its 责任单位 under 配合单位."""
    case = REPO / "criteria" / "guigang_2023" / "cases" / "not_ready.yaml"
    markdown = run("check", str(case), "--criteria", "guigang_2023", "--format", "md").stdout
    assert "| 牵头/责任单位 | 配合单位 |" in markdown
    assert (
        "牵头: 市生态环境局；责任: 市发展改革委、市工业和信息化局、各县(市、区)人民政府" in markdown
    )
    lead = run("check", str(case), "--criteria", "guigang_2023", "--department", "市生态环境局")
    assert lead.exit_code in (0, 1)
    assert "市生态环境局" in lead.stdout
    only_responsible = run(
        "check", str(case), "--criteria", "guigang_2023", "--department", "各有关单位"
    )
    assert only_responsible.exit_code == 2
    assert "不是本指标体系的牵头或责任单位" in only_responsible.stderr


def test_flags_set_by_convention_are_shown_as_derived() -> None:
    case = REPO / "criteria" / "lufeng_2024" / "cases" / "not_ready.yaml"
    markdown = run("check", str(case), "--criteria", "lufeng_2024", "--format", "md").stdout
    assert "约束性(按约定认定)" in markdown
    assert "约束性/指导性的认定: 方案未标注约束性/指导性" in markdown


def test_a_superseded_set_says_so_in_its_reports() -> None:
    case = REPO / "criteria" / "national_demo_area" / "cases" / "city_ready.yaml"
    markdown = run("check", str(case), "--criteria", "national_demo_area", "--format", "md").stdout
    assert "> **该指标体系已被替代: 自 2021 起由" in markdown
    document = json.loads(
        run("check", str(case), "--criteria", "national_demo_area", "--format", "json").stdout
    )
    assert document["criteria"]["status"] == "superseded"
    assert document["criteria"]["unverified_blocking"] > 0


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://a/b"])
def test_a_source_address_is_http_or_https_only(tmp_path: Path, url: str) -> None:
    text = MINI_SET.replace(
        "    source: test 1\n", f"    source: test 1\n    source_url: '{url}'\n"
    )
    with pytest.raises(CriteriaError, match="source_url: must be an address beginning with http"):
        load_path(write_set(tmp_path, text))


def test_the_workbench_shows_status_and_verification(incomplete: Path) -> None:
    from engine.web import create_app

    client = create_app([incomplete.parent], trusted_hosts=["localhost"]).test_client()
    listing = client.get("/criteria").get_data(as_text=True)
    assert 'data-status="superseded"' in listing
    assert "现行，不完整" in listing
    page = client.get("/criteria/mini").get_data(as_text=True)
    assert 'id="standing"' in page
    assert "指标体系不完整" in page
    guigang = client.get("/criteria/guigang_2023").get_data(as_text=True)
    assert "<th>牵头单位</th>" in guigang
    assert 'data-verification="official"' in guigang


def test_an_item_note_reaches_show_and_reports(tmp_path: Path) -> None:
    """Issue 16, section 5: an item's note appeared in no report, JSON or show."""
    text = MINI_SET.replace(
        "    source: test 1\n", "    source: test 1\n    note: {zh: 按当年价格计算}\n", 1
    )
    folder = write_set(tmp_path / "sets", text)
    shown = run("show", "mini", "--criteria-path", str(folder.parent))
    assert "按当年价格计算" in shown.stdout
    as_json = json.loads(
        run("show", "mini", "--format", "json", "--criteria-path", str(folder.parent)).stdout
    )
    assert as_json["items"][1]["note"] == {"zh": "按当年价格计算", "en": None}
    data = write_data(tmp_path, READY)
    report = run("check", str(data), "--criteria", "mini", "--criteria-path",
                 str(folder.parent), "--format", "md")  # fmt: skip
    assert "按当年价格计算" in report.stdout


def test_the_template_says_how_to_run_a_set_from_a_criteria_path(incomplete: Path) -> None:
    import openpyxl

    out = incomplete.parent / "t.xlsx"
    assert run("template", "mini", "--criteria-path", str(incomplete.parent), "--format",
               "xlsx", "-o", str(out)).exit_code == 0  # fmt: skip
    cells = [c.value for s in openpyxl.load_workbook(out).worksheets for r in s.iter_rows()
             for c in r if isinstance(c.value, str)]  # fmt: skip
    assert any(f"--criteria mini --criteria-path {incomplete.parent}" in c for c in cells)


def test_batch_outputs_state_the_standing_too(tmp_path: Path) -> None:
    from engine.web import create_app

    case = REPO / "criteria" / "national_2024_city" / "cases" / "ready.yaml"
    out = tmp_path / "out"
    result = run("batch", str(case), "--criteria", "national_2024_city", "-o", str(out))
    assert result.exit_code == 1  # readiness cannot be concluded on an incomplete set
    assert "> **指标体系不完整" in (out / "summary.md").read_text(encoding="utf-8")
    client = create_app(trusted_hosts=["localhost"]).test_client()
    page = client.post(
        "/batch",
        data={"criteria": "national_2024_city", "data": [(case.open("rb"), "ready.yaml")]},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert 'id="standing"' in page


@pytest.mark.parametrize(
    ("set_id", "item_id", "lead", "responsible", "cooperating"),
    [
        # Pingliang names only 责任单位: tasks 14–16 for item 1, task 22 for 10.x, task 18 for 12.
        ("pingliang_2025", "eco_industry_share", [],
         ["市工信局", "市农业农村局", "市畜牧兽医局", "市文旅局"], []),
        ("pingliang_2025", "farmland_safe_use", [], ["市生态环境局"], []),
        ("pingliang_2025", "urban_waste_harmless", [],
         ["市生态环境局", "市工信局", "市住建局", "市商务局"], []),
        # Guigang and Lufeng name 牵头 and 责任单位.
        ("guigang_2023", "river_chief", ["市河长办"],
         ["市河长会议成员单位", "各县(市、区)人民政府"], []),
        ("lufeng_2024", "green_industries", ["发展改革"],
         ["工业信息化科技局", "财政局", "住房城乡建设局", "农业农村局", "各乡镇人民政府"], []),
        # Lincang: "市林业局牵头负责，…配合".
        ("lincang_2020", "wetland_protection", ["市林业局"], [],
         ["市国土资源局", "市农业局", "市水务局", "市城乡规划局"]),
    ],
)  # fmt: skip
def test_departments_are_those_the_plans_name(
    set_id: str, item_id: str, lead: list, responsible: list, cooperating: list
) -> None:
    """Issue 16, sections 3 and 4: each role as the source names it."""
    shown = json.loads(run("show", set_id, "--format", "json").stdout)
    (item,) = [i for i in shown["items"] if i["id"] == item_id]
    assert (item["lead"], item["responsible"], item["cooperating"]) == (
        lead,
        responsible,
        cooperating,
    )
