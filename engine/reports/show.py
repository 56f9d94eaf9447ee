"""What ``ecoassess show`` prints: a criteria set's items, independent of any data."""

from __future__ import annotations

from typing import Any

from engine.criteria.compiler import CompiledCriteria, CompiledItem, rule_tree
from engine.criteria.model import AssignedTarget, Item, ProfileCondition
from engine.numbers import format_number
from engine.reports.standing import (
    standing_json,
    standing_lines,
    status_words,
    verification_counts,
    verification_of,
    verification_word,
)
from engine.reports.wording import OPERATOR_SIGNS, rule_text
from engine.resources import labels


def show_json(criteria: CompiledCriteria) -> dict[str, Any]:
    """``{"criteria": {...}, "items": [...]}`` with the data-independent item fields."""
    spec = criteria.spec
    changes = item_changes(criteria)
    return {
        "criteria": {
            "id": spec.id,
            "title": spec.title.model_dump(),
            "document": spec.document.number,
            "year": spec.document.year,
            "level": list(spec.level),
            "source": spec.source,
            "extends": criteria.base.id if criteria.base else None,
            **standing_json(spec),
            "verification": verification_counts((c.item for c in criteria.items), spec),
            "binding_convention": spec.binding_convention.model_dump()
            if spec.binding_convention
            else None,
            "target_year": spec.target_year,
            "base_year": spec.base_year,
        },
        "items": [
            {
                "id": item.id,
                "number": item.number,
                "name": item.name.model_dump(),
                "kind": item.kind,
                "group": item.group,
                "binding": item.binding,
                "operator": item.operator,
                "threshold": item.threshold if isinstance(item.threshold, float) else None,
                "unit": item.unit,
                "inputs": list(compiled.inputs),
                "lead": list(item.lead),
                "responsible": list(item.responsible),
                "cooperating": list(item.cooperating),
                "expression": item.measure,
                "condition": item.condition,
                "threshold_input": compiled.target_input,
                "thresholds": [variant.model_dump(mode="json") for variant in item.thresholds]
                if item.thresholds
                else None,
                "trend": item.trend.model_dump(mode="json") if item.trend else None,
                "rule": item.rule.model_dump(mode="json", exclude_none=True) if item.rule else None,
                "rule_text": describe_rule(item, "zh") if item.rule else None,
                "previous_inputs": list(compiled.previous_inputs),
                "requirement": item.requirement.model_dump() if item.requirement else None,
                "decimals": compiled.decimals,
                "applies_to": item.applies_to,
                "applies_when": item.applies_when.model_dump(mode="json", exclude_none=True)
                if item.applies_when
                else None,
                "source": item.source,
                "source_url": item.source_url,
                "note": item.note.model_dump() if item.note else None,
                **{
                    name: text.model_dump() if text else None
                    for name in ("explanation", "method", "data_source")
                    for text in [getattr(item, name)]
                },
                "explanation_source": item.explanation_source,
                "verification": verification_of(item, spec),
                "binding_basis": item.binding_basis,
                "origin": changes.get(item.id, ("base", []))[0] if criteria.base else "own",
                "changed": changes.get(item.id, ("", []))[1],
            }
            for compiled in criteria.items
            for item in [compiled.item]
        ],
    }


def item_changes(criteria: CompiledCriteria) -> dict[str, tuple[str, list[str]]]:
    """For a set that extends another: each item's origin (``base``, ``changed``, ``added``)
    and the fields changed from the base."""
    if criteria.base is None:
        return {}
    base = {compiled.id: compiled.item for compiled in criteria.base.items}
    changes: dict[str, tuple[str, list[str]]] = {}
    for compiled in criteria.items:
        original = base.get(compiled.id)
        if original is None:
            changes[compiled.id] = ("added", [])
            continue
        # The derived set states a base item's verification as the base set does.
        stated = criteria.base.spec.verification_of(original)
        original = original.model_copy(update={"verification": stated})
        fields = [
            name
            for name in type(original).model_fields
            if getattr(original, name) != getattr(compiled.item, name)
        ]
        changes[compiled.id] = ("changed" if fields else "base", fields)
    return changes


