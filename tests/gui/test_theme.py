"""The widgets' palette follows the system: dark when it is dark, else the system's own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from rcs_composer.gui.theme import DARK, apply_color_scheme, is_dark


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    assert isinstance(qapp, QApplication)
    apply_color_scheme(qapp, Qt.ColorScheme.Light)
    yield qapp
    apply_color_scheme(qapp)


def test_light_keeps_the_systems_palette(app: QApplication) -> None:
    system = QPalette(app.palette())
    apply_color_scheme(app, Qt.ColorScheme.Light)
    assert app.palette() == system
    assert not is_dark(app.palette())


def test_dark_and_back_gives_the_systems_palette_again(app: QApplication) -> None:
    system = QPalette(app.palette())
    apply_color_scheme(app, Qt.ColorScheme.Dark)
    window = app.palette().color(QPalette.ColorRole.Window)
    assert window.name() == DARK[QPalette.ColorRole.Window].lower()
    assert is_dark(app.palette())
    apply_color_scheme(app, Qt.ColorScheme.Light)
    assert app.palette() == system
    apply_color_scheme(app, Qt.ColorScheme.Unknown)  # a system that does not say: not dark
    assert app.palette() == system
