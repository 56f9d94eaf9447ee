"""Safe YAML loading that remembers line numbers and refuses duplicate keys.

PyYAML silently keeps the last of two equal keys, which would let a repeated indicator
quietly replace another; here that is an error. Mappings are loaded as :class:`MarkedDict`
so that later validation errors can point at the line they come from.

Numbers and yes/no are resolved as YAML 1.2's core schema does, not as YAML 1.1 (PyYAML's
default): ``0125``, ``0x55``, ``1:25``, ``0b1010101`` and ``1_000`` are not numbers here
but text, which the one cell reader then refuses, exactly as it refuses the same text in a
CSV or xlsx cell; ``0125`` is the decimal 125, as everywhere else; ``on``/``off`` and
``yes``/``no`` are text too (the cell reader reads 是/否, yes/no for a yes/no fact).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from engine.errors import EcoassessError
from engine.inputs import note_read

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 10 * 1024 * 1024
"""Larger YAML files are refused: a criteria set is ~100 KB, a data file far less."""
MAX_NODES = 200_000
"""Most nodes a file's aliases may add once expanded (bounds "billion laughs")."""
_BOMS = {
    b"\xff\xfe\x00\x00": "UTF-32 LE",
    b"\x00\x00\xfe\xff": "UTF-32 BE",
    b"\xff\xfe": "UTF-16 LE",
    b"\xfe\xff": "UTF-16 BE",
}


class MarkedDict(dict[Any, Any]):
    """A dict that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class DuplicateKeyError(yaml.MarkedYAMLError):
    """Raised by the loader when a mapping repeats a key."""


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


_YAML11_FORMS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in _YAML11_FORMS]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)


def _decimal_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    """A plain decimal integer; leading zeros do not make it octal (YAML 1.1 would)."""
    return int(loader.construct_scalar(node), 10)


def _decimal_float(loader: _Loader, node: yaml.ScalarNode) -> float:
    text = str(loader.construct_scalar(node)).lower()
    if text.endswith(("inf", "nan")):
        return float(text.replace(".", ""))
    return float(text)


_Loader.add_constructor("tag:yaml.org,2002:int", _decimal_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _decimal_float)


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
    text = read_text(path, error)
    if "*" in text:  # only an alias (*name) can expand; most files have no "*" at all
        _check_expansion(text, path, error)
    try:
        return yaml.load(text, Loader=_Loader)
    except ValueError as exc:  # int() of thousands of digits, or an impossible date
        if "digits" in str(exc):
            raise error.single(
                str(path),
                "文件中有位数过多的数值，无法读取；请填写位数合理的数值",
                "a number in the file has too many digits to read; write a number of reasonable "
                "size",
            ) from exc
        raise error.single(
            str(path), f"无法读取的值: {exc}"[:200], f"a value cannot be read: {exc}"[:200]
        ) from exc
    except RecursionError as exc:  # the constructor recurses once per level of nesting
        raise error.single(
            str(path),
            "YAML 嵌套层级过深，无法读取；请减少嵌套",
            "malformed YAML: nested too deeply to read; nest less",
        ) from exc
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise error.single(
            f"{path}:{line}",
            f"重复的键: {exc.problem}; 每个键只能出现一次",
            f"{exc.problem}; each key may appear only once",
        ) from exc
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, error, text) from exc


def read_text(path: Path, error: type[EcoassessError]) -> str:
    """The file as UTF-8 text (a UTF-8 BOM is dropped), or an error naming what it is."""
    try:
        if path.exists() and not path.is_file():
            raise error.single(
                str(path),
                "不是普通文件(设备、目录或管道)；请给出数据文件",
                "not a regular file (a device, folder or pipe); give a data file",
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error.single(
                str(path),
                f"文件过大({size} 字节，上限 {MAX_FILE_BYTES} 字节)",
                f"file too large ({size} bytes; the limit is {MAX_FILE_BYTES})",
            )
        data = path.read_bytes()
        note_read(path)
    except FileNotFoundError as exc:
        raise error.single(str(path), "文件不存在", "file not found") from exc
    except OSError as exc:
        raise error.single(
            str(path), f"无法读取: {exc.strerror}", f"cannot read: {exc.strerror}"
        ) from exc
    for bom, name in _BOMS.items():
        if data.startswith(bom):
            raise error.single(
                str(path),
                f"文件编码为 {name}，请另存为 UTF-8",
                f"the file is {name}; save it as UTF-8",
            )
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        name = _guess_encoding(data)
        line = data[: exc.start].count(b"\n") + 1
        raise error.single(
            f"{path}:{line}",
            f"文件不是 UTF-8 编码(看来是 {name})，请另存为 UTF-8",
            f"the file is not UTF-8 (it looks like {name}); save it as UTF-8",
        ) from exc


def _guess_encoding(data: bytes) -> str:
    for codec, name in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            data.decode(codec)
            return name
        except UnicodeDecodeError:
            continue
    return "an 8-bit encoding such as Latin-1"


def _check_expansion(text: str, path: Path, error: type[EcoassessError]) -> None:
    """Refuse a file whose aliases would add more than :data:`MAX_NODES` nodes — counted on
    the event stream, before anything is built. Only what aliases add counts: a large file
    with a ``*`` in a note or in ``a * 100`` and no alias is not refused."""
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, nodes so far] per open collection
    added = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                size = sizes.get(event.anchor or "", 1)
                stack[-1][1] += size
                added += size
                if added > MAX_NODES:
                    raise error.single(
                        str(path),
                        f"别名展开后超过 {MAX_NODES} 个节点；请勿用锚点/别名构造巨大结构",
                        f"aliases expand past {MAX_NODES} nodes; the file is refused",
                    )
            elif isinstance(event, yaml.ScalarEvent):
                stack[-1][1] += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                stack.append([event.anchor, 1])
            elif isinstance(event, yaml.CollectionEndEvent):
                anchor, count = stack.pop()
                if anchor:
                    sizes[anchor] = count
                stack[-1][1] += count
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, error, text) from exc


def _yaml_error(
    exc: yaml.YAMLError, path: Path, error: type[EcoassessError], text: str
) -> EcoassessError:
    mark = getattr(exc, "problem_mark", None)
    where = f"{path}:{mark.line + 1}" if mark else str(path)
    reason = getattr(exc, "problem", None) or str(exc)
    line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if "\t" in line[: mark.column + 1 if mark else 0]:
        return error.single(
            where,
            "YAML 不允许用制表符(Tab)缩进；请改用空格",
            "tabs are not allowed for indentation in YAML; use spaces",
        )
    return error.single(where, f"YAML 格式错误: {reason}", f"malformed YAML: {reason}")


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


__all__ = ["MarkedDict", "line_of", "load_yaml", "read_text"]
