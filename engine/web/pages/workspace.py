"""工作区 / The campaign workspace in the workbench (``ecoassess serve --workspace PATH``): the
dashboard, an entity's page with its values and evidence, a value's history, reports and
bulletins at check-ins, evidence downloads and the evidence bundle. The forms that change
the workspace are in :mod:`engine.web.pages.workspace_forms`."""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, Response, redirect, request

from engine.criteria.compiler import CompiledCriteria
from engine.evaluation.evaluator import evaluate
from engine.reports.charts import gap_counts
from engine.reports.formats import (
    BULLETIN_FORMATS,
    DOCUMENT_FORMATS,
    DOCUMENTS,
    FORMATS,
    REPORT_FORMATS,
    write_document_of,
)
from engine.web.auth import refuse, requires, user
from engine.web.common import (
    PageError,
    attachment,
    criteria_named,
    embedded,
    lang,
    page,
    say,
    workbench,
    written,
)
from engine.workspace.access import department_inputs, department_items, may_change
from engine.workspace.bundle import evidence_bundle
from engine.workspace.dashboard import StandingCache, bulletin, dashboard, since_previous
from engine.workspace.evidence import MEDIA_TYPES
from engine.workspace.rendering import dashboard_document, verdict_word
from engine.workspace.store import Workspace

pages = Blueprint("workspace", __name__)


def space() -> Workspace:
    found = workbench().workspace
    if found is None:
        raise PageError(
            404,
            [
                say(
                    lang(),
                    "未打开工作区：请用 ecoassess serve --workspace 路径 启动",
                    "no workspace: start with ecoassess serve --workspace PATH",
                )
            ],
        )
    return found


def chosen_criteria(current: Workspace) -> CompiledCriteria:
    """The set the page is about: ``?criteria=`` among the workspace's sets, else its first."""
    ids = current.criteria_ids
    if not ids:
        raise PageError(
            409,
            [
                say(
                    lang(),
                    "工作区未设定指标体系：请用 ecoassess workspace init --criteria 设定",
                    "the workspace names no criteria set: set one with workspace init --criteria",
                )
            ],
        )
    wanted = request.values.get("criteria") or ids[0]
    if wanted not in ids:
        raise PageError(404, [say(lang(), "工作区未使用此指标体系", "not a set of this workspace")])
    return criteria_named(wanted)


@pages.get("/workspace")
@requires("view")
def board() -> Response:
    if user().role == "clerk":  # a clerk's home is the department's tasks
        return cast(Response, redirect(f"/workspace/tasks?lang={lang()}", code=303))
    current = space()
    criteria = chosen_criteria(current)
    made = dashboard(current, criteria, cache=_cache(criteria))
    fmt = request.args.get("format", "page")
    if fmt in ("docx", "pdf"):  # the dashboard to hand on, for the leaders' meeting
        data = FORMATS[fmt].write_document(dashboard_document(made, lang()))
        assert isinstance(data, bytes)
        return attachment(data, FORMATS[fmt].media_type, f"dashboard_{criteria.id}.{fmt}")
    title = say(lang(), "各检查点的阻断缺口数", "blocking gaps at each check-in")
    chart = gap_counts(made.history, title) if made.history else ""
    return page(
        "ws_dashboard", board=made, criteria=criteria, chart=chart,
        ids=current.criteria_ids, checkins=current.checkins(), words=verdict_word,
        done=request.args.get("done"),
    )  # fmt: skip


@pages.get("/workspace/entity/<name>")
@requires("view")
def entity(name: str) -> Response:
    current = space()
    criteria = chosen_criteria(current)
    who = user()
    made = dashboard(current, criteria, name, cache=_cache(criteria))
    versions = current.newest_versions(name)
    links = current.evidence(name)
    standing = made.entities[0] if made.entities else None
    year = standing.year if standing else None
    rows = _item_rows(criteria, standing.report.results if standing else [], versions, links, year)
    if who.role == "clerk":  # the department's own items only
        owned = set(department_items(criteria, who.department or ""))
        rows = [row for row in rows if row["item"].id in owned]
    for row in rows:
        for entry in row["inputs"]:
            entry["editable"] = may_change(who, criteria, entry["name"])
    title = say(lang(), "阻断缺口数", "blocking gaps")
    history = made.entity_history.get(name, [])
    return page(
        "ws_entity", name=name, criteria=criteria, standing=standing, rows=rows,
        year=year, has_values=bool(made.entities), checkins=current.checkins(),
        chart=gap_counts(history, title) if history else "", words=verdict_word,
        done=request.args.get("done"), links=links,
        targets=_targets(criteria, who), shown=shown, reader=who.role != "clerk",
    )  # fmt: skip


def _cache(criteria: CompiledCriteria) -> StandingCache:
    return workbench().standings.setdefault(criteria.id, StandingCache())


def _targets(criteria: CompiledCriteria, who: Any) -> list[tuple[str, str]]:
    """What ``who`` can attach evidence to: each item, then each input (a clerk: the
    department's)."""
    chosen = lang()
    clerk = who.role == "clerk"
    items_owned = set(department_items(criteria, who.department or "")) if clerk else None
    inputs_owned = department_inputs(criteria, who.department or "") if clerk else None
    items = [
        (f"item:{c.item.id}", f"{c.item.number} {c.item.name.get(chosen)}")
        for c in criteria.items
        if items_owned is None or c.item.id in items_owned
    ]
    inputs = [
        (f"input:{name}", f"{declared.name.get(chosen)} ({name})")
        for name, declared in criteria.inputs.items()
        if inputs_owned is None or name in inputs_owned
    ]
    return items + inputs


