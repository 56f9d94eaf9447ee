"""The batch summary: entities × items (status and value), the ready list, the rejects."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from typing import Any

from engine.batch import Assessed, BatchResult
from engine.render import environment
from engine.wording import format_number, labels

SYMBOLS = {"pass": "✔", "fail": "✘", "missing": "?", "error": "!", "not_applicable": "–"}


def _value(value: float | bool | None) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return format_number(value)


def summary_json(result: BatchResult) -> dict[str, Any]:
    """The matrix for scripts. Its ``entities`` are made one at a time, as written, each
    already as JSON text (:class:`RawJSON`: a large batch has a million small objects)."""
    spec = result.criteria.spec
    prefixes = [
        f'{json.dumps(c.id, ensure_ascii=False)}: {{"number": '
        f'{json.dumps(c.item.number, ensure_ascii=False)}, "status": "'
        for c in result.criteria.items
    ]
    return {
        "criteria": {"id": spec.id, "title": spec.title.model_dump()},
        "entities": (_entity_json(entry, prefixes) for entry in result.assessed),
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


def _entity_json(entry: Assessed, prefixes: list[str]) -> RawJSON:
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
    items = ", ".join(
        [
            f'{prefix}{status}", "value": {_json_value(value)}}}'
            for prefix, (status, value) in zip(prefixes, entry.cells, strict=True)
        ]
    )
    return RawJSON(f'{head[:-1]}, "items": {{{items}}}}}')


def _json_value(value: float | bool | None) -> str:
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if value.__class__ is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value)


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
        writer.writerow(
            [
                entry.name,
                entry.entity.year,
                entry.verdict,
                summary.blocking,
                summary.warnings,
                *[col for status, value in entry.cells for col in (status, _value(value))],
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
                "cells": "".join([f" {SYMBOLS[status]} |" for status, _ in entry.cells]),
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
