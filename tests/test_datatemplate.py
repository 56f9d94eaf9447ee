import yaml

from engine.reports.data_template import data_template


def test_template_lists_every_input_once_with_empty_values(yunnan) -> None:
    parsed = yaml.safe_load(data_template(yunnan))
    read = {name for compiled in yunnan.items for name in compiled.inputs}
    assert set(parsed["values"]) == read
    assert "eco_county_named" not in read  # a county's own fact, rolled up in a batch
    assert all(value is None for value in parsed["values"].values())


def test_template_comments_unit_item_and_department(yunnan) -> None:
    text = data_template(yunnan)
    line = next(line for line in text.splitlines() if line.startswith("  gdp:"))
    assert line.endswith("# 亿元 · 地区生产总值(GDP) · 亦用于: 3, 16")
    assert (
        "# ── 2 第三产业占GDP比例 (指导性; 责任单位: 市发展改革委) · 可直接填报: tertiary_share"
        in text
    )


def test_template_in_english(yunnan) -> None:
    text = data_template(yunnan, "en")
    assert (
        "# ── 18 Public satisfaction with the environment (guidance; responsible: 市统计局)" in text
    )
