"""Nothing lost: ``kill -9`` during an import or a check-in leaves the workspace as before or
as after, never in between — on SQLite and on PostgreSQL (one transaction each)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.loader import load_criteria, search_path
from engine.workspace.schema import CheckIn, CheckInValue, ValueVersion
from engine.workspace.store import init, open_workspace

YUNNAN = load_criteria("yunnan_2014", search_path())
ENTITIES = 130


def plausible(criteria: CompiledCriteria, name: str) -> str:
    declared = criteria.inputs[name]
    if declared.type == "boolean":
        return "是"
    low, high = declared.minimum, declared.maximum
    if low is not None and high is not None:
        return str((low + high) / 2)
    return str(low if low is not None else 50)


def many_entities(path: Path, criteria: CompiledCriteria, count: int = ENTITIES) -> Path:
    """One long CSV of ``count`` cities, every input for 2016."""
    lines = ["评估对象,输入项,2016"]
    for index in range(count):
        lines.append(f"城市{index:03d},entity.level,city")
        lines += [f"城市{index:03d},{name},{plausible(criteria, name)}" for name in criteria.inputs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _counts(folder: Path) -> tuple[int, int, int]:
    space = open_workspace(folder)
    with Session(space.engine) as session:
        return (
            session.scalar(select(func.count()).select_from(ValueVersion)) or 0,
            session.scalar(select(func.count()).select_from(CheckIn)) or 0,
            session.scalar(select(func.count()).select_from(CheckInValue)) or 0,
        )


def _killed(args: list[str], after: float) -> bool:
    """Run ``ecoassess`` with ``args`` and kill -9 it ``after`` seconds in; True if it was
    still running when killed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "engine", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(after)
    running = process.poll() is None
    if running:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    return running


def test_kill_9_during_import_and_checkin(tmp_path: Path, database: str | None) -> None:
    folder = tmp_path / "ws"
    init(folder, database, ["yunnan_2014"])
    data = many_entities(tmp_path / "all.csv", YUNNAN)
    full = ENTITIES * len(YUNNAN.inputs)
    killed_mid_import = 0
    for after in (0.8, 1.2, 1.6, 2.0, 2.6):
        if _killed(["workspace", "import", str(folder), str(data)], after):
            killed_mid_import += 1
        values, _, _ = _counts(folder)
        assert values in (0, full), f"killed after {after} s: {values} of {full} values"
        if values == full:
            break
    if _counts(folder)[0] == 0:  # every attempt was killed: import once, to the end
        open_workspace(folder).import_files([data], YUNNAN)
    assert _counts(folder)[0] == full
    for attempt, after in enumerate((0.8, 1.2, 1.6, 2.0, 2.6)):
        _killed(["workspace", "checkin", str(folder), f"c{attempt}"], after)
        values, checkins, frozen = _counts(folder)
        assert frozen == checkins * full, (after, checkins, frozen)  # whole check-ins only
    assert killed_mid_import or _counts(folder)[0] == full
