"""Drafts on disk: one JSON file each, atomic saves, an index for fast listing, trash, autosave."""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import os
import sys
import time
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from rcs_composer.core import codecs
from rcs_composer.core.draft_files import (
    ConflictCopy,
    ConflictSides,
    conflict_copy,
    free_file_name,
    has_conflict_markers,
    id_of_file_name,
    is_candidate,
    split_conflict,
)
from rcs_composer.core.field_paths import located
from rcs_composer.core.model import Draft
from rcs_composer.core.naming import quoted
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.services.digests import sha256_hex
from rcs_composer.services.draft_index import (
    MAX_DEPTH,
    UNREADABLE,
    DraftEntry,
    DraftIndex,
    Signature,
    query_words,
    signature_of,
    summarize,
    unreadable,
)
from rcs_composer.services.paths import (
    FileLock,
    StorageError,
    atomic_write_text,
    private_mkdir,
    remove_stale_temps,
    temp_file_beside,
    try_lock,
)
from rcs_composer.services.regular_files import read_regular_file
from rcs_composer.services.write_claims import claimed

__all__ = [
    "ConflictCopy",
    "DraftConflict",
    "DraftEntry",
    "DraftMergeConflict",
    "DraftNotFound",
    "DraftStore",
    "DraftUnreadable",
    "DraftVersion",
    "LoadedDraft",
    "PendingAutosave",
    "SavedDraft",
]

AUTOSAVE_OF = "autosave_of"  # the extra key of an autosave naming the draft it belongs to
AUTOSAVE_BASE = "autosave_base"  # ...and the version of that draft's file the edits are on
_LOCK_OFFSET = 4096  # Windows locks bytes: lock one past the pid so the pid stays readable
STORE_LOCK = ".drafts.lock"  # held by every write into the store, in any process
# A session lock file nobody holds and with no autosave beside it is the trace of a session
# that crashed before its first autosave; younger ones may be a session still starting.
STALE_SESSION_LOCK_SECONDS = 3600.0
SHARED_TRASH = ".rcs-trash"  # a library folder's trash, inside it (add it to .gitignore)
# Another machine may be writing into a synced or network folder: only temporary files this old
# are taken for the leftovers of a write that died.
SHARED_TEMP_AGE_SECONDS = 3600.0
SHARED_FILE_MODE = 0o644


class DraftUnreadable(Exception):
    """A draft file that cannot be opened; it stays on disk untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"The draft {path} cannot be opened: {reason}")
        self.path = path
        self.reason = reason


class LibraryFolderGone(DraftUnreadable):
    """A shared library's folder that is not there (moved, renamed, a share unmounted)."""

    def __init__(self, folder: Path) -> None:
        Exception.__init__(
            self,
            f"The library folder {folder} is gone (moved, or unmounted): the draft was not "
            "saved, and your edits are kept. Reconnect the folder and save again, or save a "
            "copy elsewhere with Save As.",
        )
        self.path, self.reason = folder, "the library folder is gone (moved, or unmounted)"


class DraftNotFound(DraftUnreadable):
    """No draft (or trashed draft) with that id."""


class DraftMergeConflict(DraftUnreadable):
    """A draft file with git's conflict markers in it: both sides, each read as a draft when
    it is one, and the version of the conflicted file (``resolve`` writes a side over it)."""

    def __init__(
        self,
        path: Path,
        sides: ConflictSides,
        ours: Draft | None,
        theirs: Draft | None,
        version: DraftVersion,
    ) -> None:
        count = "a merge conflict" if sides.conflicts == 1 else f"{sides.conflicts} merge conflicts"
        super().__init__(path, f"it has {count} from git in it: open it to pick a side")
        self.sides = sides
        self.ours = ours
        self.theirs = theirs
        self.version = version


class DraftVersion(NamedTuple):
    """Which bytes of a draft file were read or written: the content decides, the time says."""

    digest: str  # sha256 of the file's bytes
    modified_ns: int  # the file's mtime then, for messages

    @staticmethod
    def of(data: bytes, modified_ns: int) -> DraftVersion:
        return DraftVersion(sha256_hex(data), modified_ns)  # not hashlib: it loads OpenSSL


