"""What each role may do, and what a department owns: the items where it is lead,
responsible or cooperating unit, and the inputs of those items. One place decides; the
command line and every page of the workbench ask it."""

from __future__ import annotations

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.departments import department_inputs, department_items, departments
from engine.workspace.accounts import User

ACTIONS = {
    "view": {"admin", "clerk", "reviewer", "leader"},
    "enter": {"admin", "clerk"},
    "submit": {"admin", "clerk"},
    "evidence": {"admin", "clerk"},
    "import": {"admin", "clerk"},
    "review": {"admin", "reviewer"},
    "checkin": {"admin"},
    "deadline": {"admin"},
    "accounts": {"admin"},
    "audit": {"admin", "reviewer", "leader"},
    "reports": {"admin", "reviewer", "leader"},
    "tasks": {"admin", "clerk"},
}
"""Action → the roles that may take it (a clerk further only for the department's inputs)."""


def may(user: User, action: str) -> bool:
    return user.role in ACTIONS[action]


def may_change(user: User, criteria: CompiledCriteria, input_name: str) -> bool:
    """Whether ``user`` may enter or change ``input_name`` (an input, or an item given
    directly): any for the administrator, the department's own for a clerk."""
    if user.role == "admin":
        return True
    if user.role != "clerk" or not user.department:
        return False
    return input_name in department_inputs(criteria, user.department)


__all__ = ["ACTIONS", "department_inputs", "department_items", "departments", "may", "may_change"]
