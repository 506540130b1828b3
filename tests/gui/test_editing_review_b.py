"""Editing review, second part: a suggestion's own fields in the Tab order and with Alt+letters,
a location sends what its form shows, lists as tall as their rows, coordinate boxes that take
what people paste, and text far past every limit shown without freezing the window."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.app.services import Services
from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.gui.editors.fields import FAR_PAST_LIMITS, TextField
from rcs_composer.gui.editors.suggestion_detail import SuggestionDetail, mnemonic_letter
from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor
from rcs_composer.gui.main_window import MainWindow

Make = Callable[..., MainWindow]
MENU_LETTERS = set("femvh")


def opened(qtbot: QtBot, make_window: Make, message: m.Message) -> MainWindow:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.document.load(m.Draft(name="Offer", message=message))
    qtbot.waitUntil(lambda: window.document.message == message)
    return window


def add(editor: SuggestionListEditor, kind: str) -> None:
    (action,) = [a for a in editor.add_button.menu().actions() if a.text() == kind]
    action.trigger()


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def tab(qtbot: QtBot) -> QWidget:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    return QApplication.focusWidget()


def type_into(qtbot: QtBot, field: TextField, text: str) -> None:
    focus(qtbot, field.input)
    qtbot.keyClicks(field.input, text)


def choose(qtbot: QtBot, radio: QWidget) -> None:
    """Click the radio button's circle (its middle may be past the end of its text)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(6, radio.height() // 2))


def wire_location(window: MainWindow) -> object:
    data = codecs.export_message(window.document.message)
    return data["suggestions"][0]["action"]["viewLocationAction"]


def first_fields(detail: SuggestionDetail, kind: str) -> list[QWidget]:
    """The fields a user reaches with Tab after "Button id", top to bottom."""
    if kind == "Open URL":
        return [detail.url.input, detail.application, detail.url_description.input]
    if kind == "Dial":
        return [detail.phone.input]
    if kind == "View location":
        return [detail.by_coordinates, detail.latitude.input, detail.longitude.input]
    return [detail.start.input, detail.start.pick, detail.end.input, detail.end.pick]


# ------------------------------------------------------------ 1: Tab order and Alt+letters


@pytest.mark.parametrize("kind", ["Open URL", "Dial", "View location", "Calendar event"])
@pytest.mark.parametrize("where", ["chip list", "card"])
def test_tab_goes_from_button_id_into_the_kinds_fields(
    qtbot: QtBot, make_window: Make, kind: str, where: str
) -> None:
    card = m.RichCard(orientation=m.Orientation.VERTICAL, content=m.CardContent(title="T"))
    window = opened(qtbot, make_window, m.Message(content=card))
    editor = window.editor.chips if where == "chip list" else window.editor.card.suggestions
    add(editor, kind)
    detail = editor.detail
    focus(qtbot, detail.button_id.input)
    expected = first_fields(detail, kind)
    reached = [tab(qtbot) for _ in expected]
    assert reached == expected
    tops = [w.mapTo(detail, QPoint(0, 0)).y() for w in [detail.button_id.input, *reached]]
    assert tops == sorted(tops)


def visible_mnemonics(root: QWidget) -> dict[str, list[str]]:
    letters: dict[str, list[str]] = {}
    for label in root.findChildren(QLabel):
        if label.buddy() is not None and label.isVisibleTo(root.window()):
            letters.setdefault(mnemonic_letter(label.text()) or "", []).append(label.text())
    return letters


@pytest.mark.parametrize("kind", ["Open URL", "Dial", "View location", "Calendar event"])
def test_every_chip_field_label_has_its_own_alt_letter(
    qtbot: QtBot, make_window: Make, kind: str
) -> None:
    window = opened(qtbot, make_window, m.Message(content=m.TextContent("Hi")))
    add(window.editor.chips, kind)
    letters = visible_mnemonics(window.editor)
    assert "" not in letters, letters[""]  # every label has one
    assert {k: v for k, v in letters.items() if len(v) > 1} == {}  # no letter taken twice
    assert not MENU_LETTERS & set(letters)
    detail = window.editor.chips.detail
    for field in (detail.text, detail.postback, detail.button_id):
        assert "&" in field.label.text()


def test_alt_letter_of_a_lazily_built_field_reaches_it(qtbot: QtBot, make_window: Make) -> None:
    window = opened(qtbot, make_window, m.Message(content=m.TextContent("Hi")))
    add(window.editor.chips, "Open URL")
    detail = window.editor.chips.detail
    for target in (detail.url.label, detail.form.labelForField(detail.webview_mode)):
        assert isinstance(target, QLabel)
        letter = mnemonic_letter(target.text())
        assert letter is not None, target.text()
    letter = mnemonic_letter(detail.url.label.text())
    assert letter is not None
    focus(qtbot, detail.text.input)
    qtbot.keyClick(window, letter, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is detail.url.input)


