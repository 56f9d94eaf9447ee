"""What ``ecoassess show`` prints: a criteria set's items, independent of any data."""

from __future__ import annotations

from typing import Any

from engine.compiler import CompiledCriteria
from engine.render import format_number

_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "="}


def show_json(criteria: CompiledCriteria) -> dict[str, Any]:
    """``{"criteria": {...}, "items": [...]}`` with the data-independent item fields."""
    spec = criteria.spec
    return {
        "criteria": {
            "id": spec.id,
            "title": spec.title.model_dump(),
            "document": spec.document.number,
            "year": spec.document.year,
            "level": list(spec.level),
            "source": spec.source,
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
                "threshold": item.threshold,
                "unit": item.unit,
                "inputs": list(compiled.inputs),
                "responsible": list(item.responsible),
                "cooperating": list(item.cooperating),
                "expression": item.measure,
                "condition": item.condition,
                "requirement": item.requirement.model_dump() if item.requirement else None,
                "decimals": compiled.decimals,
                "applies_to": item.applies_to,
                "source": item.source,
            }
            for compiled in criteria.items
            for item in [compiled.item]
        ],
    }


def show_text(criteria: CompiledCriteria, lang: str) -> str:
    """A readable listing, grouped as the source groups the items."""
    spec = criteria.spec
    binding_words = (
        ("约束性", "指导性", "基本条件")
        if lang == "zh"
        else ("binding", "guidance", "basic condition")
    )
    lines = [f"{spec.id}: {spec.title.get(lang)}", f"{spec.document.number} ({spec.document.year})"]
    for group in spec.groups:
        lines += ["", group.name.get(lang)]
        for compiled in criteria.items:
            item = compiled.item
            if item.group != group.id:
                continue
            if item.kind == "basic_condition":
                kind = binding_words[2]
            else:
                kind = binding_words[0 if item.binding else 1]
            rule = []
            if item.operator is not None and item.threshold is not None:
                rule.append(
                    f"{_SIGNS[item.operator]} {format_number(item.threshold)} {item.unit}".strip()
                )
            if item.requirement:
                rule.append(item.requirement.get(lang))
            lines.append(f"  {item.number:<5} {item.name.get(lang)} [{'; '.join(rule)}] ({kind})")
            if item.measure:
                lines.append(f"        = {item.measure}")
            if item.condition:
                lines.append(f"        ⇐ {' '.join(item.condition.split())}")
            departments = "、".join(item.responsible)
            if item.cooperating:
                departments += " (" + "、".join(item.cooperating) + ")"
            lines.append(f"        {departments}")
    return "\n".join(lines) + "\n"
