"""Safe YAML loading that remembers line numbers and refuses duplicate keys.

PyYAML silently keeps the last of two equal keys, which would let a repeated indicator
quietly replace another; here that is an error. Mappings are loaded as :class:`MarkedDict`
so that later validation errors can point at the line they come from.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from engine.errors import EcoassessError, Problem

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class MarkedDict(dict[Any, Any]):
    """A dict that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class DuplicateKeyError(yaml.MarkedYAMLError):
    """Raised by the loader when a mapping repeats a key."""


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Iterator[MarkedDict]:
    data = MarkedDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in data:
            raise DuplicateKeyError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def load_yaml(path: Path, error: type[EcoassessError]) -> Any:
    """Load one YAML file safely; raise ``error`` with the file and line on any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error.single(str(path), "文件不存在", "file not found") from exc
    except UnicodeDecodeError as exc:
        raise error.single(
            str(path), "文件不是 UTF-8 编码，请另存为 UTF-8", "file is not UTF-8; save it as UTF-8"
        ) from exc
    except OSError as exc:
        raise error.single(
            str(path), f"无法读取: {exc.strerror}", f"cannot read: {exc.strerror}"
        ) from exc
    try:
        return yaml.load(text, Loader=_Loader)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise error.single(
            f"{path}:{line}",
            f"重复的键: {exc.problem}; 每个键只能出现一次",
            f"{exc.problem}; each key may appear only once",
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        reason = getattr(exc, "problem", None) or str(exc)
        raise error.single(where, f"YAML 格式错误: {reason}", f"malformed YAML: {reason}") from exc


def line_of(data: Any, location: Sequence[int | str]) -> int:
    """The line of the deepest mapping along ``location`` (0 when unknown)."""
    line = getattr(data, "line", 0)
    node = data
    for step in location:
        if isinstance(node, MarkedDict):
            line = node.key_lines.get(step, line)
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
            line = getattr(node, "line", line)
        else:
            break
    return line


__all__ = ["MarkedDict", "Problem", "line_of", "load_yaml"]
