"""Coloured outlines and counter tones for marked fields, drawn without style sheets.

A style sheet on a widget gives it, and every widget under it, a style-sheet style of its own:
once one field of the composer was marked, that was about 1.5 MB and a restyle of the whole
editor. An outline is instead a small widget laid over the field, transparent to the mouse
and to focus, that paints a rounded 2 px border; a counter's tone is its palette and font.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
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
