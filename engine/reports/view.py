"""What a report template receives: results sorted into sections and worded for one language.

Templates (Markdown, text, HTML) and the Word writer only lay out what this view gives them;
every decision about order, wording and charts is made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from engine.criteria.comparison import rounded
from engine.criteria.compiler import CompiledCriteria
from engine.criteria.model import AssignedTarget, Text
from engine.data.cells import REASONS
from engine.evaluation.results import STATUSES, BundleResult, Finding, ItemResult, Report
from engine.numbers import format_number
from engine.reports import charts
from engine.reports.inert import one_line
from engine.reports.standing import standing_lines
from engine.reports.wording import OPERATOR_SIGNS as _OPERATOR_SIGNS
from engine.reports.wording import rule_text


def _percent(rate: float) -> str:
    """A yearly growth rate as a signed percentage: +2.1 %, −0.4 %."""
    shown = format_number(round(rate * 100, 2))
    return f"+{shown} %" if rate > 0 else f"{shown} %"


@dataclass(frozen=True)
class DepartmentTasks:
    """What one responsible department must act on: its items that fail or lack data."""

    name: str
    blocking: list[ItemResult]
    other: list[ItemResult]

    @property
    def items(self) -> list[ItemResult]:
        return [*self.blocking, *self.other]


@dataclass(frozen=True)
class GroupSection:
    """The results of one group of the source, in source order."""

    name: str
    results: list[ItemResult]
    bundle_heads: dict[str, BundleResult]
    """Bundles keyed by the id of their first part, so a table can head the parts."""


@dataclass(frozen=True, slots=True)
class Cells:
    """One result's table cells, worded once: a report shows an item in several sections."""

    name: str
    value: str
    target: str
    gap: str
    status: str
    kind: str
    responsible: str
    cooperating: str
    problems: str
    evidence: str


