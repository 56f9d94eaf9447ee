"""The registry of data sources: suffixes come from it; any other suffix is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.cli import main
from engine.criteria.loader import load_criteria, search_path
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
    assert (
        "baoshan.csv!C3: Farmers' annual net income per capita (farmer_net_income): found '约6000'"
        in refused.render("en")
    )
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


# --- issue 15, defect 2: the same text means the same number in YAML, CSV and xlsx ----------

PER_CENT, COUNT = "forest_cover_rate", "clean_production_enterprises_passed"


def _read_as(path: Path, yunnan, name: str) -> tuple[str, object]:
    """How ``name`` was read from ``path``: ("value", (v, warned)), ("missing", None) or
    ("refused", None) — what the evaluator gets, whatever the format's policy: the value
    each source hands on, read by the one cell reader (``coerce``) as the evaluator does."""
    from engine.data import sources
    from engine.data.cells import coerce
    from engine.outcomes import Finding

    (data,) = sources.iter_entities(path, yunnan)
    if isinstance(data, DataError):
        return ("refused", None)
    given = data.values.get(name)
    if given is None:
        return ("missing", None)
    value, warning = coerce(name, yunnan.inputs[name], given.value)
    if isinstance(value, Finding):
        return ("missing", None) if value.code == "missing" else ("refused", None)
    warned = warning is not None or given.warning is not None
    return ("value", (float(value), warned))


def _three_files(folder: Path, name: str, text: str) -> list[Path]:
    import openpyxl

    yaml_path = folder / "v.yaml"
    yaml_path.write_text(
        f"entity: {{name: 保山市, level: city, year: 2016}}\nvalues:\n  {name}: {text}\n",
        encoding="utf-8",
    )
    csv_path = folder / "v.csv"
    quoted = '"' + text.replace('"', '""') + '"'
    csv_path.write_text(
        f"评估对象,输入项,2016\n保山市,entity.level,city\n保山市,{name},{quoted}\n",
        encoding="utf-8",
    )
    xlsx_path = folder / "v.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["评估对象", "输入项", 2016],
        ["保山市", "entity.level", "city"],
        ["保山市", name, text],
    ):
        sheet.append(row)
    book.save(xlsx_path)
    return [yaml_path, csv_path, xlsx_path]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("0125", ("refused", None)),  # YAML 1.1: octal 85; decimal 125 is over 100 %
        ("0085", ("value", (85.0, False))),  # YAML 1.1: octal, refused as 8 is no octal digit
        ("0x55", ("refused", None)),  # YAML 1.1: 85
        ("1:25", ("refused", None)),  # YAML 1.1: sexagesimal 85
        ("0b1010101", ("refused", None)),
        ("0o125", ("refused", None)),
        ("8_5", ("refused", None)),  # YAML 1.1: 85
        ("85²", ("refused", None)),  # NFKC: 852
        ("⑧⑤", ("refused", None)),  # NFKC: 85
        ("٨٥", ("refused", None)),  # float() reads Arabic-Indic digits as 85
        ("８５", ("value", (85.0, False))),  # full-width digits: documented
        ("８５％", ("value", (85.0, False))),
        ("85", ("value", (85.0, False))),
        ("85.0", ("value", (85.0, False))),
        ("0.85", ("value", (0.85, True))),
        ("on", ("refused", None)),  # YAML 1.1: true
    ],
)
def test_typed_values_read_alike_in_yaml_csv_and_xlsx(tmp_path: Path, yunnan, text, want) -> None:
    """Issue 15, defect 2: ``0125``, ``0x55``, ``1:25``, ``0b1010101`` were 85 in YAML and
    ``85²`` 852, ``⑧⑤`` 85 in YAML and CSV — one such file came out "ready"."""
    readings = [_read_as(path, yunnan, PER_CENT) for path in _three_files(tmp_path, PER_CENT, text)]
    assert readings == [want] * 3, text


_ALPHABET = "0123456789０１８５.,%％ -+e_:xbo²⑧٨約约≥"


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(alphabet=_ALPHABET, min_size=1, max_size=8))
def test_any_typed_text_reads_alike_in_every_format(tmp_path: Path, text: str) -> None:
    """The property behind defect 2: whatever the text, the three formats agree (texts that
    YAML would read as something other than one plain scalar are not a typed value)."""
    import yaml

    from engine.criteria.yamlio import _Loader

    try:
        parsed = yaml.load(f"v: {text}", Loader=_Loader)
    except yaml.YAMLError:
        return
    if not isinstance(parsed, dict) or isinstance(parsed.get("v"), dict | list):
        return
    if text != text.strip() or parsed.get("v") is None:
        return  # YAML drops the spaces / reads an empty value; CSV and xlsx keep the text
    yunnan = load_criteria("yunnan_2014", search_path())
    readings = {_read_as(path, yunnan, COUNT) for path in _three_files(tmp_path, COUNT, text)}
    assert len(readings) == 1, (text, readings)


def test_an_old_workbook_under_another_name_is_told_to_save_as_xlsx(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A real .xls (or WPS .et) renamed .csv or .xlsx: the one fix that helps, in Chinese."""
    from engine.criteria.loader import load_criteria, search_path
    from engine.data.signature import OLE2
    from engine.data.sources import load_data
    from engine.errors import DataError

    criteria = load_criteria("yunnan_2014", search_path())
    for name in ("old.csv", "old.xlsx"):
        path = tmp_path / name
        path.write_bytes(OLE2 + bytes(range(256)) * 4)
        with pytest.raises(DataError) as caught:
            load_data(path, criteria)
        assert "另存为” .xlsx" in caught.value.render("zh")
        assert "UTF-8" not in caught.value.render("zh")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip at all")
    with pytest.raises(DataError) as caught:
        load_data(broken, criteria)
    assert "File is not a zip file" not in caught.value.render("zh")
    assert "文件已损坏" in caught.value.render("zh")