def _item_rows(
    criteria: CompiledCriteria, results: list[Any], versions: dict[Any, Any], links: list[Any],
    year: int | None,
) -> list[dict[str, Any]]:  # fmt: skip
    """Per item: its result now, and each input with its value in force and evidence."""
    by_id = {r.id: r for r in results}
    rows = []
    for compiled in criteria.items:
        item = compiled.item
        inputs = []
        for name in compiled.inputs:
            declared = criteria.inputs[name]
            inputs.append(
                {
                    "name": name,
                    "label": declared.name.get(lang()),
                    "unit": declared.unit,
                    "boolean": declared.type == "boolean",
                    "version": versions.get((name, year)),
                    "files": [x for x in links if x.input == name and x.year == year],
                }
            )
        rows.append(
            {
                "item": item,
                "result": by_id.get(item.id),
                "inputs": inputs,
                "files": [x for x in links if x.item == item.id and x.year == year],
            }
        )
    return rows


@pages.get("/workspace/entity/<name>/history")
@requires("view")
def history(name: str) -> Response:
    input_name = request.args.get("input", "")
    year = _int(request.args.get("year"))
    current = space()
    who = user()
    if who.role == "clerk" and input_name not in department_inputs(
        chosen_criteria(current), who.department or ""
    ):
        raise refuse("view")
    versions = current.history(name, input_name, year)
    declared = chosen_criteria(current).inputs.get(input_name)
    label = f"{declared.name.get(lang())} ({input_name})" if declared else input_name
    return page(
        "ws_history", name=name, input=label, input_id=input_name, year=year, versions=versions,
        shown=shown,
    )  # fmt: skip


@pages.get("/workspace/entity/<name>/report")
@requires("reports")
def report(name: str) -> Response:
    """The report of an entity exactly as at a check-in, in the page or as a download."""
    checkin = request.args.get("checkin", "")
    fmt = request.args.get("format", "page")
    criteria, data = space().at_checkin(checkin, name, _int(request.args.get("year"), None))
    result = evaluate(criteria, data)
    if fmt == "page":
        html = embedded(written(result, criteria, "html", lang()))
        return page("ws_report", name=name, checkin=checkin, report=result, criteria=criteria,
                    html=html, formats=REPORT_FORMATS)  # fmt: skip
    document = request.args.get("document", "report")
    allowed = REPORT_FORMATS if document == "report" else DOCUMENT_FORMATS
    if fmt not in allowed or document not in DOCUMENTS:
        raise PageError(400, [f"format: {fmt!r}, document: {document!r}"])
    progress = since_previous(space(), name, checkin, None) if document == "summary" else None
    content = write_document_of(document, fmt, result, criteria, lang(), None, progress)
    suffix = {"report": "", "summary": "_一页纸", "technical": "_技术报告"}[document]
    return attachment(
        content.encode("utf-8") if isinstance(content, str) else content,
        FORMATS[fmt].media_type,
        f"{name}_{checkin}{suffix}{FORMATS[fmt].suffix}",
    )


@pages.get("/workspace/entity/<name>/progress")
@requires("reports")
def progress(name: str) -> Response:
    """The bulletin between two check-ins (``from``, ``to``)."""
    current = space()
    names = [c.name for c in current.checkins()]
    old = request.args.get("from") or (names[-2] if len(names) > 1 else "")
    new = request.args.get("to") or (names[-1] if names else "")
    fmt = request.args.get("format", "page")
    made = bulletin(current, name, [old, new])
    if fmt == "page":
        html = embedded(FORMATS["html"].bulletin(made, lang()))  # type: ignore[misc]
        return page("ws_progress", name=name, names=names, old=old, new=new, progress=made,
                    html=html, formats=BULLETIN_FORMATS)  # fmt: skip
    if fmt not in BULLETIN_FORMATS:
        raise PageError(400, [f"format: {fmt!r}"])
    writer = FORMATS[fmt].bulletin
    assert writer is not None
    content = writer(made, lang())
    data = content.encode("utf-8") if isinstance(content, str) else content
    return attachment(data, FORMATS[fmt].media_type, f"{name}_{old}_{new}{FORMATS[fmt].suffix}")


@pages.get("/workspace/entity/<name>/bundle")
@requires("reports")
def bundle(name: str) -> Response:
    checkin = request.args.get("checkin", "")
    data = evidence_bundle(space(), checkin, name, _int(request.args.get("year"), None))
    return attachment(data, "application/zip", f"{name}_{checkin}_佐证材料.zip")


@pages.get("/workspace/evidence/<int:link_id>")
@requires("view")
def evidence_file(link_id: int) -> Response:
    """An evidence file, always as a download of its checked type (never shown inline)."""
    current = space()
    link, kind = current.evidence_link(link_id)
    who = user()
    if who.role == "clerk":
        criteria = chosen_criteria(current)
        owned = department_inputs(criteria, who.department or "")
        owned |= set(department_items(criteria, who.department or ""))
        if (link.input or link.item) not in owned:
            raise refuse("view")
    data = current.evidence_content(link.sha256)
    response = attachment(data, MEDIA_TYPES[kind], link.name)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def shown(raw: object) -> str:
    """A stored value as the pages show it: yes/no in words, nothing as a dash."""
    if raw is None:
        return "—"
    if isinstance(raw, bool):
        return say(lang(), "是" if raw else "否", "yes" if raw else "no")
    return str(raw)


def _int(text: str | None, default: int | None = 0) -> Any:
    if text is None or text == "":
        if default is None:
            return None
        raise PageError(400, [say(lang(), "缺少年度", "the year is missing")])
    if not text.isdigit():
        raise PageError(400, [say(lang(), "年度应为数字", "the year must be a number")])
    return int(text)


__all__ = ["chosen_criteria", "pages", "space"]
