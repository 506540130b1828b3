"""The draft library: a searchable list of drafts, loaded off the GUI thread, fast at 10,000."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Dialogs are named as QtWidgets.QMessageBox and so on, when one opens: PySide6 builds a class's
# Python type, enums and all, the first time it is named (the dialogs cost ~0.2 MB).
from PySide6 import QtWidgets
from PySide6.QtCore import (
    QAbstractListModel,
    QFileSystemWatcher,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QIcon, QImage, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QSizePolicy,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.app.drafts import ID_SEPARATOR, DraftChange, DraftEvent, LibraryInfo, library_key
from rcs_composer.core.naming import quoted
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.plain_text import plain_text
from rcs_composer.gui.tasks import Busy

FOLDER_SETTLE_MS = 150  # a checkout or a sync writes many files: list once they are written
# Network shares and some sync folders send no change notices: a library folder is also
# listed again this often (a listing reads only the files whose size or time changed).
FOLDER_POLL_MS = 5000
TABS_MIN_WIDTH = 56  # the library tabs may shrink to their scroll buttons and a sliver
CURRENT_LIBRARY_KEY = "library/current"  # the library tab shown, for the next start

KIND_COLORS = {
    "text": "#5E97F6",
    "file": "#9C27B0",
    "rich_card": "#F4B400",
    "carousel": "#0F9D58",
    None: "#B3261E",
}
KIND_NAMES = {
    "text": "Text",
    "file": "File",
    "rich_card": "Rich card",
    "carousel": "Carousel",
    None: "Cannot open",
}


def file_of(entry: Any) -> str:
    """The draft's file, from its library's folder (``campaigns/diwali-offer.rcs.json``)."""
    draft_id: str = entry.draft_id
    local = draft_id.partition(ID_SEPARATOR)[2] if library_key(draft_id) else draft_id
    return f"{local}.json"


def kind_icon(kind: str | None) -> QIcon:
    """A small thumbnail of the message's shape: a bubble, a file, a card, or a row of cards."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = QColor(KIND_COLORS.get(kind, "#777777"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    if kind == "carousel":
        painter.drawRoundedRect(2, 6, 16, 20, 3, 3)
        painter.drawRoundedRect(20, 6, 10, 20, 3, 3)
    elif kind == "rich_card":
        painter.drawRoundedRect(6, 3, 20, 26, 3, 3)
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRect(9, 18, 14, 2)
    elif kind == "text":
        painter.drawRoundedRect(3, 8, 26, 16, 8, 8)
    else:
        painter.drawRoundedRect(8, 3, 16, 26, 2, 2)
    painter.end()
    return QIcon(pixmap)


