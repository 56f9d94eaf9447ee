"""批量评估 / Batch: many entities decided at once (the matrix), each one's report on demand."""

from __future__ import annotations

import base64

from flask import Blueprint, Response, request

from engine.data.sources import DATA_SUFFIXES
from engine.reports.summary import SYMBOLS, json_text, summary_csv, summary_json
from engine.web.common import (
    PageError,
    batch_of,
    criteria_named,
    data_url,
    lang,
    page,
    report_page,
    say,
    sets,
    strip,
    year_of,
)

pages = Blueprint("batch", __name__)


@pages.get("/batch")
def batch_form() -> Response:
    return page("batch", sets=list(sets()), suffixes=DATA_SUFFIXES)


@pages.post("/batch")
def batch() -> Response:
    chosen = lang()
    criteria = criteria_named(request.form.get("criteria", ""))
    year = year_of(request.form.get("year"), chosen)
    uploads = [
        (upload.filename or "", upload.stream.read()) for upload in request.files.getlist("data")
    ]
    # Only decided here (status and value per item): a report is made when asked for.
    result, rejected = batch_of(uploads, criteria, year, chosen, detail=False)
    order = sorted(
        range(len(result.assessed)),
        key=lambda n: (
            result.assessed[n].verdict != "ready",
            result.assessed[n].summary.blocking,
        ),
    )
    entries = [result.assessed[n] for n in order]
    downloads = {
        "csv": data_url(summary_csv(result, chosen).encode("utf-8"), "text/csv;charset=utf-8"),
        "json": data_url(
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
        strips=[strip(entry.cells) for entry in entries],
        rejected=rejected,
        subunits=result.subunits,
        symbols=SYMBOLS,
        downloads=downloads,
        again=again,
        files=[(name, base64.b64encode(content).decode("ascii")) for name, content in uploads],
    )


@pages.post("/batch/report")
def batch_report() -> Response:
    """One entity's report from a batch page: its upload carried back, read again."""
    criteria = criteria_named(request.form.get("criteria", ""))
    year = year_of(request.form.get("year"), lang())
    wanted = request.form.get("entity", "")
    names, contents = request.form.getlist("name"), request.form.getlist("content")
    try:
        uploads = [
            (name, base64.b64decode(content, validate=True))
            for name, content in zip(names, contents, strict=True)
        ]
    except ValueError as exc:
        raise PageError(400, ["content: not base64"]) from exc
    result, _ = batch_of(uploads, criteria, year, lang(), detail=True, only=wanted)
    entry = next((e for e in result.assessed if e.name == wanted and e.report), None)
    if entry is None or entry.report is None:
        raise PageError(404, [say(lang(), f"批次中没有 {wanted}", f"{wanted} is not in the batch")])
    return report_page(entry.report, criteria, {})
