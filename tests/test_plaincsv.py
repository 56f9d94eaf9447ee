"""The plain CSV reader gives a batch summary identical to the general reader's, messy or not.

Random long CSVs mix plain numbers with every kind of cell the reading rules know (85%,
约85, 6,000, full-width digits, .5, 1_0, 是/否, blanks, text), unknown keys, items given
directly, repeated keys, rows naming no input, short rows, blank lines, bad profiles,
uncovered levels and entities whose rows are split — each of which the plain reader must
read alike or hand to the general one.
"""

from __future__ import annotations

import csv
import random
import threading
from pathlib import Path

import pytest

from engine.batch import run_batch
from engine.csvsplit import split
from engine.loader import load_criteria, search_path
from engine.plaincsv import PlainCsv, PlainEntity, open_plain
from engine.summary import json_text, summary_json

# fmt: off
CELLS = ["", " ", "85%", "约85", "6,000", "１２", "是", "否", "n/a", "abc", "0.85", " 12.5 ", "-3",
         ".5", "5.", "-.5", "05", "-", "--", "1-2", "1.2.3", "1_0", "1e3", "+5", "5\x006"]
# fmt: on
LEVELS = ["city", "county", "市", "县", "州(市)", "bogus", ""]
PROFILE = {
    "region": ["other", "arid_semi_arid", "干旱半干旱地区", "nowhere"],
    "terrain": ["mountain", "hill", "平原", ""],
    "coastal": ["是", "否", "true", "maybe"],
    "city_size": ["large", "medium_small", "超大城市"],
}


def messy_csv(path: Path, set_id: str, seed: int, entities: int = 40, quotes: bool = True) -> None:
    """A messy long CSV; with ``quotes=False`` no cell needs quoting (so lines are rows)."""
    criteria = load_criteria(set_id, search_path())
    rng = random.Random(seed)
    cell_choices = CELLS if quotes else [cell for cell in CELLS if "," not in cell]
    names = list(criteria.inputs)
    header = ["评估对象", "输入项", "2022", "2023"] if rng.random() < 0.7 else [
        "entity", "input", "2022", "2023", "source"
    ]  # fmt: skip
    rows: list[list[str]] = []
    for index in range(entities):
        entity = rng.choice([f"县{index}", f" 县{index} ", f"Ｘ{index}"])
        block = [[entity, "entity.level", "", rng.choice(LEVELS) if rng.random() < 0.2 else
                  rng.choice(criteria.spec.level)]]  # fmt: skip
        for key, choices in PROFILE.items():
            if rng.random() < 0.7:
                block.append([entity, f"entity.{key}", "", rng.choice(choices[:2])
                              if rng.random() < 0.9 else rng.choice(choices)])  # fmt: skip
        messy = rng.random() < 0.3
        for name in names:
            cells = []
            for _ in range(2):
                if messy and rng.random() < 0.1:
                    cells.append(rng.choice(cell_choices))
                elif criteria.inputs[name].type == "boolean":
                    cells.append(rng.choice(["是", "是", "否", ""]))
                else:
                    cells.append(
                        rng.choice(["", f"{rng.uniform(0, 120):.2f}", str(rng.randint(0, 99))])
                    )
            block.append([entity, name, *cells])
        if rng.random() < 0.05:
            block.append([entity, rng.choice(names), "1", "2"])  # a key given twice
        if rng.random() < 0.05:
            block.append([entity, "no_such_input", "1", "2"])
        if rng.random() < 0.05:
            block.append([entity, criteria.items[-1].id, "", "50"])  # an item given directly
        if rng.random() < 0.05:
            block.append([entity, "", "1", "2"])  # names no input
        rows += block
    if rng.random() < 0.3:
        rows.append([rows[0][0], names[0], "1", "1"])  # an entity's rows split
    if rng.random() < 0.2:
        rows.append(["", names[0], "1", "1"])  # no entity
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for row in rows:
            if rng.random() < 0.001:
                writer.writerow([])  # a blank line
            # Now and then a row shorter than the header (its last cells left off).
            short = rng.random() < 0.0005
            writer.writerow(row[:-1] if short else row + ([""] if len(header) == 5 else []))


@pytest.mark.parametrize("set_id", ["national_demo_area", "yunnan_2014", "lufeng_2024"])
@pytest.mark.parametrize("seed", range(6))
def test_plain_and_general_readers_give_the_same_summary(
    tmp_path: Path, set_id: str, seed: int
) -> None:
    path = tmp_path / "province.csv"
    messy_csv(path, set_id, seed, quotes=seed % 2 == 1)  # without quotes, parts are cut
    criteria = load_criteria(set_id, search_path())

    def summary(plain: bool, jobs: int = 1) -> str:
        result = run_batch([path], criteria, detail=False, plain=plain, jobs=jobs)
        return "".join(json_text(summary_json(result)))

    general = summary(plain=False)
    assert summary(plain=True) == general
    assert summary(plain=True, jobs=2) == general  # two processes, each with a part of the file


