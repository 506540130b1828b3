"""The phone preview widget: what it lays out for each message kind, hit testing, scrolling."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.layout import Item
from rcs_composer.gui.preview.widget import PhonePreview

# No server answers on port 9 of loopback: media stays a placeholder and nothing leaves the box.
NOWHERE = "http://127.0.0.1:9/picture.png"


def reply(text: str) -> m.SuggestionSlot:
    return m.SuggestionSlot(m.Reply(text=text, postback_data="p"))


def open_url(text: str) -> m.SuggestionSlot:
    return m.SuggestionSlot(
        m.ActionChip(text=text, postback_data="p", action=m.OpenUrl(url="https://e.in"))
    )


def card(
    title: str = "Diwali offers",
    height: m.MediaHeight | None = m.MediaHeight.MEDIUM,
    suggestions: int = 1,
    description: str = "Up to 40% off on sweets and gift boxes.",
) -> m.CardContent:
    return m.CardContent(
        title=title,
        description=description,
        media=m.Media(height=height, file=m.FileRef(file_url=NOWHERE)),
        suggestions=tuple(open_url(f"Shop {i}") for i in range(suggestions)),
    )


@pytest.fixture
def preview(qtbot: QtBot) -> PhonePreview:
    loader = ImageLoader()
    widget = PhonePreview(loader=loader)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    loader.shutdown()


def items(preview: PhonePreview, kind: str) -> list[Item]:
    return [item for item in preview.layout_.items if item.kind == kind]


def widget_point(preview: PhonePreview, item: Item) -> QPointF:
    """The widget position of the middle of ``item``'s visible part."""
    rect = item.rect if item.clip is None else item.rect.intersected(item.clip)
    bezel = QPointF(g.PHONE_BEZEL_DP, g.PHONE_BEZEL_DP)
    return (rect.center() + bezel) * preview.zoom


@pytest.mark.parametrize(
    ("height", "expected"),
    [
        (m.MediaHeight.SHORT, 112),
        (m.MediaHeight.MEDIUM, 168),
        (m.MediaHeight.TALL, 264),
        (None, 112),
    ],
)
def test_vertical_card_media_on_top_with_the_documented_height(
    preview: PhonePreview, height: m.MediaHeight | None, expected: float
) -> None:
    preview.set_message(m.Message(content=m.RichCard(content=card(height=height))))
    (media,) = items(preview, "media")
    (title,) = items(preview, "title")
    (background,) = items(preview, "card")
    assert media.rect.height() == expected
    assert media.rect.top() == background.rect.top()
    assert media.rect.width() == background.rect.width()
    assert title.rect.top() >= media.rect.bottom()
    assert media.path == "$.richCardStandalone.content.media"


@pytest.mark.parametrize("side", [m.ThumbnailAlignment.LEFT, m.ThumbnailAlignment.RIGHT])
def test_horizontal_card_puts_128_dp_media_on_the_chosen_side(
    preview: PhonePreview, side: m.ThumbnailAlignment
) -> None:
    rich = m.RichCard(
        orientation=m.Orientation.HORIZONTAL,
        thumbnail_alignment=side,
        content=card(height=m.MediaHeight.TALL),
    )
    preview.set_message(m.Message(content=rich))
    (media,) = items(preview, "media")
    (title,) = items(preview, "title")
    (background,) = items(preview, "card")
    assert media.rect.width() == g.HORIZONTAL_MEDIA_WIDTH_DP
    assert media.rect.height() < 264  # the height field is ignored for horizontal cards
    if side is m.ThumbnailAlignment.LEFT:
        assert media.rect.left() == background.rect.left()
        assert title.rect.left() > media.rect.right()
    else:
        assert media.rect.right() == background.rect.right()
        assert title.rect.right() < media.rect.left()


def test_ten_card_carousel_scrolls_sideways_and_hit_tests_each_card(
    qtbot: QtBot, preview: PhonePreview
) -> None:
    cards = tuple(
        card(f"Card {i}", height=m.MediaHeight.SHORT if i % 2 else m.MediaHeight.MEDIUM)
        for i in range(10)
    )
    preview.set_message(m.Message(content=m.Carousel(cards=cards)))
    backgrounds = items(preview, "card")
    assert len(backgrounds) == 10
    assert {item.rect.width() for item in backgrounds} == {296}
    assert len({item.rect.height() for item in backgrounds}) == 1  # shorter cards padded
    assert "carousel of 10 cards" in preview.accessibleDescription()

    def title_under(item_index: int) -> str | None:
        title = items(preview, "title")[item_index]
        return preview.element_at(widget_point(preview, title))

    assert title_under(0) == "$.richCardCarousel.cardContents[0].title"
    preview.setFocus()
    qtbot.keyClick(preview, Qt.Key.Key_Right)
    qtbot.keyClick(preview, Qt.Key.Key_Right)
    assert preview.carousel_offset == 2 * (296 + g.CAROUSEL_GAP_DP)
    first_visible = next(
        item for item in items(preview, "card") if item.rect.right() > g.MESSAGE_INDENT_DP + 1
    )
    assert first_visible.path == "$.richCardCarousel.cardContents[2]"
    title = next(item for item in items(preview, "title") if item.text == "Card 2")
    assert preview.element_at(widget_point(preview, title)) == (
        "$.richCardCarousel.cardContents[2].title"
    )
    qtbot.keyClick(preview, Qt.Key.Key_End)
    last = items(preview, "card")[-1]
    assert last.rect.right() <= preview.width_dp - g.MESSAGE_RIGHT_DP + 0.5
    qtbot.keyClick(preview, Qt.Key.Key_Home)
    assert preview.carousel_offset == 0


