"""The phone preview after a hostile review: the same pixels on every host, whatever its fonts and
font settings; Urdu lines as tall as English ones; horizontal cards that fit their text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from rcs_composer.core import model as m
from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.layout import Item, build_layout
from rcs_composer.gui.preview.text import Fonts
from tests.gui.golden.render_cases import ROOT, empty_font_environment

# Marketing text as customers write it: symbols that Roboto draws and the script's Noto lacks.
SYMBOLS = "& @ ₹499 • $6 • 25°C • ½ • €5 · © £2 ₨ ‰ † № � ¥"
INDIAN_MESSAGES = {
    "hindi": f"दिवाली ऑफ़र: मिठाई {SYMBOLS}",
    "bengali": f"দীপাবলি অফার: মিষ্টি {SYMBOLS}",
    "tamil": f"தீபாவளி சலுகை: இனிப்பு {SYMBOLS}",
    "mixed": "Happy दिवाली & more @ ₹99 • ½ off",
}
# A child process that draws the messages and says how wide the preview measures them.
CHILD = """
import json, sys
from pathlib import Path
from rcs_composer.core import model as m
from rcs_composer.gui.render import render_png
from rcs_composer.gui.preview.text import Fonts

out, messages = Path(sys.argv[1]), json.loads(sys.argv[2])
for name, text in messages.items():
    render_png(m.Message(content=m.TextContent(text)), out / f"{name}.png", wait_for_images_s=0)
    card = m.CardContent(title=text, description=text * 3)
    render_png(m.Message(content=m.RichCard(content=card)), out / f"{name}-card.png",
               wait_for_images_s=0)
fonts = Fonts()
widths = {name: [fonts.width(style, text) for style in (fonts.title, fonts.body, fonts.chip)]
          for name, text in messages.items()}
families = sorted({run.rawFont().familyName() for text in messages.values()
                   for run in fonts.block(fonts.body, text).runs})
print(json.dumps({"widths": widths, "families": families}))
"""
TEXT_IN_BUBBLE = (140, 318, 470, 358)  # px of a one-line text message at 2x: only its words
AA_OFF_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
<cachedir>{cache}</cachedir>
<match target="pattern"><edit name="antialias" mode="assign"><bool>false</bool></edit></match>
<match target="font"><edit name="antialias" mode="assign"><bool>false</bool></edit></match>
</fontconfig>
"""


@pytest.fixture(scope="module")
def fonts(qapp: object) -> Fonts:
    return Fonts()


def draw_in_child(
    out: Path, env: dict[str, str], messages: dict[str, str] = INDIAN_MESSAGES
) -> dict[str, object]:
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(out), json.dumps(messages)],
        cwd=ROOT,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def same_pixels(first: Path, second: Path) -> bool:
    return bool(Image.open(first).tobytes() == Image.open(second).tobytes())


# ---------------------------------------------------------------- 1: no host font, ever


@pytest.mark.parametrize("letter", ["क", "ক", "க", "క", "ક", "ಕ", "ക", "ਕ", "କ", "ب", "४", "a"])
def test_symbols_after_any_script_are_drawn_from_bundled_fonts(fonts: Fonts, letter: str) -> None:
    for symbol in [*SYMBOLS.split(), "\ufffd", "™", "…", "×"]:
        block = fonts.block(fonts.body, f"{letter}{letter} {symbol} {letter}", None)
        used = {run.rawFont().familyName() for run in block.runs}
        assert all(family.startswith("RCS ") for family in used), (
            f"{symbol!r} after {letter!r} was drawn with a host font: {used}"
        )


def test_indian_text_with_symbols_is_the_same_with_and_without_host_fonts(
    qapp: object, tmp_path: Path
) -> None:
    """On a host with fonts, Qt used to take '&', '@', '•', '$' in Hindi, Bengali and Tamil
    text from the host's DejaVu: other glyphs, wider bubbles, other line breaks."""
    here = draw_in_child(tmp_path / "here", dict(os.environ))
    bare = draw_in_child(tmp_path / "bare", empty_font_environment(tmp_path))
    assert here["families"] == bare["families"]
    assert all(str(family).startswith("RCS ") for family in here["families"])  # type: ignore[attr-defined]
    assert here["widths"] == bare["widths"], "the text measures differently with host fonts"
    for png in sorted((tmp_path / "here").glob("*.png")):
        assert same_pixels(png, tmp_path / "bare" / png.name), f"{png.name} differs"


# ---------------------------------------------------------------- 2: antialiasing


def test_a_host_that_turns_antialiasing_off_draws_the_same_smooth_text(
    qapp: object, tmp_path: Path
) -> None:
    (tmp_path / "aa-off").mkdir()
    config = tmp_path / "aa-off" / "fonts.conf"
    config.write_text(AA_OFF_FONTCONFIG.format(cache=tmp_path / "aa-off" / "cache"))
    messages = {"latin": "Diwali offers: up to 40% off", "hindi": INDIAN_MESSAGES["hindi"]}
    bare = draw_in_child(tmp_path / "bare", empty_font_environment(tmp_path), messages)
    crisp = draw_in_child(
        tmp_path / "crisp", {**os.environ, "FONTCONFIG_FILE": str(config)}, messages
    )
    assert bare["widths"] == crisp["widths"]
    for png in sorted((tmp_path / "bare").glob("*.png")):
        assert same_pixels(png, tmp_path / "crisp" / png.name), f"{png.name}: aliased text"
    # and the text is smooth: its edges have shades between ink and bubble
    text = Image.open(tmp_path / "crisp" / "latin.png").convert("L").crop(TEXT_IN_BUBBLE)
    shades = sum(1 for count in text.histogram() if count)
    assert shades > 20, "the text is drawn without antialiasing"


