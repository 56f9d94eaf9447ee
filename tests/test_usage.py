"""click's own usage errors in Chinese (English with --lang en), one line, exit status 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from engine.cli import main
from engine.cli.usage import in_chinese


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check"], "错误: 缺少参数 'DATA'"),
        (["check", "x.yaml"], "错误: 缺少选项 '--criteria'"),
        (["check", "x", "--fromat", "md"], "错误: 没有选项 '--fromat'(是否应为 '--format'?)"),
        (["serve", "--port", "abc"], "错误: 参数 '--port' 的值无效: 'abc' 不是整数"),
        (
            ["validate", "/no/such/place"],
            "错误: 参数 'PATH' 的值无效: 路径 '/no/such/place' 不存在",
        ),
        (["nosuch"], "错误: 没有命令 'nosuch'；运行 ecoassess --help 查看全部命令"),
    ],
)
def test_usage_errors_are_in_chinese(args: list[str], expected: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == expected
    assert "Usage:" not in result.stderr
    assert "Error:" not in result.stderr


def test_english_when_asked() -> None:
    result = CliRunner().invoke(main, ["check", "x.yaml", "--lang", "en"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: Missing option '--criteria'."


def test_an_unknown_message_is_kept_as_it_is() -> None:
    assert in_chinese("Something click may say one day.") == "Something click may say one day."