def test_dragging_the_carousel_scrolls_it_without_a_click(
    qtbot: QtBot, preview: PhonePreview
) -> None:
    preview.set_message(m.Message(content=m.Carousel(cards=tuple(card() for _ in range(4)))))
    start = widget_point(preview, items(preview, "title")[0]).toPoint()
    clicks: list[str] = []
    preview.element_clicked.connect(clicks.append)
    qtbot.mousePress(preview, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 11):
        qtbot.mouseMove(preview, start - QPointF(15 * step, 0).toPoint())
    qtbot.mouseRelease(preview, Qt.MouseButton.LeftButton, pos=start - QPointF(150, 0).toPoint())
    assert preview.carousel_offset == pytest.approx(150 / preview.zoom, abs=2)
    assert clicks == []


def test_small_carousel_cards_are_180_dp(preview: PhonePreview) -> None:
    carousel = m.Carousel(card_width=m.CardWidth.SMALL, cards=(card(), card()))
    preview.set_message(m.Message(content=carousel))
    assert {item.rect.width() for item in items(preview, "card")} == {180}


def test_too_tall_card_is_cut_in_the_documented_order_and_marked(preview: PhonePreview) -> None:
    long_text = "Fresh sweets and gift boxes, wrapped by hand and delivered today. " * 12
    tall = card("A title long enough to wrap onto a second line here", m.MediaHeight.TALL, 4)
    tall = dataclasses.replace(tall, description=long_text)
    carousel = m.Carousel(card_width=m.CardWidth.SMALL, cards=(tall, card(height=None)))
    preview.set_message(m.Message(content=carousel))
    backgrounds = items(preview, "card")
    assert backgrounds[0].rect.height() <= g.CAROUSEL_MAX_HEIGHT_DP[m.CardWidth.SMALL]
    (cut,) = items(preview, "cut")
    assert cut.rect == backgrounds[0].rect
    description = next(item for item in items(preview, "description") if item.text == long_text)
    assert description.data["lines"] == 1  # first the description goes to one line
    assert preview.layout_.cut_cards == [0]
    # the marker does not hide the fields below it from clicks
    assert preview.element_at(widget_point(preview, description)) == (
        "$.richCardCarousel.cardContents[0].description"
    )


def test_card_suggestions_are_stacked_full_width_rows_with_icons(preview: PhonePreview) -> None:
    preview.set_message(m.Message(content=m.RichCard(content=card(suggestions=3))))
    rows = items(preview, "suggestion")
    (background,) = items(preview, "card")
    assert [row.text for row in rows] == ["Shop 0", "Shop 1", "Shop 2"]
    assert all(row.rect.width() == background.rect.width() for row in rows)
    assert all(row.rect.height() == g.SUGGESTION_ROW_DP for row in rows)
    assert all(row.data["icon"] == "globe" for row in rows)
    assert preview.element_at(widget_point(preview, rows[1])) == (
        "$.richCardStandalone.content.suggestions[1].action.text"
    )


def test_chip_list_is_one_row_of_pills_under_the_message(
    qtbot: QtBot, preview: PhonePreview
) -> None:
    chips = (
        reply("Yes"),
        open_url("Visit"),
        reply("Later"),
        *(reply(f"More {i}") for i in range(8)),
    )
    preview.set_message(m.Message(content=m.TextContent("Pick one"), chips=chips))
    pills = items(preview, "chip")
    assert len(pills) == 11
    assert {pill.rect.top() for pill in pills} == {pills[0].rect.top()}
    assert {pill.rect.height() for pill in pills} == {g.CHIP_HEIGHT_DP}
    (bubble,) = items(preview, "bubble")
    assert pills[0].rect.top() > bubble.rect.bottom()
    assert pills[1].data["icon"] == "globe" and pills[0].data["icon"] is None
    with qtbot.waitSignal(preview.element_clicked) as clicked:
        qtbot.mouseClick(
            preview, Qt.MouseButton.LeftButton, pos=widget_point(preview, pills[1]).toPoint()
        )
    assert clicked.args == ["$.suggestions[1].action.text"]
    # the row scrolls sideways: the last chip comes into view
    preview.setFocus()
    qtbot.keyClick(preview, Qt.Key.Key_End)
    assert items(preview, "chip")[-1].rect.right() <= preview.width_dp


