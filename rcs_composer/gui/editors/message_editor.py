"""The whole message editor: kind switcher, the editor for that kind, and the chip list."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

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
)
from rcs_composer.gui.editors.suggestion_editor import SuggestionListEditor
from rcs_composer.gui.widgets import focus_chain_of, give_labels_mnemonics

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
KIND_ARTICLES = {
    m.MessageKind.TEXT: "a text message",
    m.MessageKind.FILE: "a file message",
    m.MessageKind.RICH_CARD: "a rich card",
    m.MessageKind.CAROUSEL: "a carousel",
}


def first_card(content: m.Content) -> m.CardContent:
    """The card a message of ``content``'s kind leads with: a text message's text is a card's
    description, a file message's file is a card's media."""
    if isinstance(content, m.RichCard):
        return content.content
    if isinstance(content, m.Carousel) and content.cards:
        return content.cards[0]
    if isinstance(content, m.TextContent):
        return m.CardContent(title=None, description=content.text or None)
    if isinstance(content, m.FileContent):
        if content.file == m.FileRef():
            return m.CardContent()
        return m.CardContent(media=m.Media(height=m.MediaHeight.MEDIUM, file=content.file))
    return m.CardContent()


def card_text(card: m.CardContent) -> str:
    """A card's words as a text message says them: its title, then its description."""
    return "\n".join(part for part in (card.title, card.description) if part)


def _words_into(text: str, card: m.CardContent) -> m.CardContent:
    """``card`` saying ``text``: its title stays while the text still starts with it."""
    if text == card_text(card):
        return card
    title = card.title
    if title and text.startswith(f"{title}\n"):
        return dataclasses.replace(card, description=text[len(title) + 1 :] or None)
    return dataclasses.replace(card, title=None, description=text or None)


def _file_into(file: m.FileRef, card: m.CardContent) -> m.CardContent:
    """``card`` showing ``file``; an empty file leaves a card that shows no file as it is."""
    had = card.media.file if card.media is not None else None
    if file == m.FileRef() and (had is None or had == m.FileRef()):
        return card
    media = card.media or m.Media(height=m.MediaHeight.MEDIUM)
    return dataclasses.replace(card, media=dataclasses.replace(media, file=file))


def carry(source: m.Content, card: m.CardContent) -> m.CardContent:
    """``card`` with what ``source`` holds of a card: all of it for a card or a carousel (its
    first card), the words for a text message, the media's file for a file message."""
    if isinstance(source, m.TextContent):
        return _words_into(source.text, card)
    if isinstance(source, m.FileContent):
        return _file_into(source.file, card)
    return first_card(source)


def convert(content: m.Content, kind: m.MessageKind, kept: m.Content | None = None) -> m.Content:
    """``content`` as a message of ``kind``, keeping all that kind can hold of it.

    ``kept`` is what the message held as ``kind`` when it was last switched away from it: it
    comes back (the other cards, the card's layout, its suggestions) with what ``content``
    holds put into its first card, so switching kinds and back loses nothing. Without it, a
    text message's words become the first card's description and a carousel starts with that
    card and an empty one (it needs two).
    """
    if kept is not None and m.kind_of(kept) is not kind:
        kept = None
    lead = first_card(kept) if kept is not None else m.CardContent()
    card = carry(content, lead)
    if kind is m.MessageKind.TEXT:
        return m.TextContent(card_text(card))
    if kind is m.MessageKind.FILE:
        file = card.media.file if card.media and card.media.file else m.FileRef()
        return m.FileContent(file)
    if kind is m.MessageKind.RICH_CARD:
        if isinstance(kept, m.RichCard):
            return dataclasses.replace(kept, content=card)
        return m.RichCard(orientation=m.Orientation.VERTICAL, content=card)
    if isinstance(kept, m.Carousel) and kept.cards:
        return dataclasses.replace(kept, cards=(card, *kept.cards[1:]))
    cards = content.cards if isinstance(content, m.Carousel) else (card,)
    from rcs_composer.gui.editors.carousel_editor import new_card  # built for carousels only

    while len(cards) < 2:
        cards = (*cards, new_card(cards[-1] if cards else None))
    return m.Carousel(card_width=m.CardWidth.MEDIUM, cards=cards)


def _cards(content: m.Content) -> tuple[m.CardContent, ...]:
    if isinstance(content, m.RichCard):
        return (content.content,)
    if isinstance(content, m.Carousel):
        return content.cards
    return ()


def _has_file(file: m.FileRef | None) -> bool:
    return file is not None and bool(file.file_url)


