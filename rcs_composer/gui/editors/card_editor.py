"""Edits one rich card: layout (standalone only), title, description, media and its suggestions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QVBoxLayout, QWidget

from rcs_composer.core import model as m
from rcs_composer.core.rules import RULES
from rcs_composer.core.wire import child_path
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.editors.fields import FieldRegistry, TextField
from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor

HEIGHTS = ["SHORT", "MEDIUM", "TALL"]


class CardEditor(QWidget):
    """``get``/``put`` reach the card inside the message; ``base_path`` is its JSONPath."""

    def __init__(
        self,
        document: ComposerDocument,
        registry: FieldRegistry,
        *,
        get: Callable[[m.Message], m.CardContent | None],
        put: Callable[[m.Message, m.CardContent], m.Message],
        base_path: Callable[[], str],
        standalone: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.registry = document, registry
        self.get, self.put, self.base_path = get, put, base_path
        self.standalone = standalone
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if standalone:
            self.orientation = QComboBox(self)
            self.orientation.addItems(["Vertical", "Horizontal"])
            self.orientation.setAccessibleName("Card orientation")
            self.alignment = QComboBox(self)
            self.alignment.addItems(["(not set)", "Left", "Right"])
            self.alignment.setAccessibleName("Thumbnail alignment")
            row = QFormLayout()
            row.addRow("Orientation", self.orientation)
            row.addRow("Thumbnail", self.alignment)
            layout.addLayout(row)
            self.orientation.activated.connect(self.on_orientation)
            self.alignment.activated.connect(self.on_alignment)
        self.title = TextField("Title", limit=RULES["card.title.too_long"].limit(None), parent=self)
        self.description = TextField(
            "Description",
            limit=RULES["card.description.too_long"].limit(None),
            multiline=True,
            parent=self,
        )
        layout.addWidget(self.title)
        layout.addWidget(self.description)
        media_box = QGroupBox("Media", self)
        self.has_media = QCheckBox("Show an image or video", media_box)
        self.has_media.setAccessibleName("Card has media")
        self.height_choice = QComboBox(media_box)
        self.height_choice.addItems(
            ["(not set)", "Short (112 dp)", "Medium (168 dp)", "Tall (264 dp)"]
        )
        self.height_choice.setAccessibleName("Media height")
        self.file_url = TextField("File URL", placeholder="https://", parent=media_box)
        self.thumbnail_url = TextField(
            "Thumbnail URL (optional, at most 100 kB)", placeholder="https://", parent=media_box
        )
        self.content_description = TextField(
            "Content description (accessibility)", parent=media_box
        )
        media_form = QFormLayout(media_box)
        media_form.addRow(self.has_media)
        media_form.addRow("Height", self.height_choice)
        media_form.addRow(self.file_url)
        media_form.addRow(self.thumbnail_url)
        media_form.addRow(self.content_description)
        self.media_form = media_form
        layout.addWidget(media_box)
        self.suggestions = SuggestionListEditor(
            "Suggestions on the card",
            document,
            registry,
            get=lambda message: card.suggestions if (card := self.get(message)) else None,
            put=lambda message, slots: self._put_card(message, suggestions=slots),
            base_path=lambda: child_path(self.base_path(), "suggestions"),
            limit_rule="card.suggestions.too_many",
            parent=self,
        )
        layout.addWidget(self.suggestions)
        self.title.edited.connect(lambda text: self.edit("title", text or None, "Edit title"))
        self.description.edited.connect(
            lambda text: self.edit("description", text or None, "Edit description")
        )
        self.has_media.clicked.connect(self.on_media_toggled)
        self.height_choice.activated.connect(self.on_height)
        self.file_url.edited.connect(
            lambda text: self.edit_file("file_url", text or None, "Edit file URL")
        )
        self.thumbnail_url.edited.connect(
            lambda text: self.edit_file("thumbnail_url", text or None, "Edit thumbnail URL")
        )
        self.content_description.edited.connect(
            lambda text: self.edit_file(
                "content_description", text or None, "Edit content description"
            )
        )

    # ------------------------------------------------------------ edits

    def card(self) -> m.CardContent | None:
        return self.get(self.document.message)

    def _put_card(self, message: m.Message, **changes: Any) -> m.Message:
        card = self.get(message) or m.CardContent()
        return self.put(message, dataclasses.replace(card, **changes))

    def edit(self, attr: str, value: object, text: str) -> None:
        self.document.set_message(
            self._put_card(self.document.message, **{attr: value}),
            text,
            child_path(self.base_path(), attr),
        )

    def edit_media(self, media: m.Media | None, text: str, key: str) -> None:
        self.document.set_message(
            self._put_card(self.document.message, media=media),
            text,
            child_path(child_path(self.base_path(), "media"), key),
        )

    def edit_file(self, attr: str, value: str | None, text: str) -> None:
        card = self.card()
        media = (card.media if card else None) or m.Media(height=m.MediaHeight.MEDIUM)
        changes: dict[str, Any] = {attr: value}
        file = dataclasses.replace(media.file or m.FileRef(), **changes)
        self.edit_media(dataclasses.replace(media, file=file), text, attr)

    def on_media_toggled(self, checked: bool) -> None:
        media = (
            m.Media(height=m.MediaHeight.MEDIUM, file=m.FileRef(file_url="https://"))
            if checked
            else None
        )
        self.edit_media(media, "Add media" if checked else "Remove media", "toggle")

    def on_height(self, index: int) -> None:
        card = self.card()
        if card is not None and card.media is not None:
            height = m.MediaHeight(HEIGHTS[index - 1]) if index else None
            self.edit_media(
                dataclasses.replace(card.media, height=height), "Set media height", "height"
            )

    def _rich_card(self) -> m.RichCard | None:
        content = self.document.message.content
        return content if isinstance(content, m.RichCard) else None

    def on_orientation(self, index: int) -> None:
        card = self._rich_card()
        if card is not None:
            horizontal = index == 1
            changed = dataclasses.replace(
                card,
                orientation=m.Orientation.HORIZONTAL if horizontal else m.Orientation.VERTICAL,
                thumbnail_alignment=(card.thumbnail_alignment or m.ThumbnailAlignment.LEFT)
                if horizontal
                else None,
            )
            self.document.set_message(
                dataclasses.replace(self.document.message, content=changed),
                "Change card orientation",
            )

    def on_alignment(self, index: int) -> None:
        card = self._rich_card()
        if card is not None:
            alignment = [None, m.ThumbnailAlignment.LEFT, m.ThumbnailAlignment.RIGHT][index]
            self.document.set_message(
                dataclasses.replace(
                    self.document.message,
                    content=dataclasses.replace(card, thumbnail_alignment=alignment),
                ),
                "Change thumbnail alignment",
            )

    # ------------------------------------------------------------ view

    def refresh(self) -> None:
        widget: QWidget
        card = self.card()
        if card is None:
            return
        base = self.base_path()
        if self.standalone:
            rich = self._rich_card()
            horizontal = rich is not None and rich.orientation is m.Orientation.HORIZONTAL
            self.orientation.setCurrentIndex(1 if horizontal else 0)
            alignment = rich.thumbnail_alignment if rich else None
            self.alignment.setCurrentIndex(
                {None: 0, m.ThumbnailAlignment.LEFT: 1, m.ThumbnailAlignment.RIGHT: 2}[alignment]
            )
            self.alignment.setEnabled(horizontal or alignment is not None)
            self.alignment.setToolTip(
                "" if horizontal else "Only horizontal cards show the image at the side"
            )
            root = base.rsplit(".content", 1)[0]
            self.registry.register(child_path(root, "cardOrientation"), self.orientation)
            self.registry.register(child_path(root, "thumbnailImageAlignment"), self.alignment)
            self.registry.register(root, self.orientation)
        self.title.set_value(card.title or "")
        self.description.set_value(card.description or "")
        media = card.media
        self.has_media.setChecked(media is not None)
        for widget in (
            self.height_choice,
            self.file_url,
            self.thumbnail_url,
            self.content_description,
        ):
            widget.setEnabled(media is not None)
        file = media.file if media and media.file else m.FileRef()
        self.height_choice.setCurrentIndex(
            HEIGHTS.index(media.height.value) + 1 if media and media.height else 0
        )
        self.file_url.set_value(file.file_url or "")
        self.thumbnail_url.set_value(file.thumbnail_url or "")
        self.content_description.set_value(file.content_description or "")
        media_path = child_path(base, "media")
        file_path = child_path(media_path, "file")
        self.registry.register(base, self.title)
        for path, widget in (
            (child_path(base, "title"), self.title),
            (child_path(base, "description"), self.description),
            (media_path, self.has_media),
            (child_path(media_path, "height"), self.height_choice),
            (file_path, self.file_url),
            (child_path(file_path, "fileUrl"), self.file_url),
            (child_path(file_path, "thumbnailUrl"), self.thumbnail_url),
            (child_path(file_path, "contentDescription"), self.content_description),
        ):
            self.registry.register(path, widget)
        self.suggestions.refresh()
