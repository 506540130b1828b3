"""The draft library's use cases, and the open draft kept true to what the library does."""

from __future__ import annotations

import builtins
import dataclasses
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from rcs_composer.core.draft_files import id_of_file_name
from rcs_composer.core.model import Draft
from rcs_composer.services.draft_index import DraftEntry
from rcs_composer.services.drafts import (
    ConflictCopy,
    DraftConflict,
    DraftMergeConflict,
    DraftNotFound,
    DraftStore,
    DraftUnreadable,
    DraftVersion,
    LibraryFolderGone,
    LoadedDraft,
    PendingAutosave,
    SavedDraft,
)
from rcs_composer.services.library_folders import LibraryFolder, LibraryFolders

__all__ = [
    "PRIVATE_TITLE",
    "RECOVERED_SUFFIX",
    "UNCHANGED",
    "ConflictCopy",
    "DiskReaction",
    "DraftChange",
    "DraftConflict",
    "DraftEvent",
    "DraftLibrary",
    "DraftMergeConflict",
    "DraftVersion",
    "LibraryInfo",
    "LoadedDraft",
    "OpenDraft",
]

RECOVERED_SUFFIX = " (recovered)"
PRIVATE_TITLE = "My drafts"
# "<library key>/<id in that library>"; a key never holds it, while the id of a draft in a
# library's sub-folder does ("lib-1a2b/campaigns/offer.rcs"): split at the first one.
ID_SEPARATOR = "/"
# What ``version_on_disk`` answers for a file still at the version the caller holds.
UNCHANGED = LoadedDraft(Draft(), DraftVersion("", 0))


@dataclasses.dataclass(frozen=True)
class LibraryInfo:
    """One library the dock lists: the private one (key None) or a folder."""

    key: str | None
    title: str
    path: Path


def library_key(draft_id: str) -> str | None:
    """The library a draft id belongs to; None for the private drafts folder."""
    key, separator, _ = draft_id.partition(ID_SEPARATOR)
    return key if separator else None


class DraftChange(StrEnum):
    SAVED = "saved"
    RENAMED = "renamed"
    TRASHED = "trashed"
    RESTORED = "restored"
    DUPLICATED = "duplicated"
    LIBRARIES = "libraries"  # a library folder was added or removed (draft_id is its key)


@dataclasses.dataclass(frozen=True)
class DraftEvent:
    """Something happened to a stored draft; ``name`` is its name afterwards, when it has one."""

    change: DraftChange
    draft_id: str
    name: str | None = None
    version: DraftVersion | None = None  # of the file afterwards, when the change wrote it
    # A rename in a library folder renames the file too: the draft's id from then on.
    new_id: str | None = None


Listener = Callable[[DraftEvent], None]