def test_variables_are_substituted_before_drawing(preview: PhonePreview) -> None:
    message = m.Message(
        content=m.RichCard(content=card(title="Hi {{name}}, {{unknown}} awaits")),
        chips=(reply("Call {{name}}"),),
    )
    preview.set_message(message, {"name": "Asha"})
    assert [item.text for item in items(preview, "title")] == ["Hi Asha, {{unknown}} awaits"]
    assert [item.text for item in items(preview, "chip")] == ["Call Asha"]
    assert preview.message is message  # the model itself is untouched


def test_text_message_is_a_bubble_with_time_and_rcs_label(preview: PhonePreview) -> None:
    preview.set_message(m.Message(content=m.TextContent("Your order has shipped 🎉")))
    (bubble,) = items(preview, "bubble")
    (text,) = items(preview, "text")
    (stamp,) = items(preview, "timestamp")
    assert text.text == "Your order has shipped 🎉"
    assert bubble.rect.contains(text.rect)
    assert "RCS" in stamp.text and stamp.rect.top() > bubble.rect.bottom()
    assert preview.element_at(widget_point(preview, text)) == "$.text"


def test_file_messages_show_a_thumbnail_or_a_file_icon(preview: PhonePreview) -> None:
    picture = m.FileContent(file=m.FileRef(file_url=NOWHERE))
    preview.set_message(m.Message(content=picture))
    (media,) = items(preview, "media")
    assert media.data["url"] == NOWHERE and media.path == "$.file.fileUrl"
    video = m.FileContent(
        file=m.FileRef(file_url="https://e.in/clip.mp4", thumbnail_url="http://127.0.0.1:9/t.png")
    )
    preview.set_message(m.Message(content=video))
    assert items(preview, "media")[0].data["url"] == "http://127.0.0.1:9/t.png"
    pdf = m.FileContent(file=m.FileRef(file_url="https://e.in/docs/Invoice-42.pdf"))
    preview.set_message(m.Message(content=pdf))
    (chip,) = items(preview, "filechip")
    assert chip.text == "Invoice-42.pdf"
    assert items(preview, "media") == []


def test_dark_theme_paints_the_dark_surface(preview: PhonePreview) -> None:
    preview.set_message(m.Message(content=m.TextContent("Hello")))
    middle = (preview.width_dp / 2, 560)
    light = QColor(preview.render_to_image(1.0).pixel(*map(int, middle)))
    preview.set_theme("dark")
    dark = QColor(preview.render_to_image(1.0).pixel(*map(int, middle)))
    assert light.name() == g.PALETTES["light"].surface.lower()
    assert dark.name() == g.PALETTES["dark"].surface.lower()
    grabbed = preview.grab().toImage()
    assert QColor(grabbed.pixel(int(middle[0] * preview.zoom), 560)).lightness() < 40


def test_agent_header_and_device_width(preview: PhonePreview) -> None:
    preview.set_agent("Acme Sweets", "#B3261E", True)
    preview.set_device_width(412)
    preview.set_message(m.Message(content=m.TextContent("Hi")))
    assert preview.width() == round((412 + 2 * g.PHONE_BEZEL_DP) * preview.zoom)
    image = preview.render_to_image(1.0)
    logo_centre = (g.PHONE_BEZEL_DP + 48 + 20, g.PHONE_BEZEL_DP + g.STATUS_BAR_DP + 12 + 20)
    # the initials sit on the brand colour: most of the round logo is that red
    ring = [
        QColor(image.pixel(logo_centre[0] + dx, logo_centre[1] + 14)).name() for dx in (-4, 0, 4)
    ]
    assert ring.count("#b3261e") >= 2
    preview.set_scale(1.5)
    assert preview.width() == round((412 + 2 * g.PHONE_BEZEL_DP) * 1.5)


def test_a_failed_image_shows_its_reason_on_the_placeholder(
    qtbot: QtBot, preview: PhonePreview
) -> None:
    url = "ftp://e.in/picture.png"
    with qtbot.waitSignal(preview.loader.image_failed, timeout=5000):
        preview.set_message(
            m.Message(
                content=m.RichCard(
                    content=dataclasses.replace(
                        card(),
                        media=m.Media(height=m.MediaHeight.SHORT, file=m.FileRef(file_url=url)),
                    )
                )
            )
        )
    state, image, reason = preview.image_state(url)
    assert state == "failed" and image is None and "http" in reason
    (media,) = items(preview, "media")
    picture = preview.render_to_image(1.0)
    reds = sum(
        1
        for x in range(int(media.rect.left()), int(media.rect.right()))
        for y in range(int(media.rect.top()), int(media.rect.bottom()))
        if QColor(picture.pixel(x + g.PHONE_BEZEL_DP, y + g.PHONE_BEZEL_DP)).name() == "#b3261e"
    )
    assert reds > 200  # a badge filled with the error colour carries the reason
