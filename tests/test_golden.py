"""The example's reports match the reviewed golden files (regenerate: scripts/regen_golden.py)."""

import pytest

from scripts.regen_golden import GOLDEN, OUTPUTS, golden_reports

RENDERED = golden_reports()


@pytest.mark.parametrize("name", sorted(OUTPUTS))
def test_report_matches_golden_file(name: str) -> None:
    assert RENDERED[name] == (GOLDEN / name).read_text(encoding="utf-8")
