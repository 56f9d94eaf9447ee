"""The documentation's examples run: the worked example and the README's commands."""

import json
import re
from pathlib import Path

from click.testing import CliRunner

from engine.cli import main
from tests.conftest import REPO


def yaml_blocks(markdown: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", markdown, flags=re.S)


def test_worked_example_of_the_criteria_format(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "criteria-format.md").read_text(encoding="utf-8")
    worked = doc.split("## Worked example", 1)[1]
    criteria_text, data_text = yaml_blocks(worked)
    folder = tmp_path / "my_sets" / "lakeside_2025"
    folder.mkdir(parents=True)
    (folder / "criteria.yaml").write_text(criteria_text, encoding="utf-8")
    (tmp_path / "data.yaml").write_text(data_text, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        [
            "check",
            str(tmp_path / "data.yaml"),
            "--criteria",
            "lakeside_2025",
            "--criteria-path",
            str(tmp_path / "my_sets"),
            "--format",
            "json",
        ],
    )
    payload = json.loads(result.stdout)
    assert result.exit_code == 0
    assert payload["verdict"] == "ready"
    assert [(r["number"], r["status"], r["value"]) for r in payload["results"]] == [
        ("1", "pass", True),
        ("2", "pass", 95.1),
        ("3", "fail", 26.1),
    ]


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    run_command = re.search(r"<!-- run -->\n```sh\n(.*?)\n```", readme, flags=re.S)
    test_command = re.search(r"<!-- test -->\n```sh\n(.*?)\n```", readme, flags=re.S)
    assert run_command
    assert test_command
    assert "ecoassess check examples/baoshan_2016.yaml --criteria yunnan_2014" in run_command[1]
    assert test_command[1].strip() in ci


def test_security_doc_states_the_limits_the_code_enforces() -> None:
    from engine.criteria import expressions, yamlio

    doc = (REPO / "docs" / "security.md").read_text(encoding="utf-8")
    assert f"over **{expressions.MAX_LENGTH} characters**" in doc
    assert f"deeper than **{expressions.MAX_DEPTH}** levels" in doc
    assert f"between -{expressions.MAX_EXPONENT} and {expressions.MAX_EXPONENT}" in doc
    assert f"no larger than {expressions.MAX_LITERAL:.0e}".replace("+", "") in doc
    assert f"over **{yamlio.MAX_FILE_BYTES // (1024 * 1024)} MB**" in doc
    assert f"more than **{yamlio.MAX_NODES:,} nodes**" in doc
    assert sorted(expressions.FUNCTIONS) == ["abs", "max", "min", "round"]
    assert "`min`, `max`, `abs`, `round`" in doc
    from engine import errors
    from engine.data import xlsx
    from engine.web import server

    assert f"at most {xlsx.MAX_ROWS:,} rows and five million cells" in doc
    assert xlsx.MAX_CELLS == 5_000_000
    assert f"at most {errors.MAX_PROBLEMS_SHOWN} problems are listed" in doc
    assert f"for the first {errors.MAX_SUGGESTIONS} unknown names" in doc
    assert f"one of its {server.THREADS} worker" in doc
    assert f"idle for {server.CHANNEL_TIMEOUT} s and keeps at most {server.CONNECTION_LIMIT}" in doc


def test_composed_rule_excerpts_are_from_the_worked_example_set() -> None:
    """The docs' composed-rule examples are cut from a set whose cases run (test_rules)."""
    doc = (REPO / "docs" / "criteria-format.md").read_text(encoding="utf-8")
    section = doc.split("### Composed rules")[1].split("### Bundles")[0]
    example = (REPO / "examples/criteria/composed_rules/criteria.yaml").read_text(encoding="utf-8")
    blocks = yaml_blocks(section)
    assert len(blocks) == 5
    for block in blocks:
        assert block in example, block
