"""click's own usage errors (a missing argument, a bad option value, a path that does not
exist) in Chinese, as the rest of ecoassess speaks; in English with ``--lang en``."""

from __future__ import annotations

import itertools
import os
import re
import sys
from collections.abc import Sequence

import click

# click's English, pattern → Chinese (the groups are names and values, kept as they are).
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Invalid value for (.+?): (.*)", re.S), "参数 {0} 的值无效: {1}"),
    (re.compile(r"Missing argument (.+?)\.?$"), "缺少参数 {0}"),
    (re.compile(r"Missing option (.+?)\.?$"), "缺少选项 {0}"),
    (re.compile(r"No such option:? (\S+?)\.?(?:\s+Did you mean (.+?)\?)?$"), "没有选项 {0}{1}"),
    (re.compile(r"No such command (.+?)\.?$"), "没有命令 {0}；运行 ecoassess --help 查看全部命令"),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)$"), "多余的参数: {0}"),
    (re.compile(r"Option (.+?) requires an argument\.?$"), "选项 {0} 需要一个值"),
    (re.compile(r"Path (.+?) does not exist\.?$"), "路径 {0} 不存在"),
    (re.compile(r"(?:File|Directory) (.+?) is a directory\.?$"), "{0} 是文件夹，不是文件"),
    (re.compile(r"(?:File|Directory) (.+?) is a file\.?$"), "{0} 是文件，不是文件夹"),
    (re.compile(r"(.+?) is not a valid integer(?: range)?\.?$"), "{0} 不是整数"),
    (re.compile(r"(.+?) is not a valid float\.?$"), "{0} 不是数字"),
    (re.compile(r"(.+?) is not one of (.+?)\.?$"), "{0} 不是可选值之一: {1}"),
    (re.compile(r"(.+?) is not in the range (.+?)\.?$"), "{0} 不在范围 {1} 之内"),
    (re.compile(r"(.+?) does not match the formats? (.+?)\.?$"), "{0} 的格式应为 {1}"),
]


def in_chinese(message: str) -> str:
    """``message`` (click's English) in Chinese, part by part; unknown parts as they are."""
    for pattern, chinese in _PATTERNS:
        found = pattern.match(message.strip())
        if found:
            parts = [in_chinese(part) if part else "" for part in found.groups(default="")]
            if "{1}" in chinese and chinese.startswith("没有选项") and parts[1]:
                parts[1] = f"(是否应为 {parts[1]}?)"
            return chinese.format(*parts)
    return message


def english_asked(args: Sequence[str] | None) -> bool:
    """``--lang en`` on the command line, or ``ECOASSESS_LANG=en`` in the environment."""
    words = list(sys.argv[1:] if args is None else args)
    if os.environ.get("ECOASSESS_LANG", "").lower().startswith("en"):
        return True
    return "--lang=en" in words or any(
        word == "--lang" and later == "en" for word, later in itertools.pairwise(words)
    )


def show(error: click.ClickException, args: Sequence[str] | None) -> None:
    """Show ``error`` as click would, in Chinese unless English was asked for."""
    from engine.cli.support import InputError

    if isinstance(error, InputError) or english_asked(args):
        error.show()
        return
    if isinstance(error, click.UsageError) and error.ctx is not None:
        click.echo(error.ctx.get_usage().replace("Usage:", "用法:"), err=True)
        path = error.ctx.command_path
        click.echo(f"运行 '{path} --help' 查看帮助。", err=True)
    click.echo(f"错误: {in_chinese(error.format_message())}", err=True)


__all__ = ["english_asked", "in_chinese", "show"]
