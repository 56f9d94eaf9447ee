"""The campaign workspace (issue 17, first step): import, versions, check-ins — on SQLite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine.cli import main
from engine.criteria.loader import load_criteria, search_path
from engine.errors import DataError, EcoassessError
from engine.evaluation.evaluator import evaluate
from engine.workspace.store import WorkspaceError, init, open_workspace
from tests.conftest import EXAMPLE, REPO

YUNNAN = load_criteria("yunnan_2014", search_path())


def _changed_example(tmp_path: Path, income: int, name: str = "changed.yaml") -> Path:
    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    raw["values"]["farmer_net_income"] = {"value": income, "source": "统计年鉴(更正)"}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_import_is_versioned_and_idempotent(tmp_path: Path, database: str | None) -> None:
    space = init(tmp_path / "ws", database)
    first = space.import_files([EXAMPLE], YUNNAN, user="clerk")
    assert first.new
    assert not first.changed
    again = space.import_files([EXAMPLE], YUNNAN, user="clerk")
    assert (again.new, again.changed, again.unchanged) == ([], [], len(first.new))
    corrected = space.import_files([_changed_example(tmp_path, 9999)], YUNNAN, user="office")
    assert corrected.changed == [("保山市", 2016, "farmer_net_income")]
    versions = space.history("保山市", "farmer_net_income", 2016)
    assert [(v.number, v.raw, v.entered_by) for v in versions] == [
        (1, 9428, "clerk"),
        (2, 9999, "office"),
    ]  # nothing overwritten: the first version is still there


def test_a_checkin_reproduces_its_report_after_values_change(
    tmp_path: Path, database: str | None
) -> None:
    space = init(tmp_path / "ws", database)
    space.import_files([EXAMPLE], YUNNAN)
    space.checkin("2016-12", YUNNAN)
    criteria, data = space.at_checkin("2016-12", "保山市")
    before = evaluate(criteria, data).to_json_dict()
    assert before == evaluate(YUNNAN, data).to_json_dict()
    space.import_files([_changed_example(tmp_path, 1)], YUNNAN)
    space.checkin("2017-01", YUNNAN)
    criteria, data = open_workspace(tmp_path / "ws").at_checkin("2016-12", "保山市")
    assert evaluate(criteria, data).to_json_dict() == before  # exactly as in December
    _, later = space.at_checkin("2017-01", "保山市")
    assert later.values["farmer_net_income"].value == 1


def test_a_bad_cell_or_a_conflict_imports_nothing(tmp_path: Path, database: str | None) -> None:
    space = init(tmp_path / "ws", database)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "评估对象,输入项,2016\n保山市,entity.level,city\n保山市,farmer_net_income,约6000\n"
        "保山市,gdp,100\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="farmer_net_income"):
        space.import_files([bad], YUNNAN)
    with pytest.raises(DataError) as caught:
        space.import_files([EXAMPLE, _changed_example(tmp_path, 5)], YUNNAN)
    assert "baoshan_2016.yaml 9428, changed.yaml 5" in caught.value.render("en")
    assert space.entities() == []  # nothing was written


def test_a_departments_partial_return_is_merged_into_the_year(
    tmp_path: Path, database: str | None
) -> None:
    space = init(tmp_path / "ws", database)
    space.import_files([EXAMPLE], YUNNAN)
    part = tmp_path / "林业局.csv"
    part.write_text(
        "评估对象,输入项,2016,来源\n保山市,entity.level,city,\n"
        "保山市,forest_cover_rate,66.5,市林业局\n",
        encoding="utf-8",
    )
    result = space.import_files([part], YUNNAN)
    assert result.changed == [("保山市", 2016, "forest_cover_rate")]
    space.checkin("merged", YUNNAN)
    _, data = space.at_checkin("merged", "保山市")
    assert data.values["forest_cover_rate"].value == 66.5
    assert data.values["farmer_net_income"].value == 9428  # the rest is kept


def test_opening_twice_and_errors_are_one_line(tmp_path: Path, database: str | None) -> None:
    init(tmp_path / "ws", database)
    open_workspace(tmp_path / "ws")  # the schema is at head: migrating again is a no-op
    with pytest.raises(WorkspaceError, match="there is a workspace here already"):
        init(tmp_path / "ws")
    with pytest.raises(WorkspaceError, match="no workspace here"):
        open_workspace(tmp_path / "none")
    result = CliRunner().invoke(main, ["workspace", "check", str(tmp_path / "ws"), "某市",
                                       "--checkin", "x"])  # fmt: skip
    assert result.exit_code == 2
    assert "Traceback" not in result.output


CASES = sorted((REPO / "criteria").glob("*/cases/*.yaml"))


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_every_bundled_case_through_the_workspace(
    tmp_path: Path, case: Path, database: str | None
) -> None:
    """The cases are the specification: each through init → import → check-in → check."""
    set_id = case.parent.parent.name
    expect = yaml.safe_load(case.read_text(encoding="utf-8"))["expect"]
    space = tmp_path / "ws"
    runner = CliRunner()
    extra = ["--database", database] if database else []
    assert runner.invoke(main, ["workspace", "init", str(space), *extra]).exit_code == 0
    imported = runner.invoke(main, ["workspace", "import", str(space), str(case), "--criteria",
                                    set_id])  # fmt: skip
    assert imported.exit_code == 0, imported.output
    made = runner.invoke(main, ["workspace", "checkin", str(space), "c1", "--criteria", set_id])
    assert made.exit_code == 0, made.output
    name = yaml.safe_load(case.read_text(encoding="utf-8"))["entity"]["name"]
    year = yaml.safe_load(case.read_text(encoding="utf-8"))["entity"]["year"]
    result = runner.invoke(main, ["workspace", "check", str(space), name, "--checkin", "c1",
                                  "--year", str(year), "--format", "json"])  # fmt: skip
    report = json.loads(result.stdout)
    assert report["verdict"] == expect["verdict"]
    assert {r["id"]: r["status"] for r in report["results"]} == expect["statuses"]
    summary = runner.invoke(main, ["workspace", "check", str(space), name, "--checkin", "c1",
                                   "--year", str(year), "--document", "summary"])  # fmt: skip
    assert "无上次检查或快照可比" in summary.stdout  # the first check-in has none before it


def _pdf(tmp_path: Path, name: str = "审议意见.pdf", body: bytes = b"1") -> Path:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n" + body + b"\n%%EOF\n")
    return path


def test_evidence_is_checked_by_content_and_stored_once(
    tmp_path: Path, database: str | None
) -> None:
    space = init(tmp_path / "ws", database)
    space.import_files([EXAMPLE], YUNNAN)
    pdf = _pdf(tmp_path)
    first = space.attach("保山市", pdf, 2016, input_name="eco_plan_adopted_by_congress")
    copy = tmp_path / "副本.pdf"
    copy.write_bytes(pdf.read_bytes())
    second = space.attach("保山市", copy, 2016, item="eco_plan")
    assert first.sha256 == second.sha256  # one stored file, two attachments
    assert [link.name for link in space.evidence("保山市")] == ["审议意见.pdf", "副本.pdf"]
    assert space.evidence_content(first.sha256) == pdf.read_bytes()
    disguised = tmp_path / "report.pdf"
    disguised.write_bytes(b"MZ\x90\x00 an executable")
    with pytest.raises(EcoassessError, match="not an accepted kind of evidence"):
        space.attach("保山市", disguised, 2016, item="eco_plan")
    wrong_name = tmp_path / "scan.png"
    wrong_name.write_bytes(pdf.read_bytes())
    with pytest.raises(EcoassessError, match="suffix does not match the content"):
        space.attach("保山市", wrong_name, 2016, item="eco_plan")
    with pytest.raises(WorkspaceError, match="attach to an input or an item"):
        space.attach("保山市", pdf, 2016)


def test_an_older_workspace_opens_in_this_version(tmp_path: Path, database: str | None) -> None:
    """A workspace at the first schema (no evidence tables) is upgraded when opened."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, inspect

    from engine.workspace import store

    folder = tmp_path / "old"
    folder.mkdir()
    url = database or f"sqlite:///{(folder / store.DATABASE).resolve()}"
    (folder / store.CONFIG).write_text(yaml.safe_dump({"database": database}), encoding="utf-8")
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(store.MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert "evidence_file" not in inspect(engine).get_table_names()
    engine.dispose()
    space = open_workspace(folder)
    space.import_files([EXAMPLE], YUNNAN)
    space.attach("保山市", _pdf(tmp_path), 2016, item="eco_plan")
    assert len(space.evidence("保山市")) == 1


def test_the_evidence_bundle_has_a_folder_per_item_and_an_index(
    tmp_path: Path, database: str | None
) -> None:
    import io
    import zipfile

    import openpyxl

    space = tmp_path / "ws"
    init(space, database).import_files([EXAMPLE], YUNNAN)
    runner = CliRunner()
    pdf = _pdf(tmp_path, "人大审议意见.pdf")
    attach = ["workspace", "attach", str(space), "保山市", str(pdf), "--year", "2016"]
    attached = runner.invoke(main, [*attach, "--input", "eco_plan_adopted_by_congress"])
    assert attached.exit_code == 0, attached.output
    assert runner.invoke(main, ["workspace", "checkin", str(space), "申报", "--criteria",
                                "yunnan_2014"]).exit_code == 0  # fmt: skip
    out = tmp_path / "bundle.zip"
    made = runner.invoke(main, ["workspace", "bundle", str(space), "保山市", "--checkin", "申报",
                                "-o", str(out)])  # fmt: skip
    assert made.exit_code == 0, made.output
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        folder = [n for n in names if n.endswith("人大审议意见.pdf")]
        assert len(folder) == 1
        assert folder[0].startswith("B1 ")  # the item that reads the input
        assert archive.read(folder[0]) == pdf.read_bytes()
        index = openpyxl.load_workbook(io.BytesIO(archive.read("index.xlsx"))).active
        rows = [[c.value for c in row] for row in index.iter_rows()]
    assert rows[0] == ["编号", "条目", "输入项", "数值", "来源", "佐证文件"]
    assert any(row[2] == "eco_plan_adopted_by_congress" and row[5] == folder[0] for row in rows)
