"""Edits one rich card: layout (standalone only), title, description, media and its suggestions."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QVBoxLayout, QWidget

from rcs_composer.core import model as m
from rcs_composer.core.field_paths import ROOT, FieldPath
from rcs_composer.core.rules import RULES
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.editors.fields import FieldRegistry, TextField, commit
from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor

HEIGHTS = ["SHORT", "MEDIUM", "TALL"]
ORIENTATIONS = [m.Orientation.VERTICAL, m.Orientation.HORIZONTAL]
STANDALONE = ROOT.child("richCardStandalone")
NOT_SET = "(not set)"
_NOT_SET_ROLE = Qt.ItemDataRole.UserRole + 7  # marks a box's "(not set)" entry


def _unset_shown(box: QComboBox) -> bool:
    return box.count() > 0 and bool(box.itemData(0, _NOT_SET_ROLE))


def show_choice(box: QComboBox, choice: int | None) -> None:
    """Show the box's ``choice`` (an index into its own entries), or "(not set)" when the draft
    holds none: that entry is there only then, so the box never shows a choice the draft does
    not hold, nor offers to clear one."""
    if choice is None:
        if not _unset_shown(box):
            box.insertItem(0, NOT_SET)
            box.setItemData(0, True, _NOT_SET_ROLE)
        box.setCurrentIndex(0)
        return
    if _unset_shown(box):
        box.removeItem(0)
    box.setCurrentIndex(choice)


def chosen(box: QComboBox, index: int) -> int | None:
    """The box's own entry at ``index`` (as ``show_choice`` counts them), None for "(not set)"."""
    if _unset_shown(box):
        return index - 1 if index > 0 else None
    return index


class CardEditor(QWidget):
    """``card_path`` is the address of the card being edited (it changes with the carousel's
    selection); every field is read, written and marked through the addresses under it."""

    def __init__(
        self,
        document: ComposerDocument,
        registry: FieldRegistry,
        *,
        card_path: Callable[[], FieldPath],
        standalone: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.registry = document, registry
        self.card_path = card_path
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
            list_path=lambda: self.card_path().child("suggestions"),
            limit_rule="card.suggestions.too_many",
            parent=self,
        )
        layout.addWidget(self.suggestions)
        # Each text field: its address under the card, and the name of its undo step.
        self.text_fields: dict[tuple[str, ...], tuple[TextField, str]] = {
            ("title",): (self.title, "Edit title"),
            ("description",): (self.description, "Edit description"),
            ("media", "file", "fileUrl"): (self.file_url, "Edit file URL"),
            ("media", "file", "thumbnailUrl"): (self.thumbnail_url, "Edit thumbnail URL"),
            ("media", "file", "contentDescription"): (
                self.content_description,
                "Edit content description",
            ),
        }
        for keys, (field, step) in self.text_fields.items():
            field.edited.connect(lambda text, k=keys, s=step: self.edit(k, text or None, s))
        self.has_media.clicked.connect(self.on_media_toggled)
        self.height_choice.activated.connect(self.on_height)

    # ------------------------------------------------------------ edits

    def card(self) -> m.CardContent | None:
        card = self.card_path().get(self.document.message)
        return card if isinstance(card, m.CardContent) else None

    def edit(self, keys: tuple[str, ...], value: object, text: str) -> None:
        if self.card() is not None:
            commit(self.document, self.card_path().join(*keys), value, text)

    def on_media_toggled(self, checked: bool) -> None:
        media = m.Media(height=m.MediaHeight.MEDIUM, file=m.FileRef()) if checked else None
        if self.card() is not None:
            commit(
                self.document,
                self.card_path().child("media"),
                media,
                "Add media" if checked else "Remove media",
                merge=False,
            )

    def on_height(self, index: int) -> None:
        card = self.card()
        if card is not None and card.media is not None:
            height = m.MediaHeight(HEIGHTS[index - 1]) if index else None
            self.edit(("media", "height"), height, "Set media height")

    def _rich_card(self) -> m.RichCard | None:
        content = self.document.message.content
        return content if isinstance(content, m.RichCard) else None

    def on_orientation(self, index: int) -> None:
        card = self._rich_card()
        choice = chosen(self.orientation, index)
        if card is not None and choice is not None:
            horizontal = ORIENTATIONS[choice] is m.Orientation.HORIZONTAL
            changed = dataclasses.replace(
                card,
                orientation=m.Orientation.HORIZONTAL if horizontal else m.Orientation.VERTICAL,
                thumbnail_alignment=(card.thumbnail_alignment or m.ThumbnailAlignment.LEFT)
                if horizontal
                else None,
            )
            commit(self.document, STANDALONE, changed, "Change card orientation", merge=False)

    def on_alignment(self, index: int) -> None:
        if self._rich_card() is not None:
            alignment = [None, m.ThumbnailAlignment.LEFT, m.ThumbnailAlignment.RIGHT][index]
            commit(
                self.document,
                STANDALONE.child("thumbnailImageAlignment"),
                alignment,
                "Change thumbnail alignment",
                merge=False,
            )

    # ------------------------------------------------------------ view

    def refresh(self) -> None:
        widget: QWidget
        card = self.card()
        if card is None:
            return
        base = self.card_path()
        if self.standalone:
            rich = self._rich_card()
            orientation = rich.orientation if rich else None
            horizontal = orientation is m.Orientation.HORIZONTAL
            show_choice(
                self.orientation, None if orientation is None else ORIENTATIONS.index(orientation)
            )
            alignment = rich.thumbnail_alignment if rich else None
            self.alignment.setCurrentIndex(
                {None: 0, m.ThumbnailAlignment.LEFT: 1, m.ThumbnailAlignment.RIGHT: 2}[alignment]
            )
            self.alignment.setEnabled(horizontal or alignment is not None)
            self.alignment.setToolTip(
                "" if horizontal else "Only horizontal cards show the image at the side"
            )
            self.registry.register(STANDALONE.child("cardOrientation"), self.orientation)
            self.registry.register(STANDALONE.child("thumbnailImageAlignment"), self.alignment)
            self.registry.register(STANDALONE, self.orientation)
        media = card.media
        self.has_media.setChecked(media is not None)
        for widget in (
            self.height_choice,
            self.file_url,
            self.thumbnail_url,
            self.content_description,
        ):
            widget.setEnabled(media is not None)
        self.height_choice.setCurrentIndex(
            HEIGHTS.index(media.height.value) + 1 if media and media.height else 0
        )
        message = self.document.message
        for keys, (field, _step) in self.text_fields.items():
            path = base.join(*keys)
            field.set_value(path.get(message) or "")
            self.registry.register(path, field)
        self.registry.register(base, self.title)
        self.registry.register(base.child("media"), self.has_media)
        self.registry.register(base.join("media", "height"), self.height_choice)
        self.registry.register(base.join("media", "file"), self.file_url)
        self.suggestions.refresh()
