"""What leaves the workspace: an entity's year as a YAML data file or a filled workbook (each
reads back, with ``ecoassess check``, to the same report), and everything as one JSON
document (entities, every version of every value, evidence, check-ins)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.criteria.compiler import CompiledCriteria
from engine.data.record import DataFile, MeasuredValue
from engine.reports.sheet_template import xlsx_template
from engine.workspace.schema import (
    CheckIn,
    CheckInResult,
    CheckInValue,
    EntityRow,
    EvidenceLink,
    ValueVersion,
)
from engine.workspace.store import Workspace

FORMAT_VERSION = 1


def _given(value: MeasuredValue) -> Any:
    fields = value.model_dump(mode="json", exclude_none=True)
    return fields["value"] if set(fields) == {"value"} else fields


def data_yaml(data: DataFile) -> str:
    """The data file as YAML, in the form ``ecoassess check`` reads."""
    content: dict[str, Any] = {
        "entity": data.entity.model_dump(mode="json", exclude_none=True),
        "values": {name: _given(value) for name, value in data.values.items()},
    }
    if data.history:
        content["history"] = {
            year: {name: _given(value) for name, value in values.items()}
            for year, values in sorted(data.history.items())
        }
    header = f"# {data.entity.name} {data.entity.year} — ecoassess workspace export\n"
    return header + yaml.safe_dump(content, allow_unicode=True, sort_keys=False)


def data_workbook(criteria: CompiledCriteria, data: DataFile, lang: str) -> bytes:
    """The set's Excel template filled with the entity's values, a column per year."""
    years = sorted({data.entity.year, *data.history})
    with tempfile.TemporaryDirectory(prefix="ecoassess-export-") as folder:
        path = Path(folder) / "export.xlsx"
        xlsx_template(criteria, lang, years, path, filled=data)
        return path.read_bytes()


def everything(space: Workspace) -> dict[str, Any]:
    """The whole workspace as JSON-ready data; evidence files by name and hash (their bytes
    stay in the workspace; the evidence bundle carries them)."""
    with Session(space.engine) as session:
        names = {row.id: row.name for row in session.scalars(select(EntityRow))}

        def rows(model: Any, *order: Any) -> list[Any]:
            return list(session.scalars(select(model).order_by(*order)))

        frozen: dict[int, list[int]] = {}
        for link in rows(CheckInValue, CheckInValue.checkin_id, CheckInValue.version_id):
            frozen.setdefault(link.checkin_id, []).append(link.version_id)
        standings: dict[int, list[dict[str, Any]]] = {}
        for result in rows(CheckInResult, CheckInResult.checkin_id, CheckInResult.entity_id):
            standings.setdefault(result.checkin_id, []).append(
                {"entity": names[result.entity_id], "year": result.year,
                 "verdict": result.verdict, "blocking": result.blocking}
            )  # fmt: skip
        return {
            "format": "ecoassess-workspace",
            "version": FORMAT_VERSION,
            "criteria": space.criteria_ids,
            "entities": [
                {"name": row.name, "level": row.level, "profile": row.profile}
                for row in rows(EntityRow, EntityRow.name)
            ],
            "values": [
                {
                    "id": v.id, "entity": names[v.entity_id], "input": v.input, "year": v.year,
                    "period": v.period, "number": v.number, "value": v.raw, "source": v.source,
                    "evidence": v.evidence, "note": v.note, "warning": v.warning,
                    "file": v.file, "entered_by": v.entered_by,
                    "entered_at": v.entered_at.isoformat(timespec="seconds"),
                }
                for v in rows(ValueVersion, ValueVersion.id)
            ],
            "evidence": [
                {
                    "entity": names[e.entity_id], "year": e.year, "input": e.input,
                    "item": e.item, "name": e.name, "sha256": e.sha256, "added_by": e.added_by,
                    "added_at": e.added_at.isoformat(timespec="seconds"),
                }
                for e in rows(EvidenceLink, EvidenceLink.id)
            ],
            "checkins": [
                {
                    "name": c.name, "made_at": c.made_at.isoformat(timespec="seconds"),
                    "made_by": c.made_by, "criteria": c.criteria_id,
                    "criteria_sha256": c.criteria_digest, "versions": frozen.get(c.id, []),
                    "results": standings.get(c.id, []),
                }
                for c in rows(CheckIn, CheckIn.made_at, CheckIn.id)
            ],
        }  # fmt: skip


__all__ = ["data_workbook", "data_yaml", "everything"]
