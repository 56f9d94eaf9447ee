"""The HTML report: self-contained, deterministic, a chart per measurable indicator."""

import re

import pytest

from engine.data.sources import load_data
from engine.evaluation.evaluator import evaluate
from engine.reports.charts import is_measurable
from engine.reports.render import render
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def example(yunnan):
    return evaluate(yunnan, load_data(EXAMPLE, yunnan))


@pytest.mark.parametrize("fmt", ["html", "md", "text", "json"])
def test_same_input_gives_byte_identical_output(yunnan, fmt: str) -> None:
    first = render(evaluate(yunnan, load_data(EXAMPLE, yunnan)), yunnan, fmt)  # type: ignore[arg-type]
    second = render(evaluate(yunnan, load_data(EXAMPLE, yunnan)), yunnan, fmt)  # type: ignore[arg-type]
    assert first.encode() == second.encode()


def test_verdict_banner_comes_first(yunnan, example) -> None:
    html = render(example, yunnan, "html")
    body = html.split("<body>", 1)[1]
    assert body.index('data-verdict="not_ready"') < body.index('id="overview"')
    assert '<li data-kpi="blocking"><b>4</b>' in html


def test_one_bullet_chart_per_measurable_indicator_in_the_full_table(yunnan, example) -> None:
    html = render(example, yunnan, "html")
    full = html.split('<section id="all"', 1)[1]
    measurable = [r for r in example.results if is_measurable(r)]
    assert len(measurable) == 19  # every Yunnan item with a numeric threshold
    assert full.count('<svg class="bullet') == len(measurable)
    assert full.count('<svg class="bullet no-value"') == 2  # 6.2 and 18 lack data


def test_nothing_is_fetched(yunnan, example) -> None:
    html = render(example, yunnan, "html")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html
    assert "<script" not in html


def test_text_is_escaped(yunnan) -> None:
    data = load_data(EXAMPLE, yunnan)
    hostile = data.model_copy(
        update={"entity": data.entity.model_copy(update={"name": "<script>alert(1)</script>"})}
    )
    html = render(evaluate(yunnan, hostile), yunnan, "html")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_department_option_renders_only_that_department(yunnan, example) -> None:
    html = render(example, yunnan, "html", department="市林业局")
    assert re.findall(r'data-department="([^"]+)"', html) == ["市林业局"]
    assert 'id="all"' not in html
    assert 'data-verdict="not_ready"' in html


def test_every_department_with_work_has_a_section(yunnan, example) -> None:
    html = render(example, yunnan, "html")
    assert re.findall(r'data-department="([^"]+)"', html) == [
        "市发展改革委",
        "市住房城乡建设局",
        "市工业信息化委",
        "市林业局",
        "市统计局",
    ]


def test_sparkline_when_earlier_years_exist(yunnan, example) -> None:
    forest = next(r for r in example.results if r.id == "forest_cover_increment")
    assert forest.series == []  # an increment needs two years per point; 2014 is not given
    cover_share = next(r for r in example.results if r.id == "urban_sewage_treatment")
    assert cover_share.series == []
    from engine.criteria.loader import load_criteria, search_path
    from tests.conftest import REPO

    national = load_criteria("national_demo_area", search_path())
    county = evaluate(national, load_data(REPO / "examples" / "lufeng_county_2023.yaml", national))
    pm25 = next(r for r in county.results if r.id == "black_odorous_elimination")
    assert pm25.series == [(2022, 95.0), (2023, 100.0)]
    assert '<svg class="sparkline"' in render(county, national, "html")


def test_many_facts_without_evidence_are_grouped_in_one_line(yunnan) -> None:
    """With no 佐证 at all, the reminder is one paragraph, not two dozen bullets."""
    from pathlib import Path

    import yaml

    from engine.data.record import parse_data

    raw = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for given in raw["values"].values():
        if isinstance(given, dict):
            given.pop("evidence", None)
    report = evaluate(yunnan, parse_data(raw, Path("x.yaml"), yunnan))
    html = render(report, yunnan, "html")
    assert html.count('class="flag grouped"') == 1
    assert '<ul class="flag">' not in html
    assert 'class="target"' in html  # the requirement column keeps its width
