"""Editing that never misleads: new elements start empty and flagged, numbers and times are
typed as typed, marks follow the typing and name fields as a person would."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.editors.fields import TextField
from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.send_dialog import SendDialog
from rcs_composer.gui.template_dialog import TemplateDialog

Make = Callable[..., MainWindow]
RED = "#b3261e"


def load(qtbot: QtBot, window: MainWindow, message: m.Message) -> None:
    """Open ``message`` as a draft; tests then wait for what validation shows."""
    window.document.load(m.Draft(name="Offer", message=message))
    qtbot.waitUntil(lambda: window.document.message == message)


def errors(window: MainWindow, code: str) -> list[str]:
    return [issue.message for issue in window.issues if issue.code == code]


def outlined(widget: QWidget) -> bool:
    """The field's border is drawn red, as the user sees it."""
    target = widget.input if isinstance(widget, TextField) else widget
    if target.property("severity") != "error":
        return False
    image = target.grab().toImage()
    return image.pixelColor(0, image.height() // 2).name() == RED


def card_window(qtbot: QtBot, make_window: Make) -> MainWindow:
    window = make_window("standalone_card.json")
    card = m.CardContent(
        title="Diwali offers",
        description="Up to 40% off.",
        suggestions=(m.SuggestionSlot(m.Reply(text="Interested", postback_data="yes")),),
    )
    load(qtbot, window, m.Message(content=m.RichCard(content=card)))
    return window


def add_from_menu(qtbot: QtBot, editor: SuggestionListEditor, kind: str) -> None:
    menu = editor.add_button.menu()
    (action,) = [a for a in menu.actions() if a.text() == kind]
    action.trigger()


# ---------------------------------------------------------------- 1. no placeholders


def test_showing_media_starts_with_an_empty_address_that_blocks_send_and_template(
    qtbot: QtBot, make_window: Make
) -> None:
    window = card_window(qtbot, make_window)
    editor = window.editor.card
    assert window.messages.send_action.isEnabled()
    editor.has_media.click()
    content = window.document.message.content
    assert isinstance(content, m.RichCard) and content.content.media is not None
    assert content.content.media.file is not None
    assert content.content.media.file.file_url is None  # not "https://"
    assert editor.file_url.value() == ""
    qtbot.waitUntil(lambda: bool(errors(window, "media.url.missing")))
    assert "Add the image address" in errors(window, "media.url.missing")[0]
    window.editor_scroller.ensureWidgetVisible(editor.file_url)
    qtbot.waitUntil(lambda: outlined(editor.file_url))
    tree = window.problems.tree
    labels = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert "Card > Image address" in labels
    # nothing with an empty required field can be sent ...
    assert not window.messages.send_action.isEnabled()
    send = SendDialog(window.context, window.document.draft, "sandbox", window)
    qtbot.addWidget(send)
    send.show()
    qtbot.waitUntil(send.profile_box.isEnabled, timeout=5000)
    send.recipients.setPlainText("919876543210")
    qtbot.waitUntil(lambda: "Add the image address" in send.send_button.toolTip())
    assert not send.send_button.isEnabled()
    # ... or saved as a template
    template = TemplateDialog(window.context, window.document.draft, "sandbox", window)
    qtbot.addWidget(template)
    template.show()
    qtbot.waitUntil(lambda: template.profile is not None, timeout=5000)
    template.name.setText("diwali_offer")
    assert "Add the image address" in template.save_button.toolTip()
    assert not template.save_button.isEnabled()


def test_a_new_open_url_suggestion_is_empty_and_says_what_to_type(
    qtbot: QtBot, make_window: Make
) -> None:
    window = card_window(qtbot, make_window)
    editor = window.editor.card.suggestions
    add_from_menu(qtbot, editor, "Open URL")
    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    chip = content.content.suggestions[-1].suggestion
    assert isinstance(chip, m.ActionChip) and isinstance(chip.action, m.OpenUrl)
    assert (chip.text, chip.postback_data, chip.action.url) == (None, None, None)
    detail = editor.detail
    assert (detail.url.value(), detail.text.value(), detail.postback.value()) == ("", "", "")
    qtbot.waitUntil(lambda: bool(errors(window, "open_url.url.missing")))
    assert "Add the link" in errors(window, "open_url.url.missing")[0]
    for field in (detail.url, detail.text, detail.postback):
        window.editor_scroller.ensureWidgetVisible(field)
        qtbot.waitUntil(lambda f=field: outlined(f))  # type: ignore[misc]
    assert not window.messages.send_action.isEnabled()


def test_an_added_card_is_empty_and_flagged(qtbot: QtBot, make_window: Make) -> None:
    window = make_window("carousel_with_chips.json")
    carousel = window.editor.carousel
    before = window.document.message.content
    assert isinstance(before, m.Carousel)
    carousel.buttons["Add card"].click()
    content = window.document.message.content
    assert isinstance(content, m.Carousel)
    card = content.cards[-1]
    assert (card.title, card.description) == (None, None)
    assert card.media is not None and card.media.file == m.FileRef()  # shaped like its neighbour
    number = len(content.cards)
    assert carousel.current == number - 1
    editor = carousel.card_editor
    assert (editor.title.value(), editor.description.value(), editor.file_url.value()) == (
        "",
        "",
        "",
    )
    qtbot.waitUntil(lambda: bool(errors(window, "media.url.missing")))
    labels = [
        window.problems.tree.topLevelItem(i).text(1)
        for i in range(window.problems.tree.topLevelItemCount())
    ]
    assert f"Card {number} > Image address" in labels
    assert f"Card {number}" in labels  # "Add a title or a description"
    assert "Add a title or a description" in errors(window, "card.text.missing")[0]
    window.editor_scroller.ensureWidgetVisible(editor.title)
    qtbot.waitUntil(lambda: outlined(editor.title))
    assert not window.messages.send_action.isEnabled()


# ---------------------------------------------------------------- 2. typing numbers and times


def location_window(qtbot: QtBot, make_window: Make) -> MainWindow:
    window = card_window(qtbot, make_window)
    editor = window.editor.card.suggestions
    add_from_menu(qtbot, editor, "View location")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def lat_long(window: MainWindow) -> m.LatLong | None:
    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    chip = content.content.suggestions[-1].suggestion
    assert isinstance(chip, m.ActionChip) and isinstance(chip.action, m.ViewLocation)
    return chip.action.lat_long


def content_chip(window: MainWindow) -> m.ActionChip:
    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    chip = content.content.suggestions[-1].suggestion
    assert isinstance(chip, m.ActionChip)
    return chip


def type_keys(qtbot: QtBot, field: TextField, text: str) -> None:
    """Type ``text`` one key at a time; the box shows exactly what was typed after each key."""
    field.input.setFocus()
    for count in range(1, len(text) + 1):
        qtbot.keyClick(field.input, text[count - 1])
        assert field.value() == text[:count]
        assert field.input.hasFocus()


def test_latitude_and_longitude_are_typed_key_by_key(qtbot: QtBot, make_window: Make) -> None:
    window = location_window(qtbot, make_window)
    detail = window.editor.card.suggestions.detail
    assert (detail.latitude.value(), detail.longitude.value()) == ("", "")  # not 0.000000
    assert lat_long(window) == m.LatLong()
    type_keys(qtbot, detail.latitude, "12.9716")
    type_keys(qtbot, detail.longitude, "77.5946")
    assert lat_long(window) == m.LatLong(12.9716, 77.5946)
    qtbot.keyClick(detail.longitude.input, Qt.Key.Key_Tab)  # leaving keeps what was typed
    assert (detail.latitude.value(), detail.longitude.value()) == ("12.9716", "77.5946")
    detail.latitude.input.selectAll()
    type_keys(qtbot, detail.latitude, "-33.8688")
    assert lat_long(window) == m.LatLong(-33.8688, 77.5946)
    qtbot.keyClicks(detail.latitude.input, "x,")  # not a number: refused, nothing changes
    assert detail.latitude.value() == "-33.8688"
    window.undo_action.trigger()  # typing one field is one undo step
    assert lat_long(window) == m.LatLong(12.9716, 77.5946)
    assert detail.latitude.value() == "12.9716"


def test_event_times_are_typed_key_by_key(qtbot: QtBot, make_window: Make) -> None:
    window = card_window(qtbot, make_window)
    editor = window.editor.card.suggestions
    add_from_menu(qtbot, editor, "Calendar event")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    detail = editor.detail
    assert (detail.start.value(), detail.end.value()) == ("", "")
    qtbot.waitUntil(lambda: len(errors(window, "calendar.time.missing")) == 2)
    assert "Add the event's start time." in errors(window, "calendar.time.missing")
    type_keys(qtbot, detail.start, "2026-12-05 10:30")
    type_keys(qtbot, detail.end, "2026-12-05 11:45")
    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    chip = content.content.suggestions[-1].suggestion
    assert isinstance(chip, m.ActionChip) and isinstance(chip.action, m.CalendarEvent)
    assert (chip.action.start_time, chip.action.end_time) == (
        "2026-12-05T10:30:00Z",
        "2026-12-05T11:45:00Z",
    )
    qtbot.waitUntil(lambda: not errors(window, "calendar.time.missing"))
    assert not errors(window, "calendar.time.format")
    # the day can be picked from a calendar too; the time typed is kept
    detail.end.calendar.clicked.emit(QDate(2026, 12, 24))
    chip = content_chip(window)
    assert isinstance(chip.action, m.CalendarEvent)
    assert chip.action.end_time == "2026-12-24T11:45:00Z"
    assert detail.end.value() == "2026-12-24 11:45"


# ---------------------------------------------------------------- 5. marks


def test_a_fixed_field_stops_being_red_at_once(qtbot: QtBot, make_window: Make) -> None:
    window = location_window(qtbot, make_window)
    detail = window.editor.card.suggestions.detail
    window.editor_scroller.ensureWidgetVisible(detail.latitude)
    type_keys(qtbot, detail.longitude, "77.5946")
    type_keys(qtbot, detail.latitude, "95")
    qtbot.waitUntil(lambda: "between -90 and 90" in detail.latitude.input.toolTip())
    assert outlined(detail.latitude)
    qtbot.keyClick(detail.latitude.input, Qt.Key.Key_Backspace)  # "9": fixed, still typing
    qtbot.waitUntil(lambda: not outlined(detail.latitude))
    assert detail.latitude.input.hasFocus()
    assert not errors(window, "location.latitude.range")
    # an event time being typed is marked while it is incomplete, and clears when complete
    editor = window.editor.card.suggestions
    add_from_menu(qtbot, editor, "Calendar event")
    window.editor_scroller.ensureWidgetVisible(detail.start)
    type_keys(qtbot, detail.start, "2026-12-05 10:3")
    qtbot.waitUntil(lambda: bool(errors(window, "calendar.time.format")))
    qtbot.waitUntil(lambda: outlined(detail.start))
    qtbot.keyClick(detail.start.input, "0")
    qtbot.waitUntil(lambda: not outlined(detail.start))
    assert detail.start.input.hasFocus()


def test_a_bad_dial_number_is_outlined_when_its_problem_is_clicked(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window("standalone_card.json")
    chips = (
        m.SuggestionSlot(m.Reply(text="Interested", postback_data="yes")),
        m.SuggestionSlot(
            m.ActionChip(text="Call us", postback_data="call", action=m.Dial("12345"))
        ),
    )
    card = m.CardContent(title="Offer", description="d", suggestions=chips)
    load(qtbot, window, m.Message(content=m.RichCard(content=card)))
    window.activateWindow()
    qtbot.waitUntil(lambda: bool(errors(window, "dial.phone.format")))
    tree = window.problems.tree
    (row,) = [
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(1) == "Card > Suggestion 2 > Phone number"
    ]
    assert "$.richCardStandalone.content.suggestions[1].action.dialAction.phoneNumber" in (
        row.toolTip(2)
    )
    assert "E.164" in row.toolTip(2)  # the rule's source, for those who want it
    rows = window.editor.card.suggestions.list  # the suggestion not shown: its row says so
    assert "+919876543210" in rows.item(1).toolTip() and not rows.item(1).icon().isNull()
    assert rows.item(0).toolTip() == "" and rows.item(0).icon().isNull()
    tree.itemActivated.emit(row, 1)
    phone = window.editor.card.suggestions.detail.phone
    qtbot.waitUntil(lambda: phone.input.hasFocus())
    qtbot.waitUntil(lambda: outlined(phone))
    assert "+919876543210" in phone.input.toolTip()
    # the reply shown instead: the same widgets carry no stale marks
    window.editor.card.suggestions.select(0)
    assert not outlined(window.editor.card.suggestions.detail.text)


def test_marks_follow_the_card_shown(qtbot: QtBot, make_window: Make) -> None:
    window = make_window("carousel_with_chips.json")
    content = window.document.message.content
    assert isinstance(content, m.Carousel)
    cards = list(content.cards)
    cards[0] = m.CardContent(title="t" * 201, description="d")
    load(qtbot, window, m.Message(content=m.Carousel(cards=tuple(cards)), chips=()))
    editor = window.editor.carousel
    title = editor.card_editor.title
    qtbot.waitUntil(lambda: outlined(title))
    editor.select(1)
    assert not outlined(title)  # card 2's title is fine
    editor.select(0)
    assert outlined(title)


def test_problems_name_fields_and_group_repeats(qtbot: QtBot, make_window: Make) -> None:
    window = make_window("carousel_with_chips.json")
    cards = tuple(
        m.CardContent(
            title=f"Card {number}",
            description="d",
            media=m.Media(
                height=m.MediaHeight.SHORT,
                file=m.FileRef(file_url=f"http://example.com/{number}.png"),
            ),
        )
        for number in range(1, 11)
    )
    load(qtbot, window, m.Message(content=m.Carousel(cards=cards)))
    tree = window.problems.tree
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1)
    row = tree.topLevelItem(0)
    assert row.text(1) == "Card 1-10 > Image address"
    assert row.text(2).endswith("(10)")
    assert "http" in row.text(2)
    assert "$.richCardCarousel.cardContents[9].media.file.fileUrl" in row.toolTip(1)
    assert "Source: RBM" in row.toolTip(1)
    assert "10 warnings" in window.problems.heading.text()
    for column in range(tree.columnCount()):
        assert "$." not in row.text(column)
        assert "seeds" not in row.text(column)
    strip = window.editor.carousel.strip  # each card's tile carries its mark
    assert all("uses http" in strip.item(i).toolTip() for i in range(10))
    tree.itemActivated.emit(row, 1)
    assert window.editor.carousel.current == 0


# ---------------------------------------------------------------- one address everywhere


def test_every_element_of_the_preview_names_a_field_the_editor_can_focus(
    qtbot: QtBot, make_window: Make
) -> None:
    """The preview's hit regions, the editors and validation share one address per field."""
    from rcs_composer.core.field_paths import FieldPath

    window = make_window("carousel_with_chips.json")
    window.activateWindow()
    messages = [
        window.document.message,
        m.Message(content=m.TextContent("Hello")),
        m.Message(content=m.FileContent(m.FileRef(file_url="https://e.in/a.pdf"))),
        m.Message(
            content=m.RichCard(
                content=m.CardContent(
                    title="T",
                    description="D",
                    media=m.Media(
                        height=m.MediaHeight.SHORT, file=m.FileRef(file_url="https://e.in/a.png")
                    ),
                    suggestions=(m.SuggestionSlot(m.Reply(text="Yes", postback_data="y")),),
                )
            )
        ),
    ]
    for message in messages:
        load(qtbot, window, message)
        paths = {i.path for i in window.preview_pane.preview.layout_.items if i.path}
        assert paths
        for path in sorted(paths):
            field = FieldPath.parse(path)
            assert field is not None, path
            assert field.get(window.document.message) is not None, path
            assert window.editor.focus_path(path), path
            assert window.editor.registry.resolve(field) is not None


def test_problems_with_paths_that_name_no_field_still_read_well(qtbot: QtBot) -> None:
    from rcs_composer.core.issues import Issue, Severity
    from rcs_composer.gui.editors.fields import FieldRegistry
    from rcs_composer.gui.editors.panels import ProblemsPanel

    hostile = [
        "$." + "a" * 5000,
        "$['\u2028']",
        "not a path",
        "$.richCardStandalone.content.titel",
        "$.richCardCarousel.cardContents[99999999999].title",
        "",
    ]
    issues = [Issue(Severity.WARNING, path, "key.unknown", "odd", "src") for path in hostile]
    panel = ProblemsPanel()
    qtbot.addWidget(panel)
    panel.set_issues(issues)
    assert panel.tree.topLevelItemCount() == len(hostile)
    labels = [panel.tree.topLevelItem(i).text(1) for i in range(len(hostile))]
    assert all(len(label) <= 200 for label in labels)
    assert labels[3] == "Card > titel"
    registry = FieldRegistry()
    registry.mark(issues)  # nothing registered: nothing to outline, nothing raised
    assert registry.resolve(hostile[0]) is None


def test_orientation_and_alignment_edit_through_their_addresses(
    qtbot: QtBot, make_window: Make
) -> None:
    window = card_window(qtbot, make_window)
    editor = window.editor.card
    editor.orientation.activated.emit(1)
    card = window.document.message.content
    assert isinstance(card, m.RichCard)
    assert (card.orientation, card.thumbnail_alignment) == (
        m.Orientation.HORIZONTAL,
        m.ThumbnailAlignment.LEFT,
    )
    editor.alignment.activated.emit(2)
    card = window.document.message.content
    assert isinstance(card, m.RichCard)
    assert card.thumbnail_alignment is m.ThumbnailAlignment.RIGHT
    assert card.content.title == "Diwali offers"  # the rest of the card is untouched
    window.undo_action.trigger()
    card = window.document.message.content
    assert isinstance(card, m.RichCard)
    assert card.thumbnail_alignment is m.ThumbnailAlignment.LEFT
