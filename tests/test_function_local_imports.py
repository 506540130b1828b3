"""No function-local import in gui or cli dodges a layer: each import made inside a function
would be allowed at module level by the layers contract (gui and cli above app, services and
core; cli never gui, never Qt). A function-local import may only put off a load."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "rcs_composer"
ALLOWED = {
    "gui": ("gui", "app", "services", "core"),
    "cli": ("cli", "app", "services", "core"),
}
FORBIDDEN_EXTERNAL = {"cli": ("PySide6", "shiboken6")}  # the command line reaches Qt via entry


def _local_imports(tree: ast.Module, module: str) -> Iterator[tuple[int, str]]:
    """(line, module imported) for every import inside a function, relative ones resolved;
    ``importlib.import_module("...")`` and ``__import__("...")`` with a literal count too."""
    functions = [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    seen: set[int] = set()
    for function in functions:
        for node in ast.walk(function):
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield node.lineno, alias.name
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = module.split(".")[: -node.level]
                    base = ".".join([*parts, base] if base else parts)
                yield node.lineno, base
            elif isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                first = node.args[0]
                if name in ("import_module", "__import__") and isinstance(first, ast.Constant):
                    yield node.lineno, str(first.value)


def _dodges(layer: str, imported: str) -> bool:
    top = imported.split(".")[0]
    if top != "rcs_composer":
        return top in FORBIDDEN_EXTERNAL.get(layer, ())
    parts = imported.split(".")
    if len(parts) == 1:
        return False  # the package's own metadata (name, version)
    return parts[1] not in ALLOWED[layer]


def _modules(layer: str) -> Iterator[tuple[Path, str]]:
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield path, ".".join(parts)


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_no_function_local_import_dodges_a_layer(layer: str) -> None:
    dodging = []
    count = 0
    for path, module in _modules(layer):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, imported in _local_imports(tree, module):
            count += 1
            if _dodges(layer, imported):
                dodging.append(f"{module}:{line} imports {imported}")
    assert count > 0  # the walk does see them (there are some in each front end)
    assert dodging == []


def test_the_check_sees_a_dodge() -> None:
    source = (
        "def render():\n"
        "    from rcs_composer.gui.render import render_png\n"
        "    from ..gui import app\n"
        "    import PySide6.QtGui\n"
        "    importlib.import_module('rcs_composer.gui.app')\n"
    )
    found = [m for _line, m in _local_imports(ast.parse(source), "rcs_composer.cli.main")]
    assert found == [
        "rcs_composer.gui.render",
        "rcs_composer.gui",
        "PySide6.QtGui",
        "rcs_composer.gui.app",
    ]
    assert all(_dodges("cli", m) for m in found)
    assert not _dodges("gui", "rcs_composer.services.paths")
    assert _dodges("gui", "rcs_composer.cli.common")
