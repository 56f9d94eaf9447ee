"""达标评估 / Check: one uploaded data file to its report, and the report as Word."""

from __future__ import annotations

import base64
import io

from flask import Blueprint, Response, request
from werkzeug.datastructures import FileStorage

from engine.criteria.compiler import CompiledCriteria
from engine.data.sources import DATA_SUFFIXES, load_data
from engine.errors import EcoassessError
from engine.evaluation.evaluator import evaluate
from engine.evaluation.results import Report
from engine.reports.formats import FORMATS
from engine.web.common import (
    PageError,
    attachment,
    criteria_named,
    lang,
    page,
    report_page,
    sets,
    written,
    year_of,
)
from engine.web.uploads import saved, without_folder

pages = Blueprint("check", __name__)


@pages.get("/check")
def check_form() -> Response:
    return page("check", sets=list(sets()), suffixes=DATA_SUFFIXES)


def checked(upload: FileStorage) -> tuple[CompiledCriteria, Report]:
    """The report on one uploaded data file, under the set and year the form names."""
    criteria = criteria_named(request.form.get("criteria", ""))
    year = year_of(request.form.get("year"), lang())
    with saved([upload]) as (folder, paths):
        try:
            data = load_data(paths[0], criteria, year)
        except EcoassessError as exc:
            lines = without_folder(exc.render(lang()), folder).splitlines()
            raise PageError(422, lines) from exc
    return criteria, evaluate(criteria, data)


@pages.post("/check")
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


@pages.post("/check.docx")
def check_docx() -> Response:
    try:
        content = base64.b64decode(request.form.get("content", ""), validate=True)
    except ValueError as exc:
        raise PageError(400, ["content: not base64"]) from exc
    upload = FileStorage(io.BytesIO(content), filename=request.form.get("name", ""))
    criteria, report = checked(upload)
    name = f"{report.entity['name']}_{criteria.id}.docx"
    docx = FORMATS["docx"]
    return attachment(written(report, criteria, "docx", lang()), docx.media_type, name)
