"""Editing as a demanding user does it: the draft's Undo from inside a text field, kind
switches that keep (or name) what they cannot hold, Ctrl+D from any field of a card or
suggestion, and no resizing of the form at every key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow
from tests.support.opened_drafts import focus, opened

Make = Callable[..., MainWindow]
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def reply(text: str) -> m.SuggestionSlot:
    return m.SuggestionSlot(m.Reply(text=text, postback_data=text.lower()))


def carousel(count: int) -> m.Message:
    cards = tuple(
        m.CardContent(title=f"Card {i}", description=f"Desc {i}", suggestions=(reply(f"R{i}"),))
        for i in range(count)
    )
    return m.Message(content=m.Carousel(card_width=m.CardWidth.MEDIUM, cards=cards))


def horizontal_card() -> m.Message:
    card = m.CardContent(
        title="T",
        description="D",
        media=m.Media(
            height=m.MediaHeight.TALL,
            file=m.FileRef(file_url="https://x.test/a.jpg", thumbnail_url="https://x.test/t.jpg"),
        ),
        suggestions=(reply("Yes"),),
    )
    return m.Message(
        content=m.RichCard(
            orientation=m.Orientation.HORIZONTAL,
            thumbnail_alignment=m.ThumbnailAlignment.RIGHT,
            content=card,
        )
    )


def cards_of(window: MainWindow) -> tuple[m.CardContent, ...]:
    content = window.document.message.content
    assert isinstance(content, m.Carousel)
    return content.cards


def switch(qtbot: QtBot, window: MainWindow, kind: m.MessageKind) -> None:
    qtbot.mouseClick(window.editor.kind_buttons[kind], Qt.MouseButton.LeftButton)
    assert window.document.message.kind is kind


# ---------------------------------------------------------------- 2: Undo inside a text field


def test_ctrl_z_in_a_title_brings_back_a_deleted_card_and_ctrl_shift_z_deletes_it_again(
    qtbot: QtBot, make_window: Make
) -> None:
    window = opened(qtbot, make_window, carousel(3))
    strip = window.editor.carousel.strip
    focus(qtbot, strip)
    window.editor.carousel.select(1)
    qtbot.keyClick(strip, Qt.Key.Key_Delete)
    assert [card.title for card in cards_of(window)] == ["Card 0", "Card 2"]
    title = window.editor.carousel.card_editor.title.input
    focus(qtbot, title)
    qtbot.keyClick(title, Qt.Key.Key_Z, CTRL)
    assert [card.title for card in cards_of(window)] == ["Card 0", "Card 1", "Card 2"]
    assert strip.count() == 3
    qtbot.keyClick(title, Qt.Key.Key_Z, CTRL | SHIFT)
    assert [card.title for card in cards_of(window)] == ["Card 0", "Card 2"]
    qtbot.keySequence(title, QKeySequence(QKeySequence.StandardKey.Undo))
    assert len(cards_of(window)) == 3
    qtbot.keySequence(title, QKeySequence(QKeySequence.StandardKey.Redo))
    assert len(cards_of(window)) == 2
    qtbot.keyClick(title, Qt.Key.Key_Z, CTRL)
    qtbot.keyClick(title, Qt.Key.Key_Y, CTRL)  # the Edit menu's other Redo
    assert len(cards_of(window)) == 2


def test_ctrl_z_in_a_description_undoes_the_draft_step_the_field_shows_it(
    qtbot: QtBot, make_window: Make
) -> None:
    message = m.Message(content=m.RichCard(content=m.CardContent(title="Hello", description="W")))
    window = opened(qtbot, make_window, message)
    title, description = window.editor.card.title.input, window.editor.card.description.input
    focus(qtbot, title)
    title.end(False)
    qtbot.keyClicks(title, "!")
    focus(qtbot, description)
    description.moveCursor(description.textCursor().MoveOperation.End)
    qtbot.keyClicks(description, "orld")
    qtbot.keyClick(description, Qt.Key.Key_Z, CTRL)
    assert description.toPlainText() == "W"
    qtbot.keyClick(description, Qt.Key.Key_Z, CTRL)  # the title's step, from the description
    assert title.text() == "Hello"
    assert window.document.undo_stack.isClean()
    qtbot.keyClick(description, Qt.Key.Key_Z, CTRL | SHIFT)
    assert title.text() == "Hello!"
    assert description.toPlainText() == "W"


def test_typing_then_undoing_or_typing_it_away_leaves_the_draft_unmodified(
    qtbot: QtBot, make_window: Make
) -> None:
    message = m.Message(content=m.RichCard(content=m.CardContent(title="Hello")))
    window = opened(qtbot, make_window, message)
    title = window.editor.card.title.input
    focus(qtbot, title)
    title.end(False)
    qtbot.keyClicks(title, "!")
    assert "•" in window.windowTitle()
    qtbot.keyClick(title, Qt.Key.Key_Z, CTRL)
    assert title.text() == "Hello"
    assert window.document.undo_stack.isClean()
    assert "•" not in window.windowTitle()
    qtbot.keyClicks(title, "!?")
    qtbot.keyClick(title, Qt.Key.Key_Backspace)
    qtbot.keyClick(title, Qt.Key.Key_Backspace)
    assert title.text() == "Hello"
    assert window.document.undo_stack.isClean()
    assert "•" not in window.windowTitle()
    window.close()
    assert not window.keep_autosave  # nothing to restore at the next start


def test_ctrl_z_in_a_sample_value_undoes_the_draft_not_the_box(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window("template_with_variables.json")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    box = window.variables.fields["dueDate"]
    before = box.text()
    focus(qtbot, box)
    box.end(False)
    qtbot.keyClicks(box, "!")
    assert window.document.variables["dueDate"] == before + "!"
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    assert box.text() == before
    assert window.document.undo_stack.isClean()
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL | SHIFT)
    assert window.document.variables["dueDate"] == before + "!"


# ---------------------------------------------------------------- 3: kind switches


def test_carousel_to_text_says_what_it_left_out_and_switching_back_brings_it_all_back(
    qtbot: QtBot, make_window: Make
) -> None:
    message = carousel(4)
    window = opened(qtbot, make_window, message)
    switch(qtbot, window, m.MessageKind.TEXT)
    assert window.editor.text.value() == "Card 0\nDesc 0"
    status = window.status_line.text()
    assert "3 cards and 4 suggestions left out" in status
    assert "Ctrl+Z" in status and "Carousel" in status
    switch(qtbot, window, m.MessageKind.CAROUSEL)
    assert window.document.message == message
    assert window.editor.carousel.strip.count() == 4
    assert "3 cards and 4 suggestions from before came back" in window.status_line.text()
    # What comes back is this draft's: another draft opened starts with nothing kept.
    switch(qtbot, window, m.MessageKind.TEXT)
    window.document.load(m.Draft(name="Other", message=m.Message(content=m.TextContent("Hi"))))
    switch(qtbot, window, m.MessageKind.CAROUSEL)
    assert [card.description for card in cards_of(window)] == ["Hi", None]


def test_text_edited_after_a_switch_goes_back_into_the_card_with_the_rest_of_it(
    qtbot: QtBot, make_window: Make
) -> None:
    window = opened(qtbot, make_window, horizontal_card())
    switch(qtbot, window, m.MessageKind.TEXT)
    text = window.editor.text.input
    focus(qtbot, text)
    text.moveCursor(text.textCursor().MoveOperation.End)
    qtbot.keyClicks(text, " more")
    switch(qtbot, window, m.MessageKind.RICH_CARD)
    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    assert (content.content.title, content.content.description) == ("T", "D more")
    assert content.orientation is m.Orientation.HORIZONTAL
    assert content.thumbnail_alignment is m.ThumbnailAlignment.RIGHT
    assert content.content.suggestions == (reply("Yes"),)
    assert window.editor.card.description.value() == "D more"


def test_rich_card_to_file_and_back_round_trips_and_names_what_the_file_left_out(
    qtbot: QtBot, make_window: Make
) -> None:
    message = horizontal_card()
    window = opened(qtbot, make_window, message)
    switch(qtbot, window, m.MessageKind.FILE)
    assert window.editor.file_url.value() == "https://x.test/a.jpg"
    assert "1 suggestion and the card's text left out" in window.status_line.text()
    switch(qtbot, window, m.MessageKind.RICH_CARD)
    assert window.document.message == message
    assert window.editor.card.orientation.currentText() == "Horizontal"
    assert window.editor.card.height_choice.currentText() == "Tall (264 dp)"
    window.undo_action.trigger()
    window.undo_action.trigger()
    assert window.document.message == message


def test_text_to_carousel_makes_its_first_card_from_the_text(
    qtbot: QtBot, make_window: Make
) -> None:
    window = opened(qtbot, make_window, m.Message(content=m.TextContent("Diwali offers")))
    switch(qtbot, window, m.MessageKind.CAROUSEL)
    cards = cards_of(window)
    assert cards[0].description == "Diwali offers"
    assert len(cards) == 2  # a carousel needs two: the second is there to fill in
    assert window.editor.carousel.card_editor.description.value() == "Diwali offers"
    assert window.status_line.text() == "Made it a carousel."  # nothing was left out


# ---------------------------------------------------------------- 8: Ctrl+D


def test_ctrl_d_in_a_card_title_duplicates_the_card_and_says_so(
    qtbot: QtBot, make_window: Make
) -> None:
    window = opened(qtbot, make_window, carousel(3))
    window.editor.carousel.select(1)
    title = window.editor.carousel.card_editor.title.input
    focus(qtbot, title)
    qtbot.keyClick(title, Qt.Key.Key_D, CTRL)
    assert [card.title for card in cards_of(window)] == ["Card 0", "Card 1", "Card 1", "Card 2"]
    assert window.editor.carousel.strip.currentRow() == 2
    assert window.status_line.text() == "Card 2 duplicated: the copy is card 3."


def test_ctrl_d_in_a_suggestions_field_duplicates_the_suggestion_not_the_card(
    qtbot: QtBot, make_window: Make
) -> None:
    window = opened(qtbot, make_window, carousel(2))
    suggestions = window.editor.carousel.card_editor.suggestions
    label = suggestions.detail.text.input
    focus(qtbot, label)
    qtbot.keyClick(label, Qt.Key.Key_D, CTRL)
    assert len(cards_of(window)) == 2
    assert cards_of(window)[0].suggestions == (reply("R0"), reply("R0"))
    focus(qtbot, suggestions.list)  # the list's own Ctrl+D is the same key: one duplicate
    qtbot.keyClick(suggestions.list, Qt.Key.Key_D, CTRL)
    assert len(cards_of(window)[0].suggestions) == 3


def test_ctrl_d_in_the_chip_list_duplicates_the_chip(qtbot: QtBot, make_window: Make) -> None:
    message = m.Message(content=m.TextContent("Hi"), chips=(reply("Yes"),))
    window = opened(qtbot, make_window, message)
    label = window.editor.chips.detail.text.input
    focus(qtbot, label)
    qtbot.keyClick(label, Qt.Key.Key_D, CTRL)
    assert window.document.message.chips == (reply("Yes"), reply("Yes"))


def test_duplicate_is_in_the_edit_menu_with_ctrl_d(qtbot: QtBot, make_window: Make) -> None:
    window = opened(qtbot, make_window, carousel(2))
    (edit,) = [a.menu() for a in window.menuBar().actions() if a.text() == "&Edit"]
    assert edit is not None
    shown = {a.text(): a.shortcut().toString() for a in edit.actions()}
    assert shown["&Duplicate card or suggestion"] == "Ctrl+D"
    focus(qtbot, window.editor.carousel.card_editor.description.input)
    window.duplicate_action.trigger()  # chosen in the menu: the card being edited
    assert len(cards_of(window)) == 3


def test_ctrl_d_in_a_standalone_card_says_what_it_can_duplicate(
    qtbot: QtBot, make_window: Make
) -> None:
    window = opened(qtbot, make_window, horizontal_card())
    title = window.editor.card.title.input
    focus(qtbot, title)
    qtbot.keyClick(title, Qt.Key.Key_D, CTRL)
    assert window.document.message == horizontal_card()
    assert "Nothing to duplicate here" in window.status_line.text()


# ---------------------------------------------------------------- 5: no re-layout per key


def test_typing_in_a_long_text_does_not_resize_the_page_at_every_key(
    qtbot: QtBot, make_window: Make
) -> None:
    long_text = "word " * 20_000
    window = opened(qtbot, make_window, m.Message(content=m.TextContent(long_text)))
    pages = window.editor.pages
    sized: list[int] = []
    original = pages.adjustSize

    def counted() -> None:
        sized.append(1)
        original()

    pages.adjustSize = counted  # type: ignore[method-assign]
    text = window.editor.text.input
    focus(qtbot, text)
    text.moveCursor(text.textCursor().MoveOperation.End)
    qtbot.keyClicks(text, "abc")
    assert window.editor.text.value() == long_text + "abc"
    assert sized == []
    switch(qtbot, window, m.MessageKind.RICH_CARD)  # another page: the stack takes its size
    assert sized
