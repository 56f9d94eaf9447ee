"""The batch summary: entities × items (status and value), the ready list, the rejects."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from engine.numbers import format_number
from engine.reports.inert import inert, inert_row, one_line
from engine.reports.standing import standing_lines
from engine.resources import labels

if TYPE_CHECKING:
    from engine.criteria.compiler import CompiledCriteria
    from engine.data.record import Entity
    from engine.evaluation.batch import Assessed, BatchResult, Cell
    from engine.evaluation.results import Summary, Verdict

SYMBOLS = {"pass": "✔", "fail": "✘", "missing": "?", "error": "!", "not_applicable": "–"}
_MARKDOWN_CELLS = {status: f" {symbol} |" for status, symbol in SYMBOLS.items()}
_STATUS = itemgetter(0)
_CSV_WORDS: dict[str, dict[str, str]] = {}
_VALUE = itemgetter(1)


def _value(value: float | bool | None) -> str:
    """A value as the CSV shows it: as published, a yes/no as true/false, nothing for none."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return format_number(value)


class RawJSON(str):
    """Text that is already JSON: :func:`json_text` writes it as it is."""


class SummaryRow(NamedTuple):
    """An entity's row in the three summaries (the costly part of writing them), made once
    for all three."""

    csv: str
    """Its line of ``summary.csv``: words (达标, 尚未具备…, 是/否) in the report's language;
    the codes are in ``summary.json``."""
    values: str
    """Its items' values as JSON, between ", " (``summary.json`` is made from this as it is
    written: the whole lines would take 4 KB per entity)."""
    symbols: str
    """The cells of its row of ``summary.md``."""


def _csv_words(lang: str) -> dict[str, str]:
    """Status and verdict codes, and true/false, as the CSV's words (quoted if need be)."""
    t = labels()[lang]
    words = {code: t[f"status_{code}"] for code in SYMBOLS}
    words |= {f"verdict_{code}": t[f"verdict_{code}"] for code in ("ready", "not_ready")}
    words |= {"true": "是", "false": "否"} if lang == "zh" else {"true": "yes", "false": "no"}
    return {code: _csv_field(word) for code, word in words.items()}


def summary_row(
    entity: Entity, verdict: Verdict, summary: Summary, cells: list[Cell], lang: str = "zh"
) -> SummaryRow:
    """The entity's summary row."""
    words = _CSV_WORDS.get(lang) or _CSV_WORDS.setdefault(lang, _csv_words(lang))
    statuses = list(map(_STATUS, cells))
    values, as_published = _value_texts(cells)
    shown = [words[status] for status in statuses]
    published_values = [words.get(text, text) if text in ("true", "false") else text
                        for text in as_published]  # fmt: skip
    # Only the name may need quoting: the other fields are words and numbers.
    published = ",".join(chain.from_iterable(zip(shown, published_values, strict=True)))
    head = words[f"verdict_{verdict}"]
    head_fields = f"{entity.year},{head},{summary.blocking},{summary.warnings}"
    return SummaryRow(
        f"{_csv_field(inert(entity.name))},{head_fields},{published}\r\n",
        values,
        "".join(map(_MARKDOWN_CELLS.__getitem__, statuses)),
    )


def _entity_json(entry: Assessed, row: SummaryRow, items: str) -> RawJSON:
    """The entity's line of ``summary.json``, as ``json.dumps`` writes it; ``items`` is
    :func:`items_template` of the criteria set."""
    head = json.dumps(
        {
            "name": entry.name,
            "level": entry.entity.level,
            "year": entry.entity.year,
            "verdict": entry.verdict,
            "summary": entry.summary.to_json(),
        },
        ensure_ascii=False,
    )
    pairs = zip(map(_STATUS, entry.cells), row.values.split(", "), strict=True)
    return RawJSON(f'{head[:-1]}, "items": {{{items % tuple(chain.from_iterable(pairs))}}}}}')


def items_template(criteria: CompiledCriteria) -> str:
    """An entity's ``items`` as JSON — ``{id: {"number", "status", "value"}}`` in the set's
    order — with a ``%s`` for each item's status and value."""
    parts = []
    for compiled in criteria.items:
        key = json.dumps(compiled.id, ensure_ascii=False).replace("%", "%%")
        number = json.dumps(compiled.item.number, ensure_ascii=False).replace("%", "%%")
        parts.append(f'{key}: {{"number": {number}, "status": "%s", "value": %s}}')
    return ", ".join(parts)


def summary_rows(result: BatchResult, lang: str = "zh") -> list[SummaryRow]:
    """Each assessed entity's summary row."""
    return [
        summary_row(entry.entity, entry.verdict, entry.summary, entry.cells, lang)
        for entry in result.assessed
    ]


