"""The rotating log file, with a filter that removes any registered secret from every record."""

from __future__ import annotations

import io
import logging
import logging.handlers
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


class OwnerOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files, the current one and each new one, only the owner can read."""

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            if os.name == "posix":
                os.fchmod(descriptor, 0o600)  # a log left by an older version may be 0644
        finally:
            os.close(descriptor)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        """A log that cannot be written (full disk, folder gone) is a one-line warning, once,
        never a traceback in the middle of a command's output."""
        if not getattr(self, "_warned", False):
            self._warned = True
            sys.stderr.write(
                f"rcs-composer: warning: the log {self.baseFilename} cannot be written\n"
            )


_UNWRITABLE_LOGS: set[str] = set()


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
        handler = OwnerOnlyRotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError as exc:  # the work goes on without a log file; the user is told once
        if str(path) not in _UNWRITABLE_LOGS:
            _UNWRITABLE_LOGS.add(str(path))
            sys.stderr.write(
                f"rcs-composer: warning: the log {path} cannot be written "
                f"({exc.strerror or type(exc).__name__})\n"
            )
        return path
    handler.rcs_composer_file = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    root.setLevel(level)
    return path
