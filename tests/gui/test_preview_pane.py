"""The preview pane in the window: the phone fits at any window size, and zooms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.pane import PreviewPane
from rcs_composer.gui.preview.widget import PhonePreview

Make = Callable[..., MainWindow]
NOWHERE = "http://127.0.0.1:9/picture.png"  # nothing answers: media stay placeholders
CARDS = "$.richCardCarousel.cardContents"


def settle(qtbot: QtBot, window: MainWindow, size: tuple[int, int] = (1280, 720)) -> PreviewPane:
    """Resize ``window`` once its after-paint work (the drafts dock) has taken its room."""
    qtbot.waitUntil(lambda: window.workspace.library_dock is not None)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size() == QSize(*size))
    qtbot.wait(30)  # the fit that follows a size change runs from the event loop
    return window.preview_pane


def zoom_to(qtbot: QtBot, pane: PreviewPane, label: str) -> None:
    pane.zoom_choice.setCurrentIndex(pane.zoom_choice.findText(label))
    qtbot.wait(30)


def shown_whole(preview: PhonePreview, rect: QRectF) -> bool:
    """Whether ``rect`` (screen dp) is on screen, not cut by the scroll area or the pane."""
    bezel = QPointF(g.PHONE_BEZEL_DP, g.PHONE_BEZEL_DP)
    on_screen = QRectF((rect.topLeft() + bezel) * preview.zoom, rect.size() * preview.zoom)
    inner = on_screen.toRect().adjusted(1, 1, -1, -1)  # rounding may lose a pixel at an edge
    return QRegion(inner).subtracted(preview.visibleRegion()).isEmpty()


def assert_whole_phone(pane: PreviewPane) -> None:
    viewport = pane.scroller.viewport()
    phone = pane.preview.geometry()
    assert viewport.rect().contains(phone), (phone, viewport.rect())
    assert phone.size() == pane.preview.sizeHint()
    assert pane.preview.visibleRegion().boundingRect() == pane.preview.rect()
    assert not pane.scroller.horizontalScrollBar().isVisible()
    assert not pane.scroller.verticalScrollBar().isVisible()


# ---------------------------------------------------------------- fit and zoom


@pytest.mark.parametrize("size", [(800, 600), (1280, 720), (1920, 1080)])
def test_fit_shows_the_whole_phone_at_any_window_size(
    qtbot: QtBot, make_window: Make, size: tuple[int, int]
) -> None:
    window = make_window("carousel_with_chips.json")
    pane = settle(qtbot, window, size)
    assert pane.zoom_choice.currentText() == "Fit"
    assert_whole_phone(pane)
    room = pane.scroller.viewport().size()
    phone = pane.preview.size()
    # The preview is the hero: it fills its room one way, unless it reached its largest size.
    assert (
        phone.width() >= room.width() - 2
        or phone.height() >= room.height() - 2
        or pane.preview.zoom == pytest.approx(1.5)
    )


def test_fit_follows_the_pane_and_the_device_width(qtbot: QtBot, make_window: Make) -> None:
    window = make_window("carousel_with_chips.json")
    pane = settle(qtbot, window, (1920, 1080))
    window.columns.setSizes([1500, 260])  # a narrow pane: the phone's width limits it
    qtbot.wait(30)
    assert_whole_phone(pane)
    narrow = pane.preview.zoom
    pane.width_choice.setCurrentIndex(pane.width_choice.findData(412))
    qtbot.wait(30)
    assert pane.preview.width_dp == 412
    assert pane.preview.zoom < narrow
    assert_whole_phone(pane)
    window.columns.setSizes([900, 860])
    qtbot.wait(30)
    assert pane.preview.zoom > narrow
    assert_whole_phone(pane)


@pytest.mark.parametrize(("label", "scale"), [("100%", 1.0), ("200%", 2.0)])
def test_fixed_zoom_is_pixels_per_dp_and_the_pane_scrolls(
    qtbot: QtBot, make_window: Make, label: str, scale: float
) -> None:
    window = make_window("carousel_with_chips.json")
    pane = settle(qtbot, window, (1280, 720))
    zoom_to(qtbot, pane, label)
    preview = pane.preview
    bezel = 2 * g.PHONE_BEZEL_DP
    assert preview.zoom == scale
    assert preview.size() == QSize(
        round((360 + bezel) * scale), round((preview.layout_.height + bezel) * scale)
    )
    assert pane.scroller.verticalScrollBar().isVisible()  # a 700 dp phone is taller than 720 px
    assert pane.scroller.horizontalScrollBar().isVisible() == (
        preview.width() > pane.scroller.width()
    )
    window.resize(1000, 650)
    qtbot.wait(30)
    assert preview.zoom == scale  # a fixed zoom stays put when the window changes
    zoom_to(qtbot, pane, "Fit")
    assert_whole_phone(pane)


def test_the_zoom_choice_is_remembered(qtbot: QtBot, make_window: Make) -> None:
    first = make_window()
    zoom_to(qtbot, settle(qtbot, first), "200%")
    first.close()
    second = make_window()
    pane = settle(qtbot, second)
    assert pane.zoom_choice.currentText() == "200%"
    assert pane.preview.zoom == 2.0


def test_zoom_shortcuts_are_in_the_view_menu_and_work(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    pane = settle(qtbot, window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    in_menus = {
        action.shortcut().toString(): action.text()
        for menu in window.menuBar().findChildren(QWidget)
        for action in menu.actions()
        if not action.shortcut().isEmpty()
    }
    for keys in ("Ctrl+0", "Ctrl+1", "Ctrl+2"):
        assert keys in in_menus
    window.editor.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert pane.zoom_choice.currentText() == "200%"
    assert pane.preview.zoom == 2.0
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert pane.preview.zoom == 1.0
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert pane.zoom_choice.currentText() == "Fit"
    qtbot.wait(30)
    assert_whole_phone(pane)
