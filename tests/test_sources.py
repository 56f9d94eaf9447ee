"""The registry of data sources: suffixes come from it; any other suffix is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.data.sources import DATA_SUFFIXES, SOURCES, source_for
from engine.errors import DataError


def test_the_suffixes_are_those_the_sources_claim() -> None:
    assert DATA_SUFFIXES == (".yaml", ".yml", ".csv", ".xlsx")
    assert [source.name for source in SOURCES] == ["yaml", "csv", "xlsx"]
    assert source_for(Path("A.XLSX")).name == "xlsx"


@pytest.mark.parametrize("name", ["data.txt", "data.xls", "data", "data.json"])
def test_an_unknown_suffix_is_refused_not_read_as_yaml(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("entity: {name: 某市, level: city, year: 2016}\nvalues: {}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        source_for(path)
    assert "unsupported data file type" in caught.value.render("en")
    result = CliRunner().invoke(main, ["check", str(path), "--criteria", "yunnan_2014"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"错误: {path}: 不支持的数据文件类型")
    assert ".yaml, .yml, .csv, .xlsx" in result.stderr
    assert "Traceback" not in result.output


def test_the_reading_policy_is_the_sources_choice(tmp_path: Path, yunnan) -> None:
    """A spreadsheet refuses an unreadable cell by name; the same table under the YAML
    policy keeps the value as written and its items are `error` — never a pass."""
    from engine.data import sources
    from engine.evaluation.evaluator import evaluate

    path = tmp_path / "baoshan.csv"
    path.write_text(
        "评估对象,输入项,2016\n保山市,entity.level,city\n保山市,farmer_net_income,约6000\n",
        encoding="utf-8",
    )
    (refused,) = sources.iter_entities(path, yunnan)
    assert isinstance(refused, DataError)
    assert "baoshan.csv!C3: farmer_net_income: found '约6000'" in refused.render("en")
    lenient = sources._tabular(sources._csv_sheets, "item_error")
    (data,) = lenient(path, yunnan, None, False)
    assert not isinstance(data, DataError)
    result = next(r for r in evaluate(yunnan, data).results if "farmer_net_income" in r.inputs)
    assert result.status == "error"
    assert result.findings[0].code == "not_a_number"


@pytest.mark.parametrize("suffix", [".yaml", ".csv", ".xlsx"])
def test_a_path_that_is_not_a_regular_file_is_refused(tmp_path: Path, suffix: str) -> None:
    """Issue 15, defect 15: x.yaml → /dev/zero exhausted memory; x.csv hung."""
    link = tmp_path / f"x{suffix}"
    link.symlink_to("/dev/zero")
    result = CliRunner().invoke(
        main, ["check", str(link), "--criteria", "yunnan_2014", "--lang", "en"]
    )
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"error: {link}: not a regular file (a device, folder or pipe); give a data file"
    )
