"""A department's status (单位进展) as a document to hand on — the page the office prints
for a department's meeting, as Word or PDF: its counts, every item of its with status and
value, what is due, what was returned and why, drafts, what is awaiting review, and the
items missing data or failing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from engine.evaluation.results import ItemResult
from engine.numbers import format_number
from engine.reports.document import Document
from engine.resources import labels
from engine.workspace.deadlines import Tasks


def status_document(tasks: Tasks, lang: str, today: date, label: Callable[[str], str]) -> Document:
    """``label``: an input's name as the office reads it (its label and id)."""
    t = labels()[lang]
    document = Document(f"{t['ws_department_status']}: {tasks.department}", lang)
    document.heading(f"{t['ws_department_status']}: {tasks.department}", level=0)
    document.paragraph(today.isoformat(), small=True)
    counts = [
        f"{t['ws_gaps_failing']} {len(tasks.failing)}",
        f"{t['ws_gaps_missing']} {len(tasks.missing)}",
        f"{t['ws_drafts']} {len(tasks.drafts)}",
        f"{t['ws_returned']} {len(tasks.returned)}",
    ]
    late = tasks.late(today)
    if late:
        counts.append(f"{t['ws_late']} {len(late)}")
    document.paragraph(" · ".join(counts), bold=True, tone="bad" if late else "")

    document.heading(t["ws_items_status"])
    document.table_or(
        [t["ws_col_entity"], t["ws_col_item"], t["ws_col_status"], t["ws_col_value"]],
        [
            [entity, f"{r.number} {r.name.get(lang)}", t[f"status_{r.status}"], _value(r, t)]
            for entity, r in tasks.items
        ],
        t["none"],
    )
    document.heading(t["ws_due"])
    document.table_or(
        [t["ws_col_checkin"], t["ws_due_date"], ""],
        [[d.checkin, d.due.isoformat(), t["ws_late"] if d in late else ""] for d in tasks.due],
        t["none"],
    )
    document.heading(f"{t['ws_returned']} ({len(tasks.returned)})")
    document.table_or(
        [t["ws_col_entity"], t["ws_col_input"], t["ws_col_year"], t["ws_value"], t["ws_reason"]],
        [
            [v.entity, label(v.input), v.year, "—" if v.raw is None else v.raw, v.reason or ""]
            for v in tasks.returned
        ],
        t["none"],
    )
    document.heading(f"{t['ws_drafts']} ({len(tasks.drafts)})")
    document.table_or(
        [t["ws_col_entity"], t["ws_col_input"], t["ws_col_year"], t["ws_value"],
         t["ws_col_entered"]],
        [[v.entity, label(v.input), v.year, t["ws_no_data"] if v.no_data else v.raw,
          f"{v.entered_by} {v.entered_at:%Y-%m-%d %H:%M}"] for v in tasks.drafts],
        t["none"],
    )  # fmt: skip
    document.heading(f"{t['ws_submitted']} ({len(tasks.submitted)})")
    document.bullets(
        [f"{v.entity} · {label(v.input)} · {v.year}: {v.raw}" for v in tasks.submitted]
    )
    if not tasks.submitted:
        document.paragraph(t["none"])
    for title, found in ((t["ws_gaps_missing"], tasks.missing),
                         (t["ws_gaps_failing"], tasks.failing)):  # fmt: skip
        document.heading(f"{title} ({len(found)})")
        document.bullets([f"{entity} {r.number} {r.name.get(lang)}" + (
            f"({t['ws_blocking_tag']})" if r.blocks else "") for entity, r in found])  # fmt: skip
        if not found:
            document.paragraph(t["none"])
    return document


def _value(result: ItemResult, t: dict[str, object]) -> str:
    value = result.value
    if value is True or value is False:
        return str(t["ws_yes"] if value else t["ws_no"])
    if value is None:
        return "—"
    return f"{format_number(value)} {result.unit}".strip()


__all__ = ["status_document"]
