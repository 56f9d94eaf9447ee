"""What a department owns in a criteria set, and its own fill-in template."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.criteria.departments import (
    department_inputs,
    department_items,
    departments,
    known_department,
)
from engine.criteria.loader import load_criteria, search_path
from engine.errors import CriteriaError

YUNNAN = load_criteria("yunnan_2014", search_path())


def test_a_department_owns_the_items_it_leads_answers_for_or_cooperates_on() -> None:
    assert "市林业局" in departments(YUNNAN)
    items = department_items(YUNNAN, "市林业局")
    assert "forest_cover_increment" in items
    assert "forest_cover_rate" in department_inputs(YUNNAN, "市林业局")
    with pytest.raises(CriteriaError, match="'市林业局'"):
        known_department(YUNNAN, "林业局")


@pytest.mark.parametrize("fmt", ["csv", "yaml"])
def test_the_departments_template_has_only_its_items(fmt: str) -> None:
    made = CliRunner().invoke(main, ["template", "yunnan_2014", "--department", "市林业局",
                                     "--format", fmt])  # fmt: skip
    assert made.exit_code == 0, made.output
    owned = department_inputs(YUNNAN, "市林业局")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(made.stdout.lstrip("\ufeff"))))
        header = rows.index(next(r for r in rows if r and r[0] == "编号"))
        listed = {row[2] for row in rows[header + 1 :]}
    else:
        listed = {
            line.split(":")[0].strip()
            for line in made.stdout.splitlines()
            if line.startswith("  ") and ":" in line and not line.strip().startswith("#")
        }
        listed = {name for name in listed if not name.isdigit()} - {"name", "level", "year"}
    assert listed
    assert listed <= owned
    assert "forest_cover_rate" in listed


def test_an_unknown_department_is_one_line() -> None:
    made = CliRunner().invoke(main, ["template", "yunnan_2014", "--department", "林业局"])
    assert made.exit_code == 2
    assert "是否应为 '市林业局'" in made.stderr
    assert "Traceback" not in made.output