class DraftListModel(QAbstractListModel):
    """Rows are DraftEntry objects; filtering happens in memory so a search never touches disk."""

    def __init__(self, loader: ImageLoader | None = None) -> None:
        super().__init__()
        self.all: list[Any] = []
        self.rows: list[Any] = []
        self.repeated: set[str] = set()  # names (casefolded) more than one draft has
        self.icons = {kind: kind_icon(kind) for kind in KIND_COLORS}
        self.loader = loader
        self.thumbnails: dict[str, QIcon] = {}
        if loader is not None:
            loader.image_ready.connect(self.on_image_ready)

    def thumbnail(self, entry: Any) -> QIcon:
        """The draft's first picture, shrunk, once loaded; until then an icon of its kind.

        Only rows on screen ask for it, so a library of 10,000 drafts fetches a screenful.
        """
        url = entry.thumbnail_url
        if url and self.loader is not None:
            icon = self.thumbnails.get(url)
            if icon is not None:
                return icon
            self.loader.request(url)
        return self.icons.get(entry.kind, self.icons[None])

    def on_image_ready(self, url: str, image: QImage) -> None:
        if any(entry.thumbnail_url == url for entry in self.rows):
            square = min(image.width(), image.height())
            cropped = image.copy(
                (image.width() - square) // 2, (image.height() - square) // 2, square, square
            )
            self.thumbnails[url] = QIcon(
                QPixmap.fromImage(
                    cropped.scaled(
                        64,
                        64,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
            )
            rows = [row for row, entry in enumerate(self.rows) if entry.thumbnail_url == url]
            for row in rows:
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.rows)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        entry = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            when = entry.modified.replace("T", " ").replace("Z", "")[:16]
            if entry.problem:
                status = f"⚠ cannot open: {entry.problem}"
            elif entry.conflict_of:
                status = "⚠ conflict copy: open to compare"
            elif entry.copies:
                status = f"{KIND_NAMES.get(entry.kind, '')} · ⚠ has a conflict copy"
            else:
                status = KIND_NAMES.get(entry.kind, "")
            where = file_of(entry)
            line = f"{entry.name}\n{status} · {when}"
            if entry.name.casefold() in self.repeated:
                return f"{line} · {where}"  # three "Offer": the file tells them apart
            if "/" in where:
                return f"{line} · {where.rpartition('/')[0]}/"  # the sub-folder it is in
            return line
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnail(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [entry.name, file_of(entry)]
            return "\n".join([*lines, entry.problem] if entry.problem else lines)
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None

    def set_entries(self, entries: list[Any], query: str = "") -> None:
        self.all = entries
        counts = Counter(entry.name.casefold() for entry in entries)
        self.repeated = {name for name, count in counts.items() if count > 1}
        self.filter(query)

    def filter(self, query: str) -> None:
        words = query.lower().split()
        self.beginResetModel()
        self.rows = (
            [entry for entry in self.all if entry.matches(words)] if words else list(self.all)
        )
        self.endResetModel()


NO_MATCH = "No drafts match “{query}”. Press Esc to clear the search."
NO_DRAFTS = "No drafts here yet. Save a draft (Ctrl+S) and it appears here."
READING = "Reading {folder}…"
# Sub-folders of a library are watched too, up to this many (a system allows a few thousand
# watches in all); the poll every FOLDER_POLL_MS sees changes in the others.
MAX_WATCHED_FOLDERS = 64


class LibraryPanel(QWidget):
    """The drafts dock: a tab for the private drafts and one for each library folder, each
    listing its drafts; a folder's list follows files other programs add, change or remove."""

    open_requested = Signal(str)
    library_selected = Signal(object)  # the key of the library shown (None: the private one)

    def __init__(
        self, context: AppContext, parent: QWidget | None = None, loader: ImageLoader | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.tabs = QTabBar(self)
        self.tabs.setAccessibleName("Libraries")
        self.tabs.setExpanding(False)
        self.tabs.setDocumentMode(True)
        # A narrow dock scrolls and elides the tabs rather than widen the window.
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        # Its own minimum is a whole elided tab: with "+" beside it, that alone made the window
        # wider than 800 px. The scroll buttons reach the tabs that do not fit.
        self.tabs.setMinimumWidth(TABS_MIN_WIDTH)
        self.tabs.hide()  # shown once there is more than the private library
        self.tabs.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tabs.customContextMenuRequested.connect(self.on_tab_menu)
        self.tabs.currentChanged.connect(self.on_tab_changed)
        self.add_button = QToolButton(self)
        self.add_button.setText("+")
        self.add_button.setToolTip("Add a library folder (a git repository or a synced folder)")
        self.add_button.setAccessibleName("Add library folder")
        self.add_button.clicked.connect(self.add_folder)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search drafts (Ctrl+F)")
        self.search.setAccessibleName("Search drafts")
        self.search.setClearButtonEnabled(True)
        self.model = DraftListModel(loader)
        self.view = QListView(self)
        self.view.setAccessibleName("Drafts")
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)
        self.view.setIconSize(QSize(40, 40))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.on_menu)
        self.view.activated.connect(self.on_activated)
        self.search.textChanged.connect(self.model.filter)
        clear = QAction("Clear search", self.search)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.search.clear)
        self.search.addAction(clear)
        self.empty = QLabel(self)  # says why the list is empty, instead of a blank list
        self.empty.setWordWrap(True)
        # A folder's path has no spaces to wrap at: the note must never widen the dock.
        self.empty.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.empty.setMinimumWidth(0)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName("Drafts list note")
        self.empty.hide()
        self.model.modelReset.connect(self.update_empty_note)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        search_row = QHBoxLayout()  # "+" beside the search: no row of its own while one library
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.add_button)
        layout.addLayout(search_row)
        layout.addWidget(self.empty)
        layout.addWidget(self.view)
        self.listing = Busy(self)  # a listing of the drafts is out: one at a time
        self.listed = False  # whether the listing of the library shown has come back yet
        self.reading = ""  # what the note says until it has ("Reading <folder>…")
        self.stale = False
        self.last_deleted: str | None = None
        self.libraries: list[LibraryInfo] = []
        self.current: str | None = None  # the key of the library listed
        self.settings = QSettings()
        # The tab to show once the libraries are listed: the one shown last time.
        remembered = self.settings.value(CURRENT_LIBRARY_KEY, "")
        self.wanted: str | None = remembered if isinstance(remembered, str) and remembered else None
        # Other writers: a checkout, a sync tool, another window. Their changes come in bursts.
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self.on_folder_changed)
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(FOLDER_SETTLE_MS)
        self.settle.timeout.connect(self.reload)
        self.poll = QTimer(self)
        self.poll.setInterval(FOLDER_POLL_MS)
        self.poll.timeout.connect(self.reload)
        context.draft_changed.connect(self.on_draft_changed)

    # ------------------------------------------------------------ libraries

    def reload_libraries(self) -> None:
        library = self.context.library
        self.context.runner.op(library.libraries).on_success(self.on_libraries).on_failure(
            self.on_failed
        ).run()

    def on_libraries(self, libraries: list[LibraryInfo]) -> None:
        self.libraries = libraries
        keys = [info.key for info in libraries]
        # The library just added, else the one shown (None is the private one, always there).
        wanted = self.wanted if self.wanted is not None and self.wanted in keys else self.current
        self.tabs.blockSignals(True)
        while self.tabs.count():
            self.tabs.removeTab(0)
        for info in libraries:
            index = self.tabs.addTab(info.title)
            self.tabs.setTabToolTip(index, str(info.path))
        self.tabs.setVisible(len(libraries) > 1)
        self.tabs.setCurrentIndex(keys.index(wanted) if wanted in keys else 0)
        self.tabs.blockSignals(False)
        if wanted == self.wanted:
            self.wanted = None
        self.on_tab_changed(self.tabs.currentIndex())

    def on_tab_changed(self, index: int) -> None:
        if not 0 <= index < len(self.libraries):
            return
        info = self.libraries[index]
        self.current = info.key
        self.search.setPlaceholderText(f"Search {info.title} (Ctrl+F)")
        old = self.watcher.directories()
        if old:
            self.watcher.removePaths(old)
        self._watch(info.path)
        if info.key is None:
            self.poll.stop()
        else:
            self.poll.start()
        if self.settings.value(CURRENT_LIBRARY_KEY, "") != (info.key or ""):
            self.settings.setValue(CURRENT_LIBRARY_KEY, info.key or "")
        self.library_selected.emit(info.key)
        self.listed = False  # until this library's listing arrives: "Reading <folder>…"
        self.reading = READING.format(folder=info.path)
        self.model.set_entries([], self.search.text())
        self.reload()

    def _watch(self, folder: Path) -> None:
        def watch(exists: bool) -> None:
            # A folder unmounted since it was added: listing it says so. Watched already when
            # the first listing came back first.
            if exists and str(folder) not in self.watcher.directories():
                self.watcher.addPath(str(folder))
                self.settle.start()  # what was written before the watch began is listed too

        self.context.runner.op(folder.is_dir).on_success(watch).ignore_failure().run()

    def _watch_listed(self, key: str | None) -> None:
        """Watch the sub-folders the listing of library ``key`` read (the folder itself is
        watched from the start), at most MAX_WATCHED_FOLDERS in all."""
        library = self.context.library

        def watch(folders: list[Path]) -> None:
            if key != self.current:
                return
            wanted = {str(folder) for folder in folders}
            watched = set(self.watcher.directories())
            gone = [path for path in watched - wanted if path != str(self.libraries_path())]
            if gone:
                self.watcher.removePaths(gone)
            new = sorted(wanted - watched)
            if new:
                self.watcher.addPaths(new)

        self.context.runner.op(
            lambda: library.folders_to_watch(key, MAX_WATCHED_FOLDERS)
        ).on_success(watch).ignore_failure().run()

    def libraries_path(self) -> Path | None:
        """The folder of the library shown."""
        return next((info.path for info in self.libraries if info.key == self.current), None)

    def on_folder_changed(self, _path: str) -> None:
        self.settle.start()

    def add_folder(self) -> None:
        """File > Add library folder...: pick a folder; its drafts get their own tab."""
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Add a library folder")
        if not folder:
            return
        library = self.context.library

        def added(info: LibraryInfo) -> None:
            self.wanted = info.key
            self.reload_libraries()

        self.context.runner.op(lambda: library.add_folder(Path(folder))).on_success(
            added
        ).on_failure(self.on_change_failed).run()

    def on_tab_menu(self, point: Any) -> None:
        index = self.tabs.tabAt(point)
        if not 0 <= index < len(self.libraries) or self.libraries[index].key is None:
            return
        info = self.libraries[index]
        menu = QMenu(self)
        menu.addAction(
            f"Remove {quoted(info.title)} from the list (its files stay)",
            lambda: self.run(self.context.library.remove_folder, info.key),
        )
        menu.exec(self.tabs.mapToGlobal(point))

    # ------------------------------------------------------------ drafts

    def reload(self) -> None:
        """List the drafts on a worker thread; the list appears when they are read."""
        if not self.libraries:
            self.reload_libraries()
            return
        if self.loading:
            self.stale = True  # a change arrived while listing: list again when this one ends
            return
        self.stale = False
        library, key = self.context.library, self.current
        self.context.runner.op(lambda: (key, library.entries(key))).on_success(
            self.on_loaded
        ).on_failure(self.on_failed).busy_while(self.listing).run()

    @property
    def loading(self) -> bool:
        """Whether a listing of the drafts is out."""
        return self.listing.active

    def on_loaded(self, result: tuple[str | None, list[Any]]) -> None:
        key, entries = result
        if key == self.current:
            if entries != self.model.all:  # the same: keep the selection
                self.model.set_entries(entries, self.search.text())
            self.listed = True
            if key is not None:
                self._watch_listed(key)
        self.update_empty_note()
        if self.stale or key != self.current:
            self.reload()

    def update_empty_note(self) -> None:
        """An empty list says why: nothing matches the search, or nothing is saved yet."""
        query = self.search.text().strip()
        if self.model.rowCount() or (not self.listed and not self.reading):
            self.empty.hide()
            return
        if not self.listed:
            self.empty.setText(self.reading)
        else:
            self.empty.setText(NO_MATCH.format(query=query) if query else NO_DRAFTS)
        self.empty.show()

    def on_failed(self, error: BaseException) -> None:
        self.search.setPlaceholderText(f"Drafts could not be listed: {error}")
        self.reading = f"Drafts could not be listed: {error}"
        self.update_empty_note()

    def on_activated(self, index: QModelIndex) -> None:
        entry = index.data(Qt.ItemDataRole.UserRole)
        if entry is not None:
            # A conflict copy opens its draft, which then offers the copy to compare.
            self.open_requested.emit(entry.conflict_of or entry.draft_id)

    def on_menu(self, point: Any) -> None:
        index = self.view.indexAt(point)
        entry = index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None
        menu = QMenu(self)
        if entry is not None:
            menu.addAction("Open", lambda: self.open_requested.emit(entry.draft_id))
            menu.addAction("Rename…", lambda: self.rename(entry))
            menu.addAction(
                "Duplicate", lambda: self.run(self.context.library.duplicate, entry.draft_id)
            )
            others = [info for info in self.libraries if info.key != self.current]
            if others:
                copy_menu = menu.addMenu("Copy to library")
                for info in others:
                    copy_menu.addAction(info.title, self._copier(entry.draft_id, info.key))
            menu.addAction("Move to trash", lambda: self.delete(entry.draft_id))
        if self.last_deleted:
            menu.addAction("Undo move to trash", self.undo_delete)
        menu.exec(self.view.mapToGlobal(point))

    def _copier(self, draft_id: str, key: str | None) -> Callable[[], None]:
        return lambda: self.run(self.context.library.copy_to, draft_id, key)

    def run(self, action: Any, *args: Any) -> None:
        """A library change off the GUI thread; the list follows the change's event."""
        self.context.runner.op(lambda: action(*args)).on_failure(self.on_change_failed).run()

    def on_draft_changed(self, event: DraftEvent) -> None:
        if event.change is DraftChange.LIBRARIES:
            self.reload_libraries()
        else:
            self.settle.start()  # one listing for the change and the folder notice it causes

    def on_change_failed(self, error: BaseException) -> None:
        QtWidgets.QMessageBox.warning(self, "Drafts", plain_text(f"{error}"))
        self.reload()

    def rename(self, entry: Any) -> None:
        name, ok = QtWidgets.QInputDialog.getText(self, "Rename draft", "Name:", text=entry.name)
        if ok and name.strip():
            self.run(self.context.library.rename, entry.draft_id, name.strip())

    def delete(self, draft_id: str) -> None:
        self.last_deleted = draft_id
        self.run(self.context.library.trash, draft_id)

    def undo_delete(self) -> None:
        if self.last_deleted:
            self.run(self.context.library.restore, self.last_deleted)
            self.last_deleted = None
