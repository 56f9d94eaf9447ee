"""Plain-language (Chinese and English) wording for pydantic validation errors."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

_ZH: dict[str, str] = {
    "missing": "缺少此项，请补充",
    "extra_forbidden": "不认识的键；请检查拼写或删除",
    "string_type": "应为文字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字(不能是 .nan、.inf 或超出范围的数)",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "literal_error": "取值不在允许范围内",
    "string_pattern_mismatch": "只能使用小写字母、数字和下划线，并以字母开头",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
}


def describe(error: ErrorDetails) -> tuple[str, str]:
    """The error in Chinese and in English, each with the offending value where useful."""
    kind = error["type"]
    english = error["msg"]
    if kind == "extra_forbidden":
        english = "unknown key; check its spelling or remove it"
    elif kind == "missing":
        english = "required; add it"
    chinese = _ZH.get(kind, english.removeprefix("Value error, "))
    if kind == "value_error" and " / " in english:  # our own messages: "中文 / English"
        chinese, english = english.removeprefix("Value error, ").split(" / ", 1)
    if kind == "literal_error":
        expected = _expected(error.get("ctx"))
        chinese = f"{chinese}: {expected}"
    if kind == "string_pattern_mismatch" and "http" in str((error.get("ctx") or {}).get("pattern")):
        chinese, english = (
            "应为以 http:// 或 https:// 开头的网址",
            "must be an address beginning with http:// or https://",
        )
    english = english.removeprefix("Value error, ")
    if (
        kind not in ("missing", "extra_forbidden")
        and "input" in error
        and not isinstance(error["input"], dict | list)
    ):
        given = error["input"]
        found = f" (found {given!r})"
        # A value left empty reads as "未填写", not as Python's None.
        shown = "未填写" if given is None else repr(given)
        return chinese + f"(当前为 {shown})", english + found
    return chinese, english


def _expected(context: Any) -> str:
    if isinstance(context, dict):
        return str(context.get("expected", ""))
    return ""
