"""Coloured outlines, counter tones and row icons for marked fields, drawn without style
sheets or the style's own icons.

A style sheet on a widget gives it, and every widget under it, a style-sheet style of its own:
once one field of the composer was marked, that was about 1.5 MB and a restyle of the whole
editor. An outline is instead a small widget laid over the field, transparent to the mouse
and to focus, that paints a rounded 2 px border; a counter's tone is its palette and font. A
list row's icon is drawn here too: asking the style for its message-box icons builds PySide6's
QStyle type, its hundreds of enum members and all (about 0.3 MB held for the session).
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPaintEvent, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

ERROR_COLOR = "#B3261E"
WARNING_COLOR = "#C77700"
BORDER_WIDTH = 2
CORNER_RADIUS = 4


class Outline(QWidget):
    """The border over ``field``: it follows the field's size and stays above its children."""

    def __init__(self, field: QWidget) -> None:
        super().__init__(field)
        self.color = QColor(ERROR_COLOR)
        self.setObjectName("outline")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setGeometry(field.rect())
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        field = self.parentWidget()
        if watched is field and field is not None:
            if event.type() == QEvent.Type.Resize:
                self.setGeometry(field.rect())
            elif event.type() == QEvent.Type.ChildAdded and self.isVisible():
                self.raise_()  # a scroll bar or button the field makes later stays under it
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self.color, BORDER_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inset = BORDER_WIDTH / 2
        box = QRectF(self.rect()).adjusted(inset, inset, -inset, -inset)
        painter.drawRoundedRect(box, CORNER_RADIUS, CORNER_RADIUS)
        painter.end()


def set_outline(field: QWidget, color: str | None) -> None:
    """Outline ``field`` in ``color``, or take its outline away (None)."""
    outline = field.findChild(Outline, "outline", Qt.FindChildOption.FindDirectChildrenOnly)
    if color is None:
        if outline is not None:
            outline.hide()
        return
    if outline is None:
        outline = Outline(field)
    if outline.color != QColor(color):
        outline.color = QColor(color)
        outline.update()
    outline.raise_()
    outline.show()


def set_tone(label: QLabel, color: str | None, *, bold: bool = False) -> None:
    """Draw ``label``'s text in ``color`` (bold if asked), or in the window's own colours again
    (None). Only the text role is set, so a change of light or dark scheme still reaches the
    label's other colours."""
    if color is None:
        label.setPalette(QPalette())
        label.setFont(QFont())
        return
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(color))
    label.setPalette(palette)
    font = QFont()
    if bold:
        font.setWeight(QFont.Weight.DemiBold)
    label.setFont(font)


ICON_PX = 32  # drawn once this size; a list shows it at its rows' height


@functools.cache
def problem_icon(error: bool) -> QIcon:
    """A row's mark, as Material draws them: a red circle for an error, an amber triangle for
    a warning, each with a white "!"."""
    pixmap = QPixmap(ICON_PX, ICON_PX)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(ERROR_COLOR if error else WARNING_COLOR))
    side = float(ICON_PX)
    if error:
        painter.drawEllipse(QRectF(1, 1, side - 2, side - 2))
    else:
        corners = [QPointF(side / 2, 2), QPointF(side - 1, side - 3), QPointF(1, side - 3)]
        painter.drawPolygon(corners)
    mark = QPen(QColor("#FFFFFF"), side / 9)
    mark.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(mark)
    top, bottom = (side * 0.26, side * 0.56) if error else (side * 0.36, side * 0.64)
    painter.drawLine(QPointF(side / 2, top), QPointF(side / 2, bottom))
    painter.drawPoint(QPointF(side / 2, bottom + side * (0.17 if error else 0.13)))
    painter.end()
    return QIcon(pixmap)
