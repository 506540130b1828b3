"""The desktop window: the only package that imports PySide6."""

from rcs_composer.gui.pyside_sources import keep_no_sources

keep_no_sources()  # before the window's modules load: PySide6 would keep each one's source
