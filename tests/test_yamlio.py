from pathlib import Path

import pytest

from engine.errors import DataError
from engine.yamlio import line_of, load_yaml


def test_duplicate_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("values:\n  gdp: 1\n  gdp: 2\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"d\.yaml:3: duplicate key 'gdp'; each key may appear only once$"
    ):
        load_yaml(path, DataError)


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\nb: [1, 2\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.yaml:\d+: malformed YAML"):
        load_yaml(path, DataError)


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("名称: 保山".encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_yaml(path, DataError)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        load_yaml(tmp_path / "nope.yaml", DataError)


def test_python_tags_are_not_constructed(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("a: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(DataError, match="malformed YAML"):
        load_yaml(path, DataError)


def test_line_of_follows_mappings_and_lists(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("top: 1\nitems:\n  - id: a\n    n: 1\n  - id: b\n    n: 2\n", encoding="utf-8")
    data = load_yaml(path, DataError)
    assert line_of(data, ["items", 1, "n"]) == 6
    assert line_of(data, ["items", 0]) == 3
    assert line_of(data, ["nowhere"]) == 1
