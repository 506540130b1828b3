"""Where the app keeps its files (platformdirs, each overridable), and atomic file writes."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rcs_composer import APP_NAME

ENV_OVERRIDES = {
    "config_dir": "RCS_COMPOSER_CONFIG_DIR",
    "data_dir": "RCS_COMPOSER_DATA_DIR",
    "cache_dir": "RCS_COMPOSER_CACHE_DIR",
    "log_dir": "RCS_COMPOSER_LOG_DIR",
}


class StorageError(OSError):
    """A file could not be written; the previous version is untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"Could not save {path}: {reason}. The previous version is kept.")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    cache_dir: Path
    log_dir: Path

    def ensure(self) -> AppPaths:
        for folder in (self.config_dir, self.data_dir, self.cache_dir, self.log_dir):
            private_mkdir(folder)
        return self


def private_mkdir(folder: Path) -> None:
    """Create ``folder`` and any missing parent owner-only (0700); existing folders are kept as
    they are (the user may have chosen their mode)."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=0o700)
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)  # raises the error that says why not


def app_paths() -> AppPaths:
    """The platform folders, or the ones named by RCS_COMPOSER_*_DIR (tests, portable installs)."""
    import platformdirs

    defaults = {
        "config_dir": platformdirs.user_config_path(APP_NAME, appauthor=False),
        "data_dir": platformdirs.user_data_path(APP_NAME, appauthor=False),
        "cache_dir": platformdirs.user_cache_path(APP_NAME, appauthor=False),
        "log_dir": platformdirs.user_log_path(APP_NAME, appauthor=False),
    }
    chosen = {
        name: Path(os.environ[variable]) if os.environ.get(variable) else defaults[name]
        for name, variable in ENV_OVERRIDES.items()
    }
    return AppPaths(**chosen)


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    return exc.strerror or str(exc)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` so that a crash at any moment leaves the old file or the new one, whole.

    Temp file in the same folder, flush + fsync, os.replace, then fsync of the folder. The file
    is owner-only (0600: mkstemp's mode), whatever the mode of the file it replaces.
    """
    private_mkdir(path.parent)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise StorageError(path, _describe(exc)) from exc
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; os.replace is atomic there
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
