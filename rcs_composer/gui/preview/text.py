"""Paragraphs as the phone lays them out: M3 line heights, breaks inside long words, RTL."""

from __future__ import annotations

import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QGlyphRun, QPainter, QTextLayout, QTextOption

from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.fonts import drawable, preview_font

LINE_SEPARATOR = "\u2028"  # QTextLayout breaks a line here, not at "\n"
BLOCK_CACHE_SIZE = 4096
UNWRAPPED_WIDTH = 1e6  # dp: "no limit" for a line that never wraps
# A paragraph is laid out to this many characters, then "…": well past every limit of the API
# (3,072 for a text), so a valid message shows whole, and a pasted 100 KB one (an error the
# problems list names) cannot hold the window for seconds.
LONGEST_PARAGRAPH = 8192


@dataclass(frozen=True)
class TextStyle:
    """A type role of the preview: size and line height in sp, and weight (M3 type scale)."""

    name: str
    pixels: float
    line_height: float
    weight: QFont.Weight = QFont.Weight.Normal

    def __hash__(self) -> int:
        # Every laid-out paragraph is looked up by its style: the generated hash would hash
        # the weight, a Python enum, each time. Equal styles have equal names.
        return hash(self.name)


@dataclass
class TextBlock:
    """A laid-out paragraph: positioned glyph runs from (0, 0), its size, and its lines."""

    runs: list[QGlyphRun] = field(default_factory=list)
    width: float = 0.0  # the widest line's natural width
    height: float = 0.0
    lines: int = 0
    right_to_left: bool = False

    def draw(self, painter: QPainter, at: QPointF) -> None:
        """Draw at ``at`` in the painter's pen colour (colour emoji keep their own colours)."""
        for run in self.runs:
            painter.drawGlyphRun(at, run)


def paragraph_is_rtl(text: str) -> bool:
    """Android's default: a paragraph runs the way its first strong character does."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction == "L":
            return False
        if direction in ("R", "AL"):
            return True
    return False


class Fonts:
    """The preview's type roles, and laid-out paragraphs cached per (role, text, width, lines)."""

    def __init__(self) -> None:
        self.title = TextStyle("title", g.TITLE_SP, g.TITLE_LINE_SP, QFont.Weight.Medium)
        self.body = TextStyle("body", g.BODY_SP, g.BODY_LINE_SP)
        self.small = TextStyle("small", g.SMALL_SP, g.SMALL_LINE_SP)
        self.chip = TextStyle("chip", g.CHIP_LABEL_SP, g.CHIP_LINE_SP, QFont.Weight.Medium)
        self.header = TextStyle("header", g.HEADER_SP, g.HEADER_LINE_SP, QFont.Weight.Medium)
        styles = (self.title, self.body, self.small, self.chip, self.header)
        self.qfonts = {style: preview_font(style.pixels, style.weight) for style in styles}
        self.metrics = {style: QFontMetricsF(font) for style, font in self.qfonts.items()}
        self._blocks: OrderedDict[tuple[TextStyle, str, float | None, int | None], TextBlock]
        self._blocks = OrderedDict()

    # ------------------------------------------------------------ paragraphs

    def block(
        self, style: TextStyle, text: str, width: float | None = None, lines: int | None = None
    ) -> TextBlock:
        """``text`` laid out in ``style``: wrapped at ``width`` (words first, then anywhere, so
        a long URL stays inside the card), cut to ``lines`` with an ellipsis; one unwrapped
        line when ``width`` is None."""
        key = (style, text, width, lines)
        found = self._blocks.get(key)
        if found is not None:
            self._blocks.move_to_end(key)
            return found
        found = self._blocks[key] = self._lay_out(style, text, width, lines)
        if len(self._blocks) > BLOCK_CACHE_SIZE:
            self._blocks.popitem(last=False)
        return found

    def _lay_out(
        self, style: TextStyle, text: str, width: float | None, lines: int | None
    ) -> TextBlock:
        if len(text) > LONGEST_PARAGRAPH:
            text = text[:LONGEST_PARAGRAPH] + "…"
        if width is None:
            shown = drawable(text).replace("\n", " ")
        elif lines == 1:
            shown = self.elide(style, text, width)
        else:
            shown = drawable(text).replace("\n", LINE_SEPARATOR)
        right_to_left = paragraph_is_rtl(shown)
        wrapped = width is not None and lines != 1
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        if right_to_left:
            option.setTextDirection(Qt.LayoutDirection.RightToLeft)
        # A wrapped paragraph aligns to its start side; a single line is placed by the painter.
        option.setAlignment(
            (
                Qt.AlignmentFlag.AlignRight
                if right_to_left and wrapped
                else Qt.AlignmentFlag.AlignLeft
            )
            | Qt.AlignmentFlag.AlignAbsolute
        )
        layout = QTextLayout(shown, self.qfonts[style])
        layout.setTextOption(option)
        layout.beginLayout()
        top, widest, count = 0.0, 0.0, 0
        while lines is None or count < lines:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width if wrapped and width is not None else UNWRAPPED_WIDTH)
            # Every line is the type role's height, whatever the script: phones draw Urdu and
            # Arabic with a compact UI face made to sit in Roboto's line, and the bundled Noto
            # Sans Arabic's ascent and descent (2.1 em) would make its lines 1.5 times as tall.
            # Its glyphs are far smaller than that box, centred on the line as Latin's is.
            line.setPosition(QPointF(0, top + (style.line_height - line.height()) / 2))
            top += style.line_height
            natural = line.naturalTextWidth()  # spaces at a break may hang past the width
            widest = max(widest, min(natural, width) if wrapped and width is not None else natural)
            count += 1
        layout.endLayout()
        if not shown:
            top = style.line_height
        return TextBlock(layout.glyphRuns(), widest, top, count, right_to_left)

    # ------------------------------------------------------------ measures for the layout

    def height(self, style: TextStyle, width: float, text: str) -> float:
        return self.block(style, text, width).height

    def line(self, style: TextStyle) -> float:
        return style.line_height

    def width(self, style: TextStyle, text: str) -> float:
        return self.block(style, text).width

    def elide(self, style: TextStyle, text: str, width: float) -> str:
        return self.metrics[style].elidedText(
            drawable(text[: LONGEST_PARAGRAPH + 1]).replace("\n", " "),
            Qt.TextElideMode.ElideRight,
            width,
        )
