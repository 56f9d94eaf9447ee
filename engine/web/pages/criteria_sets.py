"""指标体系 / Criteria sets: the list, each set's items, and its Excel fill-in template."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, request

from engine.errors import EcoassessError
from engine.reports.sheet_template import xlsx_template
from engine.reports.show import describe_rule
from engine.reports.standing import (
    standing_lines,
    status_words,
    verification_counts,
    verification_of,
    verification_word,
)
from engine.web.common import XLSX, attachment, criteria_named, lang, load, page, sets, year_of

pages = Blueprint("criteria_sets", __name__)


@pages.get("/")
@pages.get("/criteria")
def criteria_list() -> Response:
    listed: list[dict[str, Any]] = []
    found = sets()
    for location in found.values():
        try:
            criteria = load(location, found)
        except EcoassessError as exc:
            listed.append({"id": location.id, "problem": exc.render(lang()).splitlines()[0]})
            continue
        listed.append(
            {
                "id": location.id,
                "criteria": criteria,
                "status": "，".join(status_words(criteria.spec, lang()))
                if lang() == "zh"
                else ", ".join(status_words(criteria.spec, lang())),
                "verified": verification_counts((c.item for c in criteria.items), criteria.spec),
            }
        )
    return page("criteria_list", listed=listed)


@pages.get("/criteria/<set_id>")
def criteria_set(set_id: str) -> Response:
    criteria = criteria_named(set_id)
    spec = criteria.spec
    rows = [
        {
            "compiled": compiled,
            "rule": describe_rule(compiled.item, lang()),
            "verified": verification_word(verification_of(compiled.item, spec), lang()),
        }
        for compiled in criteria.items
    ]
    return page(
        "criteria_set",
        criteria=criteria,
        rows=rows,
        standing=standing_lines(spec, lang()),
        leads=any(compiled.item.lead for compiled in criteria.items),
    )


@pages.get("/template")
def template() -> Response:
    criteria = criteria_named(request.args.get("criteria", ""))
    year = year_of(request.args.get("year"), lang()) or date.today().year - 1
    with tempfile.TemporaryDirectory(prefix="ecoassess-template-") as folder:
        path = Path(folder) / "template.xlsx"
        xlsx_template(criteria, lang(), [year - 1, year], path)
        data = path.read_bytes()
    return attachment(data, XLSX, f"{criteria.id}_{year}.xlsx")
