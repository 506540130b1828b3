"""The preview's text comes from the bundled fonts only, in every script our customers write in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFontDatabase, QImage, QPainter

from rcs_composer.gui.preview.font_table import FACES, FALLBACK_CHAIN
from rcs_composer.gui.preview.fonts import MISSING_GLYPH, drawable, register_bundled_fonts
from rcs_composer.gui.preview.text import Fonts, TextBlock, paragraph_is_rtl
from tests.gui.golden.render_cases import ROOT, empty_font_environment

WORDS = {  # two different words per script: they must never draw the same
    "Devanagari": ("दिवाली", "मिठाई"),
    "Bengali": ("দীপাবলি", "মিষ্টি"),
    "Tamil": ("தீபாவளி", "இனிப்பு"),
    "Telugu": ("దీపావళి", "మిఠాయి"),
    "Gujarati": ("દિવાળી", "મીઠાઈ"),
    "Kannada": ("ದೀಪಾವಳಿ", "ಸಿಹಿತಿಂಡಿ"),
    "Malayalam": ("ദീപാവലി", "മധുരം"),
    "Gurmukhi": ("ਦੀਵਾਲੀ", "ਮਿਠਾਈ"),
    "Oriya": ("ଦୀପାବଳି", "ମିଠା"),
    "Arabic": ("دیوالی", "مٹھائی"),
    "Emoji": ("🪔🎉", "🎁❤️"),
    "Roboto": ("Diwali", "Sweets"),
}


@pytest.fixture(scope="module")
def fonts(qapp: object) -> Fonts:
    return Fonts()


def picture(block: TextBlock, width: float | None = None) -> QImage:
    width = block.width if width is None else width
    image = QImage(int(width) + 4, int(block.height) + 4, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    block.draw(painter, QPointF(2, 2))
    painter.end()
    return image


def families(block: TextBlock) -> set[str]:
    return {run.rawFont().familyName() for run in block.runs}


def test_every_bundled_face_registers(qapp: object) -> None:
    assert register_bundled_fonts() == []
    known = set(QFontDatabase.families())
    assert set(FALLBACK_CHAIN) <= known
    for face in FACES:  # each file is shipped with the package and has a licence beside it
        assert face.family.startswith("RCS ")
    licences = {path.name for path in (ROOT / "resources" / "fonts").iterdir()}
    assert {"LICENSE-OFL-1.1.txt", "LICENSE-Apache-2.0.txt", "README.md"} <= licences


@pytest.mark.parametrize("script", sorted(WORDS))
def test_each_script_draws_real_glyphs_from_its_own_font(fonts: Fonts, script: str) -> None:
    first, second = (fonts.block(fonts.body, word) for word in WORDS[script])
    for block in (first, second):
        assert block.runs and all(index != 0 for run in block.runs for index in run.glyphIndexes())
        assert families(block) <= set(FALLBACK_CHAIN)
        assert any(script.split()[0] in family for family in families(block))
    assert picture(first) != picture(second), f"two {script} words drew the same picture"


def test_emoji_draw_in_colour(fonts: Fonts) -> None:
    image = picture(fonts.block(fonts.title, "🎁"))
    colours = {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }
    assert any(QColor(c).saturation() > 120 for c in colours), "the emoji drew in one colour"


def test_digits_and_spaces_have_roboto_widths(fonts: Fonts) -> None:
    digit = fonts.width(fonts.body, "0")
    assert digit == pytest.approx(14 * 1151 / 2048, abs=0.3)  # Roboto's tabular digit
    assert fonts.width(fonts.body, "30") == pytest.approx(2 * digit, abs=0.1)
    assert fonts.width(fonts.body, "a b") - fonts.width(fonts.body, "ab") == pytest.approx(
        14 * 507 / 2048, abs=0.3
    )
    assert families(fonts.block(fonts.body, "Flat 30% off 9:41 Rs 999 ₹499")) == {"RCS Roboto"}


def test_titles_and_chips_draw_at_weight_500(fonts: Fonts) -> None:
    for style in (fonts.title, fonts.chip):
        (run,) = fonts.block(style, "Diwali offers").runs
        assert run.rawFont().styleName() == "Medium"
    (run,) = fonts.block(fonts.body, "Diwali offers").runs
    assert run.rawFont().styleName() == "Regular"


def test_body_lines_are_20_dp_apart_and_titles_24(fonts: Fonts) -> None:
    text = "one two three four five six seven eight nine ten eleven twelve"
    body, title = fonts.block(fonts.body, text, 80), fonts.block(fonts.title, text, 80)
    assert body.lines > 2 and body.height == pytest.approx(20 * body.lines)
    assert title.height == pytest.approx(24 * title.lines)


def test_a_long_unbroken_word_wraps_inside_its_width(fonts: Fonts) -> None:
    url = "https://shop.example.in/offers/diwali-2026/sweets-and-gift-boxes-with-free-delivery"
    block = fonts.block(fonts.title, url, 150)
    assert block.lines >= 4 and block.width <= 150
    assert fonts.block(fonts.title, "x" * 400, 150).width <= 150


def test_urdu_runs_right_to_left_and_aligns_to_the_right(fonts: Fonts) -> None:
    text = "تمام مٹھائیوں اور تحفے کے ڈبوں پر 40٪ تک رعایت۔ آج ہی آرڈر کریں۔"
    assert paragraph_is_rtl(text) and not paragraph_is_rtl("Sale: " + text)
    block = fonts.block(fonts.body, text, 300)
    assert block.right_to_left and block.lines >= 2
    image = picture(block, 300)
    inked = [
        x
        for x in range(image.width())
        for y in range(20)
        if image.pixelColor(x, y).lightness() < 128
    ]
    assert inked and max(inked) > 290, "the first line does not start at the right edge"


def test_one_line_cut_ends_in_an_ellipsis(fonts: Fonts) -> None:
    shown = fonts.elide(fonts.body, "सभी मिठाइयों और उपहार बॉक्स पर 40% तक की छूट", 120)
    assert shown.endswith("…") and fonts.width(fonts.body, shown) <= 120
    assert fonts.block(fonts.body, "a\nb\nc", 200, 1).lines == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain ASCII, 30% off\n\tok", "Plain ASCII, 30% off\n\tok"),
        ("漢字 ok", f"{MISSING_GLYPH}{MISSING_GLYPH} ok"),  # no bundled CJK: never a host glyph
        ("ไทย", MISSING_GLYPH * 3),
        ("\ud800 lone surrogate", f"{MISSING_GLYPH} lone surrogate"),
        ("\x00\x07bell", f"{MISSING_GLYPH}{MISSING_GLYPH}bell"),
        ("❤️ 👨‍👩‍👧 1️⃣", "❤️ 👨‍👩‍👧 1️⃣"),  # variation selectors and joiners are kept
        ("\u200fمرحبا\u200e", "\u200fمرحبا\u200e"),  # direction marks
        ("\U0010ffff", MISSING_GLYPH),
    ],
)
def test_only_characters_a_bundled_font_draws_reach_qt(text: str, expected: str) -> None:
    assert drawable(text) == expected


def test_hostile_text_lays_out_without_error(fonts: Fonts) -> None:
    for text in (
        "",
        "\n\n\n",
        "\ud83d",
        "a\u0300" * 500,
        "🏳️‍🌈" * 200,
        "\u202e" + "x" * 50,
        " " * 1000,
    ):
        block = fonts.block(fonts.body, text, 200)
        assert block.height >= 0 and block.width <= 200


def test_render_prints_nothing_and_draws_the_same_without_host_fonts(tmp_path: Path) -> None:
    sample = ROOT / "resources" / "samples" / "carousel_with_chips.json"
    command = [
        sys.executable,
        "-c",
        "from rcs_composer.entry import main; raise SystemExit(main())",
    ]
    outputs = []
    for label, env in (("host", None), ("bare", empty_font_environment(tmp_path))):
        out = tmp_path / f"{label}.png"
        done = subprocess.run(
            [*command, "render", str(sample), "-o", str(out), "--theme", "dark"],
            env={
                **(env or dict(__import__("os").environ)),
                "RCS_COMPOSER_CACHE_DIR": str(tmp_path / "c"),
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == ""
        # Nothing of fonts or Qt: only, with no network, a note per picture drawn without.
        noise = [
            line
            for line in done.stderr.splitlines()
            if not line.startswith(f"note: {out.name}: drawn without the picture https://")
        ]
        assert noise == [], done.stderr
        outputs.append(QImage(str(out)))
    assert outputs[0] == outputs[1]
