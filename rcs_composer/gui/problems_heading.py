"""The problems area's heading before the first check, in the window's frame and the panel."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

PROBLEMS_CHECKING = "<b>Problems</b> — checking…"  # the problems heading until the first check
PROBLEMS_MARGINS = (4, 2, 4, 2)


def problems_stand_in(parent: QWidget) -> QLabel:
    """The problems heading as the window's frame shows it, as tall as the problems panel
    that takes its place after the first paint."""
    label = QLabel(PROBLEMS_CHECKING, parent)
    label.setContentsMargins(*PROBLEMS_MARGINS)
    return label
