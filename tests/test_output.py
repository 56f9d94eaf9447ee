"""Outputs are atomic and never replace a file unasked; inputs are never written."""

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.cli.output import OutputError, OutputExistsError, write_atomic
from tests.conftest import EXAMPLE, REPO


def _interrupted_after_one_piece():
    yield "half"
    raise KeyboardInterrupt


def test_interrupted_write_leaves_no_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, _interrupted_after_one_piece())
    assert list(tmp_path.iterdir()) == []


def test_interrupted_rewrite_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, _interrupted_after_one_piece(), force=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_failed_replace_keeps_the_old_file_and_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OutputError, match="the disk is full; free some space"):
        write_atomic(target, "new", force=True)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


@pytest.mark.parametrize("unnamed", [True, False])
def test_a_write_in_progress_has_no_name_to_leave_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool
) -> None:
    """Issue 15, defect 13: a batch killed with SIGKILL left hidden temporary files. While
    a report is written, on Linux, the folder holds no file for it at all (O_TMPFILE); the
    fallback elsewhere is a hidden file removed on any error."""
    from engine.cli import output

    if not unnamed:
        monkeypatch.setattr(output, "_unnamed_file", lambda _folder: None)
    seen = []

    def pieces():
        yield "a"
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        yield "b"

    write_atomic(tmp_path / "report.md", pieces())
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == "ab"
    if unnamed:
        assert seen == [[]]
    else:
        assert len(seen[0]) == 1
        assert seen[0][0].startswith(".report.md.")
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


# --- issue 15, defect 11: operating-system errors are one line and exit 2 ------------------


def _check_to(output: str, *extra: str):
    return CliRunner().invoke(
        main, ["check", str(EXAMPLE), "--criteria", "yunnan_2014", "-o", output, *extra]
    )


def test_a_file_name_too_long_is_one_line(tmp_path: Path) -> None:
    result = _check_to(str(tmp_path / ("长" * 100 + ".md")))
    assert result.exit_code == 2
    assert "文件名或路径过长；请用较短的名称" in result.stderr
    assert "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1


def test_a_path_through_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    result = _check_to(str(tmp_path / "a.md" / "b.md"))
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("路径中有一部分不是文件夹")


def test_permission_denied_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from engine.cli import output

    def denied(folder: Path) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(folder))

    monkeypatch.setattr(output, "_unnamed_file", denied)
    result = _check_to(str(tmp_path / "r.md"))
    assert result.exit_code == 2
    assert "没有写入权限" in result.stderr
    assert "Traceback" not in result.output


def test_a_device_is_never_written_over(tmp_path: Path) -> None:
    result = _check_to("/dev/null", "--force")
    assert result.exit_code == 2
    assert "不是普通文件" in result.stderr


def test_a_full_disk_under_standard_output_is_one_line() -> None:
    import subprocess
    import sys

    with open("/dev/full", "w") as full:
        finished = subprocess.run(
            [sys.executable, "-m", "engine", "check", str(EXAMPLE), "--criteria",
             "yunnan_2014"],
            stdout=full, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
    assert finished.returncode == 2
    assert finished.stderr.startswith("错误: <stdout>: 磁盘已满")
    assert "Traceback" not in finished.stderr


def test_a_file_too_large_for_the_system_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    import resource
    import subprocess
    import sys

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    finished = subprocess.run(
        [sys.executable, "-m", "engine", "check", str(EXAMPLE), "--criteria",
         "yunnan_2014", "-o", str(tmp_path / "r.html")],
        stderr=subprocess.PIPE, text=True, preexec_fn=small_files, check=False,
    )  # fmt: skip
    assert finished.returncode == 2
    assert finished.stderr.strip().endswith("文件超过允许的大小上限")
    assert list(tmp_path.iterdir()) == []


def test_a_batch_checks_its_folder_before_writing_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import collections

    folder = REPO / "examples" / "baoshan_batch"
    out = tmp_path / "out"
    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9 - 100, 100))
    result = CliRunner().invoke(
        main, ["batch", str(folder), "--criteria", "yunnan_2014", "--output", str(out)]
    )
    assert result.exit_code == 2
    assert "磁盘空间不足" in result.stderr
    assert list(out.iterdir()) == []
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["batch", str(folder), "--criteria", "yunnan_2014", "--output", str(tmp_path / "file")],
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_batch_killed_with_sigkill_leaves_no_temporary_file(tmp_path: Path) -> None:
    """Issue 15, defect 13: a batch killed with SIGKILL left hidden temporary files."""
    import signal
    import subprocess
    import sys
    import time

    inputs = tmp_path / "in"
    inputs.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for number in range(150):
        named = text.replace("name: 保山市", f"name: 保山{number}市", 1)
        (inputs / f"e{number}.yaml").write_text(named, encoding="utf-8")
    out = tmp_path / "out"
    batch = subprocess.Popen(
        [sys.executable, "-m", "engine", "batch", str(inputs), "--criteria", "yunnan_2014",
         "--output", str(out), "--format", "md"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not (out.is_dir() and any(out.glob("*.md"))):
        assert time.monotonic() < deadline, "the batch never wrote"
        assert batch.poll() is None, "the batch ended before it was killed"
        time.sleep(0.001)
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
