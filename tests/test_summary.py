"""The batch summary files: the matrix as JSON, CSV and Markdown."""

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from engine.criteria.loader import load_criteria, search_path
from engine.evaluation.batch import run_batch
from engine.reports.summary import (
    _csv_field,
    _value,
    _value_texts,
    json_text,
    summary_json,
    summary_rows,
)
from engine.resources import labels
from tests.conftest import EXAMPLE, REPO


def test_summary_json_text_is_json_with_empty_and_full_lists() -> None:
    document = {"a": [], "b": iter([{"x": 1}, {"y": "县"}]), "c": {"d": [1, 2]}, "e": None}
    text = "".join(json_text(document))
    assert json.loads(text) == {
        "a": [],
        "b": [{"x": 1}, {"y": "县"}],
        "c": {"d": [1, 2]},
        "e": None,
    }
    assert '{"y": "县"}' in text  # one line per element, Chinese kept as written


def test_summary_json_entities_are_what_json_dumps_writes() -> None:
    """Each entity line is assembled by hand for speed: it must equal json.dumps of the row."""
    criteria = load_criteria("yunnan_2014", search_path())
    cases = REPO / "criteria" / "yunnan_2014" / "cases"
    result = run_batch([cases / "missing_and_bad_data.yaml", EXAMPLE], criteria)
    lines = list(summary_json(result)["entities"])
    assert len(lines) == 2
    for line, entry in zip(lines, result.assessed, strict=True):
        expected = {
            "name": entry.name,
            "level": entry.entity.level,
            "year": entry.entity.year,
            "verdict": entry.verdict,
            "summary": entry.summary.to_json(),
            "items": {
                c.id: {"number": c.item.number, "status": status, "value": value}
                for c, (status, value) in zip(criteria.items, entry.cells, strict=True)
            },
        }
        assert line == json.dumps(expected, ensure_ascii=False)
    values = {type(v) for entry in result.assessed for _, v in entry.cells}
    assert values == {float, bool, type(None)}  # every kind of value was written


def test_summary_csv_rows_are_what_the_csv_module_writes() -> None:
    """Each CSV row is assembled by hand for speed: it must equal csv.writer's row."""
    criteria = load_criteria("yunnan_2014", search_path())
    cases = REPO / "criteria" / "yunnan_2014" / "cases"
    result = run_batch([cases / "missing_and_bad_data.yaml", EXAMPLE], criteria)
    for entry, row in zip(result.assessed, summary_rows(result), strict=True):
        expected = io.StringIO()
        t = labels()["zh"]
        shown = {"true": "是", "false": "否"}
        fields = [entry.name, entry.entity.year, t[f"verdict_{entry.verdict}"]]
        fields += [entry.summary.blocking, entry.summary.warnings]
        fields += [
            text
            for status, value in entry.cells
            for text in (t[f"status_{status}"], shown.get(_value(value), _value(value)))
        ]  # the words, not the codes (those are in summary.json)
        csv.writer(expected, lineterminator="\r\n").writerow(fields)
        assert row.csv == expected.getvalue()


values = st.one_of(
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**6), 10**6).map(float),
    st.sampled_from([0.0, -0.0, 1e-7, 1e16, 123456789012345678.0, 0.1, 2.5]),
)


@given(st.lists(values, min_size=1, max_size=60))
def test_summary_value_texts_equal_the_one_by_one_forms(row: list[float | bool | None]) -> None:
    """The summaries format each entity's values in one go: as ``json.dumps`` and as
    ``_value`` would, one by one."""
    cells = [("pass", value) for value in row]
    as_json, as_published = _value_texts(cells)
    assert as_json.split(", ") == [json.dumps(value) for value in row]
    assert as_published == [_value(value) for value in row]


@given(st.text())
def test_a_name_is_quoted_as_the_csv_module_quotes_it(name: str) -> None:
    line = io.StringIO()
    csv.writer(line, lineterminator="\r\n").writerow([name, 1])
    assert f"{_csv_field(name)},1\r\n" == line.getvalue()
