"""Drafts on disk: one JSON file each, atomic saves, an index for fast listing, trash, autosave."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rcs_composer.core import codecs
from rcs_composer.core.model import Draft, FileContent, RichCard
from rcs_composer.core.schema import DecodeError
from rcs_composer.services.paths import atomic_write_text

INDEX_VERSION = 1
SEARCH_TEXT_CAP = 2000


class DraftUnreadable(Exception):
    """A draft file that cannot be opened; it stays on disk untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path.name} cannot be opened: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class DraftEntry:
    """One line of the library: enough to list and search without reading the file."""

    draft_id: str
    name: str
    kind: str | None
    modified: str
    search_text: str
    thumbnail_url: str | None = None
    problem: str | None = None  # why the draft cannot be opened, when it cannot

    def matches(self, words: list[str]) -> bool:
        return all(word in self.search_text for word in words)


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _first_media_url(draft: Draft) -> str | None:
    content = draft.message.content
    if isinstance(content, FileContent):
        return content.file.thumbnail_url or content.file.file_url
    cards = (
        [content.content] if isinstance(content, RichCard) else list(getattr(content, "cards", ()))
    )
    for card in cards:
        if card.media is not None and card.media.file is not None:
            return card.media.file.thumbnail_url or card.media.file.file_url
    return None


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def entry_for(draft_id: str, draft: Draft, modified: str) -> DraftEntry:
    body = codecs.export_message(draft.message)
    text = " ".join([draft.name, *_texts(body)]).lower()[:SEARCH_TEXT_CAP]
    return DraftEntry(
        draft_id, draft.name, draft.message.kind.value, modified, text, _first_media_url(draft)
    )


