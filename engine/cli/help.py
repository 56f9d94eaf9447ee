"""The commands' help in Chinese (``ecoassess check --help``), as the rest of ecoassess
speaks; in English, as written in the code, with ``--lang en --help``.

The Chinese is kept in ``help.zh.yaml`` beside this module — a command's description by its
path, an option's by its English text — and put in place only while a help page is made:
the commands are left as they were for whatever runs next in the same process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import click
import yaml

_HEADINGS = (
    ("Usage:", "用法:"),
    ("\nOptions:\n", "\n选项:\n"),
    ("\nCommands:\n", "\n命令:\n"),
    ("Show this message and exit.", "显示此帮助并退出。"),
    ("[required]", "[必填]"),
    ("[default: ", "[默认: "),
)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    text = Path(__file__).with_name("help.zh.yaml").read_text(encoding="utf-8")
    loaded: dict[str, dict[str, str]] = yaml.load(text, Loader=yaml.CSafeLoader)
    return loaded


class _ChineseContext(click.Context):
    def get_help(self) -> str:
        text = super().get_help()
        for english, chinese in _HEADINGS:
            text = text.replace(english, chinese)
        return text


def commands(group: click.Command, path: str = "") -> Iterator[tuple[str, click.Command]]:
    """Every command under ``group`` (itself first) with its path, e.g. ``workspace init``."""
    yield path, group
    if isinstance(group, click.Group):
        for name, command in group.commands.items():
            yield from commands(command, f"{path} {name}".strip())


@contextmanager
def in_chinese(group: click.Command) -> Iterator[None]:
    """While inside: every command's and option's help in Chinese, headings too."""
    wanted = catalogue()
    kept: list[tuple[Any, str, Any]] = []

    def put(owner: Any, name: str, value: Any) -> None:
        kept.append((owner, name, getattr(owner, name)))
        setattr(owner, name, value)

    for path, command in commands(group):
        if path in wanted["commands"]:
            put(command, "help", wanted["commands"][path])
            put(command, "short_help", _short(wanted["commands"][path]))
        put(command, "context_class", _ChineseContext)
        for param in command.params:
            english = getattr(param, "help", None)
            if english in wanted["options"]:
                put(param, "help", wanted["options"][english])
    try:
        yield
    finally:
        for owner, name, value in reversed(kept):
            setattr(owner, name, value)


def _short(text: str) -> str:
    """A command's line in its group's list: its first sentence, or up to its first colon
    (click's own shortening looks for spaces and full stops, which Chinese has few of)."""
    first = text.split("\n", 1)[0]
    cut = min((i for i in (first.find("："), first.find("。")) if i > 0), default=len(first))
    return first[:cut]


def asked(args: list[str]) -> bool:
    """Whether the command line asks for a help page (``-h``, ``--help``, or nothing)."""
    return not args or "--help" in args or "-h" in args


__all__ = ["asked", "catalogue", "commands", "in_chinese"]
