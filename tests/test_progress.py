"""Progress between snapshots: each category, the department bulletins, several snapshots."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from engine.cli import main
from engine.data.sources import load_data
from engine.errors import DataError
from engine.evaluation.evaluator import evaluate
from engine.evaluation.progress import Snapshot, compare
from engine.reports.progress import render_progress
from tests.conftest import EXAMPLE, REPO, write_data

SNAPSHOTS = sorted((REPO / "examples" / "progress").glob("baoshan_2017_q*.yaml"))
Q1, Q2, Q3 = (str(path) for path in SNAPSHOTS)


def run(*args: str):
    return CliRunner().invoke(main, ["progress", *args])


def snapshots(criteria, *paths: Path) -> list[Snapshot]:
    return [Snapshot(p.name, evaluate(criteria, load_data(p, criteria))) for p in paths]


def test_two_check_ins_sorted_into_categories(yunnan) -> None:
    progress = compare(yunnan, snapshots(yunnan, *SNAPSHOTS[:2]))
    ids = {c: [i.id for i in progress.in_category(c)] for c in ("closed", "opened", "improved")}
    assert ids == {
        "closed": ["forest_land_growth", "urban_sewage_treatment"],
        "opened": ["domestic_waste_treatment"],
        "improved": ["industrial_fresh_water_intensity"],
    }
    assert [i.id for i in progress.in_category("worsened")] == ["env_investment_share"]
    worsened = progress.in_category("worsened")[0]
    assert (worsened.old.gap.absolute, worsened.new.gap.absolute) == (0.65, 0.83)  # type: ignore[union-attr]
    unchanged = {i.id for i in progress.in_category("unchanged")}
    assert "public_satisfaction" in unchanged  # missing, then failing: still a gap, not "worsened"
    assert len(unchanged) == 28 - 5


def test_each_department_gets_its_own_bulletin(yunnan) -> None:
    progress = compare(yunnan, snapshots(yunnan, *SNAPSHOTS[:2]))
    housing = {c: [i.id for i in progress.of_department("市住房城乡建设局", c)] for c in
               ("closed", "opened", "improved", "worsened")}  # fmt: skip
    assert housing == {
        "closed": ["urban_sewage_treatment"],
        "opened": ["domestic_waste_treatment"],
        "improved": [],
        "worsened": [],
    }
    assert progress.headline("zh") == (
        "阻碍申报的缺口 5 → 4；消除阻碍申报的缺口 2 项(市林业局 1 项、市住房城乡建设局 1 项)；"
        "新增阻碍申报的缺口 1 项(市住房城乡建设局 1 项)；缺口缩小 1 项、扩大 1 项"
    )
    assert progress.headline("en").startswith(
        "blocking gaps 5 → 4; 2 blocking closed (1 by 市林业局, 1 by 市住房城乡建设局)"
    )


def test_the_headline_counts_a_guidance_item_apart_from_the_blocking_gaps(yunnan) -> None:
    from engine.data.record import MeasuredValue
    from engine.data.sources import load_data
    from engine.evaluation.evaluator import evaluate
    from engine.evaluation.progress import Snapshot

    data = load_data(EXAMPLE, yunnan)
    before = Snapshot("before", evaluate(yunnan, data))  # satisfaction missing: a guidance gap
    answered = data.model_copy(deep=True)
    answered.values["public_env_satisfaction_rate"] = MeasuredValue(value=95)
    progress = compare(yunnan, [before, Snapshot("after", evaluate(yunnan, answered))])
    guidance = next(r for r in before.report.results if r.id == "public_satisfaction")
    assert not guidance.blocks
    assert [i.id for i in progress.in_category("closed")] == [guidance.id]
    line = progress.headline("zh")
    assert "消除其他条目的缺口 1 项" in line
    assert "消除阻碍申报的缺口" not in line


def test_json_has_the_documented_fields() -> None:
    result = run(Q1, Q2, "--criteria", "yunnan_2014", "--format", "json")
    assert result.exit_code == 1  # the newer snapshot is not ready
    report = json.loads(result.output)
    for field in ("criteria", "entity", "verdict_old", "verdict_new", "closed", "opened",
                  "improved", "worsened", "unchanged", "by_department", "items"):  # fmt: skip
        assert field in report
    assert report["verdict_old"] == report["verdict_new"] == "not_ready"
    assert report["by_department"]["市工业信息化委"]["improved"] == [
        "industrial_fresh_water_intensity"
    ]
    item = next(i for i in report["items"] if i["id"] == "urban_sewage_treatment")
    assert (item["status_old"], item["status_new"]) == ("fail", "pass")
    assert (item["value_old"], item["value_new"]) == (83.9, 85.2)
    assert item["gap_old"]["absolute"] == 1.1
    assert item["gap_new"] is None
    listed = [
        i for c in ("closed", "opened", "improved", "worsened", "unchanged") for i in report[c]
    ]
    assert sorted(listed) == sorted(i["id"] for i in report["items"])


def test_regressions_list_binding_items_before_guidance(tmp_path: Path, mini) -> None:
    before = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values: {plan_adopted: true, income: 150, part: 45, total: 100}
        """,
        "before.yaml",
    )
    after = write_data(
        tmp_path,
        """\
        entity: {name: 甲市, level: city, year: 2020}
        values: {plan_adopted: true, income: 90, part: 30, total: 100}
        """,
        "after.yaml",
    )
    progress = compare(mini, snapshots(mini, before, after))
    # "share" (guidance) comes before "income_check" (binding) in the set; binding first.
    assert [i.id for i in progress.in_category("opened")] == ["income_check", "share"]


