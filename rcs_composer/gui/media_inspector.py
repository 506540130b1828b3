"""The media inspector: size, weight, type and redirects of each media URL, with advice."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from rcs_composer.core import model as m
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.images import ImageLoader, ImageState

COLUMNS = ["Where", "URL", "Size", "Weight", "Type", "Advice"]


def media_urls(message: m.Message) -> Iterator[tuple[str, str, str, str]]:
    """(where, role, box, url) for every file and thumbnail URL in the message."""
    content = message.content
    if isinstance(content, m.FileContent):
        cards: list[tuple[str, m.CardContent, str]] = []
        for role, url in (
            ("file", content.file.file_url),
            ("thumbnail", content.file.thumbnail_url),
        ):
            if url:
                yield "File", role, "MEDIUM", url
    elif isinstance(content, m.RichCard):
        horizontal = content.orientation is m.Orientation.HORIZONTAL
        height = content.content.media.height if content.content.media else None
        cards = [
            (
                "Card",
                content.content,
                "HORIZONTAL" if horizontal else (height or m.MediaHeight.SHORT).value,
            )
        ]
    elif isinstance(content, m.Carousel):
        cards = [
            (
                f"Card {i + 1}",
                card,
                ((card.media.height if card.media else None) or m.MediaHeight.SHORT).value,
            )
            for i, card in enumerate(content.cards)
        ]
    else:
        cards = []
    for where, card, box in cards:
        file = card.media.file if card.media and card.media.file else None
        if file is None:
            continue
        for role, url in (("file", file.file_url), ("thumbnail", file.thumbnail_url)):
            if url:
                yield where, role, box, url


class MediaInspector(QWidget):
    def __init__(
        self, document: ComposerDocument, loader: ImageLoader, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.loader = document, loader
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Media inspector")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree)
        document.changed.connect(self.refresh)
        loader.changed.connect(self.refresh)
        self.refresh()

    def rows(self) -> list[list[str]]:
        from rcs_composer.services.media import MediaInfo
        from rcs_composer.services.media_inspect import inspect

        found = []
        for where, role, box, url in media_urls(self.document.message):
            state = self.loader.request(url)
            info = self.loader.infos.get(url)
            if state is ImageState.FAILED:
                found.append(
                    [
                        f"{where} {role}",
                        url,
                        "",
                        "",
                        "",
                        f"✖ {self.loader.failures.get(url, 'failed')}",
                    ]
                )
                continue
            if not isinstance(info, MediaInfo):
                found.append([f"{where} {role}", url, "…", "", "", "loading"])
                continue
            advice = inspect(info, role=role, box=box)
            found.append(
                [
                    f"{where} {role}",
                    url,
                    f"{info.width}×{info.height}" if info.width else "",
                    f"{(info.size or 0) / 1024:.0f} kB",
                    info.content_type or "",
                    "; ".join(f"⚠ {note}" for note in advice) or "✔ fine",
                ]
            )
        return found

    def refresh(self) -> None:
        if not self.isVisible():
            return
        self.tree.clear()
        for row in self.rows():
            item = QTreeWidgetItem(row)
            item.setToolTip(5, row[5])
            self.tree.addTopLevelItem(item)
        for column in range(len(COLUMNS) - 1):
            self.tree.resizeColumnToContents(column)

    def showEvent(self, event: object) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)  # type: ignore[arg-type]
        self.refresh()
