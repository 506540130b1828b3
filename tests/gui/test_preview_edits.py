"""Every edit of a carousel card shows at once in the preview, whichever field and card it is.

The preview reuses the laid-out boxes of the cards an edit did not change and repaints only
what changed: these tests type into the editor as a person would and check that the phone on
screen (the window's own pixels, not a fresh paint) shows the new value, and that the reused
layout is the one a build from scratch gives.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image, ImageChops
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.core.model import Draft
from rcs_composer.core.variables import substitute
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.preview.layout import Item, build_layout
from rcs_composer.gui.preview.widget import PhonePreview

ROUNDING = 3  # of 255: the most a repaint in parts may differ from a full paint, unseen
NOWHERE = "http://127.0.0.1:9/{}.png"  # nothing answers: media stays a placeholder
CARDS = "$.richCardCarousel.cardContents"


def ten_cards() -> m.Message:
    def card(index: int) -> m.CardContent:
        return m.CardContent(
            title=f"Card {index + 1}",
            description="Fresh sweets, gift wrapped.",
            media=m.Media(
                height=m.MediaHeight.SHORT, file=m.FileRef(file_url=NOWHERE.format(index))
            ),
            suggestions=(
                m.SuggestionSlot(
                    m.ActionChip(
                        text="Shop", postback_data="p", action=m.OpenUrl(url="https://e.in")
                    )
                ),
            ),
        )

    return m.Message(content=m.Carousel(cards=tuple(card(i) for i in range(10))))


@pytest.fixture
def win(qtbot: QtBot, make_window: Callable[..., MainWindow]) -> MainWindow:
    window = make_window("carousel_with_chips.json")
    window.document.load(Draft(name="ten", message=ten_cards()))
    loader = window.preview_pane.preview.loader
    # Once the pictures have failed, nothing but an edit repaints the phone: a stale box the
    # edit forgot to repaint stays stale, and the test sees it.
    qtbot.waitUntil(lambda: loader.held is None and not loader.loading)
    return window


def items_of(preview: PhonePreview, path: str) -> list[Item]:
    return [item for item in preview.layout_.items if item.path and item.path.startswith(path)]


def fresh_items(preview: PhonePreview) -> list[Item]:
    """The preview's layout built from scratch, with no boxes kept from earlier builds."""
    values = {**preview.values, **preview.row_values}
    return build_layout(
        substitute(preview.message, values),
        preview.width_dp,
        preview.fonts,
        carousel_offset=preview.carousel_offset,
        chip_offset=preview.chip_offset,
        brand=preview.agent.brand_color,
    ).items


def on_screen(win: MainWindow, shown: QRect) -> QImage:
    """The pixels of the preview's ``shown`` part as the window last painted them (its
    backing store), not a fresh paint."""
    corner = win.preview_pane.preview.mapTo(win, shown.topLeft())
    grabbed = win.screen().grabWindow(
        win.winId(), corner.x(), corner.y(), shown.width(), shown.height()
    )
    return grabbed.toImage().convertToFormat(QImage.Format.Format_RGB32)


def alike(first: QImage, second: QImage) -> bool:
    """The same pixels, give or take the rounding of a zoomed phone repainted in parts (an edge
    drawn within a clip comes out a level or two off a full paint's): a stale box differs by
    far more."""
    if first.size() != second.size():
        return False
    size = (first.width(), first.height())
    pictures = [
        Image.frombytes("RGBX", size, bytes(image.constBits()), "raw", "BGRX")
        for image in (first, second)
    ]
    extrema = ImageChops.difference(*pictures).convert("RGB").getextrema()
    return max(high for _, high in extrema) <= ROUNDING


def assert_shown(qtbot: QtBot, win: MainWindow) -> None:
    """The layout is what a build from scratch gives, and once the window has repainted, its
    pixels are those of a full paint of that layout: nothing stale anywhere on the phone."""
    preview = win.preview_pane.preview
    assert preview.layout_.items == fresh_items(preview)

    def painted() -> bool:
        QApplication.processEvents()
        shown = preview.visibleRegion().boundingRect()
        full = preview.grab(shown).toImage().convertToFormat(QImage.Format.Format_RGB32)
        return not shown.isEmpty() and alike(on_screen(win, shown), full)

    qtbot.waitUntil(painted)


def select_card(win: MainWindow, index: int) -> None:
    win.editor.carousel.strip.setCurrentRow(index)
    assert win.editor.carousel.current == index


def retype(qtbot: QtBot, widget: object, text: str) -> None:
    widget.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(widget, text)


@pytest.mark.parametrize("index", [0, 9])
def test_title_and_description_edits_show_at_once(
    qtbot: QtBot, win: MainWindow, index: int
) -> None:
    select_card(win, index)
    editor = win.editor.carousel.card_editor
    preview = win.preview_pane.preview
    retype(qtbot, editor.title.input, "Kaju katli")
    [title] = items_of(preview, f"{CARDS}[{index}].title")
    assert title.text == "Kaju katli"
    assert_shown(qtbot, win)
    retype(qtbot, editor.description.input, "Half price today")
    [description] = items_of(preview, f"{CARDS}[{index}].description")
    assert description.text == "Half price today"
    assert_shown(qtbot, win)
    # Emptied, the title goes; typed again, it comes back.
    editor.title.input.selectAll()
    qtbot.keyClick(editor.title.input, Qt.Key.Key_Delete)
    assert items_of(preview, f"{CARDS}[{index}].title") == []
    assert_shown(qtbot, win)
    qtbot.keyClicks(editor.title.input, "Back")
    assert [i.text for i in items_of(preview, f"{CARDS}[{index}].title")] == ["Back"]
    assert_shown(qtbot, win)
    others = [i.text for i in preview.layout_.items if i.kind == "title"]
    assert others.count("Back") == 1 and len(others) == 10


