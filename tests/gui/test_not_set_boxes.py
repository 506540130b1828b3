"""A card's orientation and a carousel's card width show "(not set)" when the draft holds
none, as media height does: never a choice that is not in the draft (nor sent)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow
from tests.support.opened_drafts import focus, opened

Make = Callable[..., MainWindow]


def carousel(count: int) -> m.Message:
    cards = tuple(m.CardContent(title=f"Card {i}") for i in range(count))
    return m.Message(content=m.Carousel(card_width=m.CardWidth.MEDIUM, cards=cards))


def test_a_card_without_orientation_shows_not_set_until_one_is_chosen(
    qtbot: QtBot, make_window: Make
) -> None:
    card = m.CardContent(title="T", description="D")
    window = opened(
        qtbot, make_window, m.Message(content=m.RichCard(orientation=None, content=card))
    )
    box = window.editor.card.orientation
    assert box.currentText() == "(not set)"
    focus(qtbot, box)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    assert content.orientation is m.Orientation.VERTICAL
    assert box.currentText() == "Vertical"
    assert [box.itemText(i) for i in range(box.count())] == ["Vertical", "Horizontal"]
    window.undo_action.trigger()
    assert box.currentText() == "(not set)"


def test_a_carousel_without_card_width_shows_not_set(qtbot: QtBot, make_window: Make) -> None:
    message = carousel(2)
    assert isinstance(message.content, m.Carousel)
    unset = m.Message(content=m.Carousel(card_width=None, cards=message.content.cards))
    window = opened(qtbot, make_window, unset)
    box: QComboBox = window.editor.carousel.width_choice
    assert box.currentText() == "(not set)"
    window.document.load(m.Draft(name="Set", message=message))
    assert box.currentText() == "Medium (296 dp)"
    assert box.count() == 2
