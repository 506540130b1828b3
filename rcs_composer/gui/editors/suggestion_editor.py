"""The suggestions editor, used for a card's suggestions and for the chip list below a message."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core import model as m
from rcs_composer.core.field_paths import FieldPath
from rcs_composer.core.issues import Issue
from rcs_composer.core.rules import RULES
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.editors.fields import FieldRegistry, mark_rows
from rcs_composer.gui.editors.suggestion_detail import SuggestionDetail
from rcs_composer.gui.editors.suggestion_kinds import KINDS, kind_name, slot_key
from rcs_composer.gui.widgets import ARROWS, focus_chain_of, move_button, row_button

Slots = tuple[m.SuggestionSlot, ...]

VISIBLE_ROWS = 5  # suggestions shown at once in a list before it scrolls


class SuggestionListEditor(QGroupBox):
    """Add, remove, duplicate, reorder (drag or Alt+Up/Down) suggestions; edit the selected one."""

    def __init__(
        self,
        title: str,
        document: ComposerDocument,
        registry: FieldRegistry,
        *,
        list_path: Callable[[], FieldPath],
        limit_rule: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.document, self.registry = document, registry
        self.list_path = list_path
        self.limit = RULES[limit_rule].limit(None)
        self.list = QListWidget(self)
        self.list.setAccessibleName(f"{title} list")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.model().rowsMoved.connect(self.on_rows_moved)
        self.list.currentRowChanged.connect(self.on_selection_changed)
        self.add_button = row_button("+ Add", self)
        self.add_button.setAccessibleName(f"Add to {title}")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        for name in KINDS:
            menu.addAction(name, partial(self.add, name))
        self.add_button.setMenu(menu)
        self.buttons = {}
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        for name, handler, tip in (
            ("Duplicate", self.duplicate, "Ctrl+D"),
            ("Remove", self.remove, "Delete"),
            ("Up", lambda: self.move_selected(-1), "Alt+Up"),
            ("Down", lambda: self.move_selected(1), "Alt+Down"),
        ):
            if name in ARROWS:
                button = move_button(name, "suggestion", self)
            else:  # as wide as its text: the form fits 800x600
                button = row_button(name, self)
                button.setAccessibleName(f"{name} suggestion")
            button.setToolTip(tip)
            button.clicked.connect(handler)
            row.addWidget(button)
            self.buttons[name] = button
        row.addStretch(1)
        for keys, handler in (
            ("Alt+Up", lambda: self.move_selected(-1)),
            ("Alt+Down", lambda: self.move_selected(1)),
            ("Delete", self.remove),  # Ctrl+D is the Edit menu's, from any field of the draft
        ):
            action = QAction(self.list)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(handler)
            self.list.addAction(action)
        # A suggestion's fields are built when one is first selected: a list with none (the
        # chip list of most messages) keeps no hidden fields.
        self._detail: SuggestionDetail | None = None
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.list)
        self._layout.addLayout(row)
        self._shape: list[str] = []
        registry.row_markers.append(self.mark_rows)
        document.loaded.connect(self._forget_location_modes)
        self.refresh()

    @property
    def detail(self) -> SuggestionDetail:
        if self._detail is None:
            self._detail = SuggestionDetail(self)
            self._layout.addWidget(self._detail)
            self._detail.show()  # now, not when the layout gets to it: Tab may come at once
            previous: QWidget = self.buttons["Down"]  # Tab: from the row of buttons into it
            for widget in focus_chain_of(self._detail):
                QWidget.setTabOrder(previous, widget)
                previous = widget
        return self._detail

    def _forget_location_modes(self) -> None:
        if self._detail is not None:
            self._detail.forget_location_modes()

    # ------------------------------------------------------------ model access

    def present(self) -> Slots | None:
        """The list, or None when the card it belongs to is not in the message."""
        found = self.list_path().get(self.document.message)
        return found if isinstance(found, tuple) else None

    def slots(self) -> Slots:
        return self.present() or ()

    def commit(self, slots: Slots, text: str) -> None:
        if self.present() is not None:
            self.document.set_message(self.list_path().put(self.document.message, slots), text)

    def selected(self) -> int:
        return self.list.currentRow()

    # ------------------------------------------------------------ actions

    def add(self, kind: str) -> None:
        slots = self.slots()
        if len(slots) >= self.limit:
            return
        self.commit((*slots, m.SuggestionSlot(KINDS[kind]())), f"Add {kind} suggestion")
        self.select(len(slots))

    def duplicate(self) -> None:
        slots, index = self.slots(), self.selected()
        if 0 <= index < len(slots) and len(slots) < self.limit:
            self.commit(
                (*slots[: index + 1], slots[index], *slots[index + 1 :]), "Duplicate suggestion"
            )
            self.select(index + 1)

    def remove(self) -> None:
        slots, index = self.slots(), self.selected()
        if 0 <= index < len(slots):
            self.commit(slots[:index] + slots[index + 1 :], "Remove suggestion")
            self.select(min(index, len(slots) - 2))

    def move_selected(self, step: int) -> None:
        slots, index = list(self.slots()), self.selected()
        target = index + step
        if 0 <= index < len(slots) and 0 <= target < len(slots):
            slots[index], slots[target] = slots[target], slots[index]
            self.commit(tuple(slots), "Reorder suggestions")
            self.select(target)

    def on_rows_moved(self, *_args: object) -> None:
        order = [
            self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())
        ]
        slots = self.slots()
        if sorted(order) == list(range(len(slots))) and order != list(range(len(slots))):
            moved_to = (
                order.index(self.list.currentItem().data(Qt.ItemDataRole.UserRole))
                if self.list.currentItem()
                else 0
            )
            self.commit(tuple(slots[i] for i in order), "Reorder suggestions")
            self.select(moved_to)

    def select(self, index: int) -> None:
        if 0 <= index < self.list.count():
            self.list.setCurrentRow(index)

    def on_selection_changed(self, _row: int) -> None:
        self.refresh_detail()

    def replace_selected(self, suggestion: m.Reply | m.ActionChip, text: str) -> None:
        slots, index = self.slots(), self.selected()
        if 0 <= index < len(slots):
            slot = dataclasses.replace(slots[index], suggestion=suggestion)
            self.commit((*slots[:index], slot, *slots[index + 1 :]), text)

    # ------------------------------------------------------------ view

    def mark_rows(self, issues: Sequence[Issue]) -> None:
        mark_rows(self.list, self.list_path() if self.present() is not None else None, issues)
        self.fit_list(self.list.count())  # a row's icon makes it taller: measure again

    def refresh(self) -> None:
        slots = self.slots()
        shape = [kind_name(slot.suggestion) for slot in slots]
        labels = [
            f"{i + 1}. {kind_name(s.suggestion)} · {s.suggestion.text or '(no label)'}"
            for i, s in enumerate(slots)
        ]
        current = self.selected()
        self.list.blockSignals(True)
        if shape != self._shape or self.list.count() != len(slots):
            self._forget_location_modes()  # a row may now hold another suggestion
            self.list.clear()
            for index, label in enumerate(labels):
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, index)
                self.list.addItem(item)
            self._shape = shape
        else:
            for index, label in enumerate(labels):
                if self.list.item(index).text() != label:
                    self.list.item(index).setText(label)
        if slots:
            self.list.setCurrentRow(min(max(current, 0), len(slots) - 1))
        self.list.blockSignals(False)
        full = len(slots) >= self.limit
        self.add_button.setEnabled(not full)
        self.add_button.setToolTip(
            f"At most {self.limit} here: remove one to add another."
            if full
            else f"Add a suggestion ({len(slots)} of {self.limit})"
        )
        self.buttons["Duplicate"].setEnabled(bool(slots) and not full)
        for name in ("Remove", "Up", "Down"):
            self.buttons[name].setEnabled(bool(slots))
            self.buttons[name].setVisible(bool(slots))
        self.buttons["Duplicate"].setVisible(bool(slots))
        self.fit_list(len(slots))
        if self.present() is not None:
            self.registry.register(self.list_path(), self.list)
        self.refresh_detail()

    def fit_list(self, rows: int) -> None:
        """The list is as tall as its rows (up to five, then it scrolls); with none it is
        hidden and "+ Add" alone says what to do, so empty lists take no room."""
        self.list.setVisible(rows > 0)
        if rows:
            shown = range(min(rows, VISIBLE_ROWS, self.list.count()))
            needed = sum(self.list.sizeHintForRow(row) for row in shown)
            height = needed + 2 * self.list.frameWidth() + 2
            if self.list.height() != height:
                self.list.setFixedHeight(height)

    def refresh_detail(self) -> None:
        slots, index = self.slots(), self.selected()
        slot = slots[index] if 0 <= index < len(slots) else None
        base = self.list_path()
        self.registry.unregister_within(base)
        path = base.at(index).child(slot_key(slot)) if slot is not None else None
        if slot is not None or self._detail is not None:
            self.detail.show_slot(slot, path, self.registry)
        self.registry.remark()
