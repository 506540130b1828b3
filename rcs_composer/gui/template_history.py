"""A template's status changes over time (``template_history``), as a small timeline."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.app import templates_account as account
from rcs_composer.gui.plain_text import plain_text
from rcs_composer.gui.templates_panel import STATUS_COLOURS, when
from rcs_composer.services.template_register import RegisteredTemplate, StatusChange


def dot(colour: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QBrush(QColor(colour)))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def duration(start: str, end: str | None) -> str:
    """How long a status lasted ("4 s", "3 min", "2 h 5 min"), or "" when unknown."""
    try:
        first = datetime.fromisoformat(start.replace("Z", "+00:00"))
        last = datetime.fromisoformat(end.replace("Z", "+00:00")) if end else None
    except ValueError:
        return ""
    if last is None:
        return ""
    seconds = int((last - first).total_seconds())
    if seconds < 0:
        return ""
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


class TemplateHistoryDialog(QDialog):
    """Oldest first: each status, when it began, how long it lasted, and any reason."""

    def __init__(
        self,
        entry: RegisteredTemplate,
        steps: tuple[StatusChange, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"History of {entry.name or entry.template_id}")
        self.resize(560, 320)
        # Server text, escaped: the name is bold, never whatever markup it carries.
        heading = QLabel(
            f"<b>{html.escape(entry.name or entry.template_id)}</b> · "
            + html.escape(entry.template_id)
            + (f" · number {html.escape(entry.template_number)}" if entry.template_number else ""),
            self,
        )
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading = heading
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.timeline = QTreeWidget(self)
        self.timeline.setAccessibleName("Status timeline")
        self.timeline.setHeaderLabels(["Status", "Since", "For", "Reason"])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setIconSize(QSize(12, 12))
        for index, step in enumerate(steps):
            following = steps[index + 1].at if index + 1 < len(steps) else None
            item = QTreeWidgetItem(
                [
                    account.status_words(step.status),
                    when(step.at) if step.at else "—",
                    duration(step.at, following) if following else "now",
                    step.reason or "",
                ]
            )
            text, _back = STATUS_COLOURS[account.status_group(step.status)]
            item.setIcon(0, dot(text))
            item.setToolTip(3, plain_text(step.reason or ""))
            self.timeline.addTopLevelItem(item)
        for column in range(3):
            self.timeline.resizeColumnToContents(column)
        self.empty = QLabel("Kaleyra reports no status changes for this template yet.", self)
        self.empty.setVisible(not steps)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.empty)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def statuses(self) -> list[str]:
        return [
            item.text(0)
            for index in range(self.timeline.topLevelItemCount())
            if (item := self.timeline.topLevelItem(index)) is not None
        ]
