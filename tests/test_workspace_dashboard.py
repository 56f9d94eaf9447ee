"""Values entered by hand, periods, the dashboard, bulletins between check-ins, and exports —
on SQLite and on PostgreSQL (the ``database`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine.cli import main
from engine.criteria.loader import load_criteria, search_path
from engine.data.sources import load_data
from engine.errors import DataError
from engine.evaluation.evaluator import evaluate
from engine.workspace.dashboard import bulletin, dashboard
from engine.workspace.export import data_workbook, data_yaml, everything
from engine.workspace.given import period_of
from engine.workspace.store import FORM, init
from tests.conftest import EXAMPLE

YUNNAN = load_criteria("yunnan_2014", search_path())


def test_a_value_typed_in_a_form_is_read_as_a_cell_and_versioned(
    tmp_path: Path, database: str | None
) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN, user="clerk", period="2016-12")
    with pytest.raises(DataError) as refused:
        space.enter_value("保山市", "forest_cover_rate", 2016, "约60", YUNNAN)
    assert "森林覆盖率 (forest_cover_rate): 填写的是 '约60'，这是约数" in refused.value.render("zh")
    with pytest.raises(DataError, match="outside the plausible range"):
        space.enter_value("保山市", "forest_cover_rate", 2016, "160", YUNNAN)
    result = space.enter_value(
        "保山市", "forest_cover_rate", 2016, "６６.５％", YUNNAN,
        source="市林业局", period="2017-1", user="林业局",
    )  # fmt: skip
    assert result.changed == [("保山市", 2016, "forest_cover_rate")]
    versions = space.history("保山市", "forest_cover_rate", 2016)
    assert [(v.number, v.raw, v.period, v.file, v.entered_by) for v in versions] == [
        (1, 65, "2016-12", "baoshan_2016.yaml", "clerk"),
        (2, "６６.５％", "2017-01", FORM, "林业局"),
    ]  # as typed, read the same way as a spreadsheet cell when a report is made
    space.checkin("c", YUNNAN)
    criteria, data = space.at_checkin("c", "保山市")
    item = next(r for r in evaluate(criteria, data).results if r.id == "forest_cover_increment")
    assert item.value == pytest.approx(66.5 - 64.6)  # the typed 66.5 %, less 2015's 64.6


def test_periods_are_months_or_quarters() -> None:
    assert period_of("2025-3") == period_of("2025-03") == "2025-03"
    assert period_of("2025q2") == "2025-Q2"
    assert period_of(" ") is None
    with pytest.raises(DataError, match="a month or a quarter"):
        period_of("2025-13")


def test_the_dashboard_shows_verdicts_departments_history_and_evidence(
    tmp_path: Path, database: str | None
) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN)
    space.checkin("2016-12", YUNNAN)
    board = dashboard(space, YUNNAN)
    (standing,) = board.entities
    assert standing.name == "保山市"
    assert standing.report.verdict == "not_ready"
    blocking = {r.number for r in standing.blocking}
    assert board.history == [("2016-12", len(blocking))]
    departments = {d: {r.number for _, r in gaps} for d, gaps in board.by_department}
    assert set().union(*departments.values()) == blocking
    assert {r.status for r in standing.missing} == {"missing"}
    assert standing.no_evidence  # the example names few documents
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    first_bare = standing.no_evidence[0]
    space.attach("保山市", pdf, 2016, item=first_bare.id)
    again = dashboard(space, YUNNAN).entities[0]
    assert first_bare.id not in {r.id for r in again.no_evidence}


def test_a_bulletin_compares_check_ins_from_the_stored_history(
    tmp_path: Path, database: str | None
) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN)
    space.checkin("一月", YUNNAN)
    before = dashboard(space, YUNNAN).entities[0]
    gap = next(r for r in before.blocking if r.status == "fail" and r.inputs)
    threshold = gap.threshold or 0
    value = threshold + 1 if gap.operator in (">=", ">") else max(threshold - 1, 0)
    space.enter_value("保山市", gap.inputs[0], 2016, str(value), YUNNAN)
    space.checkin("二月", YUNNAN)
    result = bulletin(space, "保山市", ["一月", "二月"])
    closed = {item.id for item in result.items if item.category == "closed"}
    assert gap.id in closed or len(gap.inputs) > 1
    runner = CliRunner()
    made = runner.invoke(main, ["workspace", "progress", str(tmp_path / "ws"), "保山市",
                                "一月", "二月", "--format", "md"])  # fmt: skip
    assert made.exit_code == 1, made.output
    assert "一月 → 二月" in made.stdout
    one = runner.invoke(main, ["workspace", "progress", str(tmp_path / "ws"), "保山市", "一月"])
    assert one.exit_code == 2
    assert "至少两个检查点" in one.stderr


def test_exports_read_back_to_the_same_report(tmp_path: Path, database: str | None) -> None:
    space = init(tmp_path / "ws", database, ["yunnan_2014"])
    space.import_files([EXAMPLE], YUNNAN)
    space.enter_value("保山市", "forest_cover_rate", 2016, "66.5%", YUNNAN, source="市林业局")
    space.checkin("c", YUNNAN)
    criteria, data = space.at_checkin("c", "保山市")
    expected = evaluate(criteria, data)
    as_yaml = tmp_path / "out.yaml"
    as_yaml.write_text(data_yaml(data), encoding="utf-8")
    as_xlsx = tmp_path / "out.xlsx"
    as_xlsx.write_bytes(data_workbook(YUNNAN, data, "zh"))
    for path in (as_yaml, as_xlsx):
        again = evaluate(YUNNAN, load_data(path, YUNNAN))
        assert again.verdict == expected.verdict
        assert [(r.id, r.status, r.value) for r in again.results] == [
            (r.id, r.status, r.value) for r in expected.results
        ], path.name
    dumped = json.loads(json.dumps(everything(space)))
    assert {v["number"] for v in dumped["values"] if v["input"] == "forest_cover_rate"} == {1, 2}
    assert dumped["checkins"][0]["results"][0]["entity"] == "保山市"


def test_the_workspace_commands_end_to_end(tmp_path: Path, database: str | None) -> None:
    runner = CliRunner()
    ws = str(tmp_path / "ws")
    extra = ["--database", database] if database else []
    steps = [
        ["workspace", "init", ws, "--criteria", "yunnan_2014", *extra],
        ["workspace", "import", ws, str(EXAMPLE), "--period", "2016-12"],
        ["workspace", "enter", ws, "保山市", "forest_cover_rate", "2016", "66.5", "--source",
         "市林业局"],
        ["workspace", "checkin", ws, "2016-12"],
        ["workspace", "checkins", ws],
        ["workspace", "dashboard", ws, "--format", "json"],
        ["workspace", "export", ws, "-o", str(tmp_path / "all.json")],
        ["workspace", "export", ws, "-o", str(tmp_path / "bs.yaml"), "--entity", "保山市",
         "--checkin", "2016-12"],
    ]  # fmt: skip
    for args in steps:
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    board = json.loads(runner.invoke(main, steps[5]).stdout)
    assert board["entities"][0]["name"] == "保山市"
    # The dashboard to hand on: Word (and PDF, which needs -o like every binary format).
    word = tmp_path / "看板.docx"
    assert runner.invoke(main, ["workspace", "dashboard", ws, "-o", str(word)]).exit_code == 0
    import docx

    table = docx.Document(str(word)).tables[0]
    assert [c.text for c in table.rows[1].cells][:3] == ["保山市", "2016", "尚不具备"]
    no_file = runner.invoke(main, ["workspace", "dashboard", ws, "--format", "pdf"])
    assert no_file.exit_code == 2
    assert "-o 文件名.pdf" in no_file.stderr
    assert yaml.safe_load((tmp_path / "bs.yaml").read_text(encoding="utf-8"))["values"][
        "forest_cover_rate"
    ] == {"value": "66.5", "source": "市林业局"}
    refused = runner.invoke(main, ["workspace", "export", ws, "-o", str(tmp_path / "x.yaml")])
    assert refused.exit_code == 2
    assert "--entity" in refused.stderr
