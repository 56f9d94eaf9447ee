from pathlib import Path

import pytest

from engine.criteria.yamlio import line_of, load_yaml
from engine.errors import DataError


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
    with pytest.raises(DataError, match="is not UTF-8"):
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


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    import time

    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join(f"*a{level - 1}" for _ in range(10))
        lines.append(f"a{level}: &a{level} [{refs}]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(DataError, match="aliases expand past 200000 nodes"):
        load_yaml(path, DataError)
    assert time.perf_counter() - started < 1.0


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "anchors.yaml"
    path.write_text("a: &d [x, y]\nb: *d\n", encoding="utf-8")
    assert load_yaml(path, DataError) == {"a": ["x", "y"], "b": ["x", "y"]}


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import engine.criteria.yamlio

    monkeypatch.setattr(engine.criteria.yamlio, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"file too large \(204 bytes; the limit is 100\)"):
        load_yaml(path, DataError)


def test_tab_indentation_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("a:\n\tb: 1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"tabs\.yaml:2: tabs are not allowed for indentation"):
        load_yaml(path, DataError)


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffa: 保山\n".encode())
    assert load_yaml(path, DataError) == {"a": "保山"}


@pytest.mark.parametrize(
    ("data", "named"),
    [("a: 保山\n".encode("utf-16"), "UTF-16 LE"), ("a: 保山市生态\n".encode("gbk"), "GBK/GB18030")],
    ids=["utf-16", "gbk"],
)
def test_other_encodings_are_named(tmp_path: Path, data: bytes, named: str) -> None:
    path = tmp_path / "enc.yaml"
    path.write_bytes(data)
    with pytest.raises(DataError, match=named):
        load_yaml(path, DataError)


def test_a_number_with_thousands_of_digits_is_one_line(tmp_path) -> None:
    import pytest

    from engine.criteria.yamlio import load_yaml
    from engine.errors import DataError

    path = tmp_path / "huge.yaml"
    path.write_text("values: {x: " + "9" * 5000 + "}\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_yaml(path, DataError)
    assert caught.value.render("en") == (
        f"{path}: a number in the file has too many digits to read; write a number of "
        "reasonable size"
    )


def test_the_alias_guard_counts_real_aliases_only(tmp_path: Path) -> None:
    """Issue 15 weakness: a large file with a ``*`` in a note or in ``a * 100`` and no alias
    was refused as an alias bomb (every node was counted, not what aliases add)."""
    path = tmp_path / "big.yaml"
    rows = "".join(f"  - {{note: '第{n}项 * 见附注', measure: a * 100}}\n" for n in range(52_000))
    path.write_text("items:\n" + rows, encoding="utf-8")
    assert len(load_yaml(path, DataError)["items"]) == 52_000
    path.write_text(
        "base: &b [1, 2, 3]\nitems:\n" + rows.replace("a * 100", "*b"), encoding="utf-8"
    )
    with pytest.raises(DataError, match="aliases expand past 200000 nodes"):
        load_yaml(path, DataError)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0125", 125), ("0x55", "0x55"), ("1:25", "1:25"), ("0b1010101", "0b1010101"),
     ("1_000", "1_000"), ("on", "on"), ("yes", "yes"), ("true", True), ("1.5", 1.5),
     ("1e3", 1000.0), (".5", 0.5)],
)  # fmt: skip
def test_numbers_and_booleans_are_yaml_1_2(tmp_path: Path, text: str, value: object) -> None:
    """Issue 15, defect 2: YAML 1.1 read 0125, 0x55, 1:25 and 0b1010101 as 85."""
    path = tmp_path / "v.yaml"
    path.write_text(f"v: {text}\n", encoding="utf-8")
    assert load_yaml(path, DataError)["v"] == value
