"""The pages of the local workbench: a thin layer over what the command line does.

Every page is rendered by the report templates' Jinja environment from
``reports/templates/web/``; no page needs JavaScript. Reports and downloads are produced by
the same functions as ``check``, ``batch``, ``template`` and ``diff``. Downloads of a report
are embedded in its page (``data:`` links), so nothing uploaded has to be kept on the server.
"""

from __future__ import annotations

import base64
import io
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask, Response, request, send_file
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from engine.criteria.compiler import CompiledCriteria
from engine.criteria.loader import CriteriaLocation, discover, load_path, search_path
from engine.data.sources import DATA_SUFFIXES, load_data
from engine.errors import EcoassessError
from engine.evaluation.batch import BatchResult, run_batch
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import Report
from engine.reports.diff import DIFF_WORDS, diff
from engine.reports.docx import render_docx
from engine.reports.render import environment, render
from engine.reports.sheet_template import xlsx_template
from engine.reports.show import describe_rule
from engine.reports.summary import SYMBOLS, json_text, summary_csv, summary_json
from engine.resources import labels
from engine.web.uploads import UploadError, saved, saved_bytes, without_folder

MAX_UPLOAD_MB = 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECURITY_HEADERS = {
    # Nothing is fetched from anywhere and nothing runs: styles and pictures are inline.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; frame-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class PageError(Exception):
    """A request that cannot be served, with its HTTP status and its lines of explanation."""

    def __init__(self, status: int, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.status = status
        self.lines = lines


def create_app(
    criteria_paths: Sequence[Path] = (),
    *,
    max_upload_mb: int = MAX_UPLOAD_MB,
    trusted_hosts: list[str] | None = None,
) -> Flask:
    """The workbench application.

    ``trusted_hosts``: the host names requests may name (a page served on 127.0.0.1 must not
    answer a request for another name, which is how DNS rebinding reaches it).
    """
    app = Flask("ecoassess", static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = max_upload_mb * 1024 * 1024
    # A report page carries its upload back (base64) for the Word download: a form field.
    app.config["MAX_FORM_MEMORY_SIZE"] = max_upload_mb * 1024 * 1024 * 4 // 3 + 4096
    app.config["TRUSTED_HOSTS"] = trusted_hosts
    folders = search_path(criteria_paths)
    pages = environment()

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
        html = pages.get_template(f"web/{template}.html.j2").render(
            t=labels()[chosen],
            lang=chosen,
            other_lang="en" if chosen == "zh" else "zh",
            path=request.path,
            query=request.args.to_dict(),
            **context,
        )
        return Response(html, status=status, mimetype="text/html")

    compiled: dict[str, tuple[tuple[int, ...], CompiledCriteria]] = {}

    def sets() -> dict[str, CriteriaLocation]:
        return discover(folders)

    def load(location: CriteriaLocation, found: dict[str, CriteriaLocation]) -> CompiledCriteria:
        """The set compiled once, and again only when a criteria file on the search path has
        changed since (a set may extend another)."""
        stamp = tuple(other.file.stat().st_mtime_ns for other in found.values())
        cached = compiled.get(location.id)
        if cached is None or cached[0] != stamp:
            cached = compiled[location.id] = (stamp, load_path(location.folder, folders))
        return cached[1]

    def criteria_named(set_id: str) -> CompiledCriteria:
        if not set_id:
            raise PageError(400, [_say(lang(), "请选择指标体系", "choose a criteria set")])
        found = sets()
        if set_id not in found:
            raise PageError(
                404, [_say(lang(), "找不到指标体系", "no criteria set") + f" {set_id!r}"]
            )
        return load(found[set_id], found)

    @app.after_request
    def secure(response: Response) -> Response:
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.errorhandler(PageError)
    def page_error(error: PageError) -> Response:
        return page("error", error.status, lines=error.lines)

    @app.errorhandler(UploadError)
    def upload_error(error: UploadError) -> Response:
        return page("error", error.status, lines=[error.text(lang())])

    @app.errorhandler(EcoassessError)
    def engine_error(error: EcoassessError) -> Response:
        return page("error", 422, lines=error.render(lang()).splitlines())

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> Response:
        lines = [
            _say(
                lang(),
                f"上传的文件太大：上限 {max_upload_mb} MB"
                "(可用 ecoassess serve --max-upload-mb 调整)",
                f"the upload is too large: the limit is {max_upload_mb} MB "
                "(ecoassess serve --max-upload-mb changes it)",
            )
        ]
        return page("error", 413, lines=lines)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return page("error", error.code or 400, lines=[f"{error.code} {error.name}"])

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        app.logger.exception("unexpected error")  # the traceback goes to the console only
        lines = [
            _say(lang(), "内部错误；详情见启动服务的终端窗口", "internal error; see the console")
        ]
        return page("error", 500, lines=lines)

    @app.get("/")
    @app.get("/criteria")
    def criteria_list() -> Response:
        listed: list[dict[str, Any]] = []
        found = sets()
        for location in found.values():
            try:
                criteria = load(location, found)
            except EcoassessError as exc:
                listed.append({"id": location.id, "problem": exc.render(lang()).splitlines()[0]})
                continue
            listed.append({"id": location.id, "criteria": criteria})
        return page("criteria_list", listed=listed)

    @app.get("/criteria/<set_id>")
    def criteria_set(set_id: str) -> Response:
        criteria = criteria_named(set_id)
        rows = [
            {"compiled": compiled, "rule": describe_rule(compiled.item, lang())}
            for compiled in criteria.items
        ]
        return page("criteria_set", criteria=criteria, rows=rows)

    @app.get("/template")
    def template() -> Response:
        criteria = criteria_named(request.args.get("criteria", ""))
        year = _year(request.args.get("year"), lang()) or date.today().year - 1
        with tempfile.TemporaryDirectory(prefix="ecoassess-template-") as folder:
            path = Path(folder) / "template.xlsx"
            xlsx_template(criteria, lang(), [year - 1, year], path)
            data = path.read_bytes()
        return _attachment(data, XLSX, f"{criteria.id}_{year}.xlsx")

    @app.get("/check")
    def check_form() -> Response:
        return page("check", sets=list(sets()), suffixes=DATA_SUFFIXES)

    def checked(upload: FileStorage) -> tuple[CompiledCriteria, Report]:
        """The report on one uploaded data file, under the set and year the form names."""
        criteria = criteria_named(request.form.get("criteria", ""))
        year = _year(request.form.get("year"), lang())
        with saved([upload]) as (folder, paths):
            try:
                data = load_data(paths[0], criteria, year)
            except EcoassessError as exc:
                lines = without_folder(exc.render(lang()), folder).splitlines()
                raise PageError(422, lines) from exc
        return criteria, evaluate(criteria, data)

    def report_page(report: Report, criteria: CompiledCriteria, again: dict[str, str]) -> Response:
        chosen = lang()
        html = render(report, criteria, "html", chosen)
        downloads = {
            "html": _data_url(html.encode("utf-8"), "text/html;charset=utf-8"),
            "json": _data_url(
                render(report, criteria, "json", chosen).encode("utf-8"), "application/json"
            ),
        }
        name = f"{report.entity['name']}_{criteria.id}"
        return page(
            "report", report=report, criteria=criteria, html=html, name=name,
            downloads=downloads, again=again,
        )  # fmt: skip

    @app.post("/check")
    def check() -> Response:
        upload = request.files.get("data") or FileStorage()
        content = upload.stream.read()
        criteria, report = checked(FileStorage(io.BytesIO(content), filename=upload.filename))
        # The Word file is made only when asked for: the page carries the upload back.
        again = {
            "criteria": criteria.id,
            "year": request.form.get("year", ""),
            "name": upload.filename or "",
            "content": base64.b64encode(content).decode("ascii"),
        }
        return report_page(report, criteria, again)

    @app.post("/check.docx")
    def check_docx() -> Response:
        try:
            content = base64.b64decode(request.form.get("content", ""), validate=True)
        except ValueError as exc:
            raise PageError(400, ["content: not base64"]) from exc
        upload = FileStorage(io.BytesIO(content), filename=request.form.get("name", ""))
        criteria, report = checked(upload)
        name = f"{report.entity['name']}_{criteria.id}.docx"
        return _attachment(render_docx(report, criteria, lang()), DOCX, name)

    @app.get("/batch")
    def batch_form() -> Response:
        return page("batch", sets=list(sets()), suffixes=DATA_SUFFIXES)

    @app.post("/batch")
    def batch() -> Response:
        chosen = lang()
        criteria = criteria_named(request.form.get("criteria", ""))
        year = _year(request.form.get("year"), chosen)
        uploads = [
            (upload.filename or "", upload.stream.read())
            for upload in request.files.getlist("data")
        ]
        # Only decided here (status and value per item): a report is made when asked for.
        result, rejected = _batch_of(uploads, criteria, year, chosen, detail=False)
        order = sorted(
            range(len(result.assessed)),
            key=lambda n: (
                result.assessed[n].verdict != "ready",
                result.assessed[n].summary.blocking,
            ),
        )
        entries = [result.assessed[n] for n in order]
        downloads = {
            "csv": _data_url(summary_csv(result, chosen).encode("utf-8"), "text/csv;charset=utf-8"),
            "json": _data_url(
                "".join(json_text(summary_json(result))).encode("utf-8"), "application/json"
            ),
        }
        # The page carries the upload back, once, for the reports made on demand
        # (POST /batch/report): nothing uploaded is kept on the server.
        again = {"criteria": criteria.id, "year": request.form.get("year", "")}
        return page(
            "batch_result",
            criteria=criteria,
            entries=entries,
            strips=[_strip(entry.cells) for entry in entries],
            rejected=rejected,
            subunits=result.subunits,
            symbols=SYMBOLS,
            downloads=downloads,
            again=again,
            files=[(name, base64.b64encode(content).decode("ascii")) for name, content in uploads],
        )

    @app.post("/batch/report")
    def batch_report() -> Response:
        """One entity's report from a batch page: its upload carried back, read again."""
        criteria = criteria_named(request.form.get("criteria", ""))
        year = _year(request.form.get("year"), lang())
        wanted = request.form.get("entity", "")
        names, contents = request.form.getlist("name"), request.form.getlist("content")
        try:
            uploads = [
                (name, base64.b64decode(content, validate=True))
                for name, content in zip(names, contents, strict=True)
            ]
        except ValueError as exc:
            raise PageError(400, ["content: not base64"]) from exc
        result, _ = _batch_of(uploads, criteria, year, lang(), detail=True, only=wanted)
        entry = next((e for e in result.assessed if e.name == wanted and e.report), None)
        if entry is None or entry.report is None:
            raise PageError(
                404, [_say(lang(), f"批次中没有 {wanted}", f"{wanted} is not in the batch")]
            )
        return report_page(entry.report, criteria, {})

    @app.get("/diff")
    def compare() -> Response:
        a_id, b_id = request.args.get("a", ""), request.args.get("b", "")
        result = None
        if a_id and b_id:
            result = diff(criteria_named(a_id), criteria_named(b_id))
        return page(
            "diff", sets=list(sets()), result=result, rule=describe_rule, words=DIFF_WORDS,
            a=a_id, b=b_id,
        )  # fmt: skip

    return app


def _batch_of(
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


def _strip(cells: Sequence[tuple[str, Any]]) -> list[tuple[str, int]]:
    """An entity's statuses as runs (status, length): a compact strip of symbols."""
    runs: list[tuple[str, int]] = []
    for status, _ in cells:
        if runs and runs[-1][0] == status:
            runs[-1] = (status, runs[-1][1] + 1)
        else:
            runs.append((status, 1))
    return runs


def _year(text: str | None, lang: str) -> int | None:
    if not text or not text.strip():
        return None
    if text.strip().isdigit() and len(text.strip()) == 4:
        return int(text)
    raise PageError(400, [_say(lang, "年度应为四位数字，如 2016", "the year must be four digits")])


def _say(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _data_url(data: bytes, mimetype: str) -> str:
    return f"data:{mimetype};base64,{base64.b64encode(data).decode('ascii')}"


def _attachment(data: bytes, mimetype: str, filename: str) -> Response:
    """A download; ``send_file`` writes a Chinese file name the way browsers read it
    (RFC 5987), where a plain header would not even be sent."""
    return send_file(io.BytesIO(data), mimetype, as_attachment=True, download_name=filename)


__all__ = ["MAX_UPLOAD_MB", "create_app"]
