"""Keyboard-only use: every control has an accessible name, and the shortcuts reach their actions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from rcs_composer.gui.main_window import MainWindow

CONTROLS = (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
)


def inside_a_control(widget: QWidget) -> bool:
    """Parts Qt builds inside a named control: a combo's popup, a view's header, a clear button."""
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView)):
            return True
        parent = parent.parent()
    return isinstance(widget, QHeaderView)


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        if (
            not isinstance(widget, CONTROLS)
            or widget.objectName().startswith("qt_")
            or inside_a_control(widget)
        ):
            continue
        name = widget.accessibleName() or (
            widget.text() if isinstance(widget, QAbstractButton) else ""
        )
        if not name.strip():
            missing.append(f"{type(widget).__name__} in {type(widget.parent()).__name__}")
    return missing


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    for sample in ("standalone_card.json", "carousel_with_chips.json", "text_every_action.json"):
        window = make_window(sample)
        window.docks.toggle_library(True)
        assert unnamed_controls(window) == [], sample


def test_shortcuts_are_shown_in_menus_and_reach_their_actions(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window()
    shortcuts = {
        action.text(): action.shortcut().toString()
        for menu in window.menuBar().findChildren(QWidget)
        for action in menu.actions()
        if not action.shortcut().isEmpty()
    }
    for label, keys in (
        ("&Send test…", "Ctrl+Return"),
        ("&Save", QKeySequence(QKeySequence.StandardKey.Save).toString()),
        ("Save &As…", "Ctrl+Shift+S"),
        ("&Undo", QKeySequence(QKeySequence.StandardKey.Undo).toString()),
    ):
        assert shortcuts.get(label) == keys, label
