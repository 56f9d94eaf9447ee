"""各单位 / Departments: a clerk's tasks and submissions, the reviewers' queue, deadlines, and
the status of each department — the page an office prints for the monthly bulletin (月通报)
and the quarterly inspection (季督查)."""

from __future__ import annotations

from datetime import date
from typing import cast

from flask import Blueprint, Response, redirect, request

from engine.web.auth import refuse, requires, user
from engine.web.common import PageError, attachment, lang, page, say, workbench
from engine.web.pages.workspace import chosen_criteria, space
from engine.workspace.access import department_inputs, departments
from engine.workspace.dashboard import StandingCache
from engine.workspace.deadlines import Tasks, deadlines, set_deadline, tasks
from engine.workspace.review import decide, entity_of, pending, submit

pages = Blueprint("departments", __name__)


def _cache(criteria_id: str) -> StandingCache:
    return workbench().standings.setdefault(criteria_id, StandingCache())


def _department(asked: str | None) -> str:
    """A clerk's own department, or the one an office user asks for."""
    who = user()
    if who.role == "clerk":
        if asked and asked != who.department:
            raise refuse("view")
        return who.department or ""
    if not asked:
        raise PageError(400, [say(lang(), "请指明单位", "name the department")])
    return asked


def _label(input_name: str) -> str:
    """An input as the pages name it: its label first, then its id."""
    declared = chosen_criteria(space()).inputs.get(input_name)
    return f"{declared.name.get(lang())} ({input_name})" if declared else input_name


def _tasks(department: str) -> Tasks:
    criteria = chosen_criteria(space())
    return tasks(space(), criteria, department, _cache(criteria.id))


@pages.get("/workspace/tasks")
@requires("tasks")
def my_tasks() -> Response:
    department = _department(request.args.get("department"))
    return page("ws_tasks", tasks=_tasks(department), today=date.today(),
                done=request.args.get("done"), label=_label)  # fmt: skip


@pages.post("/workspace/submit")
@requires("submit")
def submit_values() -> Response:
    who = user()
    ids = [int(v) for v in request.form.getlist("version") if v.isdigit()]
    if who.role == "clerk":
        owned = department_inputs(chosen_criteria(space()), who.department or "")
        if any(entity_of(space(), i)[1] not in owned for i in ids):
            raise refuse("submit")
    submit(space(), ids, who.name, who.department)
    return cast(Response, redirect(f"/workspace/tasks?lang={lang()}&done=submitted", code=303))


@pages.get("/workspace/review")
@requires("review")
def review_queue() -> Response:
    queue = pending(space(), ("submitted",))
    return page("ws_review", queue=queue, done=request.args.get("done"), label=_label)


@pages.post("/workspace/review/<int:version_id>")
@requires("review")
def review_decide(version_id: int) -> Response:
    approve = request.form.get("decision") == "approve"
    decide(space(), version_id, approve, user().name, request.form.get("reason"))
    done = "approved" if approve else "returned"
    return cast(Response, redirect(f"/workspace/review?lang={lang()}&done={done}", code=303))


@pages.get("/workspace/deadlines")
@requires("view")
def deadline_list() -> Response:
    criteria = chosen_criteria(space())
    late = []
    if user().role != "clerk":
        today = date.today()
        for department in departments(criteria):
            for deadline in _tasks(department).late(today):
                late.append(deadline)
    return page("ws_deadlines", deadlines=deadlines(space()), late=late,
                departments=departments(criteria), done=request.args.get("done"))  # fmt: skip


@pages.post("/workspace/deadlines")
@requires("deadline")
def deadline_set() -> Response:
    form = request.form
    try:
        due = date.fromisoformat(form.get("due", ""))
    except ValueError as exc:
        raise PageError(
            400, [say(lang(), "日期格式应为 2025-03-31", "the date is written 2025-03-31")]
        ) from exc
    for department in form.getlist("department"):
        set_deadline(space(), form.get("checkin", "").strip(), department, due, user().name)
    return cast(Response, redirect(f"/workspace/deadlines?lang={lang()}&done=1", code=303))


@pages.get("/workspace/departments")
@requires("reports")
def department_overview() -> Response:
    criteria = chosen_criteria(space())
    today = date.today()
    found = [_tasks(department) for department in departments(criteria)]
    return page("ws_departments", rows=found, today=today)


@pages.get("/workspace/departments/<name>")
@requires("view")
def department_status(name: str) -> Response:
    """The department's status in the page, or (``format=docx|pdf``) as a file to hand on."""
    department = _department(name)
    found, today = _tasks(department), date.today()
    fmt = request.args.get("format", "page")
    if fmt == "page":
        return page("ws_department", tasks=found, today=today, label=_label)
    if fmt not in ("docx", "pdf"):
        raise PageError(400, [f"format: {fmt!r}"])
    from engine.reports.formats import FORMATS
    from engine.workspace.status_document import status_document

    data = FORMATS[fmt].write_document(status_document(found, lang(), today, _label))
    assert isinstance(data, bytes)
    return attachment(data, FORMATS[fmt].media_type, f"{department}_{today}{FORMATS[fmt].suffix}")


__all__ = ["pages"]
