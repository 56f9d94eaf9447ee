"""What the workbench's pages share: the request's language, the page renderer, the criteria
sets on the search path (each compiled once, again only when a criteria file changes), the
error a page raises, and small helpers for downloads."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Response, current_app, g, request, send_file
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.loader import CriteriaLocation, discover, load_path
from engine.evaluation.batch import BatchResult, run_batch
from engine.evaluation.results import Report
from engine.reports.formats import FORMATS
from engine.reports.render import environment
from engine.resources import labels
from engine.resources import say as say  # the pages take it from here
from engine.web.held import BatchStore
from engine.web.uploads import saved_bytes, without_folder

if TYPE_CHECKING:
    from engine.workspace.dashboard import StandingCache
    from engine.workspace.store import Workspace

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PageError(Exception):
    """A request that cannot be served, with its HTTP status and its lines of explanation."""

    def __init__(self, status: int, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.status = status
        self.lines = lines


@dataclass
class Workbench:
    """The application's state: where the criteria sets are, and the sets compiled so far."""

    folders: list[Path]
    max_upload_mb: int
    compiled: dict[str, tuple[tuple[int, ...], CompiledCriteria]] = field(default_factory=dict)
    batches: BatchStore = field(default_factory=BatchStore)
    """Batch uploads held for their pages' links (engine.web.held)."""
    workspace: Workspace | None = None
    """The campaign workspace served (``serve --workspace``), if any."""
    standings: dict[str, StandingCache] = field(default_factory=dict)
    """Per criteria set, the entities' standings made so far (engine.workspace.dashboard)."""


def workbench() -> Workbench:
    state: Workbench = current_app.extensions["ecoassess"]
    return state


def lang() -> str:
    chosen = request.args.get("lang")
    if chosen is None:
        try:
            chosen = request.form.get("lang", "zh")
        except HTTPException:  # the body itself is the problem (too large, malformed)
            chosen = "zh"
    return chosen if chosen in ("zh", "en") else "zh"


def page(template: str, status: int = 200, **context: Any) -> Response:
    chosen = lang()
    html = (
        environment()
        .get_template(f"web/{template}.html.j2")
        .render(
            t=labels()[chosen],
            lang=chosen,
            other_lang="en" if chosen == "zh" else "zh",
            path=request.path,
            query=request.args.to_dict(),
            has_workspace=workbench().workspace is not None,
            user=g.get("user"),
            csrf_token=_csrf_token(),
            **context,
        )
    )
    return Response(html, status=status, mimetype="text/html")


def _csrf_token() -> str:
    """The form token of the session (only a workbench with a workspace has sessions)."""
    if workbench().workspace is None:
        return ""
    from flask_wtf.csrf import generate_csrf

    return str(generate_csrf())


def sets() -> dict[str, CriteriaLocation]:
    return discover(workbench().folders)


def load(location: CriteriaLocation, found: dict[str, CriteriaLocation]) -> CompiledCriteria:
    """The set compiled once, and again only when a criteria file on the search path has
    changed since (a set may extend another)."""
    state = workbench()
    stamp = tuple(other.file.stat().st_mtime_ns for other in found.values())
    cached = state.compiled.get(location.id)
    if cached is None or cached[0] != stamp:
        cached = state.compiled[location.id] = (stamp, load_path(location.folder, state.folders))
    return cached[1]


def criteria_for(set_id: str, paths: Sequence[Path], folder: Path) -> CompiledCriteria:
    """The set the form chose, or (its 按工作簿 choice, an empty value) the set the first
    uploaded workbook names in its 指标体系 cell; a file naming none asks for a choice."""
    if set_id:
        return criteria_named(set_id)
    from engine.data.sources import named_criteria
    from engine.errors import EcoassessError

    try:
        named = named_criteria(paths[0]) if paths else None
    except EcoassessError as exc:
        raise PageError(422, without_folder(exc.render(lang()), folder).splitlines()) from exc
    if named is None:
        name = paths[0].name if paths else ""
        raise PageError(
            400,
            [
                say(
                    lang(),
                    f"{name}: 文件未注明指标体系(工作簿第 1 行的“指标体系”)；请在上方选择指标体系",
                    f"{name}: the file names no criteria set (the workbook's first row, "
                    "指标体系); choose one above",
                )
            ],
        )
    return criteria_named(named)


def criteria_named(set_id: str) -> CompiledCriteria:
    if not set_id:
        raise PageError(400, [say(lang(), "请选择指标体系", "choose a criteria set")])
    found = sets()
    if set_id not in found:
        raise PageError(404, [say(lang(), "找不到指标体系", "no criteria set") + f" {set_id!r}"])
    return load(found[set_id], found)


def report_page(report: Report, criteria: CompiledCriteria, again: dict[str, str]) -> Response:
    """A report in the page, with its downloads (``again`` carries the upload for Word)."""
    chosen = lang()
    html = written(report, criteria, "html", chosen)
    downloads = {
        "html": data_url(html, FORMATS["html"].media_type),
        "json": data_url(written(report, criteria, "json", chosen), "application/json"),
    }
    name = f"{report.entity['name']}_{criteria.id}"
    return page(
        "report", report=report, criteria=criteria, html=embedded(html), name=name,
        downloads=downloads, again=again,
    )  # fmt: skip


def batch_of(
    uploads: list[tuple[str, bytes]],
    criteria: CompiledCriteria,
    year: int | None,
    lang: str,
    *,
    detail: bool,
    only: str | None = None,
) -> tuple[BatchResult, list[tuple[str, list[str]]]]:
    """The batch of the uploaded files, read in a private folder that is then removed, and
    its rejected inputs' lines without that folder's path."""
    with saved_bytes(uploads) as (folder, paths):
        result = run_batch(paths, criteria, year, detail=detail, only=only)
        rejected = [
            (
                without_folder(bad.where, folder),
                without_folder(bad.error.render(lang), folder).splitlines(),
            )
            for bad in result.rejected
        ]
    return result, rejected


def year_of(text: str | None, lang: str) -> int | None:
    if not text or not text.strip():
        return None
    if text.strip().isdigit() and len(text.strip()) == 4:
        return int(text)
    raise PageError(400, [say(lang, "年度应为四位数字，如 2016", "the year must be four digits")])


def written(report: Report, criteria: CompiledCriteria, fmt: str, lang: str) -> bytes:
    """The report in an output format of the registry, as the bytes of its file."""
    written = FORMATS[fmt].write_report(report, criteria, lang)
    return written.encode("utf-8") if isinstance(written, str) else written


@dataclass(frozen=True)
class Embedded:
    """A report's (or bulletin's) own page, to show inside a workbench page: its style and
    the content of its ``<main>`` — shown in the page (one scroll, printable as the report
    prints), never in a frame. Everything in it was escaped by its template, and the
    workbench's Content-Security-Policy runs no script."""

    style: Markup
    body: Markup


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_MAIN = re.compile(r"<main>(.*)</main>", re.S)


def embedded(html: str | bytes) -> Embedded:
    text = html.decode("utf-8") if isinstance(html, bytes) else html
    style, main = _STYLE.search(text), _MAIN.search(text)
    assert style is not None, "a report page has its <style>"
    assert main is not None, "a report page has its <main>"
    return Embedded(Markup(style.group(1)), Markup(main.group(1)))


def data_url(data: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"


def attachment(data: bytes, mimetype: str, filename: str) -> Response:
    """A download; ``send_file`` writes a Chinese file name the way browsers read it
    (RFC 5987), where a plain header would not even be sent."""
    return send_file(io.BytesIO(data), mimetype, as_attachment=True, download_name=filename)
