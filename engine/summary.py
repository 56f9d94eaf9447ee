"""The batch summary: entities × items (status and value), the ready list, the rejects."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from itertools import chain
from operator import itemgetter
from typing import Any

from engine.batch import Assessed, BatchResult
from engine.compiler import CompiledCriteria
from engine.matrix import Cell
from engine.render import environment
from engine.wording import format_number, labels

SYMBOLS = {"pass": "✔", "fail": "✘", "missing": "?", "error": "!", "not_applicable": "–"}
_MARKDOWN_CELLS = {status: f" {symbol} |" for status, symbol in SYMBOLS.items()}
_STATUS = itemgetter(0)
_VALUE = itemgetter(1)


def _value(value: float | bool | None) -> str:
    """A value as the CSV shows it: as published, a yes/no as true/false, nothing for none."""
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return format_number(value)


# A batch writes a million cells: each entity's values are formatted by one ``json.dumps`` of
# them all (C code) rather than one Python call per cell. The values are numbers, booleans or
# None, so no value's text holds the ", " between them. tests/test_batch.py checks both
# against the one-by-one forms on random values.


def _json_values(cells: list[Cell]) -> list[str]:
    """Each cell's value as ``json.dumps`` writes it."""
    return json.dumps(list(map(_VALUE, cells)))[1:-1].split(", ")


_AS_PUBLISHED = re.compile(r"\.0(?=, |\Z)|null")


def _csv_values(cells: list[Cell]) -> list[str]:
    """Each cell's value as :func:`_value` gives it: the JSON texts without a whole number's
    ".0" and with nothing for null (NaN and Infinity read alike); an exponent the slow way."""
    line = json.dumps(list(map(_VALUE, cells)))[1:-1]
    if "e+" in line or "e-" in line:
        return [_value(value) for _, value in cells]
    return _AS_PUBLISHED.sub("", line).split(", ")


def summary_json(result: BatchResult) -> dict[str, Any]:
    """The matrix for scripts. Its ``entities`` are made one at a time, as written, each
    already as JSON text (:class:`RawJSON`: a large batch has a million small objects)."""
    spec = result.criteria.spec
    items = _items_template(result.criteria)
    return {
        "criteria": {"id": spec.id, "title": spec.title.model_dump()},
        "entities": (_entity_json(entry, items) for entry in result.assessed),
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


class RawJSON(str):
    """Text that is already JSON: :func:`json_text` writes it as it is."""


def _items_template(criteria: CompiledCriteria) -> str:
    """An entity's ``items`` as JSON, with a ``%s`` for each item's status and value."""
    parts = []
    for compiled in criteria.items:
        key = json.dumps(compiled.id, ensure_ascii=False).replace("%", "%%")
        number = json.dumps(compiled.item.number, ensure_ascii=False).replace("%", "%%")
        parts.append(f'{key}: {{"number": {number}, "status": "%s", "value": %s}}')
    return ", ".join(parts)


def _entity_json(entry: Assessed, items: str) -> RawJSON:
    """One entity's row as ``json.dumps`` writes it: name, level, year, verdict, summary, then
    ``items``: ``{id: {"number", "status", "value"}}`` in the set's order."""
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
    cells = entry.cells
    pairs = zip(map(_STATUS, cells), _json_values(cells), strict=True)
    filled = items % tuple(chain.from_iterable(pairs))
    return RawJSON(f'{head[:-1]}, "items": {{{filled}}}}}')


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


def summary_csv(result: BatchResult, lang: str) -> str:
    """One row per entity; per item a status column and a value column (UTF-8 with BOM)."""
    t = labels()[lang]
    items = result.criteria.items
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    value_word = "值" if lang == "zh" else "value"
    writer.writerow(
        [
            t["entity"],
            t["year_header"],
            t["verdict"],
            t["blocking_header"],
            t["warnings_header"],
            *(col for c in items for col in (c.item.number, f"{c.item.number} {value_word}")),
        ]
    )
    for entry in result.assessed:
        summary = entry.summary
        pairs = zip(map(_STATUS, entry.cells), _csv_values(entry.cells), strict=True)
        writer.writerow(
            [
                entry.name,
                entry.entity.year,
                entry.verdict,
                summary.blocking,
                summary.warnings,
                *chain.from_iterable(pairs),
            ]
        )
    return "\ufeff" + out.getvalue()


def summary_markdown(result: BatchResult, lang: str) -> str:
    """The matrix for people: verdicts first, then the grid of symbols, then the rejects."""
    template = environment().get_template("summary.md.j2")
    rows = []
    for entry in result.assessed:
        rows.append(
            {
                "name": entry.name,
                "year": entry.entity.year,
                "verdict": labels()[lang][f"verdict_{entry.verdict}"],
                "blocking": entry.summary.blocking,
                "cells": "".join(map(_MARKDOWN_CELLS.__getitem__, map(_STATUS, entry.cells))),
            }
        )
    return template.render(
        t=labels()[lang],
        title=result.criteria.spec.title.get(lang),
        numbers=[c.item.number for c in result.criteria.items],
        rows=rows,
        ready=result.ready,
        subunits=result.subunits,
        rejected=[(bad.where, bad.error.render(lang).splitlines()) for bad in result.rejected],
        symbols=SYMBOLS,
    )
