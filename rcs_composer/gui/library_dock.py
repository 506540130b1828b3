"""Where the drafts library docks: the window's frame keeps its place before the panel exists."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

LIBRARY_VISIBLE_KEY = "library/visible"
LIBRARY_DOCK = "drafts-dock"
LIBRARY_WIDTH = 150  # pixels of a first start's drafts dock; then the window remembers it


def library_wanted(settings: QSettings) -> bool:
    return settings.value(LIBRARY_VISIBLE_KEY, True) in (True, "true")


def reserve_library_dock(window: QMainWindow, settings: QSettings) -> None:
    """The window's frame: an empty Drafts dock where the library will be (when it was open
    last time), so the editor and the phone are already where they stay when it fills."""
    if not library_wanted(settings):
        return
    dock = QDockWidget("Drafts", window)
    dock.setObjectName(LIBRARY_DOCK)
    dock.setWidget(QWidget(dock))
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.resizeDocks([dock], [LIBRARY_WIDTH], Qt.Orientation.Horizontal)
