"""The declaration's technical report (技术报告), drafted: per group and item the indicator,
its explanation and method (指标解释、计算方法) and data sources (数据来源) where the criteria
set gives them, the value and the data it was computed from, the requirement, whether it is
met (达标情况) and the evidence; then the gaps with their departments.

A draft for a consultant to edit, not to rewrite: every slot is there, and a slot the set
has no source for says so (「待补充」) instead of being filled with words of ours.
"""

from __future__ import annotations

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.model import Item, Text
from engine.evaluation.results import InputValue, ItemResult, Report
from engine.reports.document import Document
from engine.reports.report_document import verdict_tone
from engine.reports.view import ReportView
from engine.resources import labels


def technical_document(
    report: Report, criteria: CompiledCriteria, lang: str = "zh", department: str | None = None
) -> Document:
    view = ReportView(report, criteria, lang, labels()[lang], department)
    t = view.t
    entity = str(report.entity["name"])
    document = Document(f"{entity} {t['tech_title']}", lang, landscape=False)
    document.heading(f"{entity}{t['tech_title_joiner']}{t['tech_title']}", level=0)
    document.paragraph(f"{t['entity']}: {view.entity_line}")
    document.paragraph(f"{t['criteria']}: {view.text(report.criteria.title)} "
                       f"({report.criteria.document})")  # fmt: skip
    document.paragraph(t["tech_draft_note"], tone="muted")

    document.heading(t["tech_overview"])
    document.paragraph(f"{t['verdict']}: {view.verdict_text}", bold=True, tone=verdict_tone(report))
    document.paragraph(view.verdict_line)
    for line in view.standing:
        document.paragraph(line)
    counts = report.summary.counts
    document.table(
        [t["status_pass"], t["status_fail"], t["status_missing"], t["status_error"],
         t["status_not_applicable"], t["total"]],
        [[*(counts[s] for s in ("pass", "fail", "missing", "error", "not_applicable")),
          report.summary.total]],
    )  # fmt: skip

    document.heading(t["tech_items"])
    shown = {result.id for result in view.results}
    for group in view.groups:
        results = [r for r in group.results if r.id in shown]
        if not results:
            continue
        document.heading(group.name, level=2)
        for result in results:
            _item(document, view, criteria.item(result.id).item, result)

    document.heading(t["tech_gaps"])
    for tasks in view.department_tasks:
        heading = t["dept_counts"].format(blocking=len(tasks.blocking), total=len(tasks.items))
        document.heading(f"{view.department_name(tasks.name)} — {heading}", level=2)
        document.table(
            [t["col_number"], t["col_item"], t["col_status"], t["col_value"], t["col_target"],
             f"{t['col_gap']} / {t['col_problem']}"],
            [[x.number, view.text(x.name), view.status(x), view.value(x), view.target(x),
              view.gap(x) if x.status == "fail" else view.problems(x)]
             for x in tasks.items],
        )  # fmt: skip
    if not view.department_tasks:
        document.paragraph(t["none"])

    document.heading(t["tech_notes"])
    document.bullets(
        [
            t["tech_note_values"],
            t["tech_note_sources"],
            f"{view.text(report.criteria.title)} · {t['document']}: {report.criteria.document}. "
            f"{t['generated_note']}",
        ]
    )
    return document


def _item(document: Document, view: ReportView, item: Item, result: ItemResult) -> None:
    t = view.t
    missing = str(t["tech_missing"])
    document.heading(f"{result.number} {view.text(result.name)}", level=3)
    owners = view.owners_text(result)
    if result.cooperating:
        owners += f"；{t['col_cooperating']}: {view.departments(result.cooperating)}"
    status = view.status(result)
    if result.status == "fail":
        status += f"；{view.gap(result)}"
    elif result.status in ("missing", "error"):
        status += f"；{view.problems(result)}"
    elif result.status == "not_applicable":
        status += f"；{view.applicability(result)}"
    pairs = [
        (t["tech_requirement"], f"{view.target(result)} ({view.kind(result)})"),
        (t["tech_explanation"], _text(view, item.explanation, missing)),
        (t["tech_method"], _text(view, item.method, missing)),
        (t["tech_data_source"], _text(view, item.data_source, missing)),
        (t["tech_departments"], owners),
        (t["tech_value"], view.value(result)),
    ]
    if result.input_values and not (len(result.input_values) == 1 and result.given_directly):
        pairs.append((t["tech_inputs"], "；".join(_input(view, v) for v in result.input_values)))
    pairs.append((t["tech_result"], status))
    if result.trajectory is not None:
        course = f"{view.course(result)}({view.course_calculation(result)})"
        pairs.append((t["col_trajectory"], course))
    pairs.append((t["tech_evidence"], _evidence(view, result)))
    document.fields(pairs)
    if item.explanation_source:
        document.paragraph(f"{t['tech_explanation_source']}: {item.explanation_source}", small=True)


def _text(view: ReportView, text: Text | None, missing: str) -> str:
    return view.text(text) if text is not None else missing


def _input(view: ReportView, given: InputValue) -> str:
    value = given.value
    if isinstance(value, bool):
        shown = str(view.t["answer_yes" if value else "answer_no"])
    elif isinstance(value, int | float):
        shown = view.with_unit(value, given.unit)
    else:
        shown = "—" if value is None else str(value)
    year = f" ({given.year})" if given.year is not None else ""
    source = f" [{view.t['source_label']}: {given.source}]" if given.source else ""
    return f"{given.label.get(view.lang)}{year} = {shown}{source}"


def _evidence(view: ReportView, result: ItemResult) -> str:
    listed = [
        f"{given.label.get(view.lang)}: {given.evidence}"
        for given in result.input_values
        if given.evidence
    ]
    return "；".join(listed) if listed else str(view.t["tech_no_evidence"])


__all__ = ["technical_document"]
