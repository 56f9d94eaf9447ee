"""The package's layers: nothing below imports anything above, and no module is too long.

Every import of an ``engine`` module counts — at the top, inside a function, or under
``TYPE_CHECKING`` — so the folder tree is the architecture.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

ENGINE = REPO / "engine"
#: Bottom to top; a module may import its own layer and those before it.
LAYERS = ["base", "criteria", "data", "evaluation", "reports", "workspace", "web", "cli"]
MAX_LINES = 600


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "base"


def _module_of(path: Path) -> str:
    relative = path.relative_to(REPO).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in names if name == "engine" or name.startswith("engine.")}


def _modules() -> list[Path]:
    return sorted(p for p in ENGINE.rglob("*.py") if "_bundled" not in p.parts)


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = []
    for path in _modules():
        module = _module_of(path)
        if module in ("engine", "engine.__main__"):
            continue  # the public face and the entry point sit above everything
        own = LAYERS.index(_layer(module))
        for name in _imports(path):
            target = _layer(name) if name != "engine" else "cli"
            if LAYERS.index(target) > own:
                upward.append(f"{module} imports {name}")
    assert upward == []


def test_the_layers_are_folders() -> None:
    for layer in LAYERS[1:]:
        assert (ENGINE / layer / "__init__.py").is_file(), layer
    flat = sorted(p.name for p in ENGINE.glob("*.py"))
    assert flat == [
        "__init__.py",
        "__main__.py",
        "errors.py",
        "inputs.py",
        "numbers.py",
        "outcomes.py",
        "resources.py",
        "validation_messages.py",
    ]


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(REPO)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_nothing_executes_generated_code() -> None:
    """No ``exec``, ``eval`` or ``compile`` of code anywhere in the engine."""
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("exec", "eval", "compile")
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
