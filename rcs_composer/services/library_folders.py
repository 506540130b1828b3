"""The folders a user added as libraries (a git work tree, a synced folder), remembered."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rcs_composer.services.digests import sha256_hex
from rcs_composer.services.drafts import DraftStore
from rcs_composer.services.paths import atomic_write_text

__all__ = ["LibraryFolder", "LibraryFolderError", "LibraryFolders"]

log = logging.getLogger(__name__)

FOLDERS_FORMAT = "rcs-composer-libraries"
FOLDERS_VERSION = 1


class LibraryFolderError(ValueError):
    """A folder that cannot be a library, with the reason as a sentence."""


@dataclass(frozen=True)
class LibraryFolder:
    """One library folder: ``key`` is stable for that folder on this machine and names it in
    draft ids (``<key>/<draft id>``), ``title`` is what the dock shows."""

    key: str
    path: Path
    title: str


def key_of(path: Path) -> str:
    return "lib-" + sha256_hex(os.fsencode(path))[:10]  # not hashlib: it loads OpenSSL


class LibraryFolders:
    """``libraries.json`` in the settings folder; one DraftStore per folder, whose index and
    lock live in ``state_root/<key>`` (this user's, never inside the shared folder)."""

    def __init__(
        self,
        config_file: Path,
        state_root: Path,
        *,
        private_folder: Path | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.config_file = config_file
        self.state_root = state_root
        self.private_folder = private_folder
        self.clock = clock
        self._stores: dict[str, DraftStore] = {}
        self._lock = threading.Lock()

    def folders(self) -> list[LibraryFolder]:
        """The folders, in the order they were added; a broken file lists none (and says so
        in the log), it never stops the app."""
        try:
            data = json.loads(self.config_file.read_bytes())
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("%s cannot be read (%s): no library folders listed", self.config_file, exc)
            return []
        rows = data.get("folders") if isinstance(data, dict) else None
        found: list[LibraryFolder] = []
        for row in rows if isinstance(rows, list) else ():
            if isinstance(row, dict) and isinstance(row.get("path"), str) and row["path"]:
                path = Path(row["path"])
                title = row.get("title") if isinstance(row.get("title"), str) else None
                found.append(LibraryFolder(key_of(path), path, title or path.name or str(path)))
        return found

    def find(self, key: str) -> LibraryFolder | None:
        return next((folder for folder in self.folders() if folder.key == key), None)

    def add(self, path: Path, title: str | None = None) -> LibraryFolder:
        """Remember ``path`` as a library (again: the one already there)."""
        try:
            resolved = path.expanduser().resolve(strict=True)
        except (OSError, RuntimeError):
            raise LibraryFolderError(f"{path}: there is no such folder") from None
        if not resolved.is_dir():
            raise LibraryFolderError(f"{path}: is a file, not a folder")
        if not os.access(resolved, os.R_OK | os.X_OK):
            raise LibraryFolderError(f"{path}: the folder cannot be read (permission denied)")
        if self.private_folder is not None:
            with contextlib.suppress(OSError):
                private = self.private_folder.resolve()
                if resolved == private or private in resolved.parents:
                    raise LibraryFolderError(
                        f"{path}: is inside the app's own drafts folder; choose another folder"
                    )
        with self._lock:
            folders = self.folders()
            for folder in folders:
                if folder.path == resolved:
                    return folder
            added = LibraryFolder(key_of(resolved), resolved, title or resolved.name)
            self._write([*folders, added])
        return added

    def remove(self, key: str) -> None:
        """Forget a library; its folder and files are left exactly as they are."""
        with self._lock:
            self._write([folder for folder in self.folders() if folder.key != key])
            self._stores.pop(key, None)

    def _write(self, folders: list[LibraryFolder]) -> None:
        document = {
            "format": FOLDERS_FORMAT,
            "version": FOLDERS_VERSION,
            "folders": [{"path": str(folder.path), "title": folder.title} for folder in folders],
        }
        atomic_write_text(self.config_file, json.dumps(document, ensure_ascii=False, indent=2))

    def store(self, key: str) -> DraftStore:
        """The store of library ``key`` (KeyError when there is no such library)."""
        with self._lock:
            store = self._stores.get(key)
            if store is not None:
                return store
        folder = self.find(key)
        if folder is None:
            raise KeyError(key)
        made = DraftStore.for_folder(folder.path, self.state_root / key, clock=self.clock)
        with contextlib.suppress(OSError):
            made.clean_leftovers()  # temporary files of a write that died an hour ago or more
        with self._lock:
            return self._stores.setdefault(key, made)
