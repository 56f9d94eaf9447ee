"""批量评估 / Batch: many entities decided at once (the matrix); each one's report and the
summaries on demand, from the upload held for a while."""

from __future__ import annotations

from flask import Blueprint, Response, request

from engine.data.sources import DATA_SUFFIXES
from engine.reports.standing import standing_lines
from engine.reports.summary import SYMBOLS, json_text, summary_csv, summary_json
from engine.web.common import (
    PageError,
    attachment,
    batch_of,
    criteria_for,
    criteria_named,
    lang,
    page,
    report_page,
    say,
    sets,
    workbench,
    year_of,
)
from engine.web.held import HOLD_SECONDS, HeldBatch
from engine.web.uploads import saved_bytes

pages = Blueprint("batch", __name__)


@pages.get("/batch")
def batch_form() -> Response:
    return page("batch", sets=list(sets()), suffixes=DATA_SUFFIXES)


@pages.post("/batch")
def batch() -> Response:
    chosen = lang()
    year = year_of(request.form.get("year"), chosen)
    uploads = [
        (upload.filename or "", upload.stream.read()) for upload in request.files.getlist("data")
    ]
    chosen_set = request.form.get("criteria", "")
    if chosen_set:
        criteria = criteria_named(chosen_set)
    else:  # 按工作簿: the set the first upload names
        with saved_bytes(uploads[:1]) as (folder, paths):
            criteria = criteria_for("", paths, folder)
    # Only decided here (status and value per item): reports and summaries are made when
    # their links are followed, from the upload held for a while (engine.web.held).
    result, rejected = batch_of(uploads, criteria, year, chosen, detail=False)
    token = workbench().batches.hold(criteria.id, year, uploads)
    order = sorted(
        range(len(result.assessed)),
        key=lambda n: (
            result.assessed[n].verdict != "ready",
            result.assessed[n].summary.blocking,
        ),
    )
    entries = [result.assessed[n] for n in order]
    return page(
        "batch_result",
        criteria=criteria,
        entries=entries,
        shown=MATRIX_ROWS,
        rejected=rejected,
        subunits=result.subunits,
        symbols=SYMBOLS,
        token=token,
        minutes=HOLD_SECONDS // 60,
        standing=standing_lines(criteria.spec, lang()),
    )


MATRIX_ROWS = 500
"""Entities the matrix shows in the page (each row a cell per item); all are in the CSV."""


def _held(token: str) -> HeldBatch:
    held = workbench().batches.get(token)
    if held is None:
        minutes = HOLD_SECONDS // 60
        raise PageError(
            404,
            [
                say(
                    lang(),
                    f"这批数据已不在服务器上(保留 {minutes} 分钟)；请重新上传",
                    f"this batch is no longer held (kept {minutes} minutes); upload it again",
                )
            ],
        )
    return held


@pages.get("/batch/<token>/report")
def batch_report(token: str) -> Response:
    """One entity's report from a batch page, made from the held upload."""
    held = _held(token)
    criteria = criteria_named(held.criteria_id)
    wanted = request.args.get("entity", "")
    result, _ = batch_of(list(held.uploads), criteria, held.year, lang(), detail=True, only=wanted)
    entry = next((e for e in result.assessed if e.name == wanted and e.report), None)
    if entry is None or entry.report is None:
        raise PageError(404, [say(lang(), f"批次中没有 {wanted}", f"{wanted} is not in the batch")])
    return report_page(entry.report, criteria, {})


@pages.get("/batch/<token>/summary.<fmt>")
def batch_summary(token: str, fmt: str) -> Response:
    """The batch's summary matrix as CSV or JSON, made from the held upload."""
    if fmt not in ("csv", "json"):
        raise PageError(404, [f"summary.{fmt}"])
    held = _held(token)
    criteria = criteria_named(held.criteria_id)
    result, _ = batch_of(list(held.uploads), criteria, held.year, lang(), detail=False)
    if fmt == "csv":
        data = summary_csv(result, lang()).encode("utf-8")
        return attachment(data, "text/csv;charset=utf-8", "summary.csv")
    data = "".join(json_text(summary_json(result))).encode("utf-8")
    return attachment(data, "application/json", "summary.json")
