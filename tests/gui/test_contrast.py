"""Every text the preview draws reads at 4.5:1 on its background, in both themes, any brand colour."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from rcs_composer.gui.preview.contrast import MIN_TEXT_CONTRAST, contrast, ink_on, readable_ink
from rcs_composer.gui.preview.geometry import PALETTES

# (what the painter draws, its ink, the background it sits on), as painter.py draws them.
PAIRS = [
    ("status bar time, agent name", "on_surface", "surface"),
    ("'Verified business', day stamp, time stamp", "on_surface_variant", "surface"),
    ("card title, text message", "on_surface", "surface_container"),
    ("card description", "on_surface_variant", "surface_container"),
    ("composer placeholder", "on_surface_variant", "surface_container"),
    ("'Loading…' on a missing picture", "on_surface_variant", "placeholder"),
    ("a failed picture's badge", "surface", "failed"),
    ("'Cut on phones' badge", "failed", "surface"),
]
BRANDS = [
    "#0B57D0",
    "#1A73E8",
    "#FFEB3B",
    "#FFFFFF",
    "#000000",
    "#777777",
    "#E91E63",
    "#00C853",
    "#3F3F3F",
    "#B0B0B0",
    "not a colour",
    "",
]


@pytest.mark.parametrize("theme", sorted(PALETTES))
@pytest.mark.parametrize(("what", "ink", "background"), PAIRS)
def test_palette_text_reaches_4_5_to_1(theme: str, what: str, ink: str, background: str) -> None:
    palette = PALETTES[theme]
    ratio = contrast(QColor(getattr(palette, ink)), QColor(getattr(palette, background)))
    assert ratio >= MIN_TEXT_CONTRAST, f"{theme}: {what} reads at {ratio:.2f}:1"


@pytest.mark.parametrize("theme", sorted(PALETTES))
@pytest.mark.parametrize("brand", BRANDS)
def test_brand_coloured_labels_are_tinted_until_they_read(theme: str, brand: str) -> None:
    palette = PALETTES[theme]
    for background in (palette.surface, palette.surface_container):  # chips, card suggestions
        ink = readable_ink(brand, background)
        assert contrast(ink, QColor(background)) >= MIN_TEXT_CONTRAST, (theme, brand, background)


def test_a_readable_brand_colour_is_left_alone() -> None:
    assert readable_ink("#0B57D0", PALETTES["light"].surface) == QColor("#0B57D0")
    assert readable_ink("#0B57D0", PALETTES["dark"].surface) != QColor("#0B57D0")


@pytest.mark.parametrize("brand", [b for b in BRANDS if QColor(b).isValid()])
def test_logo_initials_read_on_any_brand_colour(brand: str) -> None:
    assert contrast(ink_on(brand), QColor(brand)) >= MIN_TEXT_CONTRAST