class DraftLibrary:
    """Every change to the store goes through here and is announced to every listener, so the
    library panel and the open draft can never disagree. Blocking: call it off the GUI thread;
    listeners are called on the thread that made the change.

    Besides the private drafts folder (``store``) it serves each library folder the user
    added: ids of drafts there are ``<library key>/<id>``, so one id names one file whichever
    library it is in, and the open draft, autosave and recovery need not know libraries."""

    def __init__(self, store: DraftStore, folders: LibraryFolders | None = None) -> None:
        self.store = store
        self.folders = folders
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

    # ------------------------------------------------------------ libraries

    def libraries(self) -> builtins.list[LibraryInfo]:
        private = LibraryInfo(None, PRIVATE_TITLE, self.store.folder)
        folders = self.folders.folders() if self.folders is not None else []
        return [private, *(LibraryInfo(f.key, f.title, f.path) for f in folders)]

    def add_folder(self, path: Path) -> LibraryInfo:
        """Add a folder as a library (LibraryFolderError says why it cannot be one)."""
        if self.folders is None:
            raise RuntimeError("this library has no folders")
        folder: LibraryFolder = self.folders.add(path)
        self._announce(DraftEvent(DraftChange.LIBRARIES, folder.key, folder.title))
        return LibraryInfo(folder.key, folder.title, folder.path)

    def remove_folder(self, key: str) -> None:
        """Stop listing a library; its files stay as they are."""
        if self.folders is not None:
            self.folders.remove(key)
            self._announce(DraftEvent(DraftChange.LIBRARIES, key))

    def _store(self, key: str | None) -> DraftStore:
        if key is None:
            return self.store
        if self.folders is None:
            raise DraftNotFound(Path(key), "that library is not open here")
        try:
            return self.folders.store(key)
        except KeyError:
            raise DraftNotFound(
                Path(key), "its library folder was removed from the library list"
            ) from None

    def _route(self, draft_id: str) -> tuple[DraftStore, str, str | None]:
        key = library_key(draft_id)
        local = draft_id.partition(ID_SEPARATOR)[2] if key is not None else draft_id
        return self._store(key), local, key

    @staticmethod
    def _qualified(key: str | None, local: str) -> str:
        return local if key is None else f"{key}{ID_SEPARATOR}{local}"

    def _qualify_entry(self, key: str | None, entry: DraftEntry) -> DraftEntry:
        if key is None:
            return entry
        conflict_of = self._qualified(key, entry.conflict_of) if entry.conflict_of else None
        return dataclasses.replace(
            entry, draft_id=self._qualified(key, entry.draft_id), conflict_of=conflict_of
        )

    def _qualify_saved(self, key: str | None, saved: SavedDraft) -> SavedDraft:
        return saved._replace(draft_id=self._qualified(key, saved.draft_id))

    def path_of(self, draft_id: str) -> Path:
        """The file a draft is in (for watching it)."""
        store, local, _ = self._route(draft_id)
        return store.path_of(local)

    # ------------------------------------------------------------ reading

    def entries(self, library: str | None = None) -> builtins.list[DraftEntry]:
        """The drafts of one library (by default the private one), newest first."""
        return [self._qualify_entry(library, e) for e in self._store(library).entries()]

    def load(self, draft_id: str) -> Draft:
        return self.open(draft_id).draft

    def open(self, draft_id: str) -> LoadedDraft:
        """The draft and the version it was read at: keep it, and pass it to ``save``.

        A file with git conflict markers raises DraftMergeConflict with both sides."""
        store, local, _ = self._route(draft_id)
        return store.load_versioned(local)

    def version_on_disk(
        self, draft_id: str, known: DraftVersion | None = None
    ) -> LoadedDraft | None:
        """What the draft's file holds now, or None when it is gone (for a watcher).

        With ``known`` (the version the window holds), a file whose modification time is
        still that version's is not read again: ``known``'s draft is not needed, so the
        result then carries no draft (``LoadedDraft(None, known)`` is never built; the
        caller gets ``UNCHANGED``). Saves still compare content, so a write this shortcut
        misses on a coarse-clock file system is caught before anything is overwritten."""
        store, local, _ = self._route(draft_id)
        try:
            if known is not None:
                try:
                    if store.path_of(local).stat().st_mtime_ns == known.modified_ns:
                        return UNCHANGED
                except FileNotFoundError:
                    raise DraftNotFound(store.path_of(local), "it is gone") from None
                except OSError:
                    pass  # read it, and say why it cannot be
            return store.load_versioned(local)
        except DraftNotFound:
            if store.shared and not store.folder.is_dir():
                raise LibraryFolderGone(store.folder) from None  # not the file alone
            return None

    # ------------------------------------------------------------ changing

    def save(
        self,
        draft_id: str | None,
        draft: Draft,
        *,
        loaded: DraftVersion | None = None,
        into: str | None = None,
    ) -> SavedDraft:
        """Write the draft; one whose file is in the trash is saved as a new draft instead, so
        the trashed file can still be restored. A new draft (no id) goes into library ``into``
        (None: the private drafts folder).

        ``loaded``: the version the edit started from (``open``, or the last save's
        ``SavedDraft.version``). If another window or program changed the file since, nothing
        is written and DraftConflict carries their draft and its version; save again with
        ``loaded=conflict.version`` to overwrite it, or with no id to keep both.
        """
        if draft_id is None:
            if into is not None and (self.folders is None or self.folders.find(into) is None):
                into = None  # its library was removed from the list: keep the work in ours
            store, local, key = self._store(into), None, into
        else:
            store, found, key = self._route(draft_id)
            local = None if found in store.trashed() else found
        try:
            saved = self._qualify_saved(key, store.save(local, draft, loaded=loaded))
        except DraftConflict as conflict:
            conflict.draft_id = self._qualified(key, conflict.draft_id)
            raise
        self._announce(
            DraftEvent(DraftChange.SAVED, saved.draft_id, saved.draft.name, saved.version)
        )
        return saved

    def rename(self, draft_id: str, name: str) -> DraftEntry:
        """Rename a draft. In a library folder its file is renamed after the new name too (the
        event's ``new_id``); a save never renames a file."""
        store, local, key = self._route(draft_id)
        saved = self._qualify_saved(key, store.renamed(local, name))
        new_id = saved.draft_id if saved.draft_id != draft_id else None
        self._announce(
            DraftEvent(DraftChange.RENAMED, draft_id, saved.draft.name, saved.version, new_id)
        )
        return saved.entry

    def folders_to_watch(self, library: str | None, limit: int) -> builtins.list[Path]:
        """The folders of a library its last listing read, at most ``limit`` of them (the
        library folder first): watch these for changes, and poll for the rest."""
        return self._store(library).folders_listed()[:limit]

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
        store, local, key = self._route(draft_id)
        entry = self._qualify_entry(key, store.duplicate(local))
        self._announce(DraftEvent(DraftChange.DUPLICATED, entry.draft_id, entry.name))
        return entry

    def copy_to(self, draft_id: str, library: str | None) -> DraftEntry:
        """Save a copy of the draft into another library, under a name made from its own."""
        draft = self.load(draft_id)
        target = self._store(library)
        saved = self._qualify_saved(library, target.add_copy_of(draft))
        self._announce(DraftEvent(DraftChange.DUPLICATED, saved.draft_id, saved.draft.name))
        return saved.entry

    def trash(self, draft_id: str) -> None:
        store, local, _ = self._route(draft_id)
        store.delete(local)
        self._announce(DraftEvent(DraftChange.TRASHED, draft_id))

    def restore(self, draft_id: str) -> None:
        store, local, _ = self._route(draft_id)
        store.restore(local)
        self._announce(DraftEvent(DraftChange.RESTORED, draft_id))

    # ------------------------------------------------------------ other writers

    def resolve(self, draft_id: str, draft: Draft, conflicted: DraftVersion) -> SavedDraft:
        """Write the side of a git merge conflict the user picked over the conflicted file."""
        store, local, key = self._route(draft_id)
        saved = self._qualify_saved(key, store.resolve(local, draft, conflicted))
        self._announce(
            DraftEvent(DraftChange.SAVED, saved.draft_id, saved.draft.name, saved.version)
        )
        return saved

    def conflict_copies(self, draft_id: str) -> builtins.list[ConflictCopy]:
        """Copies a sync or merge tool left beside the draft's file."""
        store, local, _ = self._route(draft_id)
        return store.conflict_copies(local)

    def open_copy(self, draft_id: str, file_name: str) -> LoadedDraft:
        store, _, _ = self._route(draft_id)
        return store.load_copy(file_name)

    def settle_copy(
        self,
        draft_id: str,
        file_name: str,
        *,
        keep_copy: bool,
        loaded: DraftVersion | None = None,
    ) -> SavedDraft | None:
        """The user compared a conflict copy with its draft and chose: with ``keep_copy`` the
        copy's content is saved into the draft (based on ``loaded``, the draft's version they
        saw); either way the copy then goes to the trash, so it is offered no more."""
        store, _, key = self._route(draft_id)
        saved = None
        if keep_copy:
            copy = store.load_copy(file_name).draft
            saved = self.save(draft_id, copy, loaded=loaded)
        store.discard_copy(file_name)
        self._announce(
            DraftEvent(DraftChange.TRASHED, self._qualified(key, id_of_file_name(file_name)))
        )
        return saved


