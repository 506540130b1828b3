"""An API path and a field's address are each spelled in one place: core.outgoing writes the
endpoints, core.field_paths the JSONPaths; no other module types them by hand."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "rcs_composer"
ENDPOINT = re.compile(r"/v1/|rcs/(messages|template)")
JSONPATH = re.compile(r"^\$\.")
# The one place paths are spelled, and the sandbox's router, which matches them as a server does.
ENDPOINT_EXEMPT = {"core/outgoing.py", "services/sandbox_http.py"}
JSONPATH_EXEMPT: set[str] = set()


def _strings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every string literal (f-string parts too) that is not a docstring."""
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in docstrings:
            yield node.lineno, node.value


def _hand_typed(pattern: re.Pattern[str], under: str, exempt: set[str]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / under).rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in exempt:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [
            f"{name}:{line}: {text!r}" for line, text in _strings(tree) if pattern.search(text)
        ]
    return found


def test_no_module_types_an_api_path_by_hand() -> None:
    assert _hand_typed(ENDPOINT, ".", ENDPOINT_EXEMPT) == []


def test_no_front_end_types_a_field_path_by_hand() -> None:
    for layer in ("gui", "cli", "app"):
        assert _hand_typed(JSONPATH, layer, JSONPATH_EXEMPT) == []
