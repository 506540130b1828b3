"""Drafts on disk: one JSON file each, atomic saves, an index for fast listing, trash, autosave."""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import hashlib
import os
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from rcs_composer.core import codecs
from rcs_composer.core.model import Draft
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.services.draft_index import (
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
    atomic_write_text,
    private_mkdir,
    remove_stale_temps,
    try_lock,
)

__all__ = [
    "DraftConflict",
    "DraftEntry",
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


class DraftUnreadable(Exception):
    """A draft file that cannot be opened; it stays on disk untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"The draft {path} cannot be opened: {reason}")
        self.path = path
        self.reason = reason


class DraftNotFound(DraftUnreadable):
    """No draft (or trashed draft) with that id."""


class DraftVersion(NamedTuple):
    """Which bytes of a draft file were read or written: the content decides, the time says."""

    digest: str  # sha256 of the file's bytes
    modified_ns: int  # the file's mtime then, for messages

    @staticmethod
    def of(data: bytes, modified_ns: int) -> DraftVersion:
        return DraftVersion(hashlib.sha256(data).hexdigest(), modified_ns)


class DraftConflict(Exception):
    """The draft file changed on disk since the version a save was based on; nothing was written.

    ``theirs`` is what the file holds now and ``version`` its version: saving again with
    ``loaded=version`` overwrites exactly that, and a new id keeps both.
    """

    def __init__(self, path: Path, draft_id: str, theirs: Draft, version: DraftVersion) -> None:
        when = time.strftime("%H:%M:%S", time.localtime(version.modified_ns / 1e9))
        super().__init__(
            f"“{theirs.name}” changed on disk since it was opened here (saved at {when} by "
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


def _check_id(draft_id: str) -> str:
    if not draft_id or draft_id.startswith(".") or any(c in draft_id for c in "/\\\0"):
        raise ValueError(f"not a draft id: {draft_id!r}")
    return draft_id


def _read_draft(path: Path) -> tuple[Draft, Signature, bytes]:
    """The draft in ``path``, the signature and the bytes of exactly what was read."""
    try:
        # Non-blocking open: a FIFO named like a draft must not hang the library's listing.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as stream:
            stat = os.fstat(stream.fileno())
            if not S_ISREG(stat.st_mode):
                raise DraftUnreadable(path, "it is not a regular file (a pipe, device or folder)")
            if stat.st_size > codecs.MAX_DOCUMENT_BYTES:
                raise DraftUnreadable(path, f"it is too large ({stat.st_size:,} bytes)")
            data = stream.read()
    except FileNotFoundError:
        raise DraftNotFound(path, "there is no such draft") from None
    except OSError as exc:
        raise DraftUnreadable(path, exc.strerror or "it cannot be read") from None
    try:
        document = codecs.loads(data)
    except DecodeError as exc:
        raise DraftUnreadable(path, f"{exc.path}: {exc.reason}") from None
    if document.format is not codecs.Format.DRAFT:
        raise DraftUnreadable(path, "it is not an rcs-composer draft")
    return document.draft, signature_of(stat), data


class DraftStore:
    """``root/drafts/<id>.json``, ``root/trash/``, ``root/autosave/``, ``root/index.json``."""

    def __init__(self, root: Path, clock: Callable[[], datetime] = _now) -> None:
        self.root = root
        self.folder = root / "drafts"
        self.trash = root / "trash"
        self.autosave_dir = root / "autosave"
        # One lock for every write into the store (drafts, autosaves, the index): a save then
        # cannot interleave with another process's, and whoever holds it knows that any
        # temporary file it finds belongs to a write that died.
        self.lock = FileLock(root / STORE_LOCK, guards=self.folder)
        self.index = DraftIndex(root / "index.json", write_lock=self.lock.held_if_free)
        self.clock = clock
        self._held_locks: dict[str, int] = {}  # session -> open descriptor holding its lock

    def path_of(self, draft_id: str) -> Path:
        return self.folder / f"{_check_id(draft_id)}.json"

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
        draft_id = draft_id or uuid.uuid4().hex
        path = self.path_of(draft_id)
        with self.lock.held():  # the check and the write are one step for other processes
            created = draft.created
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
            stamp = _stamp(self.clock())
            draft = dataclasses.replace(draft, created=created or stamp, modified=stamp)
            text = codecs.dumps(codecs.export_draft(draft))
            atomic_write_text(path, text)
            try:
                stat = path.stat()
            except OSError:
                return SavedDraft(draft_id, draft)
        saved = SavedDraft(draft_id, draft, DraftVersion.of(text.encode("utf-8"), stat.st_mtime_ns))
        with contextlib.suppress(OSError):  # the index only saves the next listing a read
            self.index.note(draft_id, signature_of(stat), saved.entry)
        return saved

    def rename(self, draft_id: str, name: str) -> DraftEntry:
        return self.renamed(draft_id, name).entry

    def renamed(self, draft_id: str, name: str) -> SavedDraft:
        """Rename in one locked step (read, change the name, write): a save by another process
        cannot slip in between and be undone."""
        with self.lock.held():
            loaded = self.load_versioned(draft_id)
            draft = dataclasses.replace(loaded.draft, name=name)
            return self.save(draft_id, draft, loaded=loaded.version)

    def duplicate(self, draft_id: str) -> DraftEntry:
        original = self.load(draft_id)
        # A copy is a new draft: it is not the approved template the original may be.
        copy = dataclasses.replace(
            original, name=f"{original.name} (copy)", created=None, template=None
        )
        return self.save(None, copy).entry

    def delete(self, draft_id: str) -> None:
        """Move the draft to the trash (``restore`` brings it back); nothing is erased."""
        source = self.path_of(draft_id)
        private_mkdir(self.trash)
        try:
            os.replace(source, self.trash / source.name)
        except FileNotFoundError:
            raise DraftNotFound(source, "there is no such draft") from None
        self.index.forget(draft_id)

    def restore(self, draft_id: str) -> None:
        target = self.path_of(draft_id)
        trashed = self.trash / target.name
        if not trashed.exists():
            raise DraftNotFound(trashed, "it is not in the trash")
        if target.exists():
            raise FileExistsError(f"A draft with the id {draft_id} exists already: {target}")
        private_mkdir(self.folder)
        os.replace(trashed, target)

    def trashed(self) -> builtins.list[str]:
        return sorted(path.stem for path in self.trash.glob("*.json"))

    # ------------------------------------------------------------ the library

    def list(self) -> builtins.list[DraftEntry]:
        """Every draft, newest first; only files changed since the last listing are read."""
        entries = self.index.refresh(self.folder, self._summarize_file)
        return sorted(entries, key=lambda entry: (entry.modified, entry.name), reverse=True)

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
        session = uuid.uuid4().hex
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
            for folder in (self.folder, self.autosave_dir, self.root):
                removed += remove_stale_temps(folder)
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