def _holdings(content: m.Content) -> dict[str, int]:
    """What a person would miss if it went: cards after the first, suggestions on cards,
    images or files, and whether it has words (a title, a description or a text)."""
    cards = _cards(content)
    images = sum(1 for card in cards if card.media is not None and _has_file(card.media.file))
    if isinstance(content, m.FileContent) and _has_file(content.file):
        images += 1
    words = (
        bool(content.text)
        if isinstance(content, m.TextContent)
        else bool(cards) and bool(cards[0].title or cards[0].description)
    )
    return {
        "card": max(len(cards) - 1, 0),
        "suggestion": sum(len(card.suggestions) for card in cards),
        "image": images,
        "words": int(words),
    }


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _differences(more: dict[str, int], less: dict[str, int], words: str) -> list[str]:
    parts = [
        _count(more[key] - less[key], key)
        for key in ("card", "suggestion", "image")
        if more[key] > less[key]
    ]
    if more["words"] > less["words"]:
        parts.append(words)
    return parts


def _words(content: m.Content) -> str:
    return "the text" if isinstance(content, m.TextContent) else "the card's text"


def switch_notice(
    before: m.Content, after: m.Content, undo_keys: str, *, restored: bool = False
) -> str:
    """The status line after a kind switch: what the new kind left out and how to get it back
    (nothing is dropped without a word), or, ``restored``, what came back from the last time
    the message was of that kind."""
    made = f"Made it {KIND_ARTICLES[m.kind_of(after)]}"
    had, has = _holdings(before), _holdings(after)
    left_out = _differences(had, has, _words(before))
    if left_out:
        return (
            f"{made}: {_listed(left_out)} left out. Switch back to "
            f"{KIND_LABELS[m.kind_of(before)]} or press {undo_keys} to bring them back."
        )
    back = _differences(has, had, _words(after)) if restored else []
    if back:
        return f"{made}: {_listed(back)} from before came back."
    return f"{made}."


MENU_LETTERS = "femvh"  # Alt+F, E, M, V, H open the window's menus
UNDO_KEYS = (QKeySequence(QKeySequence.StandardKey.Undo),)
REDO_KEYS = (
    QKeySequence(QKeySequence.StandardKey.Redo),
    QKeySequence("Ctrl+Shift+Z"),
    QKeySequence("Ctrl+Y"),
)
DUPLICATE_KEYS = (QKeySequence("Ctrl+D"),)


def _pressed(event: QKeyEvent, keys: Sequence[QKeySequence]) -> bool:
    pressed = QKeySequence(event.keyCombination())
    return any(
        pressed.matches(sequence) is QKeySequence.SequenceMatch.ExactMatch for sequence in keys
    )


class DraftKeys(QObject):
    """The draft's own keys wherever the keyboard is in the form: Undo and Redo step through
    the draft's history, Ctrl+D duplicates the card or suggestion being edited.

    A line edit takes Undo and Redo for its own history (its ShortcutOverride beats the
    window's Undo), and the card strip and suggestion lists bind Ctrl+D to themselves: so the
    widget with focus under a watched form gets this filter, which takes those keys first.
    """

    def __init__(
        self,
        parent: QObject,
        *,
        undo: Callable[[], object],
        redo: Callable[[], object],
        duplicate: Callable[[], object],
    ) -> None:
        super().__init__(parent)
        self.routes: tuple[tuple[Sequence[QKeySequence], Callable[[], object]], ...] = (
            (UNDO_KEYS, undo),
            (REDO_KEYS, redo),
            (DUPLICATE_KEYS, duplicate),
        )
        self.forms: list[QWidget] = []
        self.last_focus: QWidget | None = None  # in a watched form: what the menu's Ctrl+D is for
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self.on_focus_changed)

    def focus(self) -> QWidget | None:
        """The widget last focused in a watched form, while it lives."""
        last = self.last_focus
        return last if last is not None and Shiboken.isValid(last) else None

    def watch(self, form: QWidget) -> None:
        self.forms.append(form)
        self.on_focus_changed(None, QApplication.focusWidget())

    def within(self, widget: QWidget | None) -> bool:
        return widget is not None and any(
            form is widget or form.isAncestorOf(widget) for form in self.forms
        )

    def on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and self.within(new):
            new.installEventFilter(self)  # once: installing it again only moves it first
            self.last_focus = new

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        for keys, handler in self.routes:
            if _pressed(event, keys):
                event.accept()  # an accepted ShortcutOverride: no shortcut, the key comes here
                if kind == QEvent.Type.KeyPress:
                    handler()
                return True
        return False


