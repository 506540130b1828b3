"""The log: a rotating file (made with the first record), with a filter that removes any
registered secret from every record."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from rcs_composer.services.paths import private_mkdir
from rcs_composer.services.redaction import REDACTED, redact, register_secret

__all__ = ["LOG_FILE", "REDACTED", "RedactSecrets", "redact", "register_secret", "setup_logging"]
LOG_FILE = "rcs-composer.log"


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:  # stack_info=True: the frames' source lines may hold a key
            record.stack_info = redact(record.stack_info)
        return True


class DeferredLogFile(logging.Handler):
    """The rotating log file's stand-in: the file is checked when the log is set up, and its
    handler made with the first record. A session that logs nothing never imports
    ``logging.handlers`` (with ``socket``, ``pickle`` and ``queue``: about 0.5 MB)."""

    rcs_composer_file = True  # setup_logging replaces it

    def __init__(self, path: Path, formatter: logging.Formatter) -> None:
        super().__init__()
        self.path, self.formatter = path, formatter
        self._file: logging.Handler | None = None

    def file(self) -> logging.Handler:
        """The rotating handler (1 MB x 5), made on first use."""
        if self._file is None:
            from rcs_composer.services.log_file import OwnerOnlyRotatingFileHandler

            made = OwnerOnlyRotatingFileHandler(
                self.path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
            )
            made.setFormatter(self.formatter)
            self._file = made
        return self._file

    def emit(self, record: logging.LogRecord) -> None:
        try:
            written = self.file()
        except OSError as exc:  # the folder went, or the disk is full: said once
            warn_unwritable(str(self.path), exc)
            return
        written.emit(record)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


_UNWRITABLE_LOGS: set[str] = set()


def open_owner_only(path: str) -> None:
    """Create ``path`` if need be, readable by its owner only (a log left by an older version
    may be 0644); raises OSError when it cannot be written."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if os.name == "posix":
            os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


def warn_unwritable(path: str, exc: OSError | None = None) -> None:
    """A log that cannot be written is one line on stderr, once per file, never a traceback
    in the middle of a command's output."""
    if path in _UNWRITABLE_LOGS:
        return
    _UNWRITABLE_LOGS.add(path)
    reason = f" ({exc.strerror or type(exc).__name__})" if exc is not None else ""
    sys.stderr.write(f"rcs-composer: warning: the log {path} cannot be written{reason}\n")


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to a rotating file (1 MB x 5) in ``log_dir``; returns the file's path."""
    private_mkdir(log_dir)
    path = log_dir / LOG_FILE
    root = logging.getLogger("rcs_composer")
    for handler in list(root.handlers):
        if getattr(handler, "rcs_composer_file", False):
            root.removeHandler(handler)
            handler.close()
    try:
        open_owner_only(str(path))
    except OSError as exc:  # the work goes on without a log file; the user is told once
        warn_unwritable(str(path), exc)
        return path
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handler = DeferredLogFile(path, formatter)
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    root.setLevel(level)
    return path