def test_a_cards_lazily_built_fields_do_not_take_the_pages_letters(
    qtbot: QtBot, make_window: Make
) -> None:
    card = m.RichCard(orientation=m.Orientation.VERTICAL, content=m.CardContent(title="T"))
    window = opened(qtbot, make_window, m.Message(content=card))
    page = window.editor.card
    before = {
        mnemonic_letter(label.text())
        for label in page.findChildren(QLabel)
        if label.buddy() is not None and label.isVisibleTo(window)
    }
    add(page.suggestions, "Dial")
    phone = page.suggestions.detail.phone.label.text()
    assert "&" in phone
    assert mnemonic_letter(phone) not in before | MENU_LETTERS


# ------------------------------------------------------------ 4: a location sends what it shows


def test_location_sends_only_the_mode_shown_and_keeps_the_other_while_editing(
    qtbot: QtBot, make_window: Make
) -> None:
    window = opened(qtbot, make_window, m.Message(content=m.TextContent("Hi")))
    chips = window.editor.chips
    add(chips, "View location")
    detail = chips.detail
    type_into(qtbot, detail.text, "Find us")
    type_into(qtbot, detail.postback, "loc")
    type_into(qtbot, detail.latitude, "12.5")
    type_into(qtbot, detail.longitude, "77.5")
    type_into(qtbot, detail.label, "Old office")
    choose(qtbot, detail.by_query)
    assert not detail.label.isVisible() and detail.query.isVisible()
    type_into(qtbot, detail.query, "Acme store")
    assert wire_location(window) == {"query": "Acme store"}  # no hidden label is sent

    choose(qtbot, detail.by_coordinates)
    assert (detail.latitude.value(), detail.longitude.value()) == ("12.5", "77.5")
    assert detail.label.value() == "Old office" and not detail.query.isVisible()
    sent = wire_location(window)
    assert sent == {"latLong": {"latitude": 12.5, "longitude": 77.5}, "label": "Old office"}

    choose(qtbot, detail.by_query)
    assert detail.query.value() == "Acme store"
    assert wire_location(window) == {"query": "Acme store"}
    # What is exported comes back the same.
    exported = codecs.export_message(window.document.message)
    again = codecs.decode_message(json.loads(json.dumps(exported)))
    assert codecs.export_message(again) == exported
    assert again.chips[0].suggestion.action == window.document.message.chips[0].suggestion.action
    # Another draft's location does not get this one's coordinates back.
    other = m.Message(
        content=m.TextContent("Hi"),
        chips=(m.SuggestionSlot(m.ActionChip(action=m.ViewLocation(query="Elsewhere"))),),
    )
    window.document.load(m.Draft(name="Other", message=other))
    qtbot.waitUntil(lambda: window.document.message == other)
    choose(qtbot, detail.by_coordinates)
    assert (detail.latitude.value(), detail.label.value()) == ("", "")


def test_an_imported_label_with_a_query_is_shown(qtbot: QtBot, make_window: Make) -> None:
    action = m.ViewLocation(query="Acme store", label="Old office")
    message = m.Message(
        content=m.TextContent("Hi"), chips=(m.SuggestionSlot(m.ActionChip(action=action)),)
    )
    window = opened(qtbot, make_window, message)
    window.editor.chips.select(0)
    detail = window.editor.chips.detail
    assert detail.label.isVisible() and detail.label.value() == "Old office"


# ------------------------------------------------------------ 6: lists as tall as their rows


def test_three_chips_show_every_row_without_a_scroll_bar(qtbot: QtBot, make_window: Make) -> None:
    window = opened(qtbot, make_window, m.Message(content=m.TextContent("Hi")))
    chips = window.editor.chips
    for kind in ("Reply", "Dial", "Open URL"):
        add(chips, kind)
    qtbot.wait(20)
    rows = chips.list
    assert rows.count() == 3
    assert not rows.item(0).icon().isNull()  # the new chips are marked: rows are taller
    assert rows.verticalScrollBar().maximum() == 0
    for row in range(rows.count()):
        assert rows.viewport().rect().contains(rows.visualItemRect(rows.item(row)))


# ------------------------------------------------------------ 9: coordinate boxes


@pytest.fixture
def location(qtbot: QtBot, make_window: Make) -> tuple[MainWindow, SuggestionDetail]:
    window = opened(qtbot, make_window, m.Message(content=m.TextContent("Hi")))
    add(window.editor.chips, "View location")
    return window, window.editor.chips.detail


def lat_long(window: MainWindow) -> m.LatLong | None:
    action = window.document.message.chips[0].suggestion.action
    assert isinstance(action, m.ViewLocation)
    return action.lat_long