class DraftConflict(Exception):
    """The draft file changed on disk since the version a save was based on; nothing was written.

    ``theirs`` is what the file holds now and ``version`` its version: saving again with
    ``loaded=version`` overwrites exactly that, and a new id keeps both.
    """

    def __init__(self, path: Path, draft_id: str, theirs: Draft, version: DraftVersion) -> None:
        when = time.strftime("%H:%M:%S", time.localtime(version.modified_ns / 1e9))
        super().__init__(
            f"{quoted(theirs.name)} changed on disk since it was opened here (saved at {when} by "
            "another window or program). Your changes are not saved yet: save them as a copy, "
            "or overwrite the other version."
        )
        self.path = path
        self.draft_id = draft_id
        self.theirs = theirs
        self.version = version


class LoadedDraft(NamedTuple):
    """A draft as read, and the version of the file it was read from (pass it to ``save``)."""

    draft: Draft
    version: DraftVersion


class SavedDraft(NamedTuple):
    """What ``save`` wrote: the id, the draft with its timestamps set, and the file's version."""

    draft_id: str
    draft: Draft
    version: DraftVersion | None = None

    @property
    def entry(self) -> DraftEntry:
        return summarize(self.draft_id, self.draft, self.draft.modified or "")


class PendingAutosave(NamedTuple):
    """Unsaved work left by a session that did not end cleanly."""

    session: str
    draft: Draft
    draft_id: str | None  # the saved draft it was an edit of, if any
    base: DraftVersion | None = None  # the version of that draft's file the edits are on
    changed_ns: int = 0  # when the work was last autosaved (the autosave file's mtime)


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _check_id(draft_id: str, nested: bool = False) -> str:
    """A draft id as a file name; ``nested`` (a library folder) also allows a path below the
    folder, ``campaigns/diwali/offer.rcs``, each part an ordinary name (no ``..``)."""
    parts = draft_id.split("/") if nested else [draft_id]
    for part in parts:
        if not part or part.startswith(".") or any(c in part for c in "/\\\0"):
            raise ValueError(f"not a draft id: {draft_id!r}")
    if len(parts) > MAX_DEPTH + 1:
        raise ValueError(f"not a draft id: {draft_id!r}")
    return draft_id


def _split(draft_id: str) -> tuple[str, str]:
    """The sub-folder of a draft id ("" for none) and its file's base id."""
    sub, _, base = draft_id.rpartition("/")
    return sub, base


def _read_draft(path: Path) -> tuple[Draft, Signature, bytes]:
    """The draft in ``path``, the signature and the bytes of exactly what was read."""
    try:  # a FIFO named like a draft must not hang the library's listing
        data, stat = read_regular_file(path, codecs.MAX_DOCUMENT_BYTES)
    except FileNotFoundError:
        raise DraftNotFound(path, "there is no such draft") from None
    except OSError as exc:
        raise DraftUnreadable(path, exc.strerror or "it cannot be read") from None
    try:
        document = codecs.loads(data)
    except DecodeError as exc:
        _raise_if_merge_conflict(path, data, stat.st_mtime_ns)
        problem = located(exc.path, exc.reason)
        raise DraftUnreadable(path, f"{problem} (in the file: {exc.path})") from None
    if document.format is not codecs.Format.DRAFT:
        raise DraftUnreadable(path, "it is not an rcs-composer draft")
    return document.draft, signature_of(stat), data


def _create_exclusively(path: Path, data: bytes, shared: bool) -> bool:
    """Write a new file whole at ``path`` unless a file of that name exists (False then).

    The bytes go to a temporary file first, then a hard link gives them the name, which fails
    if the name is taken: nobody ever sees half a file, and nobody's file is replaced."""
    handle, temp_name = temp_file_beside(path, make_folder=not shared)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if shared:
            os.chmod(temp_name, SHARED_FILE_MODE)
        try:
            os.link(temp_name, path)
        except FileExistsError:
            return False
        except OSError:
            # No hard links here (FAT, some network shares): an exclusive create, then the bytes.
            try:
                descriptor = os.open(
                    path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644 if shared else 0o600
                )
            except FileExistsError:
                return False
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        return True
    except OSError as exc:
        raise StorageError(path, exc.strerror or str(exc)) from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)


def _link_exclusively(source: Path, target: Path) -> bool:
    """Give ``source``'s file the name ``target`` too, unless a file of that name exists
    (False then). Without hard links (FAT, some shares) the bytes are copied exclusively."""
    try:
        os.link(source, target)
        return True
    except FileExistsError:
        return False
    except OSError:
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise StorageError(source, exc.strerror or str(exc)) from exc
        return _create_exclusively(target, data, shared=True)


