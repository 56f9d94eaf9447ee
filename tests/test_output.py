"""Outputs are atomic and never replace a file unasked; inputs are never written."""

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.cli.output import OutputExistsError, write_atomic
from tests.conftest import EXAMPLE, REPO


def test_interrupted_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.md"

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "half")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_rewrite_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")

    def interrupted(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_existing_file_needs_force(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputExistsError, match="add --force to replace it"):
        write_atomic(target, "new")
    write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "new"


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_no_command_writes_its_inputs(tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    shutil.copytree(REPO / "examples", inputs)
    shutil.copy(EXAMPLE, inputs / "copy.yaml")
    before = digest(inputs)
    runner = CliRunner()
    out = tmp_path / "out"
    for args in (
        ["check", str(inputs / "baoshan_2016.yaml"), "--criteria", "yunnan_2014"],
        [
            "check",
            str(inputs / "baoshan_2016.yaml"),
            "--criteria",
            "yunnan_2014",
            "-o",
            str(out / "r.html"),
        ],
        [
            "check",
            str(inputs / "baoshan_2016.yaml"),
            "--criteria",
            "yunnan_2014",
            "-o",
            str(out / "r.docx"),
        ],
        ["batch", str(inputs / "baoshan_batch"), "--criteria", "yunnan_2014", "-o", str(out / "b")],
        [
            "check",
            str(inputs / "copy.yaml"),
            "--criteria",
            "yunnan_2014",
            "-o",
            str(inputs / "copy.yaml"),
            "--force",
        ],
    ):
        runner.invoke(main, args)
    assert digest(inputs) == before


def test_written_files_are_ordinary_files_not_private_temporaries(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    os.umask(mask)
    target = tmp_path / "summary.csv"
    write_atomic(target, "a,b\n")
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask


def test_no_command_writes_over_a_file_it_read(tmp_path) -> None:
    """Issue 15, defect 10: --force replaced the criteria file being read, and an input
    named summary.csv in a batch folder."""
    import shutil

    from click.testing import CliRunner

    from engine.cli import main
    from tests.conftest import REPO

    sets = tmp_path / "sets"
    shutil.copytree(REPO / "criteria" / "yunnan_2014", sets / "yunnan_2014")
    criteria_file = sets / "yunnan_2014" / "criteria.yaml"
    before = criteria_file.read_bytes()
    result = CliRunner().invoke(
        main,
        ["template", "yunnan_2014", "--criteria-path", str(sets), "-o", str(criteria_file),
         "--force", "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "never written over (not even with --force)" in result.stderr
    assert criteria_file.read_bytes() == before

    folder = tmp_path / "in"
    folder.mkdir()
    summary = folder / "summary.csv"
    summary.write_text("评估对象,输入项,2016\n保山市,entity.level,city\n", encoding="utf-8")
    kept = summary.read_bytes()
    result = CliRunner().invoke(
        main, ["batch", str(folder), "--criteria", "yunnan_2014", "-o", str(folder), "--force"]
    )
    assert result.exit_code == 2
    assert summary.read_bytes() == kept
    assert sorted(p.name for p in folder.iterdir()) == ["summary.csv"]  # nothing half written
