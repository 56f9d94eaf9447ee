"""达标评估 / Check: one uploaded data file to its report, and its paper files (the report
in Word or PDF, the one-page summary, the technical report's draft)."""

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
    criteria_for,
    lang,
    page,
    report_page,
    sets,
    year_of,
)
from engine.web.uploads import saved, without_folder

pages = Blueprint("check", __name__)


@pages.get("/check")
def check_form() -> Response:
    return page("check", sets=list(sets()), suffixes=DATA_SUFFIXES)


def checked(upload: FileStorage) -> tuple[CompiledCriteria, Report]:
    """The report on one uploaded data file, under the set and year the form names."""
    year = year_of(request.form.get("year"), lang())
    with saved([upload]) as (folder, paths):
        criteria = criteria_for(request.form.get("criteria", ""), paths, folder)
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


PAPER = {"docx": "report", "pdf": "report"}
"""The paper files of a checked upload: ``/check.docx``, ``/check.pdf``; the form's
``document`` field asks for the summary (一页纸) or the technical report instead."""


@pages.post("/check.<fmt>")
def check_paper(fmt: str) -> Response:
    from engine.reports.formats import DOCUMENTS, write_document_of

    document = request.form.get("document", "report")
    if fmt not in PAPER or document not in DOCUMENTS:
        raise PageError(404, [f"/check.{fmt}: no such download"])
    try:
        content = base64.b64decode(request.form.get("content", ""), validate=True)
    except ValueError as exc:
        raise PageError(400, ["content: not base64"]) from exc
    upload = FileStorage(io.BytesIO(content), filename=request.form.get("name", ""))
    criteria, report = checked(upload)
    suffix = {"report": "", "summary": "_一页纸", "technical": "_技术报告"}[document]
    name = f"{report.entity['name']}_{criteria.id}{suffix}.{fmt}"
    data = write_document_of(document, fmt, report, criteria, lang())
    assert isinstance(data, bytes)
    return attachment(data, FORMATS[fmt].media_type, name)