class MessageEditor(QWidget):
    """Edits the document's message; ``mark`` shows issues, ``focus_path`` jumps to a field."""

    card_selected = Signal(int)  # a carousel card was selected in the strip
    notice = Signal(str)  # a sentence for the status line (what a kind switch left out)

    def __init__(self, document: ComposerDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.registry = FieldRegistry()
        self.region: Region | None = None
        # Each kind's content as the message held it when it was switched away from that kind:
        # switching back brings it back (the cards, the layout, the suggestions).
        self.kept: dict[m.MessageKind, m.Content] = {}
        self._shown_page: QWidget | None = None
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
        # Each kind's page is built when first shown: start-up builds one page, and a carousel
        # open does not keep the text and file pages it never shows (about 0.4 MB).
        self._text: TextField | None = None
        self._file_fields: dict[FieldPath, TextField] | None = None
        self._card: CardEditor | None = None
        self._carousel: CarouselEditor | None = None
        self.pages = QStackedWidget(self)
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
        document.loaded.connect(self.kept.clear)  # another draft: nothing of this one comes back
        self.keys = DraftKeys(
            self,
            undo=document.undo_stack.undo,
            redo=document.undo_stack.redo,
            duplicate=self.duplicate_focused,
        )
        self.keys.watch(self)
        self.refresh()

    @property
    def text(self) -> TextField:
        if self._text is None:
            self._text = TextField(
                "Text", multiline=True, limit=RULES["text.too_long"].limit(self.region), parent=self
            )
            self._text.edited.connect(lambda value: commit(self.document, TEXT, value, "Edit text"))
            self._add_page(m.MessageKind.TEXT, self._text)
        return self._text

    @property
    def file_fields(self) -> dict[FieldPath, TextField]:
        """The file page's fields by their paths; the first is the file's URL."""
        if self._file_fields is None:
            self._file_fields = {
                FILE.child("fileUrl"): TextField("File URL", placeholder="https://", parent=self),
                FILE.child("thumbnailUrl"): TextField(
                    "Thumbnail URL (optional)", placeholder="https://", parent=self
                ),
                FILE.child("contentDescription"): TextField("Content description", parent=self),
            }
            page = QWidget(self)
            page_layout = QVBoxLayout(page)
            page_layout.setContentsMargins(0, 0, 0, 0)
            for path, field in self._file_fields.items():
                field.edited.connect(lambda value, p=path: self.edit_file(p, value or None))
                page_layout.addWidget(field)
            page_layout.addStretch(1)
            self._add_page(m.MessageKind.FILE, page)
        return self._file_fields

    @property
    def file_url(self) -> TextField:
        return self.file_fields[FILE.child("fileUrl")]

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
        ignored = QSizePolicy.Policy.Ignored  # until it is shown: the stack takes the shown one's
        page.setSizePolicy(ignored, ignored)
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
        card after a carousel would otherwise spread its fields over the carousel's height).
        Only a page switch changes that: an edit in the shown page is laid out as it is (with
        a long text, sizing the stack again would cost a noticeable pause at every key)."""
        if shown is self._shown_page and self.pages.currentWidget() is shown:
            return
        self._shown_page = shown
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
        if kind is m.MessageKind.TEXT:
            return self.text
        page = self.file_url.parentWidget()  # the file page, built with its fields
        assert page is not None
        return page

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
        """Make the message ``kind``, keeping what that kind can hold; what it cannot hold is
        named in the status line (it comes back with Undo, or by switching back)."""
        message = self.document.message
        if kind is message.kind:
            return
        before = message.content
        self.kept[message.kind] = before
        kept = self.kept.get(kind)
        after = convert(before, kind, kept)
        self.set_content(after, f"Make it {KIND_ARTICLES[kind]}")
        undo_keys = UNDO_KEYS[0].toString(QKeySequence.SequenceFormat.NativeText)
        self.notice.emit(switch_notice(before, after, undo_keys, restored=kept is not None))

    def duplicate_focused(self) -> None:
        """Ctrl+D: duplicate the suggestion whose fields (or list) have the keyboard, else the
        carousel card being edited; say so when there is nothing to duplicate or no room."""
        focus = self.keys.focus()
        content = self.document.message.content
        for owner in self._suggestion_lists():
            if focus is not None and (owner is focus or owner.isAncestorOf(focus)):
                self.notice.emit(self._duplicate_suggestion(owner))
                return
        if isinstance(content, m.Carousel):
            self.notice.emit(self.carousel.duplicate_current())
            return
        self.notice.emit(
            "Nothing to duplicate here: Ctrl+D copies a carousel card, or the suggestion "
            "being edited."
        )

    def _suggestion_lists(self) -> list[SuggestionListEditor]:
        """The suggestion lists now shown, innermost first (a card's before the chip list)."""
        lists = []
        if self._carousel is not None and self._carousel.isVisibleTo(self):
            lists.append(self._carousel.card_editor.suggestions)
        if self._card is not None and self._card.isVisibleTo(self):
            lists.append(self._card.suggestions)
        return [*lists, self.chips]

    @staticmethod
    def _duplicate_suggestion(owner: SuggestionListEditor) -> str:
        count, index = len(owner.slots()), owner.selected()
        if not 0 <= index < count:
            return "Select a suggestion to duplicate it."
        if count >= owner.limit:
            return f"Not duplicated: at most {owner.limit} suggestions here."
        owner.duplicate()
        return f"Suggestion {index + 1} duplicated: the copy is suggestion {index + 2}."

    def set_region(self, region: Region | None) -> None:
        self.region = region
        if self._text is not None:  # a text page built later takes the region's limit then
            self._text.set_limit(RULES["text.too_long"].limit(region))

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
