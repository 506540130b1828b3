"""A window on a freshly opened draft, for the editing tests, and moving focus in it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow

Make = Callable[..., MainWindow]


def opened(qtbot: QtBot, make_window: Make, message: m.Message) -> MainWindow:
    """A window showing ``message`` as a freshly opened draft, active so focus can move."""
    window = make_window()
    window.document.load(m.Draft(name="Offer", message=message))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
