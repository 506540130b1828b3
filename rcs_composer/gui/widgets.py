"""Small pieces several dialogs share."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QWidget


def dialog_buttons(dialog: QDialog, left: QWidget, primary: QPushButton) -> QHBoxLayout:
    """``left`` on its own, then Close and the primary action on the right, as desktops expect."""
    close = QPushButton("Close", dialog)
    close.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addWidget(left)
    row.addStretch(1)
    row.addWidget(close)
    row.addWidget(primary)
    return row
