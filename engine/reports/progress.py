"""The progress bulletin in Markdown, HTML, Word and PDF: verdict then and now, the headline, what
opened (first), closed, improved, worsened and is still open, each department's bulletin, and
with three snapshots or more the history of every item and a chart of the blocking gaps."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from engine.evaluation.progress import GAPS, Category, ItemProgress, Progress
from engine.evaluation.results import ItemResult
from engine.reports.charts import gap_counts
from engine.reports.document import Document
from engine.reports.render import environment
from engine.reports.view import ReportView
from engine.resources import labels

_CHINESE_NUMBERS = "一二三四五六七八九十"
SECTIONS: tuple[tuple[Category, str], ...] = (
    ("opened", "progress_opened"),
    ("closed", "progress_closed"),
    ("improved", "progress_improved"),
    ("worsened", "progress_worsened"),
)


@dataclass(frozen=True)
class Section:
    """A titled table of items."""

    title: str
    rows: list[list[str]]
    key: str = ""


@dataclass
class ProgressView:
    """Everything the bulletin shows, worded for one language."""

    progress: Progress
    lang: str
    t: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.t = labels()[self.lang]

    @cached_property
    def views(self) -> list[ReportView]:
        """A report view per snapshot, for its values and gaps as the report words them."""
        criteria = self.progress.criteria
        return [
            ReportView(snapshot.report, criteria, self.lang, self.t)
            for snapshot in self.progress.snapshots
        ]

    @property
    def entity_line(self) -> str:
        return self.views[-1].entity_line

    @property
    def criteria_title(self) -> str:
        return self.progress.criteria.spec.title.get(self.lang)

    @property
    def labels(self) -> list[str]:
        return [snapshot.label for snapshot in self.progress.snapshots]

    @property
    def verdicts(self) -> tuple[str, str]:
        return (
            str(self.t[f"verdict_{self.progress.old.verdict}"]),
            str(self.t[f"verdict_{self.progress.new.verdict}"]),
        )

    @property
    def headline(self) -> str:
        return self.progress.headline(self.lang)

    @property
    def columns(self) -> list[str]:
        t = self.t
        return [
            t["col_number"], t["col_item"], t["col_binding"], t["progress_col_old"],
            t["progress_col_new"], t["progress_col_gap_old"], t["progress_col_gap_new"],
            self.views[-1].col_owner,
        ]  # fmt: skip

    def row(self, item: ItemProgress) -> list[str]:
        old_view, new_view = self.views[-2], self.views[-1]
        old, new = item.old, item.new
        return [
            new.number,
            new.name.get(self.lang),
            new_view.kind(new),
            _state(old_view, old),
            _state(new_view, new),
            self._gap(old_view, old),
            self._gap(new_view, new),
            new_view.owners_text(new),
        ]

    @staticmethod
    def _gap(view: ReportView, result: ItemResult) -> str:
        return view.gap(result) if result.status in GAPS else "—"

    def numbered(self, number: int, key: str) -> str:
        """A section title with its number: 一、… in Chinese, 1. … in English."""
        title = str(self.t[key])
        return (
            f"{title}"
            if number == 0
            else (
                f"{_CHINESE_NUMBERS[number - 1]}、{title}"
                if self.lang == "zh"
                else f"{number}. {title}"
            )
        )

    @property
    def sections(self) -> list[Section]:
        """Opened, closed, improved, worsened, then the gaps still open."""
        sections = [
            Section(self.numbered(n, title), [self.row(i) for i in self.progress.in_category(c)], c)
            for n, (c, title) in enumerate(SECTIONS, start=1)
        ]
        still = [i for i in self.progress.in_category("unchanged") if i.new.status in GAPS]
        sections.append(Section(self.numbered(5, "progress_still"), [self.row(i) for i in still]))
        return sections

    @property
    def departments_title(self) -> str:
        return self.numbered(6, "progress_departments")

    @property
    def history_title(self) -> str:
        return self.numbered(7, "progress_history")

    @property
    def course_title(self) -> str:
        newest = self.views[-1]
        years = sorted({r.trajectory.target_year for r in newest.on_course if r.trajectory})
        title = self.numbered(8, "progress_trajectory")
        return f"{title}({'、'.join(map(str, years))})" if years else title

    @property
    def course_columns(self) -> list[str]:
        t = self.t
        return [t["col_number"], t["col_item"], t["col_trajectory"], t["col_calculation"]]

    @property
    def course(self) -> list[list[str]]:
        """The newest snapshot's trajectory toward the plan's target year, item by item."""
        newest = self.views[-1]
        return [
            [x.number, newest.text(x.name), newest.course(x), newest.course_calculation(x)]
            for x in newest.on_course
        ]

    @property
    def unchanged_note(self) -> str:
        rest = [i for i in self.progress.in_category("unchanged") if i.new.status not in GAPS]
        return str(self.t["progress_unchanged_note"]).format(n=len(rest))

    @property
    def departments(self) -> list[tuple[str, str, list[Section]]]:
        """Each department with anything that moved: its name, counts, and its sections."""
        found = []
        for name in self.progress.departments:
            sections = [
                Section(
                    str(self.t[title]),
                    [self.row(i) for i in self.progress.of_department(name, c)],
                    c,
                )
                for c, title in SECTIONS
            ]
            if not any(section.rows for section in sections):
                continue
            counts = {section.key: len(section.rows) for section in sections}
            found.append((name, str(self.t["progress_dept_counts"]).format(**counts), sections))
        return found

    @property
    def has_history(self) -> bool:
        return len(self.progress.snapshots) >= 3

    @property
    def history_columns(self) -> list[str]:
        return [self.t["col_number"], self.t["col_item"], *self.labels]

    @property
    def history(self) -> list[list[str]]:
        """Status and value of every item at each snapshot (items never applicable left out)."""
        rows = []
        for item in self.progress.items:
            if all(r.status == "not_applicable" for r in item.results):
                continue
            cells = [
                _state(view, result) for view, result in zip(self.views, item.results, strict=True)
            ]
            rows.append([item.new.number, item.new.name.get(self.lang), *cells])
        return rows

    def chart(self) -> str:
        counts = [s.report.summary.blocking for s in self.progress.snapshots]
        points = list(zip(_distinct(self.labels), counts, strict=True))
        return gap_counts(points, str(self.t["progress_chart"]))


def _distinct(labels: list[str]) -> list[str]:
    """Short names for a chart: without the file suffix and the part all labels share
    (baoshan_2017_q1.yaml, baoshan_2017_q2.yaml → q1, q2)."""
    stems = [label.rsplit(".", 1)[0] for label in labels]
    shared = 0
    for characters in zip(*stems, strict=False):
        if len(set(characters)) > 1:
            break
        shared += 1
    while shared and stems[0][shared - 1].isalnum():
        shared -= 1  # cut at a separator, not inside a word or number
    return [stem[shared:] or stem for stem in stems]


def _state(view: ReportView, result: ItemResult) -> str:
    """Status and value, e.g. 未达标 83.9 % (a status alone when there is no value)."""
    shown = view.value(result)
    return view.status(result) if shown == "—" else f"{view.status(result)} {shown}"


def render_progress(progress: Progress, fmt: str, lang: str = "zh") -> str | bytes:
    """The bulletin as text (md, json, html) or as the bytes of a paper file (docx, pdf)."""
    if fmt == "json":
        return json.dumps(progress.to_json(), ensure_ascii=False, indent=2) + "\n"
    view = ProgressView(progress, lang)
    if fmt in ("md", "html"):
        template = environment().get_template(f"progress.{fmt}.j2")
        return template.render(v=view, t=view.t)
    from engine.reports.formats import FORMATS

    return FORMATS[fmt].write_document(bulletin_document(view))


def bulletin_document(view: ProgressView) -> Document:
    """The bulletin as a document to hand on (its Word and PDF files)."""
    t = view.t
    document = Document(str(t["progress_title"]), view.lang)
    document.heading(t["progress_title"], level=0)
    document.paragraph(f"{t['entity']}: {view.entity_line}")
    document.paragraph(f"{t['criteria']}: {view.criteria_title}")
    document.paragraph(f"{t['progress_snapshots']}: {' → '.join(view.labels)}")
    old, new = view.verdicts
    document.heading(f"{t['progress_verdict']}: {old} → {new}")
    document.paragraph(view.headline)
    for section in view.sections:
        document.heading(section.title)
        document.table_or(view.columns, section.rows, t["none"])
    document.paragraph(view.unchanged_note)
    document.heading(view.departments_title)
    for name, counts, sections in view.departments:
        document.heading(f"{name} — {counts}", level=2)
        for section in sections:
            if section.rows:
                document.paragraph(section.title)
                document.table(view.columns, section.rows)
    if view.has_history:
        document.heading(view.history_title)
        document.table(view.history_columns, view.history)
    if view.course:
        document.heading(view.course_title)
        document.paragraph(t["trajectory_intro"], small=True)
        document.table(view.course_columns, view.course)
    return document


__all__ = ["ProgressView", "bulletin_document", "render_progress"]