class DiskReaction(StrEnum):
    """What the open draft does when its file changed under it."""

    NOTHING = "nothing"  # the same content (a touch, our own save, a checkout of the same)
    RELOAD = "reload"  # no unsaved edits: show what the file holds now
    COMPARE = "compare"  # unsaved edits: show both versions and let the user choose
    GONE = "gone"  # the file went (a checkout of another branch, a delete)
    FOLDER_GONE = "folder gone"  # its whole library folder went (moved, a share unmounted)
    CONFLICT = "conflict"  # git left conflict markers in it


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

    def on_disk(self, now: LoadedDraft | DraftUnreadable | None, *, dirty: bool) -> DiskReaction:
        """Decide what to do now that the file holds ``now`` (None: gone; DraftUnreadable
        when it cannot be read). Only content counts: a new mtime on the same bytes is
        nothing, and a save of our own is already our version."""
        if self.draft_id is None:
            return DiskReaction.NOTHING
        if now is None:
            return DiskReaction.GONE
        if isinstance(now, DraftMergeConflict):
            return DiskReaction.CONFLICT
        if isinstance(now, LibraryFolderGone):
            return DiskReaction.FOLDER_GONE
        if isinstance(now, DraftUnreadable):
            return DiskReaction.NOTHING  # half-written by a tool: its next write is seen
        if now is UNCHANGED:
            return DiskReaction.NOTHING
        if self.version is not None and now.version.digest == self.version.digest:
            self.version = now.version  # same bytes, maybe a new mtime
            return DiskReaction.NOTHING
        return DiskReaction.COMPARE if dirty else DiskReaction.RELOAD

    def follow(self, event: DraftEvent) -> bool:
        """Apply a library event; True when it concerned the open draft."""
        if event.change is DraftChange.RENAMED and event.draft_id == self.draft_id:
            self.name = event.name
            self.draft_id = event.new_id or self.draft_id  # its file was renamed too
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
