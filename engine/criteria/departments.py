"""The departments a criteria set names, and what each owns: the items where it is lead
(牵头), responsible (责任) or cooperating (配合) unit, and the inputs those items read."""

from __future__ import annotations

from engine.criteria.compiler import CompiledCriteria
from engine.errors import CriteriaError, did_you_mean


def departments(criteria: CompiledCriteria) -> list[str]:
    """Every department the set names, in the order of first mention."""
    seen: dict[str, None] = {}
    for c in criteria.items:
        for name in (*c.item.lead, *c.item.responsible, *c.item.cooperating):
            seen.setdefault(name, None)
    return list(seen)


def department_items(criteria: CompiledCriteria, department: str) -> list[str]:
    """Ids of the items where ``department`` is lead, responsible or cooperating unit."""
    return [
        c.item.id
        for c in criteria.items
        if department in (*c.item.lead, *c.item.responsible, *c.item.cooperating)
    ]


def department_inputs(criteria: CompiledCriteria, department: str) -> set[str]:
    """The inputs read by the department's items (and their previous-year inputs)."""
    owned = set(department_items(criteria, department))
    return {
        name
        for c in criteria.items
        if c.item.id in owned
        for name in (*c.inputs, *c.previous_inputs, c.item.id)
    }


def known_department(criteria: CompiledCriteria, department: str) -> str:
    """``department`` if the set names it; else an error listing a near name."""
    if department in departments(criteria):
        return department
    zh, en = did_you_mean(department, departments(criteria))
    raise CriteriaError.single(
        department,
        f"指标体系 {criteria.id} 中没有此单位{zh}；`ecoassess show {criteria.id}` 列出各条目的单位",
        f"{criteria.id} names no such department{en}; `ecoassess show {criteria.id}` lists them",
    )


__all__ = ["department_inputs", "department_items", "departments", "known_department"]
