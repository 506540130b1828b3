"""The draft library: a searchable list of drafts, loaded off the GUI thread, fast at 10,000."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QLineEdit, QListView, QMenu, QVBoxLayout, QWidget

from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.session import AppSession

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
            status = (
                f"⚠ cannot open: {entry.problem}"
                if entry.problem
                else KIND_NAMES.get(entry.kind, "")
            )
            return f"{entry.name}\n{status} · {when}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self.thumbnail(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.problem or entry.name
        if role == Qt.ItemDataRole.UserRole:
            return entry
        return None

    def set_entries(self, entries: list[Any], query: str = "") -> None:
        self.all = entries
        self.filter(query)

    def filter(self, query: str) -> None:
        words = query.lower().split()
        self.beginResetModel()
        self.rows = (
            [entry for entry in self.all if entry.matches(words)] if words else list(self.all)
        )
        self.endResetModel()


class LibraryPanel(QWidget):
    open_requested = Signal(str)

    def __init__(
        self, session: AppSession, parent: QWidget | None = None, loader: ImageLoader | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.view)
        self.loading = False
        self.stale = False
        self.last_deleted: str | None = None
        session.draft_changed.connect(self.on_draft_changed)

    def reload(self) -> None:
        """List the drafts on a worker thread; the list appears when they are read."""
        if self.loading:
            self.stale = True  # a change arrived while listing: list again when this one ends
            return
        self.loading, self.stale = True, False
        library = self.session.library
        self.session.runner.run(library.entries, self.on_loaded, self.on_failed)

    def on_loaded(self, entries: list[Any]) -> None:
        self.loading = False
        self.model.set_entries(entries, self.search.text())
        if self.stale:
            self.reload()

    def on_failed(self, error: BaseException) -> None:
        self.loading = False
        self.search.setPlaceholderText(f"Drafts could not be listed: {error}")

    def on_activated(self, index: QModelIndex) -> None:
        entry = index.data(Qt.ItemDataRole.UserRole)
        if entry is not None:
            self.open_requested.emit(entry.draft_id)

    def on_menu(self, point: Any) -> None:
        index = self.view.indexAt(point)
        entry = index.data(Qt.ItemDataRole.UserRole) if index.isValid() else None
        menu = QMenu(self)
        if entry is not None:
            menu.addAction("Open", lambda: self.open_requested.emit(entry.draft_id))
            menu.addAction("Rename…", lambda: self.rename(entry))
            menu.addAction(
                "Duplicate", lambda: self.run(self.session.library.duplicate, entry.draft_id)
            )
            menu.addAction("Move to trash", lambda: self.delete(entry.draft_id))
        if self.last_deleted:
            menu.addAction("Undo move to trash", self.undo_delete)
        menu.exec(self.view.mapToGlobal(point))

    def run(self, action: Any, *args: Any) -> None:
        """A library change off the GUI thread; the list follows the change's event."""
        self.session.runner.run(lambda: action(*args), lambda _r: None, self.on_change_failed)

    def on_draft_changed(self, _event: object) -> None:
        self.reload()

    def on_change_failed(self, error: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(self, "Drafts", f"{error}")
        self.reload()

    def rename(self, entry: Any) -> None:
        from PySide6.QtWidgets import QInputDialog

        name, ok = QInputDialog.getText(self, "Rename draft", "Name:", text=entry.name)
        if ok and name.strip():
            self.run(self.session.library.rename, entry.draft_id, name.strip())

    def delete(self, draft_id: str) -> None:
        self.last_deleted = draft_id
        self.run(self.session.library.trash, draft_id)

    def undo_delete(self) -> None:
        if self.last_deleted:
            self.run(self.session.library.restore, self.last_deleted)
            self.last_deleted = None
