"""Text colours that stay readable: WCAG 2 contrast, and the nearest colour that reaches 4.5:1."""

from __future__ import annotations

import functools

from PySide6.QtGui import QColor

MIN_TEXT_CONTRAST = 4.5  # WCAG 2.x AA for normal text; Google asks it of brand colours (G-Info)
FALLBACK_BRAND = "#1A73E8"


def parse_color(value: str, fallback: str = FALLBACK_BRAND) -> QColor:
    color = QColor(value)
    return color if color.isValid() else QColor(fallback)


def luminance(color: QColor) -> float:
    """WCAG relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _mix(ink: QColor, toward: QColor, amount: float) -> QColor:
    return QColor(
        round(ink.red() + (toward.red() - ink.red()) * amount),
        round(ink.green() + (toward.green() - ink.green()) * amount),
        round(ink.blue() + (toward.blue() - ink.blue()) * amount),
    )


@functools.lru_cache(maxsize=256)
def readable_ink(ink: str, background: str) -> QColor:
    """``ink``, or the least lightened or darkened tint of it that reads at 4.5:1 on
    ``background`` (brand colours are chosen for white; a dark phone shows a lighter tint)."""
    color, back = parse_color(ink), parse_color(background, "#FFFFFF")
    if contrast(color, back) >= MIN_TEXT_CONTRAST:
        return color
    white, black = QColor("#FFFFFF"), QColor("#000000")
    toward = white if contrast(white, back) >= contrast(black, back) else black
    low, high = 0.0, 1.0  # the smallest mix that reaches the contrast, to 1/256
    for _ in range(8):
        middle = (low + high) / 2
        if contrast(_mix(color, toward, middle), back) >= MIN_TEXT_CONTRAST:
            high = middle
        else:
            low = middle
    return _mix(color, toward, high)


def ink_on(background: str) -> QColor:
    """White or black, whichever reads better on ``background`` (initials on a logo): one of
    the two always reaches 4.5:1, on any colour."""
    back = parse_color(background)
    white, dark = QColor("#FFFFFF"), QColor("#000000")
    return white if contrast(white, back) >= contrast(dark, back) else dark
