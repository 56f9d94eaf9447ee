"""The workspace's forms: import a department's return, enter a value, upload evidence, make
a check-in. Each does what its ``ecoassess workspace`` command does — the same checks, the
same messages — and then sends the browser back to the page it came from (post, redirect,
get: reloading the page never submits twice)."""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request, url_for

from engine.criteria.compiler import CompiledCriteria
from engine.web.auth import refuse, requires, user
from engine.web.common import PageError, lang, say
from engine.web.pages.workspace import chosen_criteria, space
from engine.web.uploads import saved, without_folder
from engine.workspace.access import department_inputs, department_items, may_change
from engine.workspace.evidence import MAX_EVIDENCE_BYTES, too_large

pages = Blueprint("workspace_forms", __name__)


def _back(endpoint: str, done: str, **values: str) -> Response:
    values = {"lang": lang(), "done": done, **values}
    if request.form.get("criteria"):
        values["criteria"] = request.form["criteria"]
    target = url_for(endpoint, **values)  # type: ignore[arg-type]
    return redirect(target, code=303)  # type: ignore[return-value]


def _state() -> str:
    """A clerk's values are drafts until reviewed; the office's own count at once."""
    return "draft" if user().role == "clerk" else "approved"


def _owned(criteria: CompiledCriteria) -> set[str] | None:
    who = user()
    return department_inputs(criteria, who.department or "") if who.role == "clerk" else None


@pages.post("/workspace/import")
@requires("import")
def import_return() -> Response:
    """A department's return (or any data file): merged, versioned, all or nothing."""
    from engine.errors import EcoassessError

    current = space()
    criteria = chosen_criteria(current)
    uploads = [u for u in request.files.getlist("data") if u.filename]
    if not uploads:
        raise PageError(400, [say(lang(), "请选择要导入的文件", "choose the files to import")])
    with saved(uploads) as (folder, paths):
        try:
            result = current.import_files(
                paths, criteria, user().name, request.form.get("period"), _state(),
                _owned(criteria), user().department,
            )  # fmt: skip
        except EcoassessError as exc:
            lines = without_folder(exc.render(lang()), folder).splitlines()
            raise PageError(422, lines) from exc
    done = f"import:{len(result.new)}:{len(result.changed)}:{result.unchanged}"
    return _back("departments.my_tasks" if user().role == "clerk" else "workspace.board", done)


@pages.post("/workspace/entity/<name>/value")
@requires("enter")
def enter_value(name: str) -> Response:
    current = space()
    criteria = chosen_criteria(current)
    input_name = request.form.get("input", "")
    if not may_change(user(), criteria, input_name):
        raise refuse("enter")
    year = request.form.get("year", "")
    if not year.isdigit():
        raise PageError(400, [say(lang(), "年度应为数字", "the year must be a number")])
    expected = request.form.get("expected", "")
    result = current.enter_value(
        name, input_name, int(year), request.form.get("value", ""), criteria,
        source=request.form.get("source"), evidence=request.form.get("evidence"),
        note=request.form.get("note"), period=request.form.get("period"), user=user().name,
        state=_state(), no_data=request.form.get("no_data") == "1",
        expected=int(expected) if expected.isdigit() else None, department=user().department,
    )  # fmt: skip
    done = "value" if result.new or result.changed else "unchanged"
    return _back("workspace.entity", done, name=name)


@pages.post("/workspace/entity/<name>/evidence")
@requires("evidence")
def upload_evidence(name: str) -> Response:
    current = space()
    upload = request.files.get("file")
    year = request.form.get("year", "")
    target = request.form.get("target", "")
    kind, _, key = target.partition(":")
    if upload is None or not upload.filename or not year.isdigit() or kind not in ("item", "input"):
        raise PageError(
            400, [say(lang(), "请选择文件、年度和所附条目", "choose a file, a year and a target")]
        )
    owned = _owned(chosen_criteria(current))
    if owned is not None and key not in owned | set(
        department_items(chosen_criteria(current), user().department or "")
    ):
        raise refuse("evidence")
    data = upload.stream.read(MAX_EVIDENCE_BYTES + 1)  # bounded before it is checked
    if len(data) > MAX_EVIDENCE_BYTES:
        raise too_large(upload.filename, len(data))
    current.attach_content(
        name, upload.filename, data, int(year),
        input_name=key if kind == "input" else None, item=key if kind == "item" else None,
        user=user().name,
    )  # fmt: skip
    return _back("workspace.entity", "evidence", name=name)


@pages.post("/workspace/checkin")
@requires("checkin")
def make_checkin() -> Response:
    current = space()
    criteria = chosen_criteria(current)
    checkin_name = request.form.get("name", "").strip()
    if not checkin_name:
        raise PageError(400, [say(lang(), "请填写检查点名称，如 2025-03", "name the check-in")])
    current.checkin(checkin_name, criteria, user().name)
    return _back("workspace.board", "checkin")


__all__ = ["pages"]
