"""One line of text cut with "…" where its room is short: the status bar, the sandbox notice.

Built before the first paint, so it names few Qt classes."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Cut with "…" where its room is too short (the tooltip then holds all of it), and never
    what makes a window wider: it asks for its whole width and takes what it gets. ``text()``
    is the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        width = self.fontMetrics().horizontalAdvance(self.text()) + 4
        return QSize(width, super().sizeHint().height())

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._fit_tooltip()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_tooltip()

    def _fit_tooltip(self) -> None:
        cut = self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()
        self.setToolTip(self.text() if cut else "")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        room = self.contentsRect()
        metrics = self.fontMetrics()
        shown = metrics.elidedText(self.text(), Qt.TextElideMode.ElideRight, room.width())
        painter = QPainter(self)
        painter.drawText(room, int(self.alignment()), shown)
        painter.end()
