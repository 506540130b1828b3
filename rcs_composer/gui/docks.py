"""The window's side panels (the drafts library, the media inspector, the templates and
rows panels), each built on first use."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from rcs_composer.gui.library_dock import LIBRARY_DOCK, LIBRARY_VISIBLE_KEY, library_wanted
from rcs_composer.gui.widgets import find_menu

if TYPE_CHECKING:
    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.file_actions import FileActions
    from rcs_composer.gui.images import ImageLoader

# QSettings: whether the Templates panel was open when last left (it opens again after the
# first paint of the next start).
TEMPLATES_VISIBLE_KEY = "templates/visible"
PanelT = TypeVar("PanelT", bound=QWidget)


class DockOnFirstUse(Generic[PanelT]):
    """A dock whose View-menu entry and shortcut exist from the start and whose panel is built
    the first time it is wanted: the entry is triggered, ``panel()`` is asked for, or ``open()``
    restores it. ``build`` makes the panel and its (hidden) dock; the dock's own toggle action
    then takes the entry's place in the menu, so there is one action per shortcut."""

    def __init__(
        self,
        window: QMainWindow,
        text: str,
        shortcut: str,
        build: Callable[[], tuple[PanelT, QDockWidget]],
        status_tip: str = "",
    ) -> None:
        self.window, self._build = window, build
        self._panel: PanelT | None = None
        self.dock: QDockWidget | None = None
        self.action = QAction(text, window, checkable=True)
        self.action.setShortcut(QKeySequence(shortcut))
        if status_tip:
            self.action.setStatusTip(status_tip)
        self.action.triggered.connect(self.open)
        self.menu = find_menu(window, "View")
        (self.menu or window).addAction(self.action)

    @property
    def built(self) -> bool:
        return self._panel is not None

    def panel(self) -> PanelT:
        """The panel, built now if it was not yet (its dock stays as it is)."""
        if self._panel is None:
            self._panel, self.dock = self._build()
            toggle = self.dock.toggleViewAction()
            holder = self.menu or self.window
            holder.insertAction(self.action, toggle)  # moved from where the builder put it
            holder.removeAction(self.action)
            self.action.setShortcut(QKeySequence())
        return self._panel

    def open(self) -> None:
        self.panel()
        assert self.dock is not None
        self.dock.setVisible(True)
        self.dock.raise_()


class Docks(QObject):
    """Creates each dock the first time it is shown and remembers whether the library is open."""

    def __init__(
        self,
        context: AppContext,
        document: ComposerDocument,
        files: FileActions,
        images: ImageLoader,
        settings: QSettings,
        window: QMainWindow,
    ) -> None:
        super().__init__(window)
        self.context, self.document, self.files = context, document, files
        self.images, self.settings, self.window = images, settings, window
        self.library_dock: QDockWidget | None = None
        self.media_dock: QDockWidget | None = None
        self.library_action = QAction("Drafts &library", window, checkable=True)
        self.library_action.setShortcut(QKeySequence("Ctrl+L"))
        self.library_action.triggered.connect(self.toggle_library)
        self.media_action = QAction("&Media inspector", window)
        self.media_action.setShortcut(QKeySequence("Ctrl+I"))
        self.media_action.triggered.connect(self.show_media_inspector)

    def _dock(
        self, title: str, name: str, content: QWidget, area: Qt.DockWidgetArea
    ) -> QDockWidget:
        """The dock called ``name`` holding ``content``: the one the frame reserved, if any."""
        dock = self.window.findChild(QDockWidget, name)
        if dock is None:
            dock = QDockWidget(title, self.window)
            dock.setObjectName(name)
            self.window.addDockWidget(area, dock)
        stand_in = dock.widget()
        dock.setWidget(content)
        if stand_in is not None:
            stand_in.deleteLater()
        return dock

    def library_wanted(self) -> bool:
        return library_wanted(self.settings)

    def toggle_library(self, visible: bool) -> None:
        if self.library_dock is None:
            from rcs_composer.gui.library import LibraryPanel  # built after the first paint

            self.library = LibraryPanel(self.context, self.window, self.images)
            self.library.open_requested.connect(self.files.open_draft)
            self.library.library_selected.connect(self.files.set_new_drafts_into)
            self.library_dock = self._dock(
                "Drafts", LIBRARY_DOCK, self.library, Qt.DockWidgetArea.LeftDockWidgetArea
            )
            self.library_dock.visibilityChanged.connect(self.library_action.setChecked)
        self.library_dock.setVisible(visible)
        self.settings.setValue(LIBRARY_VISIBLE_KEY, visible)
        if visible:
            self.library.reload()

    def add_library_folder(self) -> None:
        self.toggle_library(True)
        self.library.add_folder()

    def focus_search(self) -> None:
        self.toggle_library(True)
        self.library.search.setFocus()

    def show_media_inspector(self) -> None:
        if self.media_dock is None:
            from rcs_composer.gui.media_inspector import MediaInspector  # built on first use

            inspector = MediaInspector(self.document, self.images, self.window)
            self.media_dock = self._dock(
                "Media", "media-dock", inspector, Qt.DockWidgetArea.BottomDockWidgetArea
            )
        self.media_dock.setVisible(True)
        self.media_dock.raise_()
