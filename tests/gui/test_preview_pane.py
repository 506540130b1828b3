"""The preview pane in the window: the phone fits at any size, zooms, and follows the edited card."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.pane import PreviewPane
from rcs_composer.gui.preview.widget import PhonePreview

Make = Callable[..., MainWindow]
NOWHERE = "http://127.0.0.1:9/picture.png"  # nothing answers: media stay placeholders
CARDS = "$.richCardCarousel.cardContents"


def settle(qtbot: QtBot, window: MainWindow, size: tuple[int, int] = (1280, 720)) -> PreviewPane:
    """Resize ``window`` once its after-paint work (the drafts dock) has taken its room."""
    qtbot.waitUntil(lambda: window.docks.library_dock is not None)
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


# ---------------------------------------------------------------- following the edited card


def carousel_window(
    qtbot: QtBot,
    make_window: Make,
    count: int,
    width: m.CardWidth = m.CardWidth.MEDIUM,
) -> MainWindow:
    window = make_window("carousel_with_chips.json")
    cards = tuple(
        m.CardContent(
            title=f"Card {number}",
            description="Up to 40% off.",
            media=m.Media(height=m.MediaHeight.SHORT, file=m.FileRef(file_url=NOWHERE)),
        )
        for number in range(1, count + 1)
    )
    carousel = m.Carousel(card_width=width, cards=cards)
    window.document.load(m.Draft(name="Cards", message=m.Message(content=carousel)))
    settle(qtbot, window)
    return window


def card_rect(preview: PhonePreview, index: int) -> QRectF:
    """Card ``index``'s rectangle on the phone's screen, in dp."""
    path = f"{CARDS}[{index}]"
    (item,) = [i for i in preview.layout_.items if i.kind == "card" and i.path == path]
    # The layout already places cards where the carousel's scroll offset puts them.
    step = g.CAROUSEL_CARD_WIDTH_DP[preview_card_width(preview)] + g.CAROUSEL_GAP_DP
    assert item.rect.left() == pytest.approx(
        g.MESSAGE_INDENT_DP + index * step - preview.carousel_offset
    )
    return item.rect


def preview_card_width(preview: PhonePreview) -> m.CardWidth | None:
    content = preview.message.content
    assert isinstance(content, m.Carousel)
    return content.card_width


def assert_card_shown(window: MainWindow, index: int, title: str | None = None) -> None:
    preview = window.preview_pane.preview
    rect = card_rect(preview, index)
    band = (g.MESSAGE_INDENT_DP, preview.width_dp - g.MESSAGE_RIGHT_DP)
    assert band[0] - 0.5 <= rect.left() and rect.right() <= band[1] + 0.5, (index, rect, band)
    assert shown_whole(preview, rect)
    if title is not None:
        titles = [i.text for i in preview.layout_.items if i.kind == "title"]
        assert titles[index] == title
    assert window.editor.carousel.strip.currentRow() == index


def titles(window: MainWindow) -> list[str | None]:
    content = window.document.message.content
    assert isinstance(content, m.Carousel)
    return [card.title for card in content.cards]


def test_selecting_card_8_in_the_strip_shows_it_whole(qtbot: QtBot, make_window: Make) -> None:
    window = carousel_window(qtbot, make_window, 10)
    window.editor.carousel.strip.setCurrentRow(7)
    assert_card_shown(window, 7, "Card 8")


def test_a_problem_or_click_on_card_8_shows_it_whole(qtbot: QtBot, make_window: Make) -> None:
    window = carousel_window(qtbot, make_window, 10)
    window.focus_path(f"{CARDS}[7].title")  # what clicking its problem in the list does
    assert window.editor.carousel.current == 7
    assert_card_shown(window, 7, "Card 8")


def test_the_carousel_scrolls_only_as_far_as_needed(qtbot: QtBot, make_window: Make) -> None:
    window = carousel_window(qtbot, make_window, 10, m.CardWidth.SMALL)
    pane = window.preview_pane
    pane.width_choice.setCurrentIndex(pane.width_choice.findData(412))
    preview = pane.preview
    strip = window.editor.carousel.strip
    strip.setCurrentRow(1)
    assert_card_shown(window, 1)
    assert card_rect(preview, 0).right() > g.MESSAGE_INDENT_DP  # card 1 still peeks in
    strip.setCurrentRow(0)
    assert_card_shown(window, 0)
    assert preview.carousel_offset == 0
    strip.setCurrentRow(9)
    assert_card_shown(window, 9)
    assert card_rect(preview, 9).right() == pytest.approx(412 - g.MESSAGE_RIGHT_DP)  # the end
    strip.setCurrentRow(8)
    assert_card_shown(window, 8)
    assert card_rect(preview, 9).left() < 412 - g.MESSAGE_RIGHT_DP  # card 10 still peeks in
    preview.setFocus()
    qtbot.keyClick(preview, Qt.Key.Key_Home)
    qtbot.keyClick(preview, Qt.Key.Key_Right)  # the user scrolls the phone to card 2
    offset = preview.carousel_offset
    strip.setCurrentRow(1)  # card 2 already shows whole: the phone stays as the user left it
    assert_card_shown(window, 1)
    assert preview.carousel_offset == offset


def test_an_added_card_comes_into_view(qtbot: QtBot, make_window: Make) -> None:
    window = carousel_window(qtbot, make_window, 8)
    window.editor.carousel.buttons["Add card"].click()
    assert titles(window)[-1] is None  # the new card starts empty, never with sample text
    assert len(titles(window)) == 9
    assert_card_shown(window, 8)


def test_a_duplicate_comes_into_view(qtbot: QtBot, make_window: Make) -> None:
    window = carousel_window(qtbot, make_window, 8)
    carousel = window.editor.carousel
    carousel.strip.setCurrentRow(4)
    carousel.buttons["Duplicate"].click()
    assert titles(window)[4:6] == ["Card 5", "Card 5"]
    assert_card_shown(window, 5, "Card 5")


def test_a_card_moved_with_alt_right_stays_in_view(qtbot: QtBot, make_window: Make) -> None:
    window = carousel_window(qtbot, make_window, 10)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    strip = window.editor.carousel.strip
    strip.setCurrentRow(4)
    strip.setFocus()
    qtbot.keyClick(strip, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert titles(window)[4:6] == ["Card 6", "Card 5"]
    assert_card_shown(window, 5, "Card 5")
    qtbot.keyClick(strip, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(strip, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert_card_shown(window, 3, "Card 5")


def test_a_card_dragged_in_the_strip_stays_in_view(qtbot: QtBot, make_window: Make) -> None:
    window = carousel_window(qtbot, make_window, 10)
    strip = window.editor.carousel.strip
    strip.setCurrentRow(1)
    # What dropping the dragged item does to the strip's model (a real drag needs a display).
    assert strip.model().moveRow(QModelIndex(), 1, QModelIndex(), 9)
    assert titles(window)[7:9] == ["Card 9", "Card 2"]
    assert_card_shown(window, 8, "Card 2")


def test_undo_and_redo_bring_the_card_they_change_into_view(
    qtbot: QtBot, make_window: Make
) -> None:
    window = carousel_window(qtbot, make_window, 9)
    carousel = window.editor.carousel
    carousel.strip.setCurrentRow(6)
    carousel.buttons["Right"].click()
    assert titles(window)[6:8] == ["Card 8", "Card 7"]
    carousel.strip.setCurrentRow(0)
    assert_card_shown(window, 0)
    window.undo_action.trigger()  # the move: card 7 goes back to its place, and is shown there
    assert titles(window)[6:8] == ["Card 7", "Card 8"]
    assert_card_shown(window, 6, "Card 7")
    carousel.strip.setCurrentRow(0)
    window.redo_action.trigger()
    assert_card_shown(window, 7, "Card 7")

    carousel.buttons["Add card"].click()
    carousel.strip.setCurrentRow(2)
    window.undo_action.trigger()  # the added card is gone: the card selected before it shows
    assert len(titles(window)) == 9
    assert_card_shown(window, 7, "Card 7")
    carousel.strip.setCurrentRow(0)
    window.redo_action.trigger()
    assert_card_shown(window, 9)  # the added card, empty

    carousel.strip.setCurrentRow(4)
    carousel.buttons["Delete"].click()
    assert "Card 5" not in titles(window)
    carousel.strip.setCurrentRow(0)
    window.undo_action.trigger()  # the deleted card is back, selected and shown
    assert_card_shown(window, 4, "Card 5")


def test_undoing_an_edit_of_another_card_shows_that_card(qtbot: QtBot, make_window: Make) -> None:
    window = carousel_window(qtbot, make_window, 10)
    carousel = window.editor.carousel
    carousel.strip.setCurrentRow(2)
    title = carousel.card_editor.title
    title.input.selectAll()
    qtbot.keyClicks(title.input, "Sweets")
    carousel.strip.setCurrentRow(8)
    assert_card_shown(window, 8)
    window.undo_action.trigger()
    assert titles(window)[2] == "Card 3"
    assert_card_shown(window, 2, "Card 3")
    assert carousel.card_editor.title.value() == "Card 3"
    carousel.strip.setCurrentRow(9)
    window.redo_action.trigger()
    assert_card_shown(window, 2, "Sweets")


def test_at_200_percent_the_pane_scrolls_to_the_selected_card(
    qtbot: QtBot, make_window: Make
) -> None:
    window = carousel_window(qtbot, make_window, 10)
    pane = window.preview_pane
    zoom_to(qtbot, pane, "200%")
    vertical = pane.scroller.verticalScrollBar()
    vertical.setValue(vertical.maximum())  # looking at the chips, below the cards
    window.editor.carousel.strip.setCurrentRow(7)
    preview = pane.preview
    rect = card_rect(preview, 7)
    bezel = QPointF(g.PHONE_BEZEL_DP, g.PHONE_BEZEL_DP)
    card = QRectF((rect.topLeft() + bezel) * preview.zoom, rect.size() * preview.zoom).toRect()
    seen = preview.visibleRegion().intersected(QRegion(card)).boundingRect()
    room = pane.scroller.viewport().size()
    assert abs(seen.left() - card.left()) <= 1  # a card wider than the pane shows its start
    assert abs(seen.top() - card.top()) <= 1
    assert seen.width() >= min(card.width(), room.width()) - 2
    assert seen.height() >= min(card.height(), room.height()) - 2
