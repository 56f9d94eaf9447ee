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


def test_the_yaml_template_has_last_years_block_for_increments() -> None:
    """Annual increments read last year: the template asks for it, and reads back filled."""
    import tempfile
    from pathlib import Path

    import yaml

    from engine.criteria.loader import load_criteria, search_path
    from engine.data.sources import load_data
    from engine.reports.data_template import data_template

    criteria = load_criteria("yunnan_2014", search_path())
    text = data_template(criteria, "zh", year=2016)
    raw = yaml.safe_load(text)
    assert raw["entity"]["year"] == 2016
    assert set(raw["history"][2015]) == {"forest_cover_rate", "forest_land_area"}
    filled = text.replace("name: ''", "name: 保山市").replace(
        "    forest_cover_rate:", "    forest_cover_rate: 64.6"
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "filled.yaml"
        path.write_text(filled, encoding="utf-8")
        data = load_data(path, criteria)
    assert data.history[2015]["forest_cover_rate"].value == 64.6
