"""The one-page summary (一页纸) a leader reads before the meeting on 整改: the verdict, the
counts, the blocking gaps with their departments, and what changed since the previous
check-in or snapshot — on one A4 page (portrait), the rest left to the full report."""

from __future__ import annotations

from engine.criteria.compiler import CompiledCriteria
from engine.evaluation.progress import Progress
from engine.evaluation.results import Report
from engine.reports.document import Document
from engine.reports.report_document import verdict_tone
from engine.reports.view import ReportView
from engine.resources import labels

MOST_GAPS = 12
"""Blocking gaps listed on the page; more are counted and left to the full report."""


def onepage_document(
    report: Report,
    criteria: CompiledCriteria,
    lang: str = "zh",
    department: str | None = None,
    progress: Progress | None = None,
) -> Document:
    view = ReportView(report, criteria, lang, labels()[lang], department)
    t = view.t
    entity = str(report.entity["name"])
    document = Document(f"{entity} {t['onepage_title']}", lang, landscape=False)
    document.heading(f"{entity} · {t['onepage_title']}{view.title_suffix}", level=0)
    document.paragraph(f"{view.entity_line} · {view.text(report.criteria.title)}", small=True)
    document.heading(f"{t['verdict']}: {view.verdict_text}", tone=verdict_tone(report))
    document.paragraph(view.verdict_line, bold=True)
    counts = view.status_counts(view.results)
    document.paragraph(
        t["onepage_counts"].format(
            total=len(view.results),
            passed=counts.get("pass", 0),
            failed=counts.get("fail", 0),
            missing=counts.get("missing", 0) + counts.get("error", 0),
            not_applicable=counts.get("not_applicable", 0),
        )
    )

    document.heading(t["onepage_blocking"].format(n=len(view.blocking)))
    document.table_or(
        [t["col_number"], t["col_item"], t["col_value"], t["col_target"], t["col_gap"],
         view.col_owner],
        [[x.number, view.text(x.name), view.value(x), view.target(x), view.gap(x),
          view.owners_text(x)]
         for x in view.blocking[:MOST_GAPS]],
        t["none"],
    )  # fmt: skip
    if len(view.blocking) > MOST_GAPS:
        document.paragraph(t["onepage_more"].format(n=len(view.blocking) - MOST_GAPS), small=True)
    unusable = [x for x in view.unusable if x.blocks]
    if unusable:
        document.paragraph(
            t["onepage_unusable"].format(
                n=len(unusable),
                items="、".join(f"{x.number} {view.text(x.name)}" for x in unusable[:8])
                + ("…" if len(unusable) > 8 else ""),
            )
        )

    document.heading(t["onepage_departments"])
    lines = [
        f"{view.department_name(tasks.name)}: "
        + t["dept_counts"].format(blocking=len(tasks.blocking), total=len(tasks.items))
        for tasks in view.department_tasks
        if tasks.blocking
    ]
    if lines:
        document.bullets(lines)
    else:
        document.paragraph(t["none"])

    if view.on_course:
        document.heading(t["onepage_trajectory"].format(year=view.trajectory_years))
        document.paragraph(view.course_counts)
    document.heading(t["onepage_change"])
    if progress is None:
        document.paragraph(t["onepage_no_previous"], tone="muted")
    else:
        old = progress.snapshots[-2].label
        document.paragraph(f"{t['onepage_since'].format(label=old)}: {progress.headline(lang)}")
    document.paragraph(t["onepage_full_report"], small=True)
    return document


__all__ = ["MOST_GAPS", "onepage_document"]
