"""Edits a carousel: card width, a strip of 2 to 10 cards to add, duplicate, delete and reorder."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core import model as m
from rcs_composer.core.field_paths import ROOT, FieldPath
from rcs_composer.core.rules import RULES
from rcs_composer.gui.document import ComposerDocument, DraftEdit
from rcs_composer.gui.editors.card_editor import CardEditor, chosen, show_choice
from rcs_composer.gui.editors.fields import FieldRegistry, mark_rows
from rcs_composer.gui.widgets import ARROWS, move_button, row_button

BASE = ROOT.child("richCardCarousel")
CARDS = BASE.child("cardContents")
MIN_CARDS = RULES["carousel.cards.too_few"].limit(None)
MAX_CARDS = RULES["carousel.cards.too_many"].limit(None)
WIDTHS = ["SMALL", "MEDIUM"]


def new_card(like: m.CardContent | None = None) -> m.CardContent:
    """An empty card, with empty media of the same height when the card it follows has media:
    its title, description and image address are flagged until they are typed."""
    if like is not None and like.media is not None:
        return m.CardContent(media=m.Media(height=like.media.height, file=m.FileRef()))
    return m.CardContent()


TILE = QSize(118, 44)  # one card's tile in the strip


class CardsEdit(DraftEdit):
    """A change to the carousel's cards that takes the strip's selection along, both ways.

    Undo selects the card that was selected before the change (back in its old place after a
    move, back in the strip after a delete); redo selects the card the change was about.
    """

    def __init__(self, editor: CarouselEditor, message: m.Message, text: str, select: int) -> None:
        document = editor.document
        after = dataclasses.replace(document.draft, message=message)
        super().__init__(document, document.draft, after, text, None)
        self.editor = editor
        self.selected_before, self.selected_after = editor.current, select

    def redo(self) -> None:
        self.editor.current = self.selected_after
        super().redo()

    def undo(self) -> None:
        self.editor.current = self.selected_before
        super().undo()


class CarouselEditor(QWidget):
    card_selected = Signal(int)  # the card being edited changed by selection (not by an edit)

    def __init__(
        self, document: ComposerDocument, registry: FieldRegistry, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.registry = document, registry
        self.current = 0
        self.width_choice = QComboBox(self)
        self.width_choice.addItems(["Small (180 dp)", "Medium (296 dp)"])
        self.width_choice.setAccessibleName("Card width")
        self.width_choice.activated.connect(self.on_width)
        self.strip = QListWidget(self)
        self.strip.setAccessibleName("Carousel cards")
        self.strip.setFlow(QListView.Flow.LeftToRight)
        self.strip.setWrapping(False)
        self.strip.setFixedHeight(64)
        self.strip.setGridSize(TILE)
        self.strip.setTextElideMode(Qt.TextElideMode.ElideRight)  # a long title ends in "…"
        self.strip.setWordWrap(False)
        self.strip.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.strip.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.strip.model().rowsMoved.connect(self.on_rows_moved)
        self.strip.currentRowChanged.connect(self.on_card_changed)
        self.buttons: dict[str, QAbstractButton] = {}
        row = QHBoxLayout()
        # Ctrl+D is the window's (Edit > Duplicate): it works from every field of the card.
        for name, handler, keys in (
            ("Add card", self.add, "Ctrl+Shift+N"),
            ("Duplicate", self.duplicate, None),
            ("Delete", self.delete, "Delete"),
            ("Left", lambda: self.move_selected(-1), "Alt+Left"),
            ("Right", lambda: self.move_selected(1), "Alt+Right"),
        ):
            if name in ARROWS:
                button = move_button(name, "card", self)
                button.setToolTip(f"Move the card {name.lower()} ({keys})")
            else:  # as wide as its text: the form fits 800x600
                button = row_button(name, self)
                button.setAccessibleName(name)
            button.clicked.connect(handler)
            row.addWidget(button)
            self.buttons[name] = button
            if keys is None:
                continue
            action = QAction(self.strip)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(handler)
            self.strip.addAction(action)
        row.addStretch(1)
        self.feedback = QLabel(self)
        self.feedback.setWordWrap(True)
        self.card_editor = CardEditor(
            document,
            registry,
            card_path=self.card_path,
            standalone=False,
            parent=self,
        )
        form = QFormLayout()
        form.addRow("Card width", self.width_choice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(QLabel("Cards (drag or Alt+Left/Right to reorder)", self))
        layout.addWidget(self.strip)
        layout.addLayout(row)
        layout.addWidget(self.feedback)
        layout.addWidget(self.card_editor)
        self.current = 0
        self._titles: list[str] = []
        self._cards: tuple[m.CardContent, ...] = ()  # as last shown: tells which card changed
        document.loaded.connect(self.on_loaded)
        registry.row_markers.append(
            lambda issues: mark_rows(self.strip, CARDS if self.carousel() else None, issues)
        )

    # ------------------------------------------------------------ model access

    def carousel(self) -> m.Carousel | None:
        content = self.document.message.content
        return content if isinstance(content, m.Carousel) else None

    def card_path(self) -> FieldPath:
        return CARDS.at(max(self.current, 0))

    def commit(self, cards: list[m.CardContent], text: str, select: int) -> None:
        carousel = self.carousel()
        if carousel is None:
            return
        select = max(0, min(select, len(cards) - 1))
        message = dataclasses.replace(
            self.document.message, content=dataclasses.replace(carousel, cards=tuple(cards))
        )
        if message == self.document.message:  # two equal cards swapped: only the selection moves
            self.select(select)
            return
        self.document.undo_stack.push(CardsEdit(self, message, text, select))

    # ------------------------------------------------------------ actions

    def select(self, index: int) -> None:
        carousel = self.carousel()
        if carousel is not None and 0 <= index < len(carousel.cards):
            self.current = index
            self.strip.setCurrentRow(index)
            self.refresh()
            self.card_selected.emit(index)

    def add(self) -> None:
        carousel = self.carousel()
        if carousel is not None and len(carousel.cards) < MAX_CARDS:
            cards = [*carousel.cards, new_card(carousel.cards[-1] if carousel.cards else None)]
            self.commit(cards, "Add card", len(cards) - 1)

    def duplicate(self) -> None:
        carousel = self.carousel()
        if carousel is not None and len(carousel.cards) < MAX_CARDS:
            cards = list(carousel.cards)
            cards.insert(self.current + 1, cards[self.current])
            self.commit(cards, "Duplicate card", self.current + 1)

    def duplicate_current(self) -> str:
        """Duplicate the card being edited; the sentence says what happened, or why not."""
        carousel = self.carousel()
        if carousel is None:
            return ""
        if len(carousel.cards) >= MAX_CARDS:
            return f"Not duplicated: a carousel holds at most {MAX_CARDS} cards."
        number = self.current + 1
        self.duplicate()
        return f"Card {number} duplicated: the copy is card {number + 1}."

    def delete(self) -> None:
        carousel = self.carousel()
        if carousel is not None and len(carousel.cards) > MIN_CARDS:
            cards = list(carousel.cards)
            del cards[self.current]
            self.commit(cards, "Delete card", self.current)

    def move_selected(self, step: int) -> None:
        carousel = self.carousel()
        target = self.current + step
        if carousel is not None and 0 <= target < len(carousel.cards):
            cards = list(carousel.cards)
            cards[self.current], cards[target] = cards[target], cards[self.current]
            self.commit(cards, "Reorder cards", target)

    def on_rows_moved(self, *_args: object) -> None:
        carousel = self.carousel()
        if carousel is None:
            return
        order = [
            self.strip.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.strip.count())
        ]
        if sorted(order) == list(range(len(carousel.cards))) and order != list(
            range(len(carousel.cards))
        ):
            moved = order.index(self.current) if self.current in order else 0
            self.commit([carousel.cards[i] for i in order], "Reorder cards", moved)

    def on_card_changed(self, row: int) -> None:
        if row >= 0 and row != self.current:
            self.current = row
            self.registry.unregister_within(CARDS)
            self.card_editor.refresh()
            self.registry.remark()
            self.card_selected.emit(row)

    def on_loaded(self) -> None:
        self.current, self._cards = 0, ()  # another draft opens on its first card

    def on_width(self, index: int) -> None:
        carousel = self.carousel()
        choice = chosen(self.width_choice, index)
        if carousel is not None and choice is not None:
            self.document.set_message(
                dataclasses.replace(
                    self.document.message,
                    content=dataclasses.replace(carousel, card_width=m.CardWidth(WIDTHS[choice])),
                ),
                "Change card width",
            )

    # ------------------------------------------------------------ view

    def refresh(self) -> None:
        carousel = self.carousel()
        if carousel is None:
            return
        if len(self._cards) == len(carousel.cards):
            pairs = zip(self._cards, carousel.cards, strict=True)
            changed = [
                index for index, (was, now) in enumerate(pairs) if was is not now and was != now
            ]
            if len(changed) == 1:  # an edit of one card, or its undo or redo: show that card
                self.current = changed[0]
        self._cards = carousel.cards
        count = len(carousel.cards)
        self.current = max(0, min(self.current, count - 1))
        width = carousel.card_width.value if carousel.card_width else None
        show_choice(self.width_choice, WIDTHS.index(width) if width in WIDTHS else None)
        titles = [f"{i + 1}. {card.title or 'Untitled'}" for i, card in enumerate(carousel.cards)]
        self.strip.blockSignals(True)
        if titles != self._titles and len(titles) == len(self._titles) == self.strip.count():
            for index, title in enumerate(titles):  # a renamed card: its tile alone changes
                if title != self._titles[index]:
                    self.strip.item(index).setText(title)  # its tip is its mark's (mark_rows)
            self._titles = titles
        elif titles != self._titles:
            self.strip.clear()
            for index, title in enumerate(titles):
                item = QListWidgetItem(title)
                item.setData(Qt.ItemDataRole.UserRole, index)
                item.setSizeHint(TILE - QSize(6, 4))  # inside its grid cell, never over the next
                item.setToolTip(carousel.cards[index].title or "")
                self.strip.addItem(item)
            self._titles = titles
        self.strip.setCurrentRow(self.current)
        self.strip.blockSignals(False)
        full, minimal = count >= MAX_CARDS, count <= MIN_CARDS
        for name in ("Add card", "Duplicate"):
            self.buttons[name].setEnabled(not full)
            self.buttons[name].setToolTip(
                f"A carousel holds at most {MAX_CARDS} cards." if full else ""
            )
        self.buttons["Delete"].setEnabled(not minimal)
        self.buttons["Delete"].setToolTip(
            f"A carousel needs at least {MIN_CARDS} cards." if minimal else ""
        )
        self.feedback.setText(
            f"{count} cards: the limit is {MAX_CARDS}."
            if full
            else f"{count} cards: a carousel needs at least {MIN_CARDS}."
            if count < MIN_CARDS
            else f"{count} of {MAX_CARDS} cards."
        )
        self.registry.register(BASE, self.width_choice)
        self.registry.register(BASE.child("cardWidth"), self.width_choice)
        self.registry.register(CARDS, self.strip)
        self.registry.unregister_within(CARDS)
        self.card_editor.refresh()
