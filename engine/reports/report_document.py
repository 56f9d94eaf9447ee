"""The pass/gap report as a :class:`~engine.reports.document.Document` — what its Word and
PDF files say: the verdict first, then the gaps, the task lists by department, then every
item (the same sections as the HTML report)."""

from __future__ import annotations

from engine.criteria.compiler import CompiledCriteria
from engine.evaluation.results import ItemResult, Report
from engine.reports.document import Document
from engine.reports.view import ReportView
from engine.resources import labels


def verdict_tone(report: Report) -> str:
    """``good`` ready, ``bad`` not ready, ``partial`` ready on an incomplete set's items."""
    if report.verdict != "ready":
        return "bad"
    return "good" if report.criteria.complete else "partial"


def report_document(
    report: Report, criteria: CompiledCriteria, lang: str = "zh", department: str | None = None
) -> Document:
    view = ReportView(report, criteria, lang, labels()[lang], department)
    t = view.t
    document = Document(f"{t['report_title']}{view.title_suffix} — {report.entity['name']}", lang)
    document.heading(t["report_title"] + view.title_suffix, level=0)
    document.paragraph(f"{t['entity']}: {view.entity_line}")
    document.paragraph(f"{t['criteria']}: {view.text(report.criteria.title)}")
    document.heading(f"{t['verdict']}: {view.verdict_text}", tone=verdict_tone(report))
    document.paragraph(view.verdict_line)
    for line in view.standing:
        document.paragraph(line, bold=True)
    counts = report.summary.counts
    document.table(
        [
            t["status_pass"],
            t["status_fail"],
            t["status_missing"],
            t["status_error"],
            t["status_not_applicable"],
            t["total"],
        ],
        [[*(counts[s] for s in ("pass", "fail", "missing", "error", "not_applicable")),
          report.summary.total]],
    )  # fmt: skip

    gap_columns = [
        t["col_number"],
        t["col_item"],
        t["col_value"],
        t["col_target"],
        t["col_gap"],
        view.col_owner,
        t["col_cooperating"],
    ]

    def gap_row(x: ItemResult) -> list[object]:
        return [
            x.number,
            view.text(x.name),
            view.value(x),
            view.target(x),
            view.gap(x),
            view.owners_text(x),
            view.departments(x.cooperating),
        ]

    for title, results in ((t["section_blocking"], view.blocking),
                           (view.warnings_title, view.warnings)):  # fmt: skip
        document.heading(title)
        document.table_or(gap_columns, [gap_row(x) for x in results], t["none"])
    document.heading(t["section_unusable"])
    document.table_or(
        [
            t["col_number"],
            t["col_item"],
            t["col_status"],
            t["col_binding"],
            t["col_problem"],
            view.col_owner,
        ],
        [
            [x.number, view.text(x.name), view.status(x), view.kind(x), view.problems(x),
             view.owners_text(x)]
            for x in view.unusable
        ],
        t["none"],
    )  # fmt: skip
    if view.unevidenced:
        document.paragraph(t["unevidenced_title"])
        if len(view.unevidenced) > 5:  # many: one paragraph, as the HTML groups them
            document.paragraph("；".join(view.unevidenced))
        else:
            document.bullets(view.unevidenced)

    document.heading(t["section_departments"])
    for tasks in view.department_tasks:
        heading = t["dept_counts"].format(blocking=len(tasks.blocking), total=len(tasks.items))
        document.heading(f"{view.department_name(tasks.name)} — {heading}", level=2)
        document.table(
            [
                t["col_number"],
                t["col_item"],
                t["col_status"],
                t["col_value"],
                t["col_target"],
                f"{t['col_gap']} / {t['col_problem']}",
                t["col_cooperating"],
            ],
            [
                [
                    x.number,
                    view.text(x.name),
                    view.status(x),
                    view.value(x),
                    view.target(x),
                    view.gap(x) if x.status == "fail" else view.problems(x),
                    view.departments(x.cooperating),
                ]
                for x in tasks.items
            ],
        )
    if not view.department_tasks:
        document.paragraph(t["none"])

    if department is None:
        document.heading(t["section_all"])
        for group in view.groups:
            document.heading(group.name, level=2)
            rows: list[list[object]] = []
            for x in group.results:
                if x.id in group.bundle_heads:
                    bundle = group.bundle_heads[x.id]
                    name = f"{view.text(bundle.name)} ({t['bundle_parts']})"
                    rows.append([bundle.number, name, "", "", view.status(bundle), "", ""])
                rows.append(
                    [
                        x.number,
                        view.text(x.name),
                        view.value(x),
                        view.target(x),
                        view.status(x),
                        view.kind(x),
                        view.owners_text(x),
                    ]
                )
            document.table(
                [
                    t["col_number"],
                    t["col_item"],
                    t["col_value"],
                    t["col_target"],
                    t["col_status"],
                    t["col_binding"],
                    view.col_owner,
                ],
                rows,
            )
    trajectory_section(document, view)
    document.paragraph(
        f"{view.text(report.criteria.title)} · {t['document']}: {report.criteria.document}. "
        f"{t['generated_note']}",
        small=True,
    )
    return document


def trajectory_section(document: Document, view: ReportView) -> None:
    """Whether each item is on course for the plan's target year, with the calculation."""
    if not view.on_course:
        return
    t = view.t
    document.heading(view.trajectory_title)
    document.paragraph(t["trajectory_intro"], small=True)
    document.table(
        [t["col_number"], t["col_item"], t["col_trajectory"], t["col_calculation"]],
        [[x.number, view.text(x.name), view.course(x), view.course_calculation(x)]
         for x in view.on_course],
    )  # fmt: skip


__all__ = ["report_document", "trajectory_section", "verdict_tone"]
