"""Rendering: section order, wording in both languages, Markdown safety."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from engine.numbers import format_number
from engine.reports.render import markdown_cell, render
from engine.resources import labels
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def example(yunnan):
    return evaluate(yunnan, load_data(EXAMPLE, yunnan))


def test_labels_exist_in_both_languages() -> None:
    wording = labels()
    assert set(wording["zh"]) == set(wording["en"])
    assert set(wording["zh"]["levels"]) == set(wording["en"]["levels"])


def test_every_finding_code_has_wording() -> None:
    from typing import get_args

    from engine.evaluation.results import ProblemCode

    for lang in ("zh", "en"):
        assert all(f"finding_{code}" in labels()[lang] for code in get_args(ProblemCode))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sections_come_in_order_verdict_first(yunnan, example, lang: str) -> None:
    text = render(example, yunnan, "md", lang)
    t = labels()[lang]
    titles = [
        t["verdict"],
        t["section_blocking"],
        t["section_warnings"].format(non_binding=t["guidance"]),
        t["section_unusable"],
        t["section_all"],
    ]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)


def test_blocking_section_lists_binding_failures_only(yunnan, example) -> None:
    text = render(example, yunnan, "md", "zh")
    blocking = text.split("## 一、", 1)[1].split("## 二、", 1)[0]
    assert [
        line.split(" | ")[0]
        for line in blocking.splitlines()
        if line.startswith("| ") and not line.startswith("| 编号")
    ] == ["| 4.1", "| 12.1", "| 16"]


def test_percentage_gap_is_in_points(yunnan, example) -> None:
    assert "需提高 1.5 个百分点(相对目标 1.8%)" in render(example, yunnan, "md", "zh")
    assert "increase by 1.5 percentage points" in render(example, yunnan, "md", "en")


def test_english_report_names_departments_in_both_languages(yunnan, example) -> None:
    text = render(example, yunnan, "md", "en")
    assert "Housing and Urban-Rural Development Bureau (市住房城乡建设局)" in text


def test_missing_binding_data_is_listed_before_guidance(yunnan, example) -> None:
    text = render(example, yunnan, "text", "zh")
    unusable = text.split("三、", 1)[1].split("四、", 1)[0]
    assert unusable.index("[6.2]") < unusable.index("[18]")


def test_markdown_cells_cannot_break_the_table() -> None:
    assert markdown_cell("a|b\nc") == "a\\|b c"
    assert markdown_cell("") == " "


@pytest.mark.parametrize(
    ("value", "text"),
    [(6000.0, "6000"), (39.08, "39.08"), (0.1 + 0.2, "0.30000000000000004"), (1e-7, "0.0000001")],
)
def test_numbers_are_written_plainly(value: float, text: str) -> None:
    assert format_number(value) == text


def test_json_is_deterministic(yunnan, example) -> None:
    assert render(example, yunnan, "json") == render(example, yunnan, "json")


def test_templates_folder_exists() -> None:
    from engine.resources import templates_dir

    assert (Path(templates_dir()) / "report.md.j2").is_file()


def test_pad_counts_cjk_as_two_columns() -> None:
    from engine.reports.render import pad

    assert pad("达标", 6) == "达标  "
    assert pad("pass", 6) == "pass  "


@given(st.floats(allow_nan=False))
def test_numbers_print_as_their_shortest_decimal(value: float) -> None:
    """The fast path gives what the decimal normalisation gives, for every float."""
    from decimal import Decimal

    assert format_number(value) == format(Decimal(repr(value)).normalize(), "f")


# --- issue 15: user text never leaves its field, in any format (a property) ---------------

_HOSTILE_TEXT = st.lists(
    st.sampled_from(
        [*"ab结论#|*-_>[]()<>&\"'`=+@\\", "\n", "\r", "\t", "\x00", "\x1b", "\u2028", "\x85",
         "## ", "<script>", "</td>", "{{", "%}"]
    ),
    max_size=12,
).map("".join)  # fmt: skip
_ONE_LINE_NAME = st.text(
    alphabet=st.sampled_from(list("保山市ab#|*<>&=+@-_`[]{}% ")), min_size=1, max_size=12
).filter(lambda name: name.strip() == name and name.strip())


def _report_with(name: str, note: str, source: str, evidence: str):
    from engine.criteria.loader import load_criteria, search_path
    from engine.data.record import MeasuredValue

    criteria = load_criteria("yunnan_2014", search_path())
    data = load_data(EXAMPLE, criteria)
    values = {
        key: MeasuredValue(value=given.value, note=note, source=source, evidence=evidence)
        for key, given in data.values.items()
    }
    entity = data.entity.model_copy(update={"name": name})
    return criteria, evaluate(
        criteria, data.model_copy(update={"entity": entity, "values": values})
    )


@settings(max_examples=25, deadline=None, derandomize=True)
@given(name=_ONE_LINE_NAME, note=_HOSTILE_TEXT, source=_HOSTILE_TEXT, evidence=_HOSTILE_TEXT)
def test_user_text_never_leaves_its_field_in_any_format(
    name: str, note: str, source: str, evidence: str
) -> None:
    """Whatever a data file says in a note, a source or an evidence field: the Markdown and
    text reports keep their lines and headings, the HTML has no markup of the user's, the JSON
    gives the text back as it was, and the Word file opens with the text in it."""
    import io
    import json as json_module

    from docx import Document

    from engine.reports.formats import FORMATS

    def alike(text: str) -> str:  # the same shape: empty where the text is empty
        return "x" if text.strip() else text

    criteria, plain = _report_with("保山市", alike(note), alike(source), alike(evidence))
    criteria, report = _report_with(name, note, source, evidence)
    for fmt in ("md", "text"):
        baseline = FORMATS[fmt].write_report(plain, criteria, "zh")
        written = FORMATS[fmt].write_report(report, criteria, "zh")
        assert isinstance(baseline, str)
        assert isinstance(written, str)
        assert len(written.splitlines()) == len(baseline.splitlines()), fmt
        headings = [line for line in written.splitlines() if line.startswith("#")]
        assert len(headings) == len([x for x in baseline.splitlines() if x.startswith("#")])
        assert "\x00" not in written
        assert "\x1b" not in written
    html = FORMATS["html"].write_report(report, criteria, "zh")
    baseline_html = FORMATS["html"].write_report(plain, criteria, "zh")
    assert isinstance(html, str)
    assert isinstance(baseline_html, str)
    assert "<script>" not in html
    assert html.count("</td>") == baseline_html.count("</td>")
    document = json_module.loads(FORMATS["json"].write_report(report, criteria, "zh"))
    assert document["entity"]["name"] == name
    docx = FORMATS["docx"].write_report(report, criteria, "zh")
    assert isinstance(docx, bytes)
    Document(io.BytesIO(docx))  # opens: no control character broke the XML
