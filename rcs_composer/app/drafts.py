"""The draft library's use cases, and the open draft kept true to what the library does."""

from __future__ import annotations

import builtins
import dataclasses
import threading
from collections.abc import Callable
from enum import StrEnum

from rcs_composer.core.model import Draft
from rcs_composer.services.draft_index import DraftEntry
from rcs_composer.services.drafts import (
    DraftConflict,
    DraftStore,
    DraftVersion,
    LoadedDraft,
    PendingAutosave,
    SavedDraft,
)

__all__ = [
    "RECOVERED_SUFFIX",
    "DraftChange",
    "DraftConflict",
    "DraftEvent",
    "DraftLibrary",
    "DraftVersion",
    "LoadedDraft",
    "OpenDraft",
]

RECOVERED_SUFFIX = " (recovered)"


class DraftChange(StrEnum):
    SAVED = "saved"
    RENAMED = "renamed"
    TRASHED = "trashed"
    RESTORED = "restored"
    DUPLICATED = "duplicated"


@dataclasses.dataclass(frozen=True)
class DraftEvent:
    """Something happened to a stored draft; ``name`` is its name afterwards, when it has one."""

    change: DraftChange
    draft_id: str
    name: str | None = None
    version: DraftVersion | None = None  # of the file afterwards, when the change wrote it


Listener = Callable[[DraftEvent], None]


class DraftLibrary:
    """Every change to the store goes through here and is announced to every listener, so the
    library panel and the open draft can never disagree. Blocking: call it off the GUI thread;
    listeners are called on the thread that made the change."""

    def __init__(self, store: DraftStore) -> None:
        self.store = store
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def _announce(self, event: DraftEvent) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event)

    # ------------------------------------------------------------ reading

    def entries(self) -> builtins.list[DraftEntry]:
        return self.store.entries()

    def load(self, draft_id: str) -> Draft:
        return self.store.load(draft_id)

    def open(self, draft_id: str) -> LoadedDraft:
        """The draft and the version it was read at: keep it, and pass it to ``save``."""
        return self.store.load_versioned(draft_id)

    # ------------------------------------------------------------ changing

    def save(
        self, draft_id: str | None, draft: Draft, *, loaded: DraftVersion | None = None
    ) -> SavedDraft:
        """Write the draft; one whose file is in the trash is saved as a new draft instead, so
        the trashed file can still be restored.

        ``loaded``: the version the edit started from (``open``, or the last save's
        ``SavedDraft.version``). If another window or program changed the file since, nothing
        is written and DraftConflict carries their draft and its version; save again with
        ``loaded=conflict.version`` to overwrite it, or with no id to keep both.
        """
        if draft_id is not None and draft_id in self.store.trashed():
            draft_id = None
        saved = self.store.save(draft_id, draft, loaded=loaded)
        self._announce(
            DraftEvent(DraftChange.SAVED, saved.draft_id, saved.draft.name, saved.version)
        )
        return saved

    def rename(self, draft_id: str, name: str) -> DraftEntry:
        saved = self.store.renamed(draft_id, name)
        self._announce(DraftEvent(DraftChange.RENAMED, draft_id, saved.draft.name, saved.version))
        return saved.entry

    def recover(self, pending: PendingAutosave) -> SavedDraft:
        """Keep the unsaved work of a crashed session as a new draft (never over the draft it
        was an edit of, which may have moved on), then drop its autosave."""
        draft = dataclasses.replace(
            pending.draft, name=f"{pending.draft.name}{RECOVERED_SUFFIX}", created=None
        )
        saved = self.save(None, draft)
        self.store.discard_autosave(pending.session)
        return saved

    def duplicate(self, draft_id: str) -> DraftEntry:
        entry = self.store.duplicate(draft_id)
        self._announce(DraftEvent(DraftChange.DUPLICATED, entry.draft_id, entry.name))
        return entry

    def trash(self, draft_id: str) -> None:
        self.store.delete(draft_id)
        self._announce(DraftEvent(DraftChange.TRASHED, draft_id))

    def restore(self, draft_id: str) -> None:
        self.store.restore(draft_id)
        self._announce(DraftEvent(DraftChange.RESTORED, draft_id))


@dataclasses.dataclass
class OpenDraft:
    """Where the draft being edited lives in the store: its id, or None when it is new (or its
    file went to the trash), and the name the store knows it by."""

    draft_id: str | None = None
    name: str | None = None
    trashed_id: str | None = None  # the id it had before it went to the trash
    # The version of the file the edits started from: the next save passes it, so a change
    # made meanwhile by another window or program is reported, not overwritten. None when
    # unknown (a new draft, a restored autosave): that save overwrites.
    version: DraftVersion | None = None

    def saved(self, draft_id: str, name: str, version: DraftVersion | None = None) -> None:
        """The store holds the draft under ``draft_id`` now; ``version``, when given, is the
        file it wrote (without it the version is left to whoever knows it)."""
        if version is not None:
            self.version = version
        self.draft_id, self.name, self.trashed_id = draft_id, name, None

    def follow(self, event: DraftEvent) -> bool:
        """Apply a library event; True when it concerned the open draft."""
        if event.change is DraftChange.RENAMED and event.draft_id == self.draft_id:
            self.name = event.name
            # The rename is taken into the open draft, so its file is the new base.
            self.version = event.version or self.version
            return True
        if event.change is DraftChange.TRASHED and event.draft_id == self.draft_id:
            # Saving now must make a new draft, never pull the file back out of the trash.
            self.trashed_id, self.draft_id = self.draft_id, None
            return True
        if event.change is DraftChange.RESTORED and event.draft_id == self.trashed_id:
            self.draft_id, self.trashed_id = self.trashed_id, None
            return True
        return False
