"""Chinese-first command help: every command and option has its Chinese, ``--lang en``
(or ECOASSESS_LANG=en) gives the English, and making a help page changes no command."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.cli.help import catalogue, commands


def test_every_command_and_option_has_its_chinese() -> None:
    wanted = catalogue()
    for path, command in commands(main):
        assert path in wanted["commands"], f"no Chinese for the command {path!r}"
        for param in command.params:
            english = getattr(param, "help", None)
            if english:
                assert english in wanted["options"], f"{path} {param.name}: {english!r}"


@pytest.mark.parametrize("args", [["--help"], [], ["check", "--help"], ["workspace", "-h"]])
def test_help_is_chinese(args: list[str]) -> None:
    result = CliRunner().invoke(main, args)
    assert "用法:" in result.output
    assert "Usage:" not in result.output
    assert "Show this message" not in result.output


def test_english_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(main, ["check", "--lang", "en", "--help"])
    assert "Usage: " in result.output
    assert "Check DATA (a .yaml, .csv or .xlsx data file) against" in result.output
    monkeypatch.setenv("ECOASSESS_LANG", "en")
    assert "Commands:" in CliRunner().invoke(main, ["--help"]).output


def test_a_help_page_changes_no_command() -> None:
    before = {path: (c.help, c.context_class) for path, c in commands(main)}
    CliRunner().invoke(main, ["check", "--help"])
    assert {path: (c.help, c.context_class) for path, c in commands(main)} == before
    check = main.commands["check"]
    assert isinstance(check, click.Command)
    assert check.context_class is click.Context
