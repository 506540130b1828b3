"""Driving the editors as a person would: typing, adding, reordering, undo, marks, focus."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> Callable[..., MainWindow]:
    return lambda _qtbot, sample="standalone_card.json": make_window(sample)


def type_text(widget: QWidget, text: str) -> None:
    """Send key events carrying the text (keyClicks aborts on non-ASCII)."""
    for char in text:
        widget.setFocus()
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )
        QApplication.sendEvent(
            widget, QKeyEvent(QEvent.Type.KeyRelease, 0, Qt.KeyboardModifier.NoModifier, char)
        )


def card(win: MainWindow) -> m.CardContent:
    content = win.document.message.content
    assert isinstance(content, m.RichCard)
    return content.content


def preview_titles(win: MainWindow) -> list[str]:
    return [item.text for item in win.preview_pane.preview.layout_.items if item.kind == "title"]


def test_typing_a_title_changes_the_model_counter_and_preview(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot)
    title = win.editor.card.title
    title.input.selectAll()
    qtbot.keyClicks(title.input, "Mega sale")
    assert card(win).title == "Mega sale"
    assert title.counter.text() == "9/200"
    assert preview_titles(win) == ["Mega sale"]
    type_text(title.input, " é🎉")
    assert card(win).title == "Mega sale é🎉"
    assert preview_titles(win) == ["Mega sale é🎉"]


def test_typing_is_one_undo_step_and_redo_restores(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot)
    original = card(win).title
    title = win.editor.card.title
    title.input.selectAll()
    qtbot.keyClicks(title.input, "New title")
    win.undo_action.trigger()
    assert card(win).title == original
    assert title.value() == original
    win.redo_action.trigger()
    assert title.value() == "New title"


def test_over_the_limit_is_marked_on_the_field_and_listed(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot)
    title = win.editor.card.title
    title.input.selectAll()
    qtbot.keyClicks(title.input, "x" * 201)
    qtbot.waitUntil(lambda: any(i.code == "card.title.too_long" for i in win.issues))
    assert title.input.property("severity") == "error"
    assert "200" in title.input.toolTip()
    assert title.counter.property("counter") == "over"
    assert "1 error" in win.problems.heading.text()


def test_clicking_a_problem_focuses_its_field(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot, "carousel_with_chips.json")
    win.activateWindow()
    carousel = win.document.message.content
    assert isinstance(carousel, m.Carousel)
    cards = list(carousel.cards)
    cards[2] = m.CardContent(title="t" * 201, description="d")
    win.document.set_message(
        m.Message(content=m.Carousel(cards=tuple(cards)), chips=win.document.message.chips), "x"
    )
    qtbot.waitUntil(lambda: bool(win.issues))
    item = win.problems.tree.topLevelItem(0)
    assert item.text(1) == "Card 3 > Title"
    assert "$.richCardCarousel.cardContents[2].title" in item.toolTip(2)
    win.problems.tree.itemActivated.emit(item, 1)
    assert win.editor.carousel.current == 2
    assert win.editor.carousel.card_editor.title.value() == "t" * 201
    qtbot.waitUntil(lambda: win.editor.carousel.card_editor.title.input.hasFocus())


def test_suggestions_add_reorder_remove_and_undo(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot)
    editor = win.editor.card.suggestions
    editor.add("Dial")
    assert [
        type(s.suggestion.action).__name__ if isinstance(s.suggestion, m.ActionChip) else "Reply"
        for s in card(win).suggestions
    ] == ["Reply", "OpenUrl", "Dial"]
    editor.select(2)
    editor.move_selected(-1)
    editor.move_selected(-1)
    labels = [s.suggestion.text for s in card(win).suggestions]
    assert labels == [None, "Interested", "Shop now"]  # the new chip starts without a label
    editor.select(0)
    editor.remove()
    assert [s.suggestion.text for s in card(win).suggestions] == ["Interested", "Shop now"]
    for _ in range(4):
        win.undo_action.trigger()
    assert [s.suggestion.text for s in card(win).suggestions] == ["Interested", "Shop now"]
    assert editor.list.count() == 2
    win.redo_action.trigger()
    assert editor.list.count() == 3


def test_suggestion_fields_follow_their_kind(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot)
    editor = win.editor.card.suggestions
    editor.select(1)  # the Open URL action
    detail = editor.detail
    assert detail.url.isVisible()
    assert "Dial" not in detail.rows  # fields of other kinds are built when first needed
    detail.url.input.selectAll()
    qtbot.keyClicks(detail.url.input, "https://shop.example.com")
    action = card(win).suggestions[1].suggestion
    assert isinstance(action, m.ActionChip) and isinstance(action.action, m.OpenUrl)
    assert action.action.url == "https://shop.example.com"
    assert not detail.webview_mode.isEnabled()  # BROWSER: no webview mode
    editor.add("Calendar event")
    editor.select(2)
    assert detail.start.isVisible()
    assert not detail.url.isVisible()
    editor.add("Dial")
    editor.select(3)
    assert detail.phone.isVisible()
    assert not detail.start.isVisible()


def test_card_limit_in_the_carousel(qtbot: QtBot, window: Callable[..., MainWindow]) -> None:
    win = window(qtbot, "carousel_with_chips.json")
    carousel = win.editor.carousel
    for _ in range(10):
        carousel.add()
    content = win.document.message.content
    assert isinstance(content, m.Carousel)
    assert len(content.cards) == 10
    assert not carousel.buttons["Add card"].isEnabled()
    assert "at most 10" in carousel.buttons["Add card"].toolTip()
    for _ in range(12):
        carousel.delete()
    content = win.document.message.content
    assert isinstance(content, m.Carousel)
    assert len(content.cards) == 2
    assert not carousel.buttons["Delete"].isEnabled()


def test_carousel_reorder_by_keyboard_and_preview_order(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot, "carousel_with_chips.json")
    carousel = win.editor.carousel
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    carousel.select(0)
    carousel.strip.setFocus()
    qtbot.keyClick(carousel.strip, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    content = win.document.message.content
    assert isinstance(content, m.Carousel)
    assert [c.title for c in content.cards] == ["Dry fruit hamper", "Kaju katli box", "Diya set"]
    assert preview_titles(win)[:2] == ["Dry fruit hamper", "Kaju katli box"]
    win.undo_action.trigger()
    content = win.document.message.content
    assert isinstance(content, m.Carousel)
    assert content.cards[0].title == "Kaju katli box"


def test_switching_kind_keeps_title_media_and_is_undoable(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot)
    before = card(win)
    win.editor.kind_buttons[m.MessageKind.CAROUSEL].click()
    content = win.document.message.content
    assert isinstance(content, m.Carousel)
    assert content.cards[0].title == before.title
    assert content.cards[0].media == before.media
    assert len(content.cards) == 2
    win.undo_action.trigger()
    assert card(win) == before


def test_variables_panel_lists_in_order_and_flags_missing(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot, "template_with_variables.json")
    panel = win.variables
    assert panel.names == ["customerName", "consumerNo", "billAmount", "dueDate"]
    assert panel.missing() == []
    field = panel.fields["dueDate"]
    field.clear()
    qtbot.keyClicks(field, " ")
    assert panel.missing() == ["dueDate"]
    assert (
        "missing" in panel.fields["dueDate"].placeholderText() or panel.fields["dueDate"].toolTip()
    )
    field.clear()
    qtbot.keyClicks(field, "1 Dec")
    assert "1 Dec" in " ".join(item.text for item in win.preview_pane.preview.layout_.items)


def test_the_variables_hint_is_elided_in_a_narrow_column_never_widening_it(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot)  # a card without variables: the title is the hint
    panel = win.variables
    full = "Variables: none in this message. Type {{name}} in any text to add one."
    assert panel.toolTip() == panel.accessibleName() == full
    assert panel.minimumSizeHint().width() < panel.fontMetrics().horizontalAdvance(full)
    panel.resize(panel.fontMetrics().horizontalAdvance(full) // 2, panel.height())
    assert panel.title().endswith("…") and full.startswith(panel.title()[:-1])
    panel.resize(panel.fontMetrics().horizontalAdvance(full) * 2, panel.height())
    assert panel.title() == full


def test_clicking_the_preview_focuses_the_field(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot)
    win.activateWindow()
    preview = win.preview_pane.preview
    title_item = next(item for item in preview.layout_.items if item.kind == "title")
    from rcs_composer.gui.preview import geometry

    point = (
        title_item.rect.center() + QPointF(geometry.PHONE_BEZEL_DP, geometry.PHONE_BEZEL_DP)
    ) * preview.zoom
    assert preview.element_at(point) == "$.richCardStandalone.content.title"
    with qtbot.waitSignal(preview.element_clicked) as clicked:
        qtbot.mouseClick(preview, Qt.MouseButton.LeftButton, pos=point.toPoint())
    assert clicked.args == ["$.richCardStandalone.content.title"]
    qtbot.waitUntil(lambda: win.editor.card.title.input.hasFocus())


def test_grab_the_editor(qtbot: QtBot, window: Callable[..., MainWindow]) -> None:
    from pathlib import Path

    win = window(qtbot, "carousel_with_chips.json")
    out = Path(__file__).parent.parent.parent / "test-output"
    out.mkdir(exist_ok=True)
    assert win.grab().save(str(out / "main-window-carousel.png"))


def test_window_geometry_and_splitters_are_remembered(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    first = window(qtbot)
    qtbot.waitUntil(lambda: first.docks.library_dock is not None)
    first.docks.toggle_library(False)
    first.resize(760, 560)  # inside the offscreen screen, which restoreGeometry clamps to
    first.columns.setSizes([460, 300])
    first.close()
    sizes = first.columns.sizes()
    second = window(qtbot)
    # The start-up work after the first paint, which would open the library, has run.
    qtbot.waitUntil(lambda: second.context.session_id is not None)
    assert second.docks.library_dock is None
    assert second.columns.sizes() == sizes
    assert (second.width(), second.height()) == (760, 560)


def test_selecting_a_card_scrolls_the_preview_to_it(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    win = window(qtbot, "carousel_with_chips.json")
    assert win.preview_pane.preview.carousel_offset == 0
    win.editor.carousel.strip.setCurrentRow(2)
    assert win.preview_pane.preview.carousel_offset > 0


def test_a_message_with_thousands_of_variables_lists_a_hundred_and_counts_the_rest(
    qtbot: QtBot, window: Callable[..., MainWindow]
) -> None:
    """4,000 {{variables}} took the panel 25 s to build (a style sheet per field per edit)."""
    from rcs_composer.gui.editors.panels import SHOWN_VARIABLES

    win = window(qtbot)
    panel = win.variables
    words = " ".join(f"{{{{v{index}}}}}" for index in range(4_000))
    content = win.document.message.content
    assert isinstance(content, m.RichCard)
    card_now = dataclasses.replace(content.content, description=words)
    win.document.set_message(
        dataclasses.replace(win.document.message, content=m.RichCard(content=card_now)), "Paste"
    )
    assert len(panel.names) == 4_000 and len(panel.fields) == SHOWN_VARIABLES == 100
    assert panel.more is not None and panel.more.text().startswith("…and 3900 more, not listed")
    assert len(panel.missing()) == 4_000  # every one still counts for the send
    panel.fields["v0"].setText("Asha")
    win.document.set_variable("v0", "Asha")
    assert len(panel.missing()) == 3_999
    win.document.undo_stack.undo()
    win.document.undo_stack.undo()
    assert panel.more is None and panel.names == []
