"""Messy long CSVs for tests: random exports mixing plain numbers with every kind of cell the
reading rules know (85%, 约85, 6,000, full-width digits, .5, 1_0, 是/否, blanks, text), unknown
keys, items given directly, repeated keys, rows naming no input, short rows, blank lines, bad
profiles, uncovered levels and entities whose rows are split."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from engine.criteria.loader import load_criteria, search_path

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
