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
