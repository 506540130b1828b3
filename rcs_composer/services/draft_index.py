"""The draft library's index: one summary per draft file, trusted while the file is unchanged."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rcs_composer.core import codecs
from rcs_composer.core.model import Draft, FileContent, MessageKind, RichCard
from rcs_composer.services.paths import atomic_write_text

log = logging.getLogger(__name__)

INDEX_FORMAT = "rcs-composer-draft-index"
INDEX_VERSION = 2
SEARCH_TEXT_CAP = 2000
# Keys of the message body whose values a reader sees; ids, URLs and enum values stay out.
_READABLE_KEY_ENDINGS = ("text", "title", "description", "label", "query")

# mtime_ns, size and inode: an atomic replace always makes a new inode, so a same-size rewrite
# within one timestamp tick is still noticed.
Signature = tuple[int, int, int]
UNREADABLE: Signature = (0, 0, 0)  # a file whose stat fails: never equal to a real one


@dataclass(frozen=True)
class DraftEntry:
    """One row of the library: enough to list, search and sort without reading the file."""

    draft_id: str
    name: str
    kind: MessageKind | None
    modified: str
    search_text: str  # name and message text, lowercased, capped at SEARCH_TEXT_CAP
    thumbnail_url: str | None = None
    problem: str | None = None  # why the draft cannot be opened, when it cannot
    # Set by the listing, never stored in the index: the id of the draft this file is a sync
    # tool's conflict copy of, and the file names of this draft's conflict copies.
    conflict_of: str | None = None
    copies: tuple[str, ...] = ()

    def matches(self, words: Sequence[str]) -> bool:
        return all(word in self.search_text for word in words)


def query_words(query: str) -> list[str]:
    return query.lower().split()


def signature_of(stat: os.stat_result) -> Signature:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _readable_texts(value: Any, key: str = "") -> Iterable[str]:
    if isinstance(value, str):
        if key.lower().endswith(_READABLE_KEY_ENDINGS) and value.strip():
            yield value.strip()
    elif isinstance(value, Mapping):
        for child_key, child in value.items():
            yield from _readable_texts(child, str(child_key))
    elif isinstance(value, list):
        for child in value:
            yield from _readable_texts(child, key)


def first_media_url(draft: Draft) -> str | None:
    content = draft.message.content
    if isinstance(content, FileContent):
        return content.file.thumbnail_url or content.file.file_url
    cards = [content.content] if isinstance(content, RichCard) else getattr(content, "cards", [])
    for card in cards:
        if card.media is not None and card.media.file is not None:
            found: str | None = card.media.file.thumbnail_url or card.media.file.file_url
            return found
    return None


def summarize(draft_id: str, draft: Draft, modified: str) -> DraftEntry:
    texts = [draft.name, *_readable_texts(codecs.export_message(draft.message))]
    search_text = " ".join(texts).lower()[:SEARCH_TEXT_CAP]
    return DraftEntry(
        draft_id, draft.name, draft.message.kind, modified, search_text, first_media_url(draft)
    )


def file_stem(draft_id: str) -> str:
    """What a draft that cannot be read is listed as: its file name without the folders and
    without ``.rcs.json`` (``campaigns/holi-sale.rcs`` -> ``holi-sale``)."""
    base = draft_id.rpartition("/")[2]
    return base[: -len(".rcs")] if base.endswith(".rcs") and len(base) > 4 else base


def unreadable(draft_id: str, reason: str, modified: str, name: str | None = None) -> DraftEntry:
    shown = name or file_stem(draft_id)
    search_text = f"{shown} {draft_id}".lower()
    return DraftEntry(draft_id, shown, None, modified, search_text, problem=reason)


def _encode(signature: Signature, entry: DraftEntry) -> list[Any]:
    kind = entry.kind.value if entry.kind is not None else None
    texts = [entry.name, kind, entry.modified, entry.search_text, entry.thumbnail_url]
    return [*signature, *texts, entry.problem]


def _decode(draft_id: str, row: Any) -> tuple[Signature, DraftEntry] | None:
    """A row of the index file, or None when it is not one (it is then rebuilt from the draft)."""
    if not isinstance(row, list) or len(row) != 9:
        return None
    mtime, size, inode, name, kind, modified, text, thumb, problem = row
    numbers_ok = all(type(n) is int for n in (mtime, size, inode))
    strings_ok = all(isinstance(s, str) for s in (name, modified, text))
    optional_ok = all(o is None or isinstance(o, str) for o in (kind, thumb, problem))
    if not (numbers_ok and strings_ok and optional_ok):
        return None
    try:
        message_kind = MessageKind(kind) if kind is not None else None
    except ValueError:
        return None
    return (mtime, size, inode), DraftEntry(
        draft_id, name, message_kind, modified, text, thumb, problem
    )


class DraftIndex:
    """``index.json``: a cache of summaries. Losing or breaking it costs time, never drafts."""

    def __init__(
        self, path: Path, write_lock: Callable[[], AbstractContextManager[bool]] | None = None
    ) -> None:
        self.path = path
        # Taken without waiting around each write of the file (it yields whether it was free):
        # a busy store skips this write of the cache rather than wait for it.
        self._write_lock = write_lock
        self._rows: dict[str, tuple[Signature, DraftEntry]] | None = None
        self._dirty = False
        # The GUI lists on one worker thread while an autosave or a save runs on another.
        self._lock = threading.Lock()

    def refresh(
        self,
        folder: Path,
        read: Callable[[str, Path], tuple[Signature, DraftEntry] | None],
        accept: Callable[[str], bool] = lambda name: name.endswith(".json"),
        *,
        folders: list[str] | None = None,
    ) -> list[DraftEntry]:
        """Every draft in ``folder`` (the files whose name ``accept`` takes); ``read`` is called
        only for new or changed files, and returns None for a file that vanished meanwhile.

        With ``folders`` (a list), sub-folders are listed too (see ``walk``), the ids of their
        drafts are paths (``campaigns/diwali/offer.rcs``), and the folders listed, relative to
        ``folder`` ("" for itself), are appended to it."""
        with self._lock:
            rows = self._loaded()
            seen: dict[str, tuple[Signature, DraftEntry]] = {}
            if folders is None:
                found = _scan(folder, accept)
            else:
                found = _scan_tree(folder, accept, folders)
            for draft_id, path, signature in found:
                known = rows.get(draft_id)
                if known is not None and known[0] == signature:
                    seen[draft_id] = known
                else:
                    fresh = read(draft_id, Path(path))
                    if fresh is not None:
                        seen[draft_id] = fresh
                    self._dirty = True
            if seen.keys() != rows.keys():
                self._dirty = True
            self._rows = seen
            self._save_if_dirty()
            return [entry for _, entry in seen.values()]

    def note(self, draft_id: str, signature: Signature, entry: DraftEntry) -> None:
        """Record a file the store has just written, so the next listing need not read it."""
        with self._lock:
            self._loaded()[draft_id] = (signature, entry)
            self._dirty = True

    def forget(self, draft_id: str) -> None:
        with self._lock:
            if self._loaded().pop(draft_id, None) is not None:
                self._dirty = True

    def _loaded(self) -> dict[str, tuple[Signature, DraftEntry]]:
        if self._rows is None:
            self._rows = self._read_file()
        return self._rows

    def _read_file(self) -> dict[str, tuple[Signature, DraftEntry]]:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return {}  # missing or broken: rebuilt from the drafts themselves
        if not isinstance(data, dict) or data.get("version") != INDEX_VERSION:
            return {}
        if data.get("draft_version") != codecs.DRAFT_VERSION:
            return {}  # written by another version of the app: its summaries may differ
        drafts = data.get("drafts")
        rows: dict[str, tuple[Signature, DraftEntry]] = {}
        for draft_id, row in drafts.items() if isinstance(drafts, dict) else ():
            decoded = _decode(draft_id, row)
            if decoded is not None:
                rows[draft_id] = decoded
        return rows

    def _save_if_dirty(self) -> None:
        if not self._dirty or self._rows is None:
            return
        drafts = {draft_id: _encode(*row) for draft_id, row in self._rows.items()}
        document = {
            "format": INDEX_FORMAT,
            "version": INDEX_VERSION,
            "draft_version": codecs.DRAFT_VERSION,
            "drafts": drafts,
        }
        # Only a cache: a full disk must not stop the library from listing.
        with contextlib.suppress(OSError):
            lock = self._write_lock() if self._write_lock else contextlib.nullcontext(True)
            with lock as free:
                if free:
                    atomic_write_text(self.path, json.dumps(document, ensure_ascii=False))
                    self._dirty = False


def _scan(folder: Path, accept: Callable[[str], bool]) -> Iterable[tuple[str, str, Signature]]:
    try:
        scan = os.scandir(folder)
    except FileNotFoundError:
        return
    with scan:
        for item in scan:
            # Dot files are the temporary files of writes in progress.
            if item.name.startswith(".") or not accept(item.name):
                continue
            try:
                signature = signature_of(item.stat())
            except FileNotFoundError:
                continue  # moved to the trash while listing
            except OSError:
                signature = UNREADABLE  # a symlink loop, say: the reader says why, once
            # A plain str path: building 10,000 Path objects would double the listing time.
            yield item.name[: -len(".json")], item.path, signature


# A library folder's sub-folders are listed too, within bounds: a repository may hold a
# vendored tree or a link back to a parent folder.
MAX_DEPTH = 8  # sub-folders below the library folder
MAX_FOLDERS = 2000  # folders listed in all (the rest is left out, and the log says so)
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__", "venv"})  # and every hidden one
_warned_of: set[str] = set()  # library folders past MAX_FOLDERS, said once in the log


def walk(folder: Path, folders: list[str]) -> Iterable[tuple[str, os.DirEntry[str]]]:
    """Every file of ``folder`` and of its sub-folders, with the sub-folder's path relative to
    ``folder`` ("" for ``folder`` itself, "a/b" below). Hidden folders (``.git``,
    ``.rcs-trash``) are skipped, so are folders deeper than MAX_DEPTH and past MAX_FOLDERS; a
    folder reached twice (a symbolic link to a parent) is listed once."""
    visited: set[tuple[int, int]] = set()
    pending: list[tuple[str, str, int]] = [("", str(folder), 0)]
    while pending and len(folders) < MAX_FOLDERS:
        relative, path, depth = pending.pop()
        try:
            info = os.stat(path)
            if (info.st_dev, info.st_ino) in visited:
                continue
            scan = os.scandir(path)
        except OSError:
            continue  # gone, or a link to nowhere
        visited.add((info.st_dev, info.st_ino))
        folders.append(relative)
        below: list[tuple[str, str, int]] = []
        with scan:
            for item in scan:
                try:
                    is_folder = item.is_dir()
                except OSError:
                    is_folder = False
                if not is_folder:
                    yield relative, item
                elif (
                    depth < MAX_DEPTH
                    and not item.name.startswith(".")
                    and "\\" not in item.name  # no part of a draft id may hold one
                    and item.name not in SKIPPED_FOLDERS
                ):
                    child = f"{relative}/{item.name}" if relative else item.name
                    below.append((child, item.path, depth + 1))
        pending.extend(sorted(below, reverse=True))
    if pending and str(folder) not in _warned_of:
        _warned_of.add(str(folder))  # once a run, not at every listing
        log.warning(
            "%s: only the first %d folders are listed as part of the library", folder, MAX_FOLDERS
        )


def _scan_tree(
    folder: Path, accept: Callable[[str], bool], folders: list[str]
) -> Iterable[tuple[str, str, Signature]]:
    for relative, item in walk(folder, folders):
        if item.name.startswith(".") or not accept(item.name):
            continue
        try:
            signature = signature_of(item.stat())
        except FileNotFoundError:
            continue
        except OSError:
            signature = UNREADABLE
        stem = item.name[: -len(".json")]
        yield (f"{relative}/{stem}" if relative else stem), item.path, signature
