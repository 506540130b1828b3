"""The open draft and its undo history: every edit is a command on one QUndoStack."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from rcs_composer.app.drafts import DraftChange, DraftEvent, OpenDraft
from rcs_composer.core.model import Draft, Message

_MERGE_ID = 0x5C0E


class DraftEdit(QUndoCommand):
    """Replaces the whole draft snapshot; consecutive edits of one field merge into one step."""

    def __init__(
        self,
        document: ComposerDocument,
        before: Draft,
        after: Draft,
        text: str,
        merge_key: str | None,
    ) -> None:
        super().__init__(text)
        self.document, self.before, self.after, self.merge_key = document, before, after, merge_key

    def id(self) -> int:
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(other, DraftEdit) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        # Typed and then typed away ("!" then Backspace): the step changes nothing, so it goes,
        # and a draft back at its saved content is not "modified" (no autosave, no prompt).
        self.setObsolete(self.after == self.before)
        return True

    def redo(self) -> None:
        self.document._show(self.after)

    def undo(self) -> None:
        self.document._show(self.before)


class ComposerDocument(QObject):
    """Holds the draft being edited. Editors call ``set_message``; views listen to ``changed``."""

    changed = Signal()  # the draft (message, variables or name) changed, by edit, undo or load
    loaded = Signal()  # a different draft was loaded: editors rebuild from scratch
    moved_to_trash = Signal()  # the open draft's file went to the trash; Save makes a new one

    def __init__(self, draft: Draft | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self._draft = draft or Draft()
        self.stored = OpenDraft()  # the one record of where the open draft lives in the store
        self.loads = 0  # drafts shown so far: an open read before the last one is stale

    @property
    def draft_id(self) -> str | None:
        return self.stored.draft_id

    @draft_id.setter
    def draft_id(self, draft_id: str | None) -> None:
        self.stored = OpenDraft(draft_id, self._draft.name if draft_id else None)

    @property
    def draft(self) -> Draft:
        return self._draft

    @property
    def message(self) -> Message:
        return self._draft.message

    @property
    def variables(self) -> Mapping[str, str]:
        return self._draft.variables

    def load(self, draft: Draft, draft_id: str | None = None) -> None:
        """Open another draft: a fresh undo history."""
        self.loads += 1
        self.undo_stack.clear()
        self._draft = draft
        self.draft_id = draft_id
        self.undo_stack.setClean()
        self.loaded.emit()
        self.changed.emit()

    def set_draft(self, draft: Draft, text: str, merge_key: str | None = None) -> None:
        if draft == self._draft:
            return
        self.undo_stack.push(DraftEdit(self, self._draft, draft, text, merge_key))

    def set_message(self, message: Message, text: str, merge_key: str | None = None) -> None:
        self.set_draft(dataclasses.replace(self._draft, message=message), text, merge_key)

    def set_variable(self, name: str, value: str) -> None:
        values = dict(self._draft.variables)
        values[name] = value
        self.set_draft(
            dataclasses.replace(self._draft, variables=values),
            f"Set sample value of {name}",
            merge_key=f"var:{name}",
        )

    def mark_saved(self, draft_id: str, saved: Draft) -> None:
        """The store now holds ``saved`` under ``draft_id``: its name is the draft's name."""
        self.stored.saved(draft_id, saved.name)
        if saved.name != self._draft.name:
            self._draft = dataclasses.replace(self._draft, name=saved.name)
            self.changed.emit()

    def follow(self, event: DraftEvent) -> None:
        """A change in the library: a rename of the open draft renames it here too (no undo
        step, the store already has it); a move to the trash detaches it from its file."""
        if not self.stored.follow(event):
            return
        if event.change is DraftChange.RENAMED and self.stored.name is not None:
            self._draft = dataclasses.replace(self._draft, name=self.stored.name)
            self.changed.emit()
        elif event.change is DraftChange.TRASHED:
            self.moved_to_trash.emit()

    def _show(self, draft: Draft) -> None:
        # Undo and redo restore content; the name is the store's, whatever the snapshot had.
        name = self.stored.name if self.stored.draft_id is not None else None
        self._draft = dataclasses.replace(draft, name=name) if name else draft
        self.changed.emit()
