"""Light and dark follow the system: the widgets get a dark palette when the system is dark
(the phone preview has its own theme and ignores this)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

Role = QPalette.ColorRole
# Material-like greys: text stays at 4.5:1 or better on every surface.
DARK = {
    Role.Window: "#202124",
    Role.WindowText: "#E8EAED",
    Role.Base: "#2A2B2E",  # fields a step lighter than the window, so they read as fields
    Role.AlternateBase: "#313235",
    Role.Text: "#E8EAED",
    Role.Button: "#303134",
    Role.ButtonText: "#E8EAED",
    Role.ToolTipBase: "#303134",
    Role.ToolTipText: "#E8EAED",
    Role.PlaceholderText: "#9AA0A6",
    Role.Highlight: "#8AB4F8",
    Role.HighlightedText: "#202124",
    Role.Link: "#8AB4F8",
    Role.BrightText: "#F28B82",
    # The frame colours Fusion draws borders, radio rings and check boxes with.
    Role.Light: "#9AA0A6",
    Role.Midlight: "#80868B",
    Role.Mid: "#5F6368",
    Role.Dark: "#80868B",
    Role.Shadow: "#000000",
}
DISABLED_TEXT = "#80868B"


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in DARK.items():
        palette.setColor(role, QColor(color))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(DISABLED_TEXT))
    return palette


def apply_color_scheme(app: QApplication, scheme: Qt.ColorScheme | None = None) -> None:
    """The palette of ``scheme``, by default the system's: the dark one, or else the system's
    own, which the app keeps from its start (it is reset only when coming back from dark).
    The style is not asked for its palette: that would build PySide6's QStyle type, ~4 ms of
    start-up, for the palette the app already has."""
    scheme = scheme or QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        app.setPalette(dark_palette())
    elif is_dark(app.palette()):
        app.setPalette(QPalette())  # no role set: back to the system's palette


def follow_color_scheme(app: QApplication) -> None:
    """Apply the system's scheme now and whenever it changes."""
    apply_color_scheme(app)
    QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _s: apply_color_scheme(app))


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128