def paste(qtbot: QtBot, field: TextField, text: str) -> None:
    QApplication.clipboard().setText(text)
    focus(qtbot, field.input)
    qtbot.keyClick(field.input, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("box", ["latitude", "longitude"])
def test_pasting_a_maps_pair_fills_both_boxes(
    qtbot: QtBot, location: tuple[MainWindow, SuggestionDetail], box: str
) -> None:
    window, detail = location
    field = detail.latitude if box == "latitude" else detail.longitude
    paste(qtbot, field, "12.9716, 77.5946")
    point = lat_long(window)
    assert point is not None and (point.latitude, point.longitude) == (12.9716, 77.5946)
    assert (detail.latitude.value(), detail.longitude.value()) == ("12.9716", "77.5946")
    assert field.note.isVisible() and "latitude 12.9716 and longitude 77.5946" in field.note.text()


def test_spaces_around_a_number_and_a_decimal_comma_are_read(
    qtbot: QtBot, location: tuple[MainWindow, SuggestionDetail]
) -> None:
    window, detail = location
    paste(qtbot, detail.latitude, " 12.9716 ")
    assert lat_long(window) == m.LatLong(latitude=12.9716)
    detail.latitude.input.clear()
    qtbot.keyClicks(detail.latitude.input, "12,97")
    assert lat_long(window) == m.LatLong(latitude=12.97)  # not 129
    qtbot.keyClick(detail.latitude.input, Qt.Key.Key_Tab)
    assert detail.latitude.value() == "12.97"


def test_what_a_box_refuses_it_says(
    qtbot: QtBot, location: tuple[MainWindow, SuggestionDetail]
) -> None:
    _window, detail = location
    paste(qtbot, detail.latitude, "Bengaluru")
    assert detail.latitude.value() == ""
    assert detail.latitude.note.isVisible() and "not a number" in detail.latitude.note.text()


def test_out_of_range_says_the_number_as_typed(
    qtbot: QtBot, location: tuple[MainWindow, SuggestionDetail]
) -> None:
    window, detail = location
    type_into(qtbot, detail.latitude, "95")
    qtbot.waitUntil(lambda: any("Latitude 95 must" in i.message for i in window.issues))
    assert not [i for i in window.issues if "95.0" in i.message]


# ------------------------------------------------------------ 5: text far past every limit


def test_a_huge_unbroken_text_opens_capped_and_is_saved_whole(
    qtbot: QtBot, make_window: Make
) -> None:
    services = Services()
    text = "x" * 300_000
    saved = services.drafts.save(None, m.Draft(name="Huge", message=m.Message(m.TextContent(text))))
    window = make_window(services=services)
    window.files.open_draft(saved.draft_id)
    qtbot.waitUntil(lambda: window.document.draft_id == saved.draft_id, timeout=20000)
    field = window.editor.text
    # The cheap path: the box holds the start of the text, read-only, and says why.
    assert field.capped and field.input.isReadOnly()
    assert len(field.input.toPlainText()) == FAR_PAST_LIMITS
    assert field.value() == text
    assert field.capped_note is not None and field.capped_note.isVisible()
    assert "300,000 characters" in field.capped_note.text()
    assert field.counter.text().startswith("300000/")
    assert any(issue.code == "text.too_long" for issue in window.issues)
    # An edit elsewhere, a save: every character is kept.
    add(window.editor.chips, "Reply")
    with qtbot.waitSignal(window.files.saved, timeout=20000):
        window.files.save()
    content = services.drafts.load(saved.draft_id).message.content
    assert isinstance(content, m.TextContent) and content.text == text


def test_cutting_a_capped_text_to_its_limit_is_undone_by_ctrl_z(
    qtbot: QtBot, make_window: Make
) -> None:
    text = "x" * (FAR_PAST_LIMITS + 1)
    window = opened(qtbot, make_window, m.Message(content=m.TextContent(text)))
    field = window.editor.text
    assert field.cut_button is not None and field.limit is not None
    qtbot.mouseClick(field.cut_button, Qt.MouseButton.LeftButton)
    content = window.document.message.content
    assert isinstance(content, m.TextContent) and len(content.text) == field.limit
    assert not field.capped and not field.input.isReadOnly()
    window.document.undo_stack.undo()
    assert field.capped and field.value() == text


def test_a_long_unbroken_run_wraps_anywhere(qtbot: QtBot, make_window: Make) -> None:
    url = "https://example.com/?q=" + "a" * 50_000
    window = opened(qtbot, make_window, m.Message(content=m.TextContent(f"See {url}")))
    field = window.editor.text
    assert not field.capped and field.input.wordWrapMode() is QTextOption.WrapMode.WrapAnywhere
    window.document.load(m.Draft(name="Short", message=m.Message(m.TextContent("Two words"))))
    qtbot.waitUntil(lambda: field.value() == "Two words")
    mode = field.input.wordWrapMode()
    assert mode is QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere


def test_an_edit_elsewhere_does_not_set_the_text_again(qtbot: QtBot, make_window: Make) -> None:
    """The box shows "\\r\\n" as a line break: comparing with what the box reads back made
    every refresh set the whole text again (and move the cursor to its start)."""
    window = opened(qtbot, make_window, m.Message(content=m.TextContent("Hello\r\nWorld")))
    field = window.editor.text
    changes: list[None] = []
    field.input.textChanged.connect(lambda: changes.append(None))
    add(window.editor.chips, "Reply")
    type_into(qtbot, window.editor.chips.detail.text, "Yes")
    assert changes == []
