"""The window's own words draw on a machine with no fonts: every character in them is one a
bundled font has (the preview's rule, for the editors, menus and help too). An arrow or a
cross that only the host's fonts have is an empty box there."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QWidget,
)

from rcs_composer.gui.preview.fonts import has_glyph
from tests.support.child_python import ROOT

GUI = ROOT / "rcs_composer" / "gui"
HELP = ROOT / "resources" / "help"


def undrawn(text: str) -> set[str]:
    return {char for char in text if not has_glyph(char)}


def literals(path: Path) -> Iterator[tuple[int, str]]:
    """The string constants of ``path`` that are not docstrings, with their line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and id(node) not in docstrings:
            yield node.lineno, text


def test_every_character_the_window_code_writes_has_a_bundled_glyph(qapp: object) -> None:
    found = {
        f"{path.relative_to(ROOT)}:{line}": "".join(sorted(undrawn(text)))
        for path in sorted(GUI.rglob("*.py"))
        for line, text in literals(path)
        if undrawn(text)
    }
    assert found == {}


@pytest.mark.parametrize("page", sorted(path.name for path in HELP.glob("*.md")))
def test_the_help_pages_draw_without_host_fonts(qapp: object, page: str) -> None:
    assert undrawn((HELP / page).read_text(encoding="utf-8")) == set()


def shown_texts(window: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for what the window's widgets and menus say, tooltips included."""
    for widget in window.findChildren(QWidget):
        name = f"{type(widget).__name__} {widget.objectName() or widget.accessibleName()}"
        texts: list[str] = [widget.toolTip(), widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            texts.extend(widget.itemText(index) for index in range(widget.count()))
        if isinstance(widget, QMenu):
            texts.append(widget.title())
            texts.extend(action.text() for action in widget.actions())
            texts.extend(action.toolTip() for action in widget.actions())
        for text in texts:
            yield name, text


@pytest.mark.parametrize("sample", ["carousel_with_chips.json", "text_every_action.json"])
def test_nothing_the_finished_window_says_needs_a_host_font(
    make_window: Callable[..., QWidget], sample: str
) -> None:
    window = make_window(sample)  # the carousel's buttons; a chip of every kind
    missing = {
        where: "".join(sorted(undrawn(text)))
        for where, text in shown_texts(window)
        if undrawn(text)
    }
    assert missing == {}