class DraftStore:
    """``root/drafts/<id>.json``, ``root/trash/``, ``root/autosave/``, ``root/index.json``."""

    def __init__(self, root: Path, clock: Callable[[], datetime] = _now) -> None:
        self.root = root
        self.folder = root / "drafts"
        self.trash = root / "trash"
        self.autosave_dir = root / "autosave"
        self.index_path = root / "index.json"
        self.clock = clock
        self._index: dict[str, dict[str, Any]] | None = None

    def path_of(self, draft_id: str) -> Path:
        if not draft_id or "/" in draft_id or "\\" in draft_id or draft_id.startswith("."):
            raise ValueError(f"not a draft id: {draft_id!r}")
        return self.folder / f"{draft_id}.json"

    # ------------------------------------------------------------ one draft

    def load(self, draft_id: str) -> Draft:
        return self._load_path(self.path_of(draft_id))

    def _load_path(self, path: Path) -> Draft:
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise DraftUnreadable(path, exc.strerror or "it cannot be read") from None
        try:
            document = codecs.loads(text)
        except DecodeError as exc:
            raise DraftUnreadable(path, f"{exc.path}: {exc.reason}") from None
        if document.format is not codecs.Format.DRAFT:
            raise DraftUnreadable(path, "it is not an rcs-composer draft")
        return document.draft

    def save(self, draft_id: str | None, draft: Draft) -> tuple[str, Draft]:
        """Write atomically; returns the id and the draft with its timestamps set."""
        draft_id = draft_id or uuid.uuid4().hex
        path = self.path_of(draft_id)
        if path.exists():
            try:
                self._load_path(path)
            except DraftUnreadable as exc:
                # Never overwrite what we could not read: the user may still rescue it.
                raise DraftUnreadable(
                    path, f"{exc.reason}; it is kept as it is, save a copy instead"
                ) from None
        stamp = _stamp(self.clock())
        draft = dataclasses.replace(draft, created=draft.created or stamp, modified=stamp)
        atomic_write_text(path, codecs.dumps(codecs.export_draft(draft)))
        return draft_id, draft

    def rename(self, draft_id: str, name: str) -> Draft:
        _, draft = self.save(draft_id, dataclasses.replace(self.load(draft_id), name=name))
        return draft

    def duplicate(self, draft_id: str) -> str:
        original = self.load(draft_id)
        copy = dataclasses.replace(
            original, name=f"{original.name} (copy)", created=None, template=None
        )
        new_id, _ = self.save(None, copy)
        return new_id

    def delete(self, draft_id: str) -> None:
        """Move to the trash folder (restorable), never a hard delete."""
        self.trash.mkdir(parents=True, exist_ok=True)
        os.replace(self.path_of(draft_id), self.trash / f"{draft_id}.json")

    def restore(self, draft_id: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        os.replace(self.trash / f"{draft_id}.json", self.path_of(draft_id))

    # ------------------------------------------------------------ the library

    def entries(self) -> list[DraftEntry]:
        """Every draft, newest first; only files changed since the last listing are read."""
        index = self._read_index()
        seen: dict[str, dict[str, Any]] = {}
        changed = False
        if self.folder.exists():
            with os.scandir(self.folder) as scan:
                for item in scan:
                    if not item.name.endswith(".json") or item.name.startswith("."):
                        continue
                    draft_id = item.name[:-5]
                    stat = item.stat()
                    known = index.get(draft_id)
                    if (
                        known
                        and known["mtime_ns"] == stat.st_mtime_ns
                        and known["size"] == stat.st_size
                    ):
                        seen[draft_id] = known
                        continue
                    seen[draft_id] = self._index_entry(draft_id, Path(item.path), stat)
                    changed = True
        if changed or set(seen) != set(index):
            self._write_index(seen)
        entries = [DraftEntry(**record["entry"]) for record in seen.values()]
        return sorted(entries, key=lambda entry: entry.modified, reverse=True)

    def search(self, query: str) -> list[DraftEntry]:
        words = query.lower().split()
        return [entry for entry in self.entries() if entry.matches(words)]

    def _index_entry(self, draft_id: str, path: Path, stat: os.stat_result) -> dict[str, Any]:
        modified = _stamp(datetime.fromtimestamp(stat.st_mtime, UTC))
        try:
            draft = self._load_path(path)
            entry = entry_for(draft_id, draft, draft.modified or modified)
        except DraftUnreadable as exc:
            entry = DraftEntry(
                draft_id, path.stem, None, modified, path.stem.lower(), problem=exc.reason
            )
        return {
            "mtime_ns": stat.st_mtime_ns,
            "size": stat.st_size,
            "entry": dataclasses.asdict(entry),
        }

    def _read_index(self) -> dict[str, dict[str, Any]]:
        if self._index is not None:
            return self._index
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION and isinstance(data.get("drafts"), dict):
                self._index = data["drafts"]
                return self._index
        except (OSError, ValueError, AttributeError):
            pass  # a missing or broken index is rebuilt from the drafts themselves
        self._index = {}
        return self._index

    def _write_index(self, records: dict[str, dict[str, Any]]) -> None:
        self._index = records
        with contextlib.suppress(OSError):  # the index is a cache: losing it costs only time
            text = json.dumps({"version": INDEX_VERSION, "drafts": records}, ensure_ascii=False)
            atomic_write_text(self.index_path, text)

    # ------------------------------------------------------------ autosave

    def start_session(self) -> str:
        """Mark a running app; a session whose lock outlives its process crashed."""
        session = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.autosave_dir.mkdir(parents=True, exist_ok=True)
        (self.autosave_dir / f"{session}.lock").write_text(str(os.getpid()))
        return session

    def end_session(self, session: str) -> None:
        for suffix in (".json", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                (self.autosave_dir / f"{session}{suffix}").unlink()

    def release_session(self, session: str) -> None:
        """End a session but keep its autosave: the next start offers it back."""
        with contextlib.suppress(FileNotFoundError):
            (self.autosave_dir / f"{session}.lock").unlink()

    def save_autosave(self, session: str, draft: Draft, draft_id: str | None) -> None:
        record = codecs.export_draft(draft)
        record["autosave_of"] = draft_id
        atomic_write_text(self.autosave_dir / f"{session}.json", codecs.dumps(record))

    def pending_autosaves(
        self, current_session: str | None = None
    ) -> list[tuple[str, Draft, str | None]]:
        """Autosaves of sessions that did not end cleanly: (session, draft, draft id)."""
        found: list[tuple[str, Draft, str | None]] = []
        if not self.autosave_dir.exists():
            return found
        for path in sorted(self.autosave_dir.glob("*.json")):
            session = path.stem
            if session == current_session or _alive(self.autosave_dir / f"{session}.lock"):
                continue
            try:
                data = codecs.parse_json(path.read_bytes())
                draft = codecs.decode_draft(data)
            except (OSError, DecodeError):
                continue
            extras = {key: value for key, value in draft.extras.items() if key != "autosave_of"}
            found.append(
                (session, dataclasses.replace(draft, extras=extras), data.get("autosave_of"))
            )
        return found

    def discard_autosave(self, session: str) -> None:
        self.end_session(session)


def _alive(lock: Path) -> bool:
    try:
        pid = int(lock.read_text())
    except (OSError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