def test_a_snapshot_of_another_entity_is_an_error(yunnan, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        Path(Q2).read_text(encoding="utf-8").replace("name: 保山市", "name: 临沧市"),
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="临沧市"):
        compare(yunnan, snapshots(yunnan, SNAPSHOTS[0], other))
    result = run(Q1, str(other), "--criteria", "yunnan_2014")
    assert result.exit_code == 2
    assert "进展只能比较同一评估对象的数据" in result.output


def test_one_snapshot_is_not_enough() -> None:
    result = run(Q1, "--criteria", "yunnan_2014")
    assert result.exit_code == 2
    assert "at least two snapshots" in result.output


def test_three_snapshots_give_a_history_and_a_chart() -> None:
    result = run(Q1, Q2, Q3, "--criteria", "yunnan_2014", "--format", "html")
    assert result.exit_code == 0  # the third check-in is ready
    html = result.output
    chart = html.split('id="gap-chart"')[1].split("</svg>")[0]
    assert re.findall(r"<title>[^<]+: (\d+)</title>", chart) == ["5", "4", "0"]
    history = html.split("七、历次数据")[1]
    assert "baoshan_2017_q3.yaml" in history
    assert "未达标 2.17 %" in history  # env investment at the second check-in
    two = run(Q1, Q2, "--criteria", "yunnan_2014", "--format", "html").output
    assert 'id="gap-chart"' not in two
    assert "历次数据" not in two


def test_markdown_puts_the_verdict_and_headline_first() -> None:
    text = run(Q2, Q3, "--criteria", "yunnan_2014").output
    lines = [line for line in text.splitlines() if line]
    assert lines[4] == ("## 结论(上次 → 本次): 尚未具备申报技术评估条件 → 已具备申报技术评估条件")
    assert lines[5].startswith("**要点**: 阻碍申报的缺口 4 → 0")
    assert text.index("一、新增缺口") < text.index("二、已消除的缺口")


def test_word_bulletin(tmp_path: Path) -> None:
    target = tmp_path / "bulletin.docx"
    result = run(Q1, Q2, "--criteria", "yunnan_2014", "-o", str(target))
    assert result.exit_code == 1
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "阻碍申报的缺口 5 → 4" in text
    assert "按责任单位通报" in text
    assert run(Q1, Q2, "--criteria", "yunnan_2014", "--format", "docx").exit_code == 2


def test_never_overwrites_a_snapshot() -> None:
    result = run(Q1, Q2, "--criteria", "yunnan_2014", "-o", Q2)
    assert result.exit_code == 2


def test_english_bulletin(yunnan) -> None:
    progress = compare(yunnan, snapshots(yunnan, *SNAPSHOTS[:2]))
    text = render_progress(progress, "md", "en")
    assert isinstance(text, str)
    assert "1. Opened (regressions, to act on first)" in text
    assert "6. By responsible department" in text
    docx = render_progress(progress, "docx", "en")
    assert isinstance(docx, bytes)
    assert Document(io.BytesIO(docx)).paragraphs[0].text == "Progress bulletin"
