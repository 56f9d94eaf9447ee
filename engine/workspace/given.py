"""What an import or a form brings: values read from data files (YAML, CSV, xlsx) or typed
in the workbench, each checked before anything is stored — a bad cell, or two files giving
one input two values, stops the whole import with every problem listed."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.criteria.compiler import CompiledCriteria
from engine.data.cells import REASONS, coerce, is_empty
from engine.data.record import DataFile, Entity, MeasuredValue
from engine.data.sources import load_entities
from engine.errors import DataError, Problem
from engine.outcomes import Finding

Key = tuple[str, int, str]
"""(entity, year, input)."""

_PERIOD = re.compile(r"([0-9]{4})(?:-(0?[1-9]|1[0-2])|-?([Qq][1-4]))")
FORM = "网页填报"
"""The ``file`` of a value entered in the workbench's form."""


def period_of(text: str | None) -> str | None:
    """The period of a return, ``2025-03`` (a month) or ``2025-Q1`` (a quarter)."""
    if text is None or not text.strip():
        return None
    found = _PERIOD.fullmatch(text.strip())
    if found is None:
        raise DataError.single(
            text,
            "填报期应为月份或季度，如 2025-03 或 2025-Q1",
            "a period is a month or a quarter, e.g. 2025-03 or 2025-Q1",
        )
    return f"{found[1]}-{found[3].upper()}" if found[3] else f"{found[1]}-{int(found[2]):02d}"


@dataclass
class ImportResult:
    """What an import did: new values, corrections, values already in force."""

    new: list[Key] = field(default_factory=list)
    changed: list[Key] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class Given:
    """A value to store: as typed, with its provenance and the file (or form) it came in."""

    raw: Any
    source: str | None
    evidence: str | None
    note: str | None
    warning: dict[str, str] | None
    file: str
    no_data: bool = False
    """Confirmed: no data this period (``raw`` is then None)."""

    def same(self, stored: tuple[Any, ...]) -> bool:
        """Whether the stored ``(raw, source, evidence, note, warning, no_data)`` is this."""
        return (
            self.raw, self.source, self.evidence, self.note, self.warning, self.no_data
        ) == stored  # fmt: skip


def read_files(
    files: Sequence[Path], criteria: CompiledCriteria
) -> tuple[dict[str, Entity], dict[Key, Given]]:
    """Every entity and value of ``files``, or a DataError listing every problem."""
    problems: list[Problem] = []
    entities: dict[str, Entity] = {}
    given: dict[Key, Given] = {}
    for path in files:
        for loaded in load_entities(path, criteria, subunits=True):
            if isinstance(loaded, DataError):
                problems += loaded.problems
                continue
            entities[loaded.entity.name] = loaded.entity
            for year, year_values in _years(loaded):
                for input_name, measured in year_values.items():
                    key = (loaded.entity.name, year, input_name)
                    value = Given(
                        raw=_plain(measured.value),
                        source=measured.source,
                        evidence=measured.evidence,
                        note=measured.note,
                        warning=measured.warning.model_dump() if measured.warning else None,
                        file=path.name,
                    )
                    other = given.get(key)
                    if other is not None and other.raw != value.raw:
                        problems.append(_conflict(key, other, value))
                    given.setdefault(key, value)
    if problems:
        raise DataError(problems)  # nothing is imported
    return entities, given


def form_value(
    criteria: CompiledCriteria,
    input_name: str,
    typed: str,
    source: str | None,
    evidence: str | None,
    note: str | None,
    file: str,
    no_data: bool = False,
) -> Given:
    """One value as typed in a form, read by the one cell reader first: a value it cannot
    read, or outside the input's range, is refused with the reader's own reason."""
    declared = criteria.inputs.get(input_name)
    if declared is None:
        raise DataError.single(
            input_name, f"{criteria.id} 中没有此输入项", f"not an input of {criteria.id}"
        )
    label = f"{declared.name.zh} ({input_name})"
    if no_data:
        return Given(
            raw=None, source=_text(source), evidence=_text(evidence),
            note=_text(note) or "本期确认无数据", warning=None, file=file, no_data=True,
        )  # fmt: skip
    if is_empty(typed):
        raise DataError.single(label, "请填写数值", "give a value")
    read, _warning = coerce(input_name, declared, typed.strip())
    if isinstance(read, Finding):
        raise DataError.single(label, *_refusal(typed, read))
    return Given(
        raw=typed.strip(), source=_text(source), evidence=_text(evidence), note=_text(note),
        warning=None, file=file,
    )  # fmt: skip


def _text(given: str | None) -> str | None:
    return (given or "").strip() or None


def _refusal(typed: str, finding: Finding) -> tuple[str, str]:
    """The line for a value the form refuses: the reader's own reason."""
    if finding.code == "out_of_range":
        return (
            f"填写的是 {typed!r}，超出合理范围 {finding.detail}",
            f"found {typed!r}; outside the plausible range {finding.detail}",
        )
    zh, en = REASONS.get(finding.detail or "", ("无法读取", "cannot be read"))
    return f"填写的是 {typed!r}，{zh}", f"found {typed!r}; {en}"


def _years(data: DataFile) -> Iterable[tuple[int, dict[str, MeasuredValue]]]:
    yield data.entity.year, data.values
    yield from data.history.items()


def _plain(value: Any) -> Any:
    """A value as JSON keeps it (dates and the like as their text)."""
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def _conflict(key: Key, one: Given, other: Given) -> Problem:
    entity, year, input_name = key
    return Problem(
        f"{entity} {year} {input_name}",
        f"两个文件给出了不同的数值: {one.file} 为 {one.raw!r}，{other.file} 为 {other.raw!r}；"
        "请确认后只保留一个",
        f"two files give different values: {one.file} {one.raw!r}, {other.file} {other.raw!r}; "
        "keep one",
    )


def digest(files: Sequence[Path]) -> str:
    """SHA-256 of the files' contents, in order."""
    found = hashlib.sha256()
    for path in files:
        found.update(path.read_bytes())
    return found.hexdigest()


__all__ = ["Given", "ImportResult", "Key", "digest", "form_value", "period_of", "read_files"]
