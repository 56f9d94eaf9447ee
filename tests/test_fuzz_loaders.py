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
