"""The whole message editor: kind switcher, the editor for that kind, and the chip list."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core import model as m
from rcs_composer.core.issues import Issue, Region
from rcs_composer.core.rules import RULES
from rcs_composer.core.wire import child_path
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.editors.card_editor import CardEditor
from rcs_composer.gui.editors.carousel_editor import CarouselEditor, new_card
from rcs_composer.gui.editors.fields import FieldRegistry, TextField, hold_mark_style
from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor

KIND_LABELS = {
    m.MessageKind.TEXT: "Text",
    m.MessageKind.FILE: "File",
    m.MessageKind.RICH_CARD: "Rich card",
    m.MessageKind.CAROUSEL: "Carousel",
}
_CARD_INDEX = re.compile(r"^\$\.richCardCarousel\.cardContents\[(\d+)\]")
_SUGGESTION_INDEX = re.compile(r"^(.*\.suggestions)\[(\d+)\]")


def first_card(content: m.Content) -> m.CardContent:
    if isinstance(content, m.RichCard):
        return content.content
    if isinstance(content, m.Carousel) and content.cards:
        return content.cards[0]
    if isinstance(content, m.TextContent):
        return m.CardContent(title=None, description=content.text or None)
    if isinstance(content, m.FileContent):
        return m.CardContent(media=m.Media(height=m.MediaHeight.MEDIUM, file=content.file))
    return m.CardContent()


def convert(content: m.Content, kind: m.MessageKind) -> m.Content:
    """Switch kinds keeping what can be kept: title, description, media and suggestions."""
    card = first_card(content)
    if kind is m.MessageKind.TEXT:
        parts = [card.title or "", card.description or ""]
        return m.TextContent("\n".join(part for part in parts if part))
    if kind is m.MessageKind.FILE:
        file = card.media.file if card.media and card.media.file else m.FileRef(file_url="https://")
        return m.FileContent(file)
    if kind is m.MessageKind.RICH_CARD:
        return m.RichCard(orientation=m.Orientation.VERTICAL, content=card)
    cards = content.cards if isinstance(content, m.Carousel) else (card, new_card(2))
    return m.Carousel(
        card_width=m.CardWidth.MEDIUM, cards=cards if len(cards) >= 2 else (*cards, new_card(2))
    )


class MessageEditor(QWidget):
    """Edits the document's message; ``mark`` shows issues, ``focus_path`` jumps to a field."""

    card_selected = Signal(int)  # a carousel card was selected in the strip

    def __init__(self, document: ComposerDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.registry = FieldRegistry()
        hold_mark_style(self)  # MARK_STYLE once something is marked
        self.region: Region | None = None
        self.kind_buttons: dict[m.MessageKind, QRadioButton] = {}
        kinds = QHBoxLayout()
        kinds.addWidget(QLabel("Kind:", self))
        group = QButtonGroup(self)
        for kind, label in KIND_LABELS.items():
            button = QRadioButton(label, self)
            button.setAccessibleName(f"{label} message")
            button.clicked.connect(lambda _checked=False, k=kind: self.switch_kind(k))
            group.addButton(button)
            kinds.addWidget(button)
            self.kind_buttons[kind] = button
        kinds.addStretch(1)
        self.text = TextField(
            "Text", multiline=True, limit=RULES["text.too_long"].limit(None), parent=self
        )
        self.text.edited.connect(
            lambda value: self.set_content(m.TextContent(value), "Edit text", "$.text")
        )
        self.file_url = TextField("File URL", placeholder="https://", parent=self)
        self.file_thumbnail = TextField(
            "Thumbnail URL (optional)", placeholder="https://", parent=self
        )
        self.file_description = TextField("Content description", parent=self)
        for field, attr in (
            (self.file_url, "file_url"),
            (self.file_thumbnail, "thumbnail_url"),
            (self.file_description, "content_description"),
        ):
            field.edited.connect(lambda value, a=attr: self.edit_file(a, value or None))
        file_page = QWidget(self)
        file_layout = QVBoxLayout(file_page)
        file_layout.setContentsMargins(0, 0, 0, 0)
        for field in (self.file_url, self.file_thumbnail, self.file_description):
            file_layout.addWidget(field)
        file_layout.addStretch(1)
        # The card and carousel editors are built when first needed: start-up builds one page.
        self._card: CardEditor | None = None
        self._carousel: CarouselEditor | None = None
        self.pages = QStackedWidget(self)
        self.page_of: dict[m.MessageKind, QWidget] = {
            m.MessageKind.TEXT: self.text,
            m.MessageKind.FILE: file_page,
        }
        for page in self.page_of.values():
            self.pages.addWidget(page)
        self.chips = SuggestionListEditor(
            "Chip list (below the message)",
            document,
            self.registry,
            get=lambda message: message.chips,
            put=lambda message, slots: dataclasses.replace(message, chips=slots),
            base_path=lambda: "$.suggestions",
            limit_rule="chips.too_many",
            parent=self,
        )
        layout = QVBoxLayout(self)
        layout.addLayout(kinds)
        layout.addWidget(self.pages)
        layout.addWidget(self.chips)
        layout.addStretch(1)
        document.changed.connect(self.refresh)
        self.refresh()

    @property
    def card(self) -> CardEditor:
        if self._card is None:
            self._card = CardEditor(
                self.document,
                self.registry,
                get=self._get_card,
                put=self._put_card,
                base_path=lambda: "$.richCardStandalone.content",
                standalone=True,
                parent=self,
            )
            self._add_page(m.MessageKind.RICH_CARD, self._card)
        return self._card

    @property
    def carousel(self) -> CarouselEditor:
        if self._carousel is None:
            self._carousel = CarouselEditor(self.document, self.registry, self)
            self._carousel.card_selected.connect(self.card_selected)
            self._add_page(m.MessageKind.CAROUSEL, self._carousel)
        return self._carousel

    def _add_page(self, kind: m.MessageKind, page: QWidget) -> None:
        self.page_of[kind] = page
        self.pages.addWidget(page)

    def page(self, kind: m.MessageKind) -> QWidget:
        if kind is m.MessageKind.RICH_CARD:
            return self.card
        if kind is m.MessageKind.CAROUSEL:
            return self.carousel
        return self.page_of[kind]

    def edited_card(self) -> int | None:
        """The carousel card being edited, or None when the message is not a carousel."""
        if isinstance(self.document.message.content, m.Carousel):
            return self.carousel.current
        return None

    # ------------------------------------------------------------ edits

    def _get_card(self, message: m.Message) -> m.CardContent | None:
        return message.content.content if isinstance(message.content, m.RichCard) else None

    def _put_card(self, message: m.Message, card: m.CardContent) -> m.Message:
        assert isinstance(message.content, m.RichCard)
        return dataclasses.replace(
            message, content=dataclasses.replace(message.content, content=card)
        )

    def set_content(self, content: m.Content, text: str, merge_key: str | None = None) -> None:
        self.document.set_message(
            dataclasses.replace(self.document.message, content=content), text, merge_key
        )

    def edit_file(self, attr: str, value: str | None) -> None:
        content = self.document.message.content
        if isinstance(content, m.FileContent):
            changes: dict[str, Any] = {attr: value}
            file = dataclasses.replace(content.file, **changes)
            self.set_content(m.FileContent(file), "Edit file", f"$.file.{attr}")

    def switch_kind(self, kind: m.MessageKind) -> None:
        if kind is not self.document.message.kind:
            self.set_content(
                convert(self.document.message.content, kind),
                f"Make it a {KIND_LABELS[kind].lower()}",
            )

    def set_region(self, region: Region | None) -> None:
        self.region = region
        self.text.set_limit(RULES["text.too_long"].limit(region))

    # ------------------------------------------------------------ view

    def refresh(self) -> None:
        message = self.document.message
        kind = message.kind
        self.kind_buttons[kind].setChecked(True)
        self.pages.setCurrentWidget(self.page(kind))
        content = message.content
        self.registry.unregister_prefix("$.richCard")
        if isinstance(content, m.TextContent):
            self.text.set_value(content.text)
            self.registry.register("$.text", self.text)
        elif isinstance(content, m.FileContent):
            self.file_url.set_value(content.file.file_url or "")
            self.file_thumbnail.set_value(content.file.thumbnail_url or "")
            self.file_description.set_value(content.file.content_description or "")
            for attr, field in (
                ("fileUrl", self.file_url),
                ("thumbnailUrl", self.file_thumbnail),
                ("contentDescription", self.file_description),
            ):
                self.registry.register(child_path("$.file", attr), field)
            self.registry.register("$.file", self.file_url)
        elif isinstance(content, m.RichCard):
            self.card.refresh()
        else:
            self.carousel.refresh()
        self.chips.refresh()

    def mark(self, issues: Sequence[Issue]) -> None:
        self.registry.mark(issues)

    def focus_path(self, path: str) -> bool:
        """Show the field for ``path`` (selecting its card and suggestion) and focus it."""
        content = self.document.message.content
        card = _CARD_INDEX.match(path)
        if card and isinstance(content, m.Carousel):
            self.carousel.select(int(card.group(1)))
        suggestion = _SUGGESTION_INDEX.match(path)
        if suggestion:
            owner = self.chips
            if suggestion.group(1) != "$.suggestions":
                owner = (
                    self.card.suggestions
                    if isinstance(content, m.RichCard)
                    else self.carousel.card_editor.suggestions
                )
            owner.select(int(suggestion.group(2)))
        return self.registry.focus(path)