def _side(text: str) -> Draft | None:
    try:
        document = codecs.loads(text)
    except DecodeError:
        return None
    return document.draft if document.format is codecs.Format.DRAFT else None


def _raise_if_merge_conflict(path: Path, data: bytes, modified_ns: int) -> None:
    text = data.decode("utf-8", errors="replace")
    if not has_conflict_markers(text):
        return
    sides = split_conflict(text)
    if sides is None:
        return
    version = DraftVersion.of(data, modified_ns)
    raise DraftMergeConflict(path, sides, _side(sides.ours), _side(sides.theirs), version)


def _same_content(one: Draft, other: Draft) -> bool:
    """Equal but for the save times: saving it again changes nothing in the file."""
    return dataclasses.replace(one, created=None, modified=None) == dataclasses.replace(
        other, created=None, modified=None
    )


class DraftStore:
    """``root/drafts/<id>.json``, ``root/trash/``, ``root/autosave/``, ``root/index.json``.

    With ``folder`` (a library folder: a git work tree, a synced or network folder) the drafts
    are the ``*.rcs.json`` files of that folder and its trash is ``folder/.rcs-trash``, while
    the index and the lock stay in ``root``, this user's own state for that folder.

    A new draft's file is named after the draft (``diwali-offer.rcs.json``, id
    ``diwali-offer.rcs``) and keeps that name through every save; in a library folder an
    explicit ``rename`` renames the file too. Older drafts keep their opaque ids. A library
    folder's sub-folders are drafts' folders too: ids there are paths, ``festive/offer.rcs``.
    """

    def __init__(
        self, root: Path, clock: Callable[[], datetime] = _now, *, folder: Path | None = None
    ) -> None:
        self.root = root
        self.shared = folder is not None
        self.folder = folder if folder is not None else root / "drafts"
        self.trash = self.folder / SHARED_TRASH if folder is not None else root / "trash"
        self.autosave_dir = root / "autosave"
        # One lock for every write into the store (drafts, autosaves, the index): a save then
        # cannot interleave with another process's, and whoever holds it knows that any
        # temporary file it finds belongs to a write that died.
        self.lock = FileLock(root / STORE_LOCK, guards=self.folder)
        self.index = DraftIndex(root / "index.json", write_lock=self.lock.held_if_free)
        self.clock = clock
        self._held_locks: dict[str, int] = {}  # session -> open descriptor holding its lock
        # The folders the last listing read, relative to ``folder`` ("" is itself).
        self._folders_listed: builtins.list[str] = []

    @classmethod
    def for_folder(
        cls, folder: Path, state: Path, clock: Callable[[], datetime] | None = None
    ) -> DraftStore:
        """The drafts of a library folder; ``state`` keeps this user's index and lock."""
        return cls(state, clock or _now, folder=folder)

    def path_of(self, draft_id: str) -> Path:
        return self.folder / f"{_check_id(draft_id, self.shared)}.json"

    def _accepts(self, file_name: str) -> bool:
        """Which files of the folder are drafts: in a library folder only ``*.rcs.json`` (a
        repository holds other JSON), in the private folder every ``*.json``."""
        return file_name.endswith(".json") and (not self.shared or is_candidate(file_name))

    def _taken_names(self, sub: str = "") -> set[str]:
        names: set[str] = set()
        for folder in (self.folder, self.trash):  # a trashed draft must stay restorable
            with contextlib.suppress(OSError):
                names.update(os.listdir(folder / sub if sub else folder))
        return names

    def _new_id(self, name: str) -> str:
        return id_of_file_name(free_file_name(name, self._taken_names()))

    # ------------------------------------------------------------ one draft

    def load(self, draft_id: str) -> Draft:
        """The draft, migrated to the current format; DraftUnreadable says why it cannot be."""
        return self.load_versioned(draft_id).draft

    def load_versioned(self, draft_id: str) -> LoadedDraft:
        """The draft and the version of the file it came from: a save given that version is
        refused (DraftConflict) if anyone changed the file meanwhile."""
        draft, signature, data = _read_draft(self.path_of(draft_id))
        return LoadedDraft(draft, DraftVersion.of(data, signature[0]))

    def save(
        self, draft_id: str | None, draft: Draft, *, loaded: DraftVersion | None = None
    ) -> SavedDraft:
        """Write atomically (a new id when None); sets the created and modified times.

        ``loaded`` is the version the edit started from (``load_versioned``, or the
        ``version`` of the last ``SavedDraft``): when the file now holds other content, nothing
        is written and DraftConflict says so. None overwrites whatever is there.
        """
        with self.lock.held():  # the check and the write are one step for other processes
            if draft_id is None:
                draft_id, draft, text = self._create(draft)
            else:
                with self._claimed(draft_id):  # and for writers this lock does not cover
                    found = self._save_over(draft_id, draft, loaded)
                if isinstance(found, SavedDraft):
                    return found  # the file holds exactly this already
                draft, text = found
            path = self.path_of(draft_id)
            try:
                stat = path.stat()
            except OSError:
                return SavedDraft(draft_id, draft)
        saved = SavedDraft(draft_id, draft, DraftVersion.of(text.encode("utf-8"), stat.st_mtime_ns))
        with contextlib.suppress(OSError):  # the index only saves the next listing a read
            self.index.note(draft_id, signature_of(stat), saved.entry)
        return saved

    def _claimed(self, draft_id: str) -> contextlib.AbstractContextManager[None]:
        """In a shared folder, the claim other users' and machines' saves of the file see."""
        return claimed(self.path_of(draft_id)) if self.shared else contextlib.nullcontext()

    def _stamped(self, draft: Draft, created: str | None, modified: str | None) -> Draft:
        stamp = _stamp(self.clock())
        return dataclasses.replace(draft, created=created or stamp, modified=modified or stamp)

    def _create(self, draft: Draft) -> tuple[str, Draft, str]:
        """A new file named after the draft. Created exclusively: a writer this lock does not
        cover (another user, another machine on the share) that took the name a moment ago
        keeps its file, and this one takes the next free name."""
        draft = self._stamped(draft, draft.created, None)
        text = codecs.dumps(codecs.export_draft(draft))
        taken = self._taken_names()
        for _ in range(1000):
            file_name = free_file_name(draft.name, taken)
            if _create_exclusively(self.folder / file_name, text.encode("utf-8"), self.shared):
                return id_of_file_name(file_name), draft, text
            taken.add(file_name)
        raise DraftUnreadable(self.folder, "no free file name for the draft")

    def _save_over(
        self, draft_id: str, draft: Draft, loaded: DraftVersion | None
    ) -> tuple[Draft, str] | SavedDraft:
        path = self.path_of(draft_id)
        created = draft.created
        modified: str | None = None
        data = b""
        try:
            existing, signature, data = _read_draft(path)
            created = existing.created or created
        except DraftNotFound:
            pass  # new, or deleted meanwhile: writing it back loses nothing
        except DraftUnreadable as exc:
            # Never overwrite what could not be read: the user may still rescue it.
            raise DraftUnreadable(
                path, f"{exc.reason}. It is kept as it is; save a copy instead"
            ) from None
        else:
            current = DraftVersion.of(data, signature[0])
            if loaded is not None and current.digest != loaded.digest:
                raise DraftConflict(path, draft_id, existing, current)
            if _same_content(existing, draft):
                modified = existing.modified  # no new time where nothing changed
        draft = self._stamped(draft, created, modified)
        text = codecs.dumps(codecs.export_draft(draft))
        if modified is not None and text.encode("utf-8") == data:
            # The same bytes: no write, so no change for git, sync tools or watchers.
            return SavedDraft(draft_id, draft, current)
        self._write(path, text)
        return draft, text

    def _write(self, path: Path, text: str) -> None:
        if not self.shared:
            atomic_write_text(path, text)
            return
        if not self.folder.is_dir():
            raise LibraryFolderGone(self.folder)
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = SHARED_FILE_MODE
        atomic_write_text(path, text)
        # Teammates on a network share read the file too: not the private store's 0600.
        with contextlib.suppress(OSError):
            os.chmod(path, mode | 0o600)

    def resolve(self, draft_id: str, draft: Draft, conflicted: DraftVersion) -> SavedDraft:
        """Write ``draft`` (one side of a merge conflict, or a mix) over the conflicted file,
        but only while the file still holds exactly the ``conflicted`` bytes."""
        path = self.path_of(draft_id)
        with self.lock.held(), self._claimed(draft_id):
            try:
                with open(path, "rb") as stream:
                    data = stream.read(codecs.MAX_DOCUMENT_BYTES + 1)
                    modified_ns = os.fstat(stream.fileno()).st_mtime_ns
            except FileNotFoundError:
                raise DraftNotFound(path, "there is no such draft") from None
            current = DraftVersion.of(data, modified_ns)
            if current.digest != conflicted.digest:
                try:
                    existing = _read_draft(path)[0]
                except DraftUnreadable:
                    raise DraftUnreadable(
                        path, "it changed again since the conflict was shown; open it again"
                    ) from None
                raise DraftConflict(path, draft_id, existing, current)
            stamp = _stamp(self.clock())
            draft = dataclasses.replace(draft, created=draft.created or stamp, modified=stamp)
            text = codecs.dumps(codecs.export_draft(draft))
            self._write(path, text)
            stat = path.stat()
        return SavedDraft(draft_id, draft, DraftVersion.of(text.encode("utf-8"), stat.st_mtime_ns))

    # ------------------------------------------------------------ conflict copies

    def conflict_copies(self, draft_id: str | None = None) -> builtins.list[ConflictCopy]:
        """The files sync tools and merge tools left beside drafts (of ``draft_id`` only, when
        given), by file name."""
        if draft_id is None:
            subs = self._folders_listed or [""]
            wanted = None
        else:
            subs = [_split(_check_id(draft_id, self.shared))[0]]
            wanted = f"{draft_id}.json"
        copies: builtins.list[ConflictCopy] = []
        for sub in subs:
            copies += self._copies_in(sub)
        return [copy for copy in copies if wanted is None or copy.original == wanted]

    def _copies_in(self, sub: str) -> builtins.list[ConflictCopy]:
        """The conflict copies in one folder; their names are paths from the library folder."""
        try:
            names = set(os.listdir(self.folder / sub if sub else self.folder))
        except OSError:
            return []
        prefix = f"{sub}/" if sub else ""
        found = []
        for name in sorted(names):
            copy = conflict_copy(name, names.__contains__)
            if copy is not None:
                found.append(ConflictCopy(prefix + name, prefix + copy.original, copy.made_by))
        return found

    def _copy_path(self, file_name: str) -> Path:
        sub, base = _split(file_name)
        if "\\" in file_name or (sub and not self.shared):
            raise ValueError(f"not a conflict copy: {file_name!r}")
        try:
            if sub:
                _check_id(sub, nested=True)
        except ValueError:
            raise ValueError(f"not a conflict copy: {file_name!r}") from None
        folder = self.folder / sub if sub else self.folder
        if conflict_copy(base, lambda name: (folder / name).exists()) is None:
            raise ValueError(f"not a conflict copy: {file_name!r}")
        return folder / base

    def load_copy(self, file_name: str) -> LoadedDraft:
        """A conflict copy read as a draft (DraftUnreadable when it is not one)."""
        draft, signature, data = _read_draft(self._copy_path(file_name))
        return LoadedDraft(draft, DraftVersion.of(data, signature[0]))

    def discard_copy(self, file_name: str) -> None:
        """Move a conflict copy to the trash once its draft holds what the user chose."""
        source = self._copy_path(file_name)
        trashed = self.trash / file_name
        private_mkdir(trashed.parent)
        try:
            os.replace(source, trashed)
        except FileNotFoundError:
            raise DraftNotFound(source, "the conflict copy is gone already") from None

    def rename(self, draft_id: str, name: str) -> DraftEntry:
        return self.renamed(draft_id, name).entry

    def renamed(self, draft_id: str, name: str) -> SavedDraft:
        """Rename in one locked step (read, change the name, write): a save by another process
        cannot slip in between and be undone."""
        with self.lock.held():
            loaded = self.load_versioned(draft_id)
            draft = dataclasses.replace(loaded.draft, name=name)
            saved = self.save(draft_id, draft, loaded=loaded.version)
            return self._rename_file(saved) if self.shared else saved

    def _rename_file(self, saved: SavedDraft) -> SavedDraft:
        """In a library folder a renamed draft's file is renamed too, so the file keeps telling
        what it holds (git sees a rename: the bytes are the same). The new name is made free
        like a new draft's, in the same sub-folder, and never replaces a file: a name taken
        meanwhile by another writer makes the next free one. A save never renames."""
        sub = _split(saved.draft_id)[0]
        old = self.path_of(saved.draft_id)
        taken = self._taken_names(sub) - {old.name}
        for _ in range(1000):
            file_name = free_file_name(saved.draft.name, taken)
            if (
                unicodedata.normalize("NFC", file_name).casefold()
                == unicodedata.normalize("NFC", old.name).casefold()
            ):
                return saved  # the name it has is the one the draft's name makes
            target = old.with_name(file_name)
            if _link_exclusively(old, target):
                break
            taken.add(file_name)
        else:
            return saved  # no free name: the draft keeps its file name
        with contextlib.suppress(FileNotFoundError):
            os.unlink(old)
        new_id = f"{sub}/{id_of_file_name(file_name)}" if sub else id_of_file_name(file_name)
        self.index.forget(saved.draft_id)
        with contextlib.suppress(OSError):
            stat = target.stat()
            self.index.note(
                new_id,
                signature_of(stat),
                summarize(new_id, saved.draft, saved.draft.modified or ""),
            )
        return saved._replace(draft_id=new_id)

    def duplicate(self, draft_id: str) -> DraftEntry:
        original = self.load(draft_id)
        # A copy is a new draft: it is not the approved template the original may be.
        copy = dataclasses.replace(
            original, name=f"{original.name} (copy)", created=None, template=None
        )
        return self.save(None, copy).entry

    def add_copy_of(self, draft: Draft) -> SavedDraft:
        """Save ``draft`` (from another library) here as a new draft, its template id kept:
        it is the same design, now where the team can see it."""
        return self.save(None, dataclasses.replace(draft, modified=None))

    def delete(self, draft_id: str) -> None:
        """Move the draft to the trash (``restore`` brings it back); nothing is erased."""
        source = self.path_of(draft_id)
        trashed = self._trashed_path(draft_id)
        private_mkdir(trashed.parent)
        try:
            os.replace(source, trashed)
        except FileNotFoundError:
            raise DraftNotFound(source, "there is no such draft") from None
        self.index.forget(draft_id)

    def _trashed_path(self, draft_id: str) -> Path:
        """Where a draft goes in the trash: under the same sub-folder, so two drafts of one
        file name in two folders never meet there."""
        return self.trash / f"{_check_id(draft_id, self.shared)}.json"

    def restore(self, draft_id: str) -> None:
        target = self.path_of(draft_id)
        trashed = self._trashed_path(draft_id)
        if not trashed.exists():
            raise DraftNotFound(trashed, "it is not in the trash")
        if target.exists():
            raise FileExistsError(f"A draft with the id {draft_id} exists already: {target}")
        private_mkdir(target.parent)
        os.replace(trashed, target)

    def trashed(self) -> builtins.list[str]:
        if not self.shared:
            return sorted(path.stem for path in self.trash.glob("*.json"))
        found = (path.relative_to(self.trash).as_posix() for path in self.trash.rglob("*.json"))
        return sorted(name[: -len(".json")] for name in found)

    # ------------------------------------------------------------ the library

    def list(self) -> builtins.list[DraftEntry]:
        """Every draft, newest first; only files changed since the last listing are read.

        Conflict copies left by sync tools are listed too, each naming the draft it copies,
        and each draft names its copies (``.orig`` files included)."""
        if self.shared:
            folders: builtins.list[str] = []
            entries = self.index.refresh(
                self.folder, self._summarize_file, accept=self._accepts, folders=folders
            )
            self._folders_listed = folders
        else:
            entries = self.index.refresh(self.folder, self._summarize_file, accept=self._accepts)
        copies = self.conflict_copies() if self.shared else []
        if copies:
            entries = _with_copies(entries, copies)
        return sorted(entries, key=lambda entry: (entry.modified, entry.name), reverse=True)

    def folders_listed(self) -> builtins.list[Path]:
        """The folders the last listing read (the library folder and its sub-folders)."""
        return [self.folder / sub if sub else self.folder for sub in self._folders_listed]

    def entries(self) -> builtins.list[DraftEntry]:
        """The same as ``list``, under the name the window and the benchmarks call."""
        return self.list()

    def search(self, query: str) -> builtins.list[DraftEntry]:
        """Drafts whose name or text holds every word of ``query``, ignoring case."""
        words = query_words(query)
        return [entry for entry in self.list() if entry.matches(words)]

    def _summarize_file(self, draft_id: str, path: Path) -> tuple[Signature, DraftEntry] | None:
        try:
            draft, signature, _ = _read_draft(path)
        except DraftNotFound:
            return None  # moved to the trash while listing
        except DraftMergeConflict as exc:
            side = exc.ours or exc.theirs  # the draft's name, as either side has it
            name = side.name if side is not None else None
            modified_ns = exc.version.modified_ns
            modified = _stamp(datetime.fromtimestamp(modified_ns / 1e9, UTC))
            try:
                signature = signature_of(path.stat())
            except OSError:
                signature = UNREADABLE
            return signature, unreadable(draft_id, exc.reason, modified, name)
        except DraftUnreadable as exc:
            try:
                stat = path.stat()
            except OSError:  # a symlink loop: listed with its reason, the rest list on
                return UNREADABLE, unreadable(draft_id, exc.reason, "")
            modified = _stamp(datetime.fromtimestamp(stat.st_mtime, UTC))
            return signature_of(stat), unreadable(draft_id, exc.reason, modified)
        fallback = _stamp(datetime.fromtimestamp(signature[0] / 1e9, UTC))
        return signature, summarize(draft_id, draft, draft.modified or fallback)

    # ------------------------------------------------------------ autosave

    def _autosave_path(self, session: str, suffix: str = ".json") -> Path:
        return self.autosave_dir / f"{_check_id(session)}{suffix}"

    def start_session(self) -> str:
        """Mark this process as running (a lock file no running process holds means a crash),
        and clear what interrupted writes of earlier sessions left behind."""
        session = _random_id()
        lock = self._autosave_path(session, ".lock")
        private_mkdir(self.autosave_dir)
        # A new file under a fresh name, written in place: no temporary file, so no other
        # process's clean-up can ever take it for the trace of a dead write.
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, f"{os.getpid()}\n".encode())  # for people looking at the folder
            _lock(descriptor)
        except OSError:
            os.close(descriptor)
            with contextlib.suppress(OSError):
                lock.unlink()
            raise
        self._held_locks[session] = descriptor
        self.clean_leftovers()
        return session

    def clean_leftovers(self) -> builtins.list[Path]:
        """Remove the temporary files of saves that were killed, and the lock files of sessions
        that crashed before their first autosave. Only while no write is under way anywhere
        (the store lock is free): a save in progress in another process keeps its file.
        Returns what was removed."""
        removed: builtins.list[Path] = []
        with self.lock.held_if_free() as free:
            if not free:
                return removed  # someone is writing now; the next start cleans up
            for folder in (self.autosave_dir, self.root):
                removed += remove_stale_temps(folder)
            age = SHARED_TEMP_AGE_SECONDS if self.shared else 0.0
            removed += remove_stale_temps(self.folder, older_than=age)
            removed += self._remove_stale_session_locks()
        return removed

    def _remove_stale_session_locks(self) -> builtins.list[Path]:
        removed: builtins.list[Path] = []
        locks = self.autosave_dir.glob("*.lock") if self.autosave_dir.exists() else ()
        for lock in locks:
            session = lock.stem
            if session in self._held_locks or self._autosave_path(session).exists():
                continue  # ours, or a crashed session's autosave still to be offered
            try:
                young = time.time() - lock.stat().st_mtime < STALE_SESSION_LOCK_SECONDS
            except OSError:
                continue
            if young or _held(lock):
                continue
            with contextlib.suppress(OSError):
                lock.unlink()
                removed.append(lock)
        return removed

    def _let_go(self, session: str) -> None:
        descriptor = self._held_locks.pop(session, None)
        if descriptor is not None:
            os.close(descriptor)

    def end_session(self, session: str) -> None:
        """A clean end: the session's autosave and lock go away."""
        self._let_go(session)
        for suffix in (".json", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                self._autosave_path(session, suffix).unlink()

    def release_session(self, session: str) -> None:
        """End a session but keep its autosave: the next start offers it back."""
        self._let_go(session)
        with contextlib.suppress(FileNotFoundError):
            self._autosave_path(session, ".lock").unlink()

    def save_autosave(
        self,
        session: str,
        draft: Draft,
        draft_id: str | None = None,
        *,
        base: DraftVersion | None = None,
    ) -> None:
        """Keep unsaved work of ``session``. ``base`` is the version of ``draft_id``'s file the
        edits started from (the open draft's); without it, the file's version now stands in.
        Restored after a crash, the work is saved on that base, so a change made meanwhile by
        someone else is reported rather than overwritten."""
        record = codecs.export_draft(draft)
        record[AUTOSAVE_OF] = draft_id
        with self.lock.held():
            if base is None and draft_id is not None:
                base = self._version_on_disk(draft_id)
            if base is not None:
                record[AUTOSAVE_BASE] = {"sha256": base.digest, "mtime_ns": base.modified_ns}
            atomic_write_text(self._autosave_path(session), codecs.dumps(record))

    def _version_on_disk(self, draft_id: str) -> DraftVersion | None:
        try:
            with open(self.path_of(draft_id), "rb") as stream:
                stat = os.fstat(stream.fileno())
                if stat.st_size > codecs.MAX_DOCUMENT_BYTES:
                    return None
                return DraftVersion.of(stream.read(), stat.st_mtime_ns)
        except (OSError, ValueError):
            return None

    def adopt_autosave(self, pending: PendingAutosave, session: str) -> None:
        """The user restored ``pending`` into the running ``session``: its work becomes that
        session's autosave (unless the session has autosaved newer edits already), and only
        then is the crashed session's autosave removed. A crash at any point offers it again."""
        with self.lock.held():
            if not self._autosave_path(session).exists():
                self.save_autosave(session, pending.draft, pending.draft_id, base=pending.base)
            self.discard_autosave(pending.session)

    def pending_autosaves(
        self, current_session: str | None = None
    ) -> builtins.list[PendingAutosave]:
        """Autosaves of sessions that did not end cleanly, oldest first (the newest is last)."""
        found: list[tuple[int, PendingAutosave]] = []
        paths = self.autosave_dir.glob("*.json") if self.autosave_dir.exists() else ()
        for path in paths:
            session = path.stem
            if session == current_session or _held(self._autosave_path(session, ".lock")):
                continue
            try:
                changed = path.stat().st_mtime_ns
                pending = _read_autosave(session, path)._replace(changed_ns=changed)
                found.append((changed, pending))
            except (OSError, DecodeError):
                continue  # a torn autosave cannot happen (atomic writes); one made by hand can
        return [pending for _, pending in sorted(found, key=lambda item: item[0])]

    def discard_autosave(self, session: str) -> None:
        with self.lock.held():
            self.end_session(session)


def _with_copies(
    entries: builtins.list[DraftEntry], copies: builtins.list[ConflictCopy]
) -> builtins.list[DraftEntry]:
    by_original: dict[str, builtins.list[str]] = {}
    copy_of: dict[str, str] = {}
    for copy in copies:
        by_original.setdefault(id_of_file_name(copy.original), []).append(copy.file_name)
        copy_of[id_of_file_name(copy.file_name)] = id_of_file_name(copy.original)
    out = []
    for entry in entries:
        if entry.draft_id in copy_of:
            entry = dataclasses.replace(entry, conflict_of=copy_of[entry.draft_id])
        if entry.draft_id in by_original:
            entry = dataclasses.replace(entry, copies=tuple(by_original[entry.draft_id]))
        out.append(entry)
    return out


def _read_autosave(session: str, path: Path) -> PendingAutosave:
    data = codecs.parse_json(path.read_bytes())
    draft = codecs.decode_draft(data)
    ours = (AUTOSAVE_OF, AUTOSAVE_BASE)
    extras = {key: value for key, value in draft.extras.items() if key not in ours}
    draft_id = data.get(AUTOSAVE_OF)
    draft_id = draft_id if isinstance(draft_id, str) and draft_id else None
    base = data.get(AUTOSAVE_BASE)
    version = None
    if draft_id is not None and isinstance(base, dict):
        digest, mtime = base.get("sha256"), base.get("mtime_ns")
        if isinstance(digest, str) and type(mtime) is int:
            version = DraftVersion(digest, mtime)
    return PendingAutosave(session, dataclasses.replace(draft, extras=extras), draft_id, version)


def _lock(descriptor: int) -> None:
    """Take the session lock without waiting; OSError when another process holds it."""
    try_lock(descriptor, _LOCK_OFFSET)  # past the pid, which stays readable on Windows


def _pid_running(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill would stop the process there; the lock alone decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _held(lock: Path) -> bool:
    """Whether a running session holds ``lock``: its process exists and holds the OS lock.

    The OS drops the lock of a killed process, so a crash is seen at once, and a pid reused
    after a reboot cannot pass for the old session.
    """
    try:
        descriptor = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # cannot tell: never offer work that may still be open elsewhere
    try:
        pid_text = os.read(descriptor, 32).split(b"\n")[0]
        if pid_text.strip().isdigit() and not _pid_running(int(pid_text)):
            return False
        _lock(descriptor)
    except OSError:
        return True
    finally:
        os.close(descriptor)  # closing also drops the lock just taken
    return False


def _random_id() -> str:
    """A random id for a session: 128 random bits as 32 hex digits, the length a uuid4 had
    (the uuid module would load platform, which the window does not need)."""
    return os.urandom(16).hex()
