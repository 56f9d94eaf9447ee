"""Short, bounded fuzzing of the data loaders: any file gives a data file or the engine's own
error — never a crash, a hang or another exception."""

import csv
import io
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.criteria.loader import load_criteria, search_path
from engine.data.record import DataFile
from engine.data.sources import load_entities
from engine.errors import EcoassessError

YUNNAN = load_criteria("yunnan_2014", search_path())
FUZZ = settings(
    max_examples=120,
    deadline=2000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10))
KEYS = st.one_of(
    st.sampled_from(
        [
            "entity",
            "values",
            "history",
            "name",
            "level",
            "year",
            "value",
            "source",
            "gdp",
            "farmer_net_income",
            "2015",
        ]
    ),
    st.text(max_size=6),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=20,
)


def load(path: Path) -> None:
    try:
        for entry in load_entities(path, YUNNAN, subunits=True):
            assert isinstance(entry, DataFile | EcoassessError)
    except EcoassessError:
        pass


@FUZZ
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_as_yaml(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(data)
    load(path)


@FUZZ
@given(tree=TREES)
def test_arbitrary_yaml_structures(tmp_path: Path, tree: object) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    load(path)


@FUZZ
@given(tree=st.dictionaries(st.sampled_from(["entity", "values", "history"]), TREES, max_size=3))
def test_arbitrary_data_shaped_yaml(tmp_path: Path, tree: object) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
    load(path)


CELLS = st.one_of(
    st.sampled_from(
        [
            "输入项",
            "评估对象",
            "行政层级",
            "2016",
            "2015年",
            "年度",
            "数值",
            "farmer_net_income",
            "gdp",
            "entity.level",
            "是",
            "85%",
            "约85",
            "6,000",
            "—",
            "州(市)",
        ]
    ),
    st.text(max_size=6),
)


@FUZZ
@given(rows=st.lists(st.lists(CELLS, max_size=6), max_size=8))
def test_arbitrary_csv_tables(tmp_path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    load(path)


@FUZZ
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_as_xlsx(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.xlsx"
    path.write_bytes(data)
    load(path)


XLSX_CELLS = st.one_of(
    CELLS,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=st.lists(st.lists(XLSX_CELLS, max_size=6), max_size=8))
def test_arbitrary_xlsx_cells(tmp_path: Path, rows: list[list[object]]) -> None:
    """Issue 15: a fuzz test per input surface — cells of any type in a real workbook."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def writable(value: object) -> object:  # what Excel itself can hold
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            return f"'{value}" if value.startswith("=") else value
        return value

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [["评估对象", "输入项", 2016], *rows]:
        sheet.append([writable(value) for value in row])
    path = tmp_path / "fuzz.xlsx"
    book.save(path)
    load(path)