# A batch writes a million cells: each entity's values are formatted by one ``json.dumps`` of
# them all (C code) rather than one Python call per cell. The values are numbers, booleans or
# None, so no value's text holds the ", " between them. tests/test_summary.py checks both
# forms against the one-by-one ones on random values.
def _value_texts(cells: list[Cell]) -> tuple[str, list[str]]:
    """The cells' values as ``json.dumps`` writes them, between ", "; and each as
    :func:`_value` gives it for the CSV: the JSON texts without a whole number's ".0" and
    with nothing for null (NaN and Infinity read alike); with an exponent, one by one."""
    values = json.dumps(list(map(_VALUE, cells)))[1:-1]
    if "e+" in values or "e-" in values:
        return values, [_value(value) for _, value in cells]
    published = f"{values}, ".replace(".0, ", ", ").replace("null", "")
    return values, published[:-2].split(", ")


def _csv_field(text: str) -> str:
    """``text`` as a field of ``csv.writer`` (quoted only when it must be)."""
    if "," in text or '"' in text or "\r" in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def summary_json(result: BatchResult, rows: list[SummaryRow] | None = None) -> dict[str, Any]:
    """The matrix for scripts; ``rows``: :func:`summary_rows` of the result, when made."""
    spec = result.criteria.spec
    items = items_template(result.criteria)
    return {
        "criteria": {"id": spec.id, "title": spec.title.model_dump()},
        "entities": (
            _entity_json(entry, row, items)
            for entry, row in zip(result.assessed, rows or summary_rows(result), strict=True)
        ),
        "ready": result.ready,
        "subunits": [
            {"name": unit.entity.name, "level": unit.entity.level, "parent": unit.entity.parent}
            for unit in result.subunits
        ],
        "rejected": [
            {"source": bad.where, "problems": bad.error.render("en").splitlines()}
            for bad in result.rejected
        ],
    }


def json_text(document: dict[str, Any]) -> Iterator[str]:
    """``document`` as JSON, one line per element of each top-level list or iterator, in
    pieces: readable, written by the C encoder (``indent=`` runs the pure-Python one, several
    times slower), and never held whole."""
    yield "{"
    for position, (key, value) in enumerate(document.items()):
        yield f"{',' if position else ''}\n  {json.dumps(key)}: "
        if isinstance(value, list | Iterator):
            opening = separator = "[\n    "
            for element in value:
                text = (
                    element
                    if isinstance(element, RawJSON)
                    else json.dumps(element, ensure_ascii=False)
                )
                yield separator + text
                separator = ",\n    "
            yield "[]" if separator is opening else "\n  ]"
        else:
            yield json.dumps(value, ensure_ascii=False)
    yield "\n}\n"


def summary_csv(result: BatchResult, lang: str, rows: list[SummaryRow] | None = None) -> str:
    """One row per entity; per item a status column and a value column (UTF-8 with BOM)."""
    t = labels()[lang]
    items = result.criteria.items
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    value_word = "值" if lang == "zh" else "value"
    writer.writerow(
        inert_row(
            [
                t["entity"],
                t["year_header"],
                t["verdict"],
                t["blocking_header"],
                t["warnings_header"],
                *(col for c in items for col in (c.item.number, f"{c.item.number} {value_word}")),
            ]
        )
    )
    out.writelines(row.csv for row in rows or summary_rows(result, lang))
    return "\ufeff" + out.getvalue()


def summary_markdown(result: BatchResult, lang: str, rows: list[SummaryRow] | None = None) -> str:
    """The matrix for people: verdicts first, then the grid of symbols, then the rejects."""
    from engine.reports.render import environment

    t = labels()[lang]
    table = [
        {
            "name": entry.name,
            "year": entry.entity.year,
            "verdict": t[f"verdict_{entry.verdict}"],
            "blocking": entry.summary.blocking,
            "cells": row.symbols,
        }
        for entry, row in zip(result.assessed, rows or summary_rows(result), strict=True)
    ]
    return (
        environment()
        .get_template("summary.md.j2")
        .render(
            t=t,
            title=result.criteria.spec.title.get(lang),
            numbers=[c.item.number for c in result.criteria.items],
            rows=table,
            ready=result.ready,
            subunits=result.subunits,
            rejected=[(bad.where, bad.error.render(lang).splitlines()) for bad in result.rejected],
            symbols=SYMBOLS,
            standing=[one_line(line) for line in standing_lines(result.criteria.spec, lang)],
        )
    )