@dataclass(frozen=True)
class ReportView:
    """Everything a template needs, already sorted and worded for one language."""

    report: Report
    criteria: CompiledCriteria
    lang: str
    t: dict[str, Any]
    department: str | None = None
    """When set, department sections show only this department."""

    @cached_property
    def cells(self) -> dict[str, Cells]:
        """Every result's cells by item id (templates read these, not the methods: a call
        from a template costs several times an attribute)."""
        return {
            r.id: Cells(
                name=self.text(r.name),
                value=self.value(r),
                target=self.target(r),
                gap=self.gap(r),
                status=self.status(r),
                kind=self.kind(r),
                responsible=self.owners_text(r),
                cooperating=self.departments(r.cooperating),
                problems=one_line(self.problems(r)),
                evidence=one_line(self.evidence(r)),
            )
            for r in self.report.results
        }

    @cached_property
    def results(self) -> list[ItemResult]:
        """The results the report lists: all, or with ``department`` only that department's
        items (where it is lead, responsible or cooperating unit) — its own report."""
        if self.department is None:
            return self.report.results
        mine = self.department
        return [r for r in self.report.results if mine in (*r.lead, *r.responsible, *r.cooperating)]

    @property
    def title_suffix(self) -> str:
        """`` — 市林业局`` in a department's report's title; nothing otherwise."""
        return f" — {self.department_name(self.department)}" if self.department else ""

    @property
    def blocking(self) -> list[ItemResult]:
        return [r for r in self.results if r.blocks and r.status == "fail"]

    @property
    def warnings(self) -> list[ItemResult]:
        return [r for r in self.results if not r.blocks and r.status == "fail"]

    @property
    def unusable(self) -> list[ItemResult]:
        unusable = [r for r in self.results if r.status in ("missing", "error")]
        return sorted(unusable, key=lambda r: not r.blocks)

    @property
    def unevidenced(self) -> list[str]:
        """Facts answered "yes" without evidence, each once, with the items they feed."""
        items: dict[str, list[str]] = {}
        for result in self.results:
            for finding in result.findings:
                if finding.code == "no_evidence" and finding.input:
                    items.setdefault(finding.input, []).append(result.number)
        return [
            f"{self.criteria.inputs[name].name.get(self.lang)} ({name}) — {', '.join(numbers)}"
            for name, numbers in items.items()
        ]

    @property
    def groups(self) -> list[GroupSection]:
        heads = {bundle.parts[0]: bundle for bundle in self.report.bundles}
        return [
            GroupSection(
                name=group.name.get(self.lang),
                results=[r for r in self.results if r.group == group.id],
                bundle_heads=heads,
            )
            for group in self.criteria.spec.groups
        ]

    @property
    def entity_line(self) -> str:
        entity = self.report.entity
        level = self.t["levels"][entity["level"]]
        profile = [
            self.profile_value(entity[key])
            for key in ("region", "terrain", "coastal", "city_size")
            if key in entity
        ]
        extra = "".join(f", {text}" for text in profile)
        return f"{entity['name']} ({level}{extra}, {entity['year']}{self.t['year_suffix']})"

    @property
    def verdict_text(self) -> str:
        criteria = self.report.criteria
        if self.report.verdict == "ready" and not criteria.complete:
            return str(self.t["verdict_ready_partial"])  # never a plain "ready"
        return str(self.t[f"verdict_{self.report.verdict}"])

    @cached_property
    def standing(self) -> list[str]:
        """What the verdict must be read with: the set superseded, incomplete, its binding
        convention, and how many blocking items rest on unverified transcription."""
        lines = standing_lines(self.criteria.spec, self.lang)
        unverified = self.report.criteria.unverified_blocking
        if unverified:
            lines.append(str(self.t["unverified_line"]).format(count=unverified))
        return [one_line(line) for line in lines]

    @property
    def verdict_line(self) -> str:
        if self.report.verdict == "ready" and not self.warnings and not self.unusable:
            if not self.report.criteria.complete:
                return str(self.t["ready_line_partial"])
            return str(self.t["ready_line"])
        return str(self.t["verdict_line"]).format(
            blocking=self.report.summary.blocking,
            failed=len(self.blocking),
            blocking_unusable=sum(1 for r in self.unusable if r.blocks),
            warnings=self.report.summary.warnings,
            unusable=len(self.unusable),
            non_binding=self.non_binding,
        )

    @property
    def non_binding(self) -> str:
        """The set's word for non-binding items: 指导性 unless the source says 参考性."""
        return self.text(self.criteria.spec.non_binding) or str(self.t["guidance"])

    @property
    def warnings_title(self) -> str:
        return str(self.t["section_warnings"]).format(non_binding=self.non_binding)

    def raw(self, result: ItemResult) -> str:
        """The computed value before rounding, to four more decimals than published; empty
        when it says nothing more than the rounded value."""
        if result.raw_value is None or not isinstance(result.value, float):
            return ""
        decimals = self.criteria.item(result.id).decimals + 4
        shown = format_number(float(rounded(result.raw_value, decimals)))
        return "" if float(shown) == result.value else shown

    def text(self, text: Text | None) -> str:
        return one_line(text.get(self.lang)) if text else ""

    def status(self, result: ItemResult | BundleResult) -> str:
        return str(self.t[f"status_{result.status}"])

    def kind(self, result: ItemResult) -> str:
        if result.kind == "basic_condition":
            return str(self.t["basic_condition"])
        word = str(self.t["binding"]) if result.binding else self.non_binding
        if result.binding_basis == "convention":  # the set's reading, not the source's flag
            word += str(self.t["binding_by_convention"])
        return word

    def unit(self, unit: str) -> str:
        if self.lang == "en":
            return str(self.t["units"].get(unit, unit))
        return unit

    def with_unit(self, number: float, unit: str) -> str:
        return f"{format_number(number)} {self.unit(unit)}".strip()

    def profile_value(self, value: object) -> str:
        key = str(value).lower() if isinstance(value, bool) else str(value)
        return str(self.t["profile_values"].get(key, key))

    def value(self, result: ItemResult) -> str:
        if isinstance(result.value, bool):
            shown = str(self.t["answer_yes" if result.value else "answer_no"])
        elif result.value is None:
            shown = "—"
        else:
            shown = self.with_unit(result.value, result.unit)
        for part in result.parts:
            if part.shape == "change" and isinstance(part.value, float):
                since = (
                    self.t["change_previous"]
                    if part.base_year == self.report.entity["year"] - 1
                    else self.t["change_base"].format(year=part.base_year)
                )
                kind = self.t["change_relative" if part.relative else "change_absolute"]
                change = (
                    f"{format_number(part.value)} %"
                    if part.relative
                    else self.with_unit(part.value, result.unit)
                )
                shown += f" ({kind.format(since=since)} {change})"
        if result.trend_previous is not None and result.trend_current is not None:
            unit = self.trend_unit(result)
            trend = (
                f"{self.t['this_year']} {self.with_unit(result.trend_current, unit)}, "
                f"{self.t['previous_year']} {self.with_unit(result.trend_previous, unit)}"
            )
            shown = (
                trend
                if result.value is None or isinstance(result.value, bool)
                else (f"{shown} ({trend})")
            )
        return shown

    def target_label(self, result: ItemResult) -> str:
        """What a threshold read from the data is: its own label, else 上级下达目标."""
        threshold = self.criteria.item(result.id).item.threshold
        if isinstance(threshold, AssignedTarget) and threshold.label is not None:
            return threshold.label.get(self.lang)
        return str(self.t["assigned_target"])

    def compared(self, result: ItemResult) -> str:
        """What an assigned target is compared with, when that is another quantity than the
        item's name says (the decline rate of an intensity item): its label; else nothing."""
        compiled = self.criteria.item(result.id)
        measure = compiled.item.measure
        if not isinstance(compiled.item.threshold, AssignedTarget) or measure is None:
            return ""
        declared = self.criteria.inputs.get(str(measure))
        if declared is None or declared.name.get(self.lang) == compiled.item.name.get(self.lang):
            return ""
        return declared.name.get(self.lang)

    def trend_unit(self, result: ItemResult) -> str:
        """The unit of what a trend follows: the item's, or that of the one input it names."""
        compiled = self.criteria.item(result.id)
        follows = compiled.item.trend.of if compiled.item.trend else None
        if follows is not None and compiled.trend is not None and len(compiled.trend.names) == 1:
            return self.criteria.inputs[next(iter(compiled.trend.names))].unit
        return result.unit

    def target(self, result: ItemResult) -> str:
        compiled = self.criteria.item(result.id)
        if compiled.item.rule is not None:
            return rule_text(
                compiled.rule,
                self.t,
                self.lang,
                lambda number: self.with_unit(number, result.unit),
                result.parts,
            )
        parts = []
        if result.operator is not None:
            sign = _OPERATOR_SIGNS[result.operator]
            from_input = self.target_label(result)
            if result.threshold is not None:
                parts.append(f"{sign} {self.with_unit(result.threshold, result.unit)}")
            else:
                parts.append(f"{sign} {from_input}")
            compared = self.compared(result)
            if compared:  # "下降率 ≥ 上级下达目标", not "≥ 上级下达目标" beside an intensity
                parts[-1] = f"{compared} {parts[-1]}"
            if result.threshold_basis == "assigned" and result.threshold is not None:
                parts[-1] += f" ({from_input})"
            elif result.threshold_basis == "profile" and result.threshold_label is not None:
                parts[-1] += f" ({self.text(result.threshold_label)})"
        if result.trend is not None:
            parts.append(str(self.t[f"trend_{result.trend}"]))
        # The source's words explain facts; a threshold or trend already speaks for itself.
        needs_words = not parts or self.criteria.item(result.id).condition is not None
        if result.requirement is not None and needs_words:
            parts.append(self.text(result.requirement))
        elif not parts:
            parts.append(str(self.t["answer_yes"]))
        return "; ".join(parts)

    def gap(self, result: ItemResult) -> str:
        if result.gap is None:
            # What is unmet only: a missing document beside a sub-fact that holds belongs in
            # the evidence notes, not here, where it would read as one more failure.
            unmet = [f for f in result.findings if f.code != "no_evidence"]
            return "; ".join(self.finding(f, result) for f in unmet) or "—"
        gap = result.gap
        if gap.absolute == 0:
            return str(self.t["strict_equal"])
        # A gap between two percentages (or two relative changes) is in percentage points.
        relative = any(part.gap is gap and part.relative for part in result.parts)
        unit = self.unit("个百分点" if result.unit == "%" or relative else result.unit)
        unit = f" {unit}" if unit else ""
        text = str(self.t[f"gap_{gap.direction}"]).format(
            absolute=format_number(gap.absolute), unit=unit
        )
        if gap.relative is not None:
            text += str(self.t["gap_relative"]).format(relative=f"{gap.relative:.1f}")
        # A reading assumption (0.817 in a % row read as 0.817 %) explains a huge gap: beside it.
        shown = ("fact_false", "trend_worse", "fraction_as_percent", "percent_cell")
        others = [f for f in result.findings if f.code in shown]
        return "; ".join([text, *(self.finding(f, result) for f in others)])

    def problems(self, result: ItemResult) -> str:
        return "; ".join(
            self.finding(f, result) for f in result.findings if f.code != "no_evidence"
        )

    def finding(self, finding: Finding, result: ItemResult) -> str:
        name = finding.input or ""
        declared = self.criteria.inputs.get(name)
        if finding.code == "missing_profile":
            label = str(self.t["profile_keys"].get(name, name))
        else:
            label = declared.name.get(self.lang) if declared else result.name.get(self.lang)
        detail, found = finding.detail or "", finding.found or ""
        if finding.code == "trend_worse":
            unit = self.trend_unit(result)
            detail = self.with_unit(float(detail), unit)
            found = self.with_unit(float(found), unit)
        if finding.code == "not_applicable":
            detail = self.applicability(result)
        elif finding.code in ("not_a_number", "not_a_boolean") and detail in REASONS:
            zh, en = REASONS[detail]
            detail = en if self.lang == "en" else zh
        return str(self.t[f"finding_{finding.code}"]).format(
            label=label, name=name, found=found, detail=detail
        )

    def applicability(self, result: ItemResult) -> str:
        """Why an item does not apply: the set's own words, else its profile condition."""
        item = self.criteria.item(result.id).item
        if item.applicability is not None:
            return item.applicability.get(self.lang)
        accepted: list[object] = list(item.applies_to or [])
        if item.applies_when is not None:
            accepted += [v for values in item.applies_when.requirements().values() for v in values]
        return str(self.t["only_for"]).format(
            detail="/".join(self.profile_value(value) for value in accepted)
        )

    @cached_property
    def col_owner(self) -> str:
        """The owners column's title: 责任单位, or 牵头/责任单位 when the set names leads."""
        has_lead = any(result.lead for result in self.report.results)
        return str(self.t["col_owner_lead" if has_lead else "col_responsible"])

    def owners_text(self, result: ItemResult) -> str:
        """The lead and responsible units, each under its own role where the source names
        leads (牵头: …；责任: …); just the responsible units otherwise."""
        if not result.lead:
            return self.departments(result.responsible)
        text = f"{self.t['role_lead']}: {self.departments(result.lead)}"
        if result.responsible:
            separator = "；" if self.lang == "zh" else "; "
            text += (
                f"{separator}{self.t['role_responsible']}: {self.departments(result.responsible)}"
            )
        return text

    def departments(self, names: list[str]) -> str:
        if self.lang == "en" and self.criteria.spec.departments:
            glossary = self.criteria.spec.departments
            return one_line("; ".join(f"{glossary.get(n, n)} ({n})" for n in names))
        return one_line("、".join(names) if self.lang == "zh" else "; ".join(names))

    def evidence(self, result: ItemResult) -> str:
        notes = []
        note = self.criteria.item(result.id).item.note  # the set's own note on the item
        if note is not None:
            notes.append(note.get(self.lang))
        raw = self.raw(result)
        if raw:
            notes.append(f"{self.t['raw_value']}: {raw}")
        if result.given_directly:
            notes.append(str(self.t["given_directly"]))
        for given in result.input_values:
            described = [
                f"{self.t[key + '_label']}: {text}"
                for key, text in (
                    ("source", given.source),
                    ("evidence", given.evidence),
                    ("note", given.note),
                )
                if text
            ]
            if described:
                year = f" ({given.year})" if given.year is not None else ""
                notes.append(f"{given.label.get(self.lang)}{year} — " + ", ".join(described))
        notes += [self.finding(f, result) for f in result.findings if f.code == "no_evidence"]
        # How the item's transcription was checked (issue 16): every report says it per item.
        notes.append(
            f"{self.t['col_verification']}: {self.t[f'verification_{result.verification}']}"
        )
        return "; ".join(notes)

    # --- the trajectory toward a plan's target year --------------------------------------

    @property
    def on_course(self) -> list[ItemResult]:
        """The items with a trajectory (a plan checked before its target year)."""
        return [r for r in self.results if r.trajectory is not None]

    @property
    def trajectory_years(self) -> str:
        """The target years of the items on course: ``2024``, ``2025、2030``."""
        years = sorted({r.trajectory.target_year for r in self.on_course if r.trajectory})
        return "、".join(map(str, years))

    @property
    def trajectory_title(self) -> str:
        return str(self.t["section_trajectory"]).format(year=self.trajectory_years)

    def course(self, result: ItemResult) -> str:
        """The trajectory's verdict: 可按期完成, 有进展，需加速 …"""
        if result.trajectory is None:
            return ""
        return str(self.t[f"trajectory_{result.trajectory.status}"])

    def course_calculation(self, result: ItemResult) -> str:
        """The numbers behind it: base → now, the yearly growth seen and the growth needed."""
        path = result.trajectory
        if path is None or path.base_year is None:
            return ""
        unit = result.unit
        numbers = {
            "base_year": path.base_year,
            "base": self.with_unit(path.base_value or 0.0, unit),
            "current_year": path.current_year,
            "current": self.with_unit(path.current_value or 0.0, unit),
            "target_year": path.target_year,
            "target": self.with_unit(path.target, unit),
        }
        if path.status == "target_achieved":
            return str(self.t["trajectory_calc_met"]).format(**numbers)
        if path.reason is not None:
            return str(self.t["trajectory_calc_unavailable"]).format(
                **numbers, reason=self.t[f"trajectory_reason_{path.reason}"]
            )
        return str(self.t["trajectory_calc"]).format(
            **numbers,
            observed=_percent(path.observed or 0.0),
            required=_percent(path.required or 0.0),
            ratio=format_number(round(path.ratio or 0.0, 2)),
        )

    @property
    def course_counts(self) -> str:
        """``可按期完成 3 项，有进展，需加速 2 项 …`` (for the summary)."""
        counts: dict[str, int] = {}
        for result in self.on_course:
            counts[self.course(result)] = counts.get(self.course(result), 0) + 1
        joiner = "; " if self.lang == "en" else "；"
        return joiner.join(f"{word} {n}" for word, n in counts.items())

    # --- shared by the HTML report and the Word document ---------------------------------

    @property
    def department_tasks(self) -> list[DepartmentTasks]:
        """Each responsible department with the items it owns that fail or lack data,
        departments with blocking items first."""
        tasks: dict[str, DepartmentTasks] = {}
        for result in self.report.results:
            if result.status not in ("fail", "missing", "error"):
                continue
            for name in result.owners:
                entry = tasks.setdefault(name, DepartmentTasks(name, [], []))
                (entry.blocking if result.blocks else entry.other).append(result)
        ordered = sorted(tasks.values(), key=lambda d: (-len(d.blocking), -len(d.items)))
        if self.department is not None:
            ordered = [d for d in ordered if d.name == self.department]
        return ordered

    def department_name(self, name: str) -> str:
        return self.departments([name])

    def status_counts(self, results: list[ItemResult]) -> dict[str, int]:
        counts: dict[str, int] = {status: 0 for status in STATUSES}
        for result in results:
            counts[result.status] += 1
        return counts

    def status_bar(self, results: list[ItemResult]) -> str:
        return charts.status_bar(self.status_counts(results))

    def measurable(self, result: ItemResult) -> bool:
        return charts.is_measurable(result)

    def bullet(self, result: ItemResult) -> str:
        if not charts.is_measurable(result):
            return ""
        cells = self.cells[result.id]
        label = f"{cells.value} / {cells.target}"
        return charts.bullet(result, label)

    def sparkline(self, result: ItemResult) -> str:
        if len(result.series) < 2:
            return ""
        return charts.sparkline(result.series, result.threshold)

    @property
    def missing_inputs(self) -> int:
        """How many inputs the report lacks (each counted once)."""
        names = {
            f.input
            for r in self.report.results
            for f in r.findings
            if f.code in ("missing", "missing_previous") and f.input
        }
        return len(names)
