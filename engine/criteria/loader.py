"""Find criteria sets on the search path and load them, fully validated and compiled."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.criteria.compiler import CompiledCriteria, compile_criteria
from engine.criteria.inheritance import derive
from engine.criteria.model import CriteriaSet, DerivedSet
from engine.criteria.yamlio import line_of, load_yaml
from engine.errors import CriteriaError, CriteriaNotFoundError, Problem, did_you_mean
from engine.resources import bundled_criteria_dir
from engine.validation_messages import describe

CRITERIA_FILE = "criteria.yaml"
PATH_VARIABLE = "ECOASSESS_CRITERIA_PATH"


@dataclass(frozen=True)
class CriteriaLocation:
    """A criteria set found on the search path (not yet loaded)."""

    id: str
    folder: Path

    @property
    def file(self) -> Path:
        return self.folder / CRITERIA_FILE


def search_path(extra: Sequence[Path] = ()) -> list[Path]:
    """Folders searched for criteria sets, first match wins.

    Order: folders given with ``--criteria-path``, then those in ``ECOASSESS_CRITERIA_PATH``
    (separated by ``os.pathsep``), then the sets bundled with ecoassess.
    """
    from_env = [Path(p) for p in os.environ.get(PATH_VARIABLE, "").split(os.pathsep) if p]
    return [*extra, *from_env, bundled_criteria_dir()]


def discover(folders: Iterable[Path]) -> dict[str, CriteriaLocation]:
    """Every criteria set in ``folders``, keyed by folder name; earlier folders shadow later."""
    found: dict[str, CriteriaLocation] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for candidate in sorted(folder.iterdir()):
            if (candidate / CRITERIA_FILE).is_file() and candidate.name not in found:
                found[candidate.name] = CriteriaLocation(candidate.name, candidate)
    return found


def find(criteria_id: str, folders: Iterable[Path], where: str = "--criteria") -> CriteriaLocation:
    """The location of the set ``criteria_id``, or a clear error listing what exists.

    ``where`` names, in the error, what asked for the set (an option or argument).
    """
    available = discover(folders)
    if criteria_id in available:
        return available[criteria_id]
    zh_hint, en_hint = did_you_mean(criteria_id, available)
    known = ", ".join(sorted(available)) or "-"
    raise CriteriaNotFoundError.single(
        f"{where} {criteria_id}",
        f"找不到指标体系 {criteria_id!r}{zh_hint}；可用: {known}",
        f"no criteria set {criteria_id!r}{en_hint}; available: {known}",
    )


def load_criteria(
    criteria_id: str, folders: Sequence[Path], where: str = "--criteria"
) -> CompiledCriteria:
    """Find and load the set ``criteria_id`` from ``folders``."""
    return load_path(find(criteria_id, folders, where).folder, folders)


def load_path(
    path: Path, folders: Sequence[Path] | None = None, _chain: tuple[str, ...] = ()
) -> CompiledCriteria:
    """Load a criteria set from its folder or its ``criteria.yaml``.

    Args:
        path: the set's folder or file.
        folders: where a base set named by ``extends`` is looked for; by default the
            folder beside this set's, then :func:`search_path`.

    Raises:
        CriteriaError: listing every problem, each with file, line and item.
    """
    file = path / CRITERIA_FILE if path.is_dir() else path
    raw = load_yaml(file, CriteriaError)
    if not isinstance(raw, dict):
        raise CriteriaError.single(
            str(file),
            "顶层应为键值映射(id、title、items …)",
            "the top level must be a mapping (id, title, items …)",
        )
    model: type[CriteriaSet | DerivedSet] = DerivedSet if "extends" in raw else CriteriaSet
    _check_rule_depth(file, raw)
    _check_texts(file, raw)
    try:
        spec = model.model_validate(raw)
    except ValidationError as exc:
        raise CriteriaError(_problems(file, raw, exc)) from exc
    if path.is_dir() and spec.id != path.name:
        raise CriteriaError.single(
            f"{file}:{line_of(raw, ['id'])}",
            f"id {spec.id!r} 应与所在文件夹名 {path.name!r} 相同",
            f"id {spec.id!r} must equal its folder name {path.name!r}",
        )
    if isinstance(spec, CriteriaSet):
        return compile_criteria(spec, file, lambda location: line_of(raw, location))
    return _load_derived(spec, file, raw, folders, (*_chain, spec.id))


def _load_derived(
    spec: DerivedSet,
    file: Path,
    raw: Any,
    folders: Sequence[Path] | None,
    chain: tuple[str, ...],
) -> CompiledCriteria:
    where = f"{file}:{line_of(raw, ['extends'])} extends"
    if spec.extends in chain:
        cycle = " → ".join((*chain, spec.extends))
        raise CriteriaError.single(
            where, f"继承关系成环: {cycle}", f"criteria sets extend each other in a cycle: {cycle}"
        )
    search = list(folders) if folders is not None else [file.parent.parent, *search_path()]
    try:
        location = find(spec.extends, search)
    except CriteriaNotFoundError as exc:
        raise CriteriaError.single(where, *_first_message(exc)) from exc
    base = load_path(location.folder, search, chain)
    derivation = derive(base, spec, file, lambda location: line_of(raw, location))
    if derivation.problems or derivation.spec is None:
        raise CriteriaError(derivation.problems)
    locations = derivation.item_locations

    def line_at(location: Sequence[int | str]) -> int:
        if len(location) >= 2 and location[0] == "items" and isinstance(location[1], int):
            return line_of(raw, locations[location[1]])
        return line_of(raw, location)

    return compile_criteria(derivation.spec, file, line_at, base=base)


MAX_RULE_DEPTH = 12
"""How deeply composed rules may nest (all_of in any_of in …); checked before validation."""


def _check_rule_depth(file: Path, raw: dict[str, Any]) -> None:
    """Refuse rules nested deeper than :data:`MAX_RULE_DEPTH`, by place, before the models
    (which recurse) see them: sources nest two or three levels at most."""
    located: list[tuple[list[int | str], Any]] = []
    for section in ("items", "change"):
        entries = raw.get(section)
        if isinstance(entries, list):
            located += [([section, n, "rule"], e.get("rule")) for n, e in enumerate(entries)
                        if isinstance(e, dict)]  # fmt: skip
        elif isinstance(entries, dict):
            located += [([section, key, "rule"], e.get("rule")) for key, e in entries.items()
                        if isinstance(e, dict)]  # fmt: skip
    for location, rule in located:
        if rule is not None and _depth(rule) > MAX_RULE_DEPTH:
            raise CriteriaError.single(
                f"{file}:{line_of(raw, location[:2])} {'.'.join(map(str, location))}",
                f"复合规则嵌套超过 {MAX_RULE_DEPTH} 层；请简化",
                f"composed rules nest deeper than {MAX_RULE_DEPTH} levels; simplify the rule",
            )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _check_texts(file: Path, raw: Any) -> None:
    """Refuse a text holding a control character (other than a line break or a tab): it
    would reach every report, template and Word file the set makes (an ESC colours a
    terminal, Excel refuses a workbook with one)."""
    problems: list[tuple[int, Problem]] = []
    stack: list[tuple[list[int | str], Any]] = [([], raw)]
    while stack:
        location, node = stack.pop()
        if isinstance(node, dict):
            stack += [([*location, key], value) for key, value in node.items()]
        elif isinstance(node, list):
            stack += [([*location, n], value) for n, value in enumerate(node)]
        elif isinstance(node, str) and (found := _CONTROL.search(node)):
            code, line = f"U+{ord(found.group()):04X}", line_of(raw, location)
            problems.append(
                (
                    line,
                    Problem(
                        f"{file}:{line} {'.'.join(map(str, location))}",
                        f"文本中含控制字符 {code}；请删除",
                        f"the text holds the control character {code}; delete it",
                    ),
                )
            )
    if problems:
        raise CriteriaError([problem for _, problem in sorted(problems, key=lambda p: p[0])])


def _depth(node: Any, level: int = 1) -> int:
    """How many rules deep ``node`` nests (each mapping is a rule or a rule's settings)."""
    if level > MAX_RULE_DEPTH + 1:
        return level
    if isinstance(node, dict):
        return max((_depth(child, level + 1) for child in node.values()), default=level)
    if isinstance(node, list):
        return max((_depth(child, level) for child in node), default=level)
    return level - 1


def _first_message(exc: CriteriaNotFoundError) -> tuple[str, str]:
    problem = exc.problems[0]
    return problem.zh, problem.en


def _problems(file: Path, raw: Any, exc: ValidationError) -> list[Problem]:
    problems = []
    seen: set[tuple[int | str, ...]] = set()
    for error in exc.errors():
        location = error["loc"]
        # A value that is neither of a union's shapes (threshold: 85%) gives one error per
        # shape; one message for the field says it better.
        union = _union_field(location)
        if union is not None:
            if union in seen:
                continue
            seen.add(union)
            location = union
        label = _item_label(raw, location)
        where = f"{file}:{line_of(raw, location)}" + (f" {label}" if label else "")
        field = ".".join(str(part) for part in location)
        zh, en = _explained(error, location)
        problems.append(Problem(where, f"{field}: {zh}", f"{field}: {en}"))
    return problems


_UNION_SHAPES = {"float", "int", "AssignedTarget", "list[Variant]", "str"}
_TEXT_FIELDS = {"name", "title", "requirement", "applicability", "note", "label", "reason",
                "issuer", "why", "non_binding", "binding_convention"}  # fmt: skip


def _union_field(location: tuple[int | str, ...]) -> tuple[int | str, ...] | None:
    if len(location) >= 2 and location[-1] in _UNION_SHAPES and location[-2] == "threshold":
        return location[:-1]
    return None


@cache
def _known_keys() -> list[str]:
    """Every key a criteria file may use (for did-you-mean on a misspelt one)."""
    from pydantic import BaseModel

    from engine.criteria import model

    keys: set[str] = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            keys |= set(value.model_fields)
    return sorted(keys)


def _explained(error: Any, location: tuple[int | str, ...]) -> tuple[str, str]:
    """``describe``, with what the user most likely meant for the common slips."""
    kind = error["type"]
    found = error.get("input")
    if _union_field(tuple(error["loc"])) is not None:
        if isinstance(found, str) and found.strip().endswith(("%", "％")):
            number = found.strip().rstrip("%％").strip()
            return (
                f"请写数字 {number}，不带 %；单位写在 unit 中(当前为 {found!r})",
                f"write {number}, without %; the unit goes in `unit` (found {found!r})",
            )
        return (
            f"应为数字，或 {{input: 输入项名}}(上级下达的目标)(当前为 {found!r})",
            f"must be a number, or {{input: NAME}} for a target assigned from above "
            f"(found {found!r})",
        )
    if kind == "extra_forbidden" and len(location) >= 2:
        parent, key = location[-2], str(location[-1])
        if parent in _TEXT_FIELDS and found is None:
            return (
                f'文本被逗号拆开了: 含逗号的英文请加引号，例如 en: "{key}"',
                f"the text was split at a comma: quote an English text that has one, "
                f'e.g. en: "…, {key}"',
            )
        zh_hint, en_hint = did_you_mean(key, _known_keys())
        zh, en = describe(error)
        return zh.replace("；", f"{zh_hint}；", 1), en.replace(
            "; check its spelling", f"{en_hint}; check its spelling"
        )
    return describe(error)


def _item_label(raw: Any, location: tuple[int | str, ...]) -> str:
    if len(location) >= 2 and location[0] == "items" and isinstance(location[1], int):
        try:
            item = raw["items"][location[1]]
            return f"item {item.get('id', '?')} ({item.get('number', '?')})"
        except (KeyError, IndexError, TypeError, AttributeError):
            return ""
    return ""
