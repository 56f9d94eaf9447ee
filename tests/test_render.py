"""Rendering: section order, wording in both languages, Markdown safety."""

from pathlib import Path

import pytest
from hypothesis import given
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