def test_plain_entities_are_most_of_a_clean_file(tmp_path: Path) -> None:
    """The test above must not pass because everything fell back to the general reader."""
    path = tmp_path / "province.csv"
    messy_csv(path, "national_demo_area", seed=1, entities=30)
    criteria = load_criteria("national_demo_area", search_path())
    reader = open_plain(path, criteria, None)
    assert reader is not None
    kinds = [isinstance(entry, PlainEntity) for _, entry in reader.groups()]
    assert sum(kinds) > len(kinds) / 3  # about a half of its entities is messy


@pytest.mark.parametrize(
    "first_row",
    [["评估对象", "保山市"], ["输入项", "年度", "数值"], ["entity", "input", "value"]],
)
def test_other_layouts_are_left_to_the_general_reader(tmp_path: Path, first_row: list[str]) -> None:
    path = tmp_path / "other.csv"
    path.write_text(",".join(first_row) + "\n", encoding="utf-8")
    assert open_plain(path, load_criteria("yunnan_2014", search_path()), None) is None


def _quote_free(tmp_path: Path, seed: int, entities: int) -> PlainCsv:
    path = tmp_path / "province.csv"
    messy_csv(path, "national_demo_area", seed, entities, quotes=False)
    reader = open_plain(path, load_criteria("national_demo_area", search_path()), None)
    assert reader is not None
    return reader


def test_a_file_without_quotes_is_cut_into_parts_at_entity_boundaries(tmp_path: Path) -> None:
    reader = _quote_free(tmp_path, seed=2, entities=40)
    path = reader.path
    assert reader.layout.entity is not None
    parts = split(path, reader.encoding, reader.layout.entity, 3)
    assert parts is not None
    assert len(parts) == 3
    header = path.read_bytes().index(b"\n") + 1
    assert [part.start for part in parts] == [header, parts[0].end, parts[1].end]
    assert parts[-1].end == path.stat().st_size
    whole = list(reader.groups())
    pieces = [list(reader.groups(part)) for part in parts]
    assert all(pieces)
    assert [group for piece in pieces for group in piece] == whole  # rows numbered alike


def test_lines_that_are_not_rows_are_not_cut(tmp_path: Path) -> None:
    path = tmp_path / "province.csv"
    messy_csv(path, "national_demo_area", seed=2, entities=10, quotes=False)
    text = path.read_bytes().decode("utf-8")
    assert "\r\n" in text
    assert split(path, "utf-8", 0, 2) is not None
    quoted = text.replace(",entity.level,", ',"entity.level",', 1)
    assert quoted != text
    path.write_text(quoted, encoding="utf-8", newline="")
    assert split(path, "utf-8", 0, 2) is None  # a quoted cell may hold a line break
    path.write_text(text.replace("\r\n", "\r", 1), encoding="utf-8", newline="")
    assert split(path, "utf-8", 0, 2) is None  # a carriage return alone ends a row too


def test_two_processes_really_share_the_work(tmp_path: Path) -> None:
    from engine.matrix import MatrixEvaluator
    from engine.plaincsv import MatrixRow, assess

    reader = _quote_free(tmp_path, seed=1, entities=30)
    matrix = MatrixEvaluator(reader.criteria)
    assert threading.active_count() == 1  # else assess() would not fork, and this proves less
    alone = [e for e in assess(reader, matrix, 1) if isinstance(e, MatrixRow)]
    shared = [e for e in assess(reader, matrix, 2) if isinstance(e, MatrixRow)]
    assert [(r.entity.name, r.cells) for r in shared] == [(r.entity.name, r.cells) for r in alone]
    assert any(row.summary_row is not None for row in shared)  # made by the reader process


def test_a_gbk_file_is_cut_as_a_utf8_one(tmp_path: Path) -> None:
    """Excel's "CSV (逗号分隔)" on Chinese Windows writes GBK: a line break is never inside
    one of its characters, so the same cuts hold."""
    utf8 = _quote_free(tmp_path, seed=4, entities=30)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(utf8.path.read_bytes().decode("utf-8").encode("gb18030"))
    reader = open_plain(gbk, utf8.criteria, None)
    assert reader is not None
    assert reader.encoding == "gb18030"
    assert reader.layout.entity is not None
    parts = split(gbk, reader.encoding, reader.layout.entity, 2)
    assert parts is not None
    assert len(parts) == 2
    cut = [group for part in parts for group in reader.groups(part)]
    assert [entity for entity, _ in cut] == [entity for entity, _ in utf8.groups()]