def describe_rule(item: Item, lang: str) -> str:
    """The item's requirement in words: threshold (by profile, from the data), trend, wording."""
    t = labels()[lang]
    parts = []
    unit = f" {item.unit}" if item.unit else ""
    if item.rule is not None:
        return rule_text(rule_tree(item), t, lang, lambda number: f"{format_number(number)}{unit}")
    if item.operator is not None:
        sign = OPERATOR_SIGNS[item.operator]
        if isinstance(item.threshold, AssignedTarget):
            label = item.threshold.label
            parts.append(f"{sign} {label.get(lang) if label else t['assigned_target']}")
        elif item.threshold is not None:
            parts.append(f"{sign} {format_number(item.threshold)}{unit}")
        elif item.thresholds:
            variants = [
                f"{format_number(v.value)} "
                f"({v.label.get(lang) if v.label else when_text(v.when, lang)})"
                for v in item.thresholds
            ]
            parts.append(f"{sign} " + " / ".join(variants) + unit)
    if item.trend is not None:
        parts.append(str(t[f"trend_{item.trend.better}"]))
    if item.requirement is not None:
        parts.append(item.requirement.get(lang))
    return "; ".join(parts)


def when_text(condition: ProfileCondition, lang: str) -> str:
    """A profile condition in words, e.g. 山区 or 沿海地区."""
    values = labels()[lang]["profile_values"]
    return "/".join(
        str(values.get(str(v).lower() if isinstance(v, bool) else v, v))
        for accepted in condition.requirements().values()
        for v in accepted
    )


def show_text(criteria: CompiledCriteria, lang: str) -> str:
    """A readable listing, grouped as the source groups the items."""
    spec = criteria.spec
    t = labels()[lang]
    changes = item_changes(criteria)
    lines = [f"{spec.id}: {spec.title.get(lang)}", f"{spec.document.number} ({spec.document.year})"]
    if criteria.base is not None:
        lines.append(f"extends {criteria.base.id}: {criteria.base.spec.title.get(lang)}")
    separator = "，" if lang == "zh" else ", "
    lines.append(f"{t['col_status']}: {separator.join(status_words(spec, lang))}")
    lines += [f"! {line}" for line in standing_lines(spec, lang)]
    counts = verification_counts((c.item for c in criteria.items), spec)
    lines.append(
        f"{t['col_verification']}: "
        + separator.join(f"{verification_word(level, lang)} {n}" for level, n in counts.items())
    )
    if spec.target_year is not None:
        lines.append(str(t["show_target_year"]).format(year=spec.target_year))
    for group in spec.groups:
        lines += ["", group.name.get(lang)]
        for compiled in criteria.items:
            if compiled.item.group == group.id:
                lines += _item_lines(criteria, compiled, lang, t, changes.get(compiled.id))
    return "\n".join(lines) + "\n"


def non_binding(criteria: CompiledCriteria, lang: str) -> str:
    """The set's word for non-binding items (指导性 unless it says 参考性)."""
    word = criteria.spec.non_binding
    return word.get(lang) if word else str(labels()[lang]["guidance"])


def _item_lines(
    criteria: CompiledCriteria,
    compiled: CompiledItem,
    lang: str,
    t: dict[str, Any],
    change: tuple[str, list[str]] | None,
) -> list[str]:
    item = compiled.item
    if item.kind == "basic_condition":
        kind = t["basic_condition"]
    else:
        kind = t["binding"] if item.binding else non_binding(criteria, lang)
        if item.binding_basis == "convention":
            kind += t["binding_by_convention"]
    marker = ""
    if change and change[0] == "added":
        marker = "  [+ added]"
    elif change and change[0] == "changed":
        marker = f"  [* changed: {', '.join(change[1])}]"
    rule = item.requirement.get(lang) if item.requirement else describe_rule(item, lang)
    lines = [f"  {item.number:<5} {item.name.get(lang)} [{rule}] ({kind}){marker}"]
    if item.applies_to or item.applies_when:
        scope = [*(t["levels"][level] for level in item.applies_to or [])]
        if item.applies_when:
            scope.append(when_text(item.applies_when, lang))
        lines.append(f"        {t['only_for'].format(detail='/'.join(scope))}")
    if item.measure:
        lines.append(f"        = {item.measure}")
    if item.condition:
        lines.append(f"        ⇐ {' '.join(item.condition.split())}")
    roles = [
        (t["col_lead"], item.lead),
        (t["col_responsible"], item.responsible),
        (t["col_cooperating"], item.cooperating),
    ]
    lines.append(
        "        " + "；".join(f"{role}: {'、'.join(names)}" for role, names in roles if names)
    )
    verified = verification_word(verification_of(item, criteria.spec), lang)
    lines.append(f"        {t['col_verification']}: {verified} — {item.source}")
    if item.note is not None:
        lines.append(f"        {item.note.get(lang)}")
    if item.target_year is not None:
        lines.append("        " + str(t["show_target_year"]).format(year=item.target_year))
    for name in ("explanation", "method", "data_source"):
        text = getattr(item, name)
        if text is not None:
            lines.append(f"        {t['tech_' + name]}: {text.get(lang)}")
    if item.explanation_source:
        lines.append(f"        {t['tech_explanation_source']}: {item.explanation_source}")
    return lines