# ---------------------------------------------------------------- 3: Urdu line heights


def offer_card(title: str, lines: list[str], replies: list[str]) -> m.CardContent:
    return m.CardContent(
        title=title,
        description="\n".join(lines),
        media=m.Media(
            height=m.MediaHeight.MEDIUM, file=m.FileRef(file_url="http://x.invalid/a.png")
        ),
        suggestions=tuple(m.SuggestionSlot(m.Reply(text=r, postback_data="r")) for r in replies),
    )


ENGLISH = offer_card(
    "Diwali sale\nOn all sweets",
    ["On all sweets", "up to 40% off", "order today", "free delivery", "until 12 Nov", "thanks"],
    ["Buy 1", "Buy 2", "Buy 3", "Buy 4"],
)
URDU = offer_card(
    "دیوالی سیل\nتمام مٹھائیوں پر",
    ["تمام مٹھائیوں پر", "40% تک رعایت", "آج ہی آرڈر کریں", "مفت ڈیلیوری", "12 نومبر تک", "شکریہ"],
    ["خریدیں 1", "خریدیں 2", "خریدیں 3", "خریدیں 4"],
)


def items(layout_items: list[Item], kind: str) -> list[Item]:
    return [item for item in layout_items if item.kind == kind]


def test_urdu_lines_are_as_tall_as_english_ones(fonts: Fonts) -> None:
    for style in (fonts.title, fonts.body, fonts.chip, fonts.small):
        english = fonts.block(style, "Diwali sale\nOn all sweets", 200.0)
        urdu = fonts.block(style, "دیوالی سیل\nتمام مٹھائیوں پر", 200.0)
        assert english.lines == urdu.lines == 2
        assert urdu.height == english.height == 2 * style.line_height


def test_an_urdu_carousel_card_is_cut_only_where_its_english_twin_is(fonts: Fonts) -> None:
    carousel = m.Carousel(card_width=m.CardWidth.MEDIUM, cards=(ENGLISH, URDU))
    laid = build_layout(m.Message(content=carousel), 800.0, fonts)
    cards = items(laid.items, "card")
    assert [card.data["cut"] for card in cards] == [False, False]
    english, urdu = items(laid.items, "description")
    assert urdu.rect.height() == english.rect.height() == 6 * g.BODY_LINE_SP
    assert len(items(laid.items, "suggestion")) == 8


# ---------------------------------------------------------------- 5, 6: horizontal cards


def horizontal(content: m.CardContent, side: m.ThumbnailAlignment) -> m.Message:
    card = m.RichCard(
        orientation=m.Orientation.HORIZONTAL, thumbnail_alignment=side, content=content
    )
    return m.Message(content=card)


@pytest.mark.parametrize("side", [m.ThumbnailAlignment.LEFT, m.ThumbnailAlignment.RIGHT])
def test_a_horizontal_card_without_media_gives_its_text_the_whole_width(
    fonts: Fonts, side: m.ThumbnailAlignment
) -> None:
    content = m.CardContent(title="No media here", description="Just text in a horizontal card")
    laid = build_layout(horizontal(content, side), 360.0, fonts)
    (card,) = items(laid.items, "card")
    for text in items(laid.items, "title") + items(laid.items, "description"):
        assert text.rect.left() == card.rect.left() + g.CARD_PADDING_DP
        assert text.rect.width() == card.rect.width() - 2 * g.CARD_PADDING_DP
    assert not items(laid.items, "media")


def test_a_horizontal_card_on_a_narrow_phone_keeps_its_text_readable(fonts: Fonts) -> None:
    media = m.Media(file=m.FileRef(file_url="http://x.invalid/tall34.jpg"))
    content = m.CardContent(
        title="Your order is on its way",
        description="Order #4821 left our warehouse today. Expected delivery: Thursday.",
        media=media,
    )
    for width in (240.0, 280.0):
        laid = build_layout(horizontal(content, m.ThumbnailAlignment.RIGHT), width, fonts)
        (title,) = items(laid.items, "title")
        assert title.rect.width() >= g.HORIZONTAL_MIN_TEXT_COLUMN_DP - 2 * g.CARD_PADDING_DP
        assert title.rect.height() <= 2 * g.TITLE_LINE_SP  # words per line, not letters
        (picture,) = items(laid.items, "media")
        assert picture.data["side"] == "TOP"
        assert picture.rect.height() == g.MEDIA_HEIGHT_DP[None]
    wide = build_layout(horizontal(content, m.ThumbnailAlignment.RIGHT), 320.0, fonts)
    (picture,) = items(wide.items, "media")
    assert picture.data["side"] == "RIGHT"  # from 320 dp, the common phones, as documented
    assert picture.rect.width() == g.HORIZONTAL_MEDIA_WIDTH_DP