@pytest.mark.parametrize("index", [0, 9])
def test_media_edits_show_at_once(qtbot: QtBot, win: MainWindow, index: int) -> None:
    select_card(win, index)
    editor = win.editor.carousel.card_editor
    preview = win.preview_pane.preview
    media_path = f"{CARDS}[{index}].media"

    def media() -> Item:
        [item] = [i for i in items_of(preview, media_path) if i.kind == "media"]
        return item

    retype(qtbot, editor.file_url.input, "http://127.0.0.1:9/new.png")
    assert media().data["url"] == "http://127.0.0.1:9/new.png"
    assert_shown(qtbot, win)
    # A video shows its thumbnail.
    retype(qtbot, editor.file_url.input, "http://127.0.0.1:9/clip.mp4")
    retype(qtbot, editor.thumbnail_url.input, "http://127.0.0.1:9/thumb.png")
    assert media().data["url"] == "http://127.0.0.1:9/thumb.png"
    assert_shown(qtbot, win)
    # Taller media makes every card of the row taller.
    short = media().rect.height()
    editor.height_choice.setCurrentIndex(3)  # TALL
    editor.height_choice.activated.emit(3)
    assert media().rect.height() > short
    heights = {i.rect.height() for i in preview.layout_.items if i.kind == "card"}
    assert len(heights) == 1
    assert_shown(qtbot, win)
    # No media: the card has none; media again: it is back.
    editor.has_media.click()
    assert not [i for i in items_of(preview, media_path) if i.kind == "media"]
    assert_shown(qtbot, win)
    editor.has_media.click()
    assert media().rect.height() > 0
    assert_shown(qtbot, win)


@pytest.mark.parametrize("index", [0, 9])
def test_suggestion_edits_show_at_once(qtbot: QtBot, win: MainWindow, index: int) -> None:
    select_card(win, index)
    suggestions = win.editor.carousel.card_editor.suggestions
    preview = win.preview_pane.preview
    base = f"{CARDS}[{index}].suggestions"

    def rows() -> list[tuple[str, str | None]]:
        return [
            (i.text, i.data["icon"])
            for i in preview.layout_.items
            if i.kind == "suggestion" and i.path and i.path.startswith(base)
        ]

    suggestions.select(0)
    retype(qtbot, suggestions.detail.text.input, "Order now")
    assert rows() == [("Order now", "globe")]
    assert_shown(qtbot, win)
    suggestions.add("Dial")  # a new row, with the phone icon and no label yet
    assert rows() == [("Order now", "globe"), ("", "phone")]
    qtbot.keyClicks(suggestions.detail.text.input, "Call us")
    assert rows() == [("Order now", "globe"), ("Call us", "phone")]
    assert_shown(qtbot, win)
    suggestions.add("Reply")
    assert [i.path for i in items_of(preview, f"{base}[2]")] == [f"{base}[2].reply.text"]
    assert_shown(qtbot, win)
    suggestions.select(0)
    suggestions.remove()
    assert rows() == [("Call us", "phone"), ("", None)]
    assert_shown(qtbot, win)


def test_card_width_reorder_and_undo_show_at_once(qtbot: QtBot, win: MainWindow) -> None:
    preview = win.preview_pane.preview
    select_card(win, 9)
    retype(qtbot, win.editor.carousel.card_editor.title.input, "Last")
    win.editor.carousel.width_choice.setCurrentIndex(0)
    win.editor.carousel.width_choice.activated.emit(0)
    widths = {i.rect.width() for i in preview.layout_.items if i.kind == "card"}
    assert widths == {180}
    assert_shown(qtbot, win)
    win.editor.carousel.move_selected(-1)
    titles = [i.text for i in preview.layout_.items if i.kind == "title"]
    assert titles[8:] == ["Last", "Card 9"]
    assert_shown(qtbot, win)
    win.editor.carousel.delete()
    assert "carousel of 9 cards" in preview.accessibleDescription()
    assert len([i for i in preview.layout_.items if i.kind == "card"]) == 9
    assert_shown(qtbot, win)
    while win.document.undo_stack.canUndo():
        win.undo_action.trigger()
    titles = [i.text for i in preview.layout_.items if i.kind == "title"]
    assert titles == [f"Card {i + 1}" for i in range(10)]
    assert {i.rect.width() for i in preview.layout_.items if i.kind == "card"} == {296}
    assert "carousel of 10 cards" in preview.accessibleDescription()
    assert_shown(qtbot, win)


def test_an_edit_while_scrolled_and_a_sample_value_show_at_once(
    qtbot: QtBot, win: MainWindow
) -> None:
    preview = win.preview_pane.preview
    select_card(win, 4)  # the carousel scrolls to the card
    assert preview.carousel_offset > 0
    retype(qtbot, win.editor.carousel.card_editor.title.input, "Hi {{name}}")
    [title] = items_of(preview, f"{CARDS}[4].title")
    assert title.text == "Hi {{name}}"
    qtbot.keyClicks(win.variables.fields["name"], "Asha")
    [title] = items_of(preview, f"{CARDS}[4].title")
    assert title.text == "Hi Asha"
    assert_shown(qtbot, win)
