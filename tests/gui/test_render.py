"""Rendered PNGs of the preview, checked in pixels: sizes, media height ratios, dark theme, chips."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.render import render_png
from tests.gui.imageserver import ImageServer

OUT = Path(__file__).parent.parent.parent / "test-output"
SCALE = 2.0


@pytest.fixture(scope="module")
def images() -> Iterator[ImageServer]:
    with ImageServer() as server:
        yield server


def card(url: str, height: m.MediaHeight | None, title: str = "Diwali offers") -> m.CardContent:
    return m.CardContent(
        title=title,
        description="Up to 40% off on sweets and gift boxes.",
        media=m.Media(height=height, file=m.FileRef(file_url=url)),
        suggestions=(
            m.SuggestionSlot(
                m.ActionChip(
                    text="Shop now", postback_data="s", action=m.OpenUrl(url="https://e.in")
                )
            ),
        ),
    )


def render(name: str, message: m.Message, **options: object) -> QImage:
    path = OUT / f"{name}.png"
    render_png(message, path, scale=SCALE, wait_for_images_s=10, **options)  # type: ignore[arg-type]
    image = QImage(str(path))
    assert not image.isNull()
    return image


def column_run(image: QImage, x: int, color: tuple[int, int, int]) -> int:
    """The number of pixels in column ``x`` close to ``color`` (the media's height, drawn)."""
    count = 0
    for y in range(image.height()):
        pixel = QColor(image.pixel(x, y))
        if (
            abs(pixel.red() - color[0])
            + abs(pixel.green() - color[1])
            + abs(pixel.blue() - color[2])
            < 40
        ):
            count += 1
    return count


def test_vertical_card_media_heights_have_the_documented_ratios(
    qtbot: QtBot, images: ImageServer
) -> None:
    heights = {}
    for height, color, path in (
        (m.MediaHeight.SHORT, (220, 30, 30), "/red.png"),
        (m.MediaHeight.MEDIUM, (30, 200, 60), "/green.png"),
        (m.MediaHeight.TALL, (30, 60, 220), "/blue.png"),
    ):
        image = render(
            f"vertical-card-{height.value.lower()}",
            m.Message(content=m.RichCard(content=card(images.url(path), height))),
        )
        assert image.width() == round((360 + 20) * SCALE)
        heights[height] = column_run(image, image.width() // 2, color)
    assert heights[m.MediaHeight.SHORT] == pytest.approx(112 * SCALE, abs=3)
    assert heights[m.MediaHeight.MEDIUM] / heights[m.MediaHeight.SHORT] == pytest.approx(
        168 / 112, rel=0.03
    )
    assert heights[m.MediaHeight.TALL] / heights[m.MediaHeight.SHORT] == pytest.approx(
        264 / 112, rel=0.03
    )


def test_horizontal_card_puts_media_on_the_chosen_side(qtbot: QtBot, images: ImageServer) -> None:
    for side in (m.ThumbnailAlignment.LEFT, m.ThumbnailAlignment.RIGHT):
        rich = m.RichCard(
            orientation=m.Orientation.HORIZONTAL,
            thumbnail_alignment=side,
            content=card(images.url("/red.png"), None),
        )
        image = render(f"horizontal-card-{side.value.lower()}", m.Message(content=rich))
        y = round(180 * SCALE)  # inside the card's top row
        red_columns = [
            x
            for x in range(image.width())
            if QColor(image.pixel(x, y)).red() > 200 and QColor(image.pixel(x, y)).green() < 60
        ]
        assert red_columns, "no media drawn"
        assert len(red_columns) == pytest.approx(128 * SCALE, abs=4)
        middle = image.width() / 2
        assert (sum(red_columns) / len(red_columns) < middle) is (side is m.ThumbnailAlignment.LEFT)


def test_ten_card_carousel_and_chip_list(qtbot: QtBot, images: ImageServer) -> None:
    cards = tuple(
        card(images.url("/green.png"), m.MediaHeight.MEDIUM, f"Card {i}") for i in range(10)
    )
    chips = tuple(m.SuggestionSlot(m.Reply(text=f"Chip {i}", postback_data="c")) for i in range(3))
    image = render("carousel-10-cards", m.Message(content=m.Carousel(cards=cards), chips=chips))
    assert column_run(image, round(200 * SCALE), (30, 200, 60)) == pytest.approx(168 * SCALE, abs=3)
    # the chip row: an outlined pill below the card (outline colour #79747E)
    outline = [
        y
        for y in range(image.height())
        if QColor(image.pixel(round(60 * SCALE), y)).name() in ("#79747e", "#7a757f")
    ]
    assert outline, "no chip outline found"


def test_dark_theme_is_dark(qtbot: QtBot, images: ImageServer) -> None:
    message = m.Message(content=m.TextContent("Hello from a dark phone"))
    light, dark = render("text-light", message), render("text-dark", message, theme="dark")

    def luminance(image: QImage) -> float:
        samples = [
            QColor(image.pixel(x, y)).lightness()
            for x in range(40, image.width() - 40, 23)
            for y in range(200, image.height() - 200, 31)
        ]
        return sum(samples) / len(samples)

    assert luminance(dark) < 60 < 200 < luminance(light)


def test_dark_card_with_chips_keeps_media_and_chip_row(qtbot: QtBot, images: ImageServer) -> None:
    chips = (
        m.SuggestionSlot(
            m.ActionChip(text="Call us", postback_data="c", action=m.Dial(phone_number="+91"))
        ),
        m.SuggestionSlot(m.Reply(text="Not now", postback_data="n")),
    )
    message = m.Message(
        content=m.RichCard(content=card(images.url("/blue.png"), m.MediaHeight.SHORT)),
        chips=chips,
    )
    image = render("vertical-card-dark-chips", message, theme="dark")
    assert column_run(image, image.width() // 2, (30, 60, 220)) == pytest.approx(112 * SCALE, abs=3)
    # the dark chip outline (#938F99) crosses a column through the first chip
    outline = [
        y
        for y in range(image.height())
        if QColor(image.pixel(round(70 * SCALE), y)).name() in ("#938f99", "#928e98")
    ]
    assert outline, "no chip outline found"


def test_a_cut_card_and_a_failed_image_are_visible(qtbot: QtBot, images: ImageServer) -> None:
    long_text = "Fresh sweets and gift boxes, wrapped by hand and delivered today. " * 10
    tall = m.CardContent(
        title="Festive hampers",
        description=long_text,
        media=m.Media(height=m.MediaHeight.TALL, file=m.FileRef(file_url=images.url("/red.png"))),
        suggestions=tuple(
            m.SuggestionSlot(m.Reply(text=f"Pick {i}", postback_data="p")) for i in range(4)
        ),
    )
    broken = m.CardContent(
        title="Gift cards",
        description="Any amount.",
        media=m.Media(
            height=m.MediaHeight.MEDIUM, file=m.FileRef(file_url=images.url("/gone.png"))
        ),
    )
    carousel = m.Carousel(card_width=m.CardWidth.SMALL, cards=(tall, broken))
    image = render("carousel-cut-and-failed", m.Message(content=carousel))
    error = QColor("#B3261E")

    def near_error(x: int, y: int) -> bool:
        pixel = QColor(image.pixel(x, y))
        return abs(pixel.red() - error.red()) + abs(pixel.green() - error.green()) < 30

    second_card = range(round((48 + 188) * SCALE), round((48 + 188 + 120) * SCALE))
    badge = sum(1 for x in second_card for y in range(image.height()) if near_error(x, y))
    assert badge > 400, "no error badge on the card whose image failed"


def test_a_phone_thousands_of_lines_tall_renders_its_top_and_says_so(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """20,000 lines once made a 760 x 800,620 PNG with 4.8 GB and 22 s; a valid 2,500-line
    text still 50,000 px. The PNG stops at 16,384 px, and the note says how tall it was."""
    from rcs_composer.gui.render import TALLEST_DP

    out = render_png(m.Message(content=m.TextContent("a\n" * 20_000)), tmp_path / "tall.png")
    image = QImage(str(out))
    assert image.height() == round(TALLEST_DP * SCALE) == 16_384
    note = capsys.readouterr().err
    assert "the phone is" in note and "px tall; the PNG shows its top 16,384 px" in note
    bubble = image.pixelColor(100, image.height() - 10)
    assert bubble.alpha() == 255  # the phone is drawn to the bottom edge, not left empty


def test_a_paragraph_far_past_every_limit_is_laid_out_to_its_start(qtbot: QtBot) -> None:
    """A pasted 100 KB description held the window for seconds per keystroke."""
    from rcs_composer.gui.preview.text import LONGEST_PARAGRAPH, Fonts

    fonts = Fonts()
    huge = "Fresh sweets, gift wrapped " * 4_000
    laid = fonts.block(fonts.body, huge, 300.0)
    assert laid.lines == fonts.block(fonts.body, huge[:LONGEST_PARAGRAPH] + "…", 300.0).lines
    longest_valid = "word " * 614  # 3,070 characters: a text message the API takes
    assert fonts.block(fonts.body, longest_valid, 300.0).lines > 0
    assert len(longest_valid) < LONGEST_PARAGRAPH  # shown whole


def test_a_tall_phone_keeps_no_pixmap_of_its_whole_frame(qtbot: QtBot) -> None:
    from rcs_composer.gui.preview import geometry as g
    from rcs_composer.gui.preview.widget import PhonePreview

    preview = PhonePreview()
    qtbot.addWidget(preview)
    preview.set_message(m.Message(content=m.TextContent("line\n" * 3_000)), {})
    preview.resize(420, 800)
    preview.render_to_image(scale=1.0)
    cached = preview.painter._pixmaps.values()  # type: ignore[attr-defined]
    tallest_bar = g.STATUS_BAR_DP + g.APP_BAR_DP + 1
    assert all(pixmap.height() <= tallest_bar + 100 for pixmap in cached)


def test_thousands_of_suggestions_draw_ten_and_a_count_of_the_rest(qtbot: QtBot) -> None:
    """10,000 pasted suggestions made the phone 400,000 dp tall; Fit shrank it to 4 px."""
    from rcs_composer.gui.preview.layout import build_layout
    from rcs_composer.gui.preview.text import Fonts

    def reply(index: int) -> m.SuggestionSlot:
        return m.SuggestionSlot(m.Reply(text=f"Yes {index}", postback_data=f"y{index}"))

    many = tuple(reply(index) for index in range(10_000))
    fonts = Fonts()
    card = m.CardContent(title="Diwali offers", suggestions=many)
    tall = build_layout(m.Message(content=m.RichCard(content=card)), 360.0, fonts)
    rows = [item for item in tall.items if item.kind == "suggestion"]
    assert [row.text for row in rows[-2:]] == ["Yes 9", "+9990 more"]
    assert rows[-1].path is None  # a click on it selects no field
    eleven = m.CardContent(title="Diwali offers", suggestions=many[:11])
    assert (
        tall.height
        == build_layout(m.Message(content=m.RichCard(content=eleven)), 360.0, fonts).height
    )
    chipped = build_layout(m.Message(content=m.TextContent("Hi"), chips=many[:300]), 360.0, fonts)
    chips = [item for item in chipped.items if item.kind == "chip"]
    assert len(chips) == 21 and chips[-1].text == "+280 more" and chips[-1].path is None


def test_a_server_that_never_answers_is_named_and_waited_for_once(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seven files on a silent server took 70 s and drew their cards with no word of why."""
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # accepts and never answers
        base = f"http://127.0.0.1:{silent.getsockname()[1]}"
        two = m.Carousel(
            cards=(card(f"{base}/a.png", m.MediaHeight.MEDIUM), card(f"{base}/b.png", None))
        )
        render_png(m.Message(content=two), tmp_path / "f0.png", wait_for_images_s=0.5)
        media = card(f"{base}/p1.png", m.MediaHeight.MEDIUM)
        render_png(m.Message(content=m.RichCard(content=media)), tmp_path / "f1.png")
    notes = capsys.readouterr().err.splitlines()
    assert notes == [
        f"note: f0.png: drawn without the picture {base}/a.png (no answer in 0.5 s)",
        f"note: f0.png: drawn without the picture {base}/b.png (no answer in 0.5 s)",
        f"note: f1.png: drawn without the picture {base}/p1.png "
        "(its server did not answer for an earlier file either)",
    ]
