"""Drafts on disk: one JSON file each, atomic saves, an index for fast listing, trash, autosave."""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import os
import sys
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from rcs_composer.core import codecs
from rcs_composer.core.model import Draft
from rcs_composer.core.schema import DecodeError
from rcs_composer.services.draft_index import (
    DraftEntry,
    DraftIndex,
    Signature,
    query_words,
    signature_of,
    summarize,
    unreadable,
)
from rcs_composer.services.paths import atomic_write_text, private_mkdir

__all__ = [
    "DraftEntry",
    "DraftNotFound",
    "DraftStore",
    "DraftUnreadable",
    "PendingAutosave",
    "SavedDraft",
]

AUTOSAVE_OF = "autosave_of"  # the extra key of an autosave naming the draft it belongs to
_LOCK_OFFSET = 4096  # Windows locks bytes: lock one past the pid so the pid stays readable


class DraftUnreadable(Exception):
    """A draft file that cannot be opened; it stays on disk untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"The draft {path} cannot be opened: {reason}")
        self.path = path
        self.reason = reason


class DraftNotFound(DraftUnreadable):
    """No draft (or trashed draft) with that id."""


class SavedDraft(NamedTuple):
    """What ``save`` wrote: the id and the draft with its timestamps set."""

    draft_id: str
    draft: Draft

    @property
    def entry(self) -> DraftEntry:
        return summarize(self.draft_id, self.draft, self.draft.modified or "")


class PendingAutosave(NamedTuple):
    """Unsaved work left by a session that did not end cleanly."""

    session: str
    draft: Draft
    draft_id: str | None  # the saved draft it was an edit of, if any


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _check_id(draft_id: str) -> str:
    if not draft_id or draft_id.startswith(".") or any(c in draft_id for c in "/\\\0"):
        raise ValueError(f"not a draft id: {draft_id!r}")
    return draft_id


def _read_draft(path: Path) -> tuple[Draft, Signature]:
    """The draft in ``path`` and the signature of exactly the bytes that were read."""
    try:
        with open(path, "rb") as stream:
            stat = os.fstat(stream.fileno())
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
    return document.draft, signature_of(stat)


class DraftStore:
    """``root/drafts/<id>.json``, ``root/trash/``, ``root/autosave/``, ``root/index.json``."""

    def __init__(self, root: Path, clock: Callable[[], datetime] = _now) -> None:
        self.root = root
        self.folder = root / "drafts"
        self.trash = root / "trash"
        self.autosave_dir = root / "autosave"
        self.index = DraftIndex(root / "index.json")
        self.clock = clock
        self._held_locks: dict[str, int] = {}  # session -> open descriptor holding its lock

    def path_of(self, draft_id: str) -> Path:
        return self.folder / f"{_check_id(draft_id)}.json"

    # ------------------------------------------------------------ one draft

    def load(self, draft_id: str) -> Draft:
        """The draft, migrated to the current format; DraftUnreadable says why it cannot be."""
        draft, _ = _read_draft(self.path_of(draft_id))
        return draft

    def save(self, draft_id: str | None, draft: Draft) -> SavedDraft:
        """Write atomically (a new id when None); sets the created and modified times."""
        draft_id = draft_id or uuid.uuid4().hex
        path = self.path_of(draft_id)
        created = draft.created
        try:
            existing, _ = _read_draft(path)
            created = existing.created or created
        except DraftNotFound:
            pass
        except DraftUnreadable as exc:
            # Never overwrite what could not be read: the user may still rescue it.
            raise DraftUnreadable(
                path, f"{exc.reason}. It is kept as it is; save a copy instead"
            ) from None
        stamp = _stamp(self.clock())
        draft = dataclasses.replace(draft, created=created or stamp, modified=stamp)
        atomic_write_text(path, codecs.dumps(codecs.export_draft(draft)))
        saved = SavedDraft(draft_id, draft)
        with contextlib.suppress(OSError):  # the index only saves the next listing a read
            self.index.note(draft_id, signature_of(path.stat()), saved.entry)
        return saved

    def rename(self, draft_id: str, name: str) -> DraftEntry:
        draft = dataclasses.replace(self.load(draft_id), name=name)
        return self.save(draft_id, draft).entry

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
            draft, signature = _read_draft(path)
        except DraftNotFound:
            return None  # moved to the trash while listing
        except DraftUnreadable as exc:
            try:
                stat = path.stat()
            except OSError:
                return None
            modified = _stamp(datetime.fromtimestamp(stat.st_mtime, UTC))
            return signature_of(stat), unreadable(draft_id, exc.reason, modified)
        fallback = _stamp(datetime.fromtimestamp(signature[0] / 1e9, UTC))
        return signature, summarize(draft_id, draft, draft.modified or fallback)

    # ------------------------------------------------------------ autosave

    def _autosave_path(self, session: str, suffix: str = ".json") -> Path:
        return self.autosave_dir / f"{_check_id(session)}{suffix}"

    def start_session(self) -> str:
        """Mark this process as running: a lock file no running process holds means a crash."""
        session = uuid.uuid4().hex
        lock = self._autosave_path(session, ".lock")
        atomic_write_text(lock, f"{os.getpid()}\n")  # the pid is for people looking at the folder
        descriptor = os.open(lock, os.O_RDWR)
        try:
            _lock(descriptor)
        except OSError:
            os.close(descriptor)
            raise
        self._held_locks[session] = descriptor
        return session

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

    def save_autosave(self, session: str, draft: Draft, draft_id: str | None = None) -> None:
        record = codecs.export_draft(draft)
        record[AUTOSAVE_OF] = draft_id
        atomic_write_text(self._autosave_path(session), codecs.dumps(record))

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
                found.append((path.stat().st_mtime_ns, _read_autosave(session, path)))
            except (OSError, DecodeError):
                continue  # a torn autosave cannot happen (atomic writes); one made by hand can
        return [pending for _, pending in sorted(found, key=lambda item: item[0])]

    def discard_autosave(self, session: str) -> None:
        self.end_session(session)


def _read_autosave(session: str, path: Path) -> PendingAutosave:
    data = codecs.parse_json(path.read_bytes())
    draft = codecs.decode_draft(data)
    extras = {key: value for key, value in draft.extras.items() if key != AUTOSAVE_OF}
    draft_id = data.get(AUTOSAVE_OF)
    return PendingAutosave(
        session,
        dataclasses.replace(draft, extras=extras),
        draft_id if isinstance(draft_id, str) and draft_id else None,
    )


def _lock(descriptor: int) -> None:
    """Take the session lock without waiting; OSError when another process holds it."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(descriptor, _LOCK_OFFSET, os.SEEK_SET)  # past the pid, which stays readable
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)


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
