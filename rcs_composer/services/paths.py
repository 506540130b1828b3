"""Where the app keeps its files (platformdirs, each overridable), atomic writes, file locks."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rcs_composer import APP_NAME

log = logging.getLogger(__name__)

TEMP_SUFFIX = ".tmp"  # atomic writes use ".<name>.<random>.tmp" beside the file they replace
LOCK_WAIT_SECONDS = 10.0
# Filesystems that cannot lock at all (some network and FUSE mounts): writing unlocked there
# beats never writing.
_NO_LOCKING = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}

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


def temp_file_beside(path: Path, *, make_folder: bool = True) -> tuple[int, str]:
    """A new owner-only temporary file in ``path``'s folder (made first, owner-only, unless
    ``make_folder`` is false): its descriptor and name. A folder that cannot be made or
    written to raises StorageError with the reason in words, as a full disk does."""
    import tempfile  # on the first write, not at start-up (it loads shutil and random)

    try:
        if make_folder:
            private_mkdir(path.parent)
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as exc:
        raise StorageError(path, _describe(exc)) from exc


def unused_name(folder: Path, stem: str, suffix: str = "") -> Path:
    """``folder/stem+suffix``, or with -2, -3… before the suffix while that name is taken (two
    files set aside in one second each keep their own)."""
    candidate = folder / f"{stem}{suffix}"
    number = 1
    while os.path.lexists(candidate):
        number += 1
        candidate = folder / f"{stem}-{number}{suffix}"
    return candidate


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` so that a crash at any moment leaves the old file or the new one, whole.

    Temp file in the same folder, flush + fsync, os.replace, then fsync of the folder. The file
    is owner-only (0600: mkstemp's mode), whatever the mode of the file it replaces.
    """
    handle, temp_name = temp_file_beside(path)
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


# ---------------------------------------------------------------- locks between processes


class LockBusy(OSError):
    """Another process holds the lock."""


def try_lock(descriptor: int, offset: int = 0) -> None:
    """Take an exclusive OS lock on an open file without waiting; LockBusy when another open
    file (in this process or another) holds it. The OS drops it when the holder dies."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(descriptor, offset, os.SEEK_SET)
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            raise LockBusy(exc.errno, exc.strerror) from exc
    else:
        import fcntl

        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise LockBusy(exc.errno, exc.strerror) from exc


class LockTimeout(StorageError):
    """The lock stayed taken for the whole wait."""


class FileLock:
    """An exclusive lock between processes on ``path`` (created owner-only, never deleted:
    deleting a lock file lets two processes lock two different files). Re-entrant within one
    thread of this process, so a locked operation may call another one."""

    def __init__(
        self, path: Path, guards: Path | None = None, timeout: float = LOCK_WAIT_SECONDS
    ) -> None:
        self.path = path
        self.guards = guards or path  # what error messages name: the file or folder it guards
        self.timeout = timeout
        self._threads = threading.RLock()
        self._depth = 0
        self._descriptor: int | None = None

    @contextlib.contextmanager
    def held(self, timeout: float | None = None) -> Iterator[None]:
        """Wait for the lock (LockTimeout after ``timeout`` seconds: a stopped process may
        hold it for ever), run the block, let go."""
        self._enter(self.timeout if timeout is None else timeout)
        try:
            yield
        finally:
            self._exit()

    @contextlib.contextmanager
    def held_if_free(self) -> Iterator[bool]:
        """Take the lock only if nobody holds it, without waiting; yields whether it did."""
        try:
            self._enter(0)
        except LockTimeout:
            yield False
            return
        try:
            yield True
        finally:
            self._exit()

    def _enter(self, wait: float) -> None:
        if not self._threads.acquire(timeout=wait if wait > 0 else 0):
            raise LockTimeout(self.guards, "another part of the app is still writing it")
        try:
            if self._depth == 0:
                self._descriptor = self._acquire(wait)
        except BaseException:
            self._threads.release()
            raise
        self._depth += 1

    def _exit(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._descriptor is not None:
            os.close(self._descriptor)  # closing drops the OS lock
            self._descriptor = None
        self._threads.release()

    def _acquire(self, wait: float) -> int:
        try:
            private_mkdir(self.path.parent)
            try:
                descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            except PermissionError:
                if sys.platform == "win32":
                    raise
                descriptor = os.open(self.path, os.O_RDONLY)  # flock needs no write access
        except OSError as exc:
            raise StorageError(self.guards, f"{_describe(exc)} ({self.path.name})") from exc
        deadline = time.monotonic() + wait
        delay = 0.002
        while True:
            try:
                try_lock(descriptor)
                return descriptor
            except LockBusy as exc:
                if time.monotonic() >= deadline:
                    os.close(descriptor)
                    raise LockTimeout(
                        self.guards,
                        f"another rcs-composer process has been writing it for {wait:g} s "
                        f"(is one stopped or hanging? it holds {self.path.name})",
                    ) from exc
            except OSError as exc:
                if exc.errno in _NO_LOCKING:
                    log.warning("%s cannot be locked here (%s); writing without it", self.path, exc)
                    return descriptor
                os.close(descriptor)
                raise StorageError(self.guards, f"{_describe(exc)} ({self.path.name})") from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


def remove_stale_temps(folder: Path, *, prefix: str = ".", older_than: float = 0.0) -> list[Path]:
    """Delete the temporary files of atomic writes that never finished in ``folder``.

    Call it only while holding the lock every writer of that folder holds while its temp file
    exists: then any temp file found belongs to a writer that died. ``prefix`` narrows it to the
    temp files of one file (".profiles.json."); ``older_than`` (seconds) spares younger files
    where no lock covers every writer. Returns what was removed.
    """
    removed: list[Path] = []
    try:
        scan = os.scandir(folder)
    except OSError:
        return removed
    now = time.time()
    with scan:
        for item in scan:
            if not (item.name.startswith(prefix) and item.name.endswith(TEMP_SUFFIX)):
                continue
            try:
                if not item.is_file(follow_symlinks=False) and not item.is_symlink():
                    continue  # a folder someone named like a temp file is not ours
                if older_than and now - item.stat(follow_symlinks=False).st_mtime < older_than:
                    continue
                os.unlink(item.path)
            except OSError:
                continue  # gone already, or not ours to delete
            removed.append(Path(item.path))
    if removed:
        log.info("removed %d temporary file(s) of interrupted saves in %s", len(removed), folder)
    return removed
