"""The whole message editor: kind switcher, the editor for that kind, and the chip list."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core import model as m
from rcs_composer.core.field_paths import ROOT, FieldPath
from rcs_composer.core.issues import Issue, Region
from rcs_composer.core.rules import RULES
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.editors.card_editor import CardEditor
from rcs_composer.gui.editors.fields import (
    FieldRegistry,
    TextField,
    as_field,
    commit,
    hold_mark_style,
)
from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor
from rcs_composer.gui.widgets import give_labels_mnemonics

if TYPE_CHECKING:
    from rcs_composer.gui.editors.carousel_editor import CarouselEditor

KIND_LABELS = {
    m.MessageKind.TEXT: "Text",
    m.MessageKind.FILE: "File",
    m.MessageKind.RICH_CARD: "Rich card",
    m.MessageKind.CAROUSEL: "Carousel",
}
TEXT = ROOT.child("text")
FILE = ROOT.child("file")
STANDALONE = ROOT.child("richCardStandalone")
STANDALONE_CARD = STANDALONE.child("content")
CAROUSEL = ROOT.child("richCardCarousel")
CHIPS = ROOT.child("suggestions")


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
        file = card.media.file if card.media and card.media.file else m.FileRef()
        return m.FileContent(file)
    if kind is m.MessageKind.RICH_CARD:
        return m.RichCard(orientation=m.Orientation.VERTICAL, content=card)
    cards = content.cards if isinstance(content, m.Carousel) else (card,)
    from rcs_composer.gui.editors.carousel_editor import new_card  # built for carousels only

    while len(cards) < 2:
        cards = (*cards, new_card(cards[-1] if cards else None))
    return m.Carousel(card_width=m.CardWidth.MEDIUM, cards=cards)


MENU_LETTERS = "femvh"  # Alt+F, E, M, V, H open the window's menus


def focus_chain_of(container: QWidget) -> list[QWidget]:
    """The widgets inside ``container`` that Tab can reach, in the order they were built
    (each editor builds its fields top to bottom)."""
    return [
        widget
        for widget in container.findChildren(QWidget)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.window() is container.window()
    ]


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
        self.text.edited.connect(lambda value: commit(document, TEXT, value, "Edit text"))
        self.file_url = TextField("File URL", placeholder="https://", parent=self)
        self.file_thumbnail = TextField(
            "Thumbnail URL (optional)", placeholder="https://", parent=self
        )
        self.file_description = TextField("Content description", parent=self)
        self.file_fields = {
            FILE.child("fileUrl"): self.file_url,
            FILE.child("thumbnailUrl"): self.file_thumbnail,
            FILE.child("contentDescription"): self.file_description,
        }
        for path, field in self.file_fields.items():
            field.edited.connect(lambda value, p=path: self.edit_file(p, value or None))
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
            give_labels_mnemonics(page, set(MENU_LETTERS))
        self.chips = SuggestionListEditor(
            "Chip list (below the message)",
            document,
            self.registry,
            list_path=lambda: CHIPS,
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
                card_path=lambda: STANDALONE_CARD,
                standalone=True,
                parent=self,
            )
            self._add_page(m.MessageKind.RICH_CARD, self._card)
        return self._card

    @property
    def carousel(self) -> CarouselEditor:
        if self._carousel is None:
            from rcs_composer.gui.editors.carousel_editor import CarouselEditor  # on first use

            self._carousel = CarouselEditor(self.document, self.registry, self)
            self._carousel.card_selected.connect(self.card_selected)
            self._add_page(m.MessageKind.CAROUSEL, self._carousel)
        return self._carousel

    def _add_page(self, kind: m.MessageKind, page: QWidget) -> None:
        self.page_of[kind] = page
        self.pages.addWidget(page)
        give_labels_mnemonics(page, set(MENU_LETTERS))
        self.follow_visual_tab_order()

    def follow_visual_tab_order(self) -> None:
        """Tab goes kind, then the page's fields top to bottom, then the chip list. A page
        built on first use would otherwise come after the chip list, built at start-up."""
        previous: QWidget = list(self.kind_buttons.values())[-1]
        pages = [self.pages.widget(index) for index in range(self.pages.count())]
        for part in [*(page for page in pages if page is not None), self.chips]:
            for widget in focus_chain_of(part):
                QWidget.setTabOrder(previous, widget)
                previous = widget

    def show_page(self, shown: QWidget) -> None:
        """Show one page; the stack takes that page's height, not the tallest page's (a
        card after a carousel would otherwise spread its fields over the carousel's height)."""
        for index in range(self.pages.count()):
            page = self.pages.widget(index)
            if page is None:
                continue
            policy = QSizePolicy.Policy.Preferred if page is shown else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.pages.setCurrentWidget(shown)
        self.pages.adjustSize()

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

    def set_content(self, content: m.Content, text: str) -> None:
        self.document.set_message(dataclasses.replace(self.document.message, content=content), text)

    def edit_file(self, path: FieldPath, value: str | None) -> None:
        if isinstance(self.document.message.content, m.FileContent):
            commit(self.document, path, value, "Edit file")

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
        with self.registry.batch():
            self._refresh()

    def _refresh(self) -> None:
        message = self.document.message
        kind = message.kind
        self.kind_buttons[kind].setChecked(True)
        self.show_page(self.page(kind))
        content = message.content
        for root in (TEXT, FILE, STANDALONE, CAROUSEL):
            self.registry.unregister_within(root)
            self.registry.widgets.pop(root, None)
        if isinstance(content, m.TextContent):
            self.text.set_value(content.text)
            self.registry.register(TEXT, self.text)
        elif isinstance(content, m.FileContent):
            for path, field in self.file_fields.items():
                field.set_value(path.get(message) or "")
                self.registry.register(path, field)
            self.registry.register(FILE, self.file_url)
        elif isinstance(content, m.RichCard):
            self.card.refresh()
        else:
            self.carousel.refresh()
        self.chips.refresh()
        self.registry.remark()

    def mark(self, issues: Sequence[Issue]) -> None:
        self.registry.mark(issues)

    def focus_path(self, path: FieldPath | str) -> bool:
        """Show the field for ``path`` (selecting its card and suggestion) and focus it."""
        field = as_field(path)
        if field is None:
            return False
        content = self.document.message.content
        card = field.card_index
        if card is not None and isinstance(content, m.Carousel):
            self.carousel.select(card)
        suggestion = field.suggestion_index
        if suggestion is not None:
            owner = self.chips
            if not field.in_chip_list:
                owner = (
                    self.card.suggestions
                    if isinstance(content, m.RichCard)
                    else self.carousel.card_editor.suggestions
                )
            owner.select(suggestion)
        return self.registry.focus(field)
