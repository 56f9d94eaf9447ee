"""The declaration's evidence bundle: a zip with a folder per item (its number and name)
holding the evidence of that item and of the inputs it reads, and an index workbook (item,
value, source, file names) — as it stood at one check-in."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict

import openpyxl

from engine.reports.inert import as_text_cells, one_line
from engine.workspace.store import Workspace

_REFUSED = set('\\/:*?"<>|')


def _part(text: str) -> str:
    """``text`` as one part of a path inside the zip (never a separator, never ``..``)."""
    cleaned = "".join("_" if c in _REFUSED or not c.isprintable() else c for c in text)
    return cleaned.strip(" .")[:120] or "_"


def evidence_bundle(space: Workspace, checkin: str, entity: str, year: int | None = None) -> bytes:
    """The bundle of ``entity`` at ``checkin``: the zip's bytes."""
    criteria, data = space.at_checkin(checkin, entity, year)
    chosen = data.entity.year
    links = [link for link in space.evidence(entity) if link.year == chosen]
    by_item: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for link in links:
        targets = (
            [c.id for c in criteria.readers_of(link.input)] if link.input else [link.item or ""]
        )
        for item_id in targets:
            by_item[item_id].append((link.name, link.sha256))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "index"
        sheet.append(["编号", "条目", "输入项", "数值", "来源", "佐证文件"])
        for compiled in criteria.items:
            item = compiled.item
            folder = _part(f"{item.number} {item.name.zh}")
            names = []
            for number, (name, sha256) in enumerate(by_item.get(item.id, []), start=1):
                inside = f"{folder}/{number:02d} {_part(name)}"
                archive.writestr(inside, space.evidence_content(sha256))
                names.append(inside)
            for input_name in compiled.inputs or ("",):
                given = data.values.get(input_name)
                sheet.append(
                    [
                        item.number,
                        one_line(item.name.zh),
                        input_name,
                        "" if given is None else one_line(str(given.value)),
                        "" if given is None else one_line(given.source or ""),
                        "\n".join(names),
                    ]
                )
        for row in sheet.iter_rows():
            as_text_cells(row)  # no cell of the index is ever a formula
        index = io.BytesIO()
        book.save(index)
        archive.writestr("index.xlsx", index.getvalue())
    return buffer.getvalue()


__all__ = ["evidence_bundle"]
