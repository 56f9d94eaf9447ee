"""指标体系比较 / Compare sets: the ``diff`` of two criteria sets."""

from __future__ import annotations

from flask import Blueprint, Response, request

from engine.reports.diff import DIFF_WORDS, diff
from engine.reports.show import describe_rule
from engine.web.common import criteria_named, page, sets

pages = Blueprint("compare", __name__)


@pages.get("/diff")
def compare() -> Response:
    a_id, b_id = request.args.get("a", ""), request.args.get("b", "")
    result = None
    if a_id and b_id:
        result = diff(criteria_named(a_id), criteria_named(b_id))
    return page(
        "diff", sets=list(sets()), result=result, rule=describe_rule, words=DIFF_WORDS,
        a=a_id, b=b_id,
    )  # fmt: skip
