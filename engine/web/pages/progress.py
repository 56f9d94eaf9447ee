"""进展通报 / Progress: the bulletin between two or more uploaded snapshots of one entity,
what ``ecoassess progress`` writes, in the page and as downloads."""

from __future__ import annotations

from flask import Blueprint, Response, request

from engine.data.sources import DATA_SUFFIXES, load_data
from engine.errors import EcoassessError
from engine.evaluation.evaluator import evaluate
from engine.evaluation.progress import Snapshot, compare
from engine.reports.formats import FORMATS
from engine.web.common import (
    PageError,
    criteria_named,
    data_url,
    embedded,
    lang,
    page,
    say,
    sets,
)
from engine.web.uploads import saved, without_folder

pages = Blueprint("progress", __name__)


@pages.get("/progress")
def progress_form() -> Response:
    return page("progress", sets=list(sets()), suffixes=DATA_SUFFIXES)


@pages.post("/progress")
def progress() -> Response:
    chosen = lang()
    criteria = criteria_named(request.form.get("criteria", ""))
    uploads = [u for u in request.files.getlist("data") if u.filename]
    if len(uploads) < 2:
        raise PageError(
            400,
            [
                say(
                    chosen,
                    "请上传至少两个数据快照(先旧后新)",
                    "upload two snapshots or more, oldest first",
                )
            ],
        )
    with saved(uploads) as (folder, paths):
        try:
            taken = [
                Snapshot(path.name, evaluate(criteria, load_data(path, criteria))) for path in paths
            ]
            result = compare(criteria, taken)
        except EcoassessError as exc:
            raise PageError(422, without_folder(exc.render(chosen), folder).splitlines()) from exc
    html = embedded(FORMATS["html"].bulletin(result, chosen))  # type: ignore[misc]
    downloads = {}
    for fmt in ("md", "docx", "pdf", "json"):
        writer = FORMATS[fmt].bulletin
        assert writer is not None
        content = writer(result, chosen)
        data = content.encode("utf-8") if isinstance(content, str) else content
        downloads[fmt] = data_url(data, FORMATS[fmt].media_type)
    return page("progress_result", progress=result, html=html, downloads=downloads,
                name=result.new.entity["name"])  # fmt: skip


__all__ = ["pages"]
