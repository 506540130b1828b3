"""The rotating log file, with a filter that removes any registered secret from every record."""

from __future__ import annotations

import logging
import logging.handlers
import threading
from pathlib import Path

LOG_FILE = "rcs-composer.log"
_secrets: set[str] = set()
_lock = threading.Lock()
REDACTED = "[redacted]"


def register_secret(value: str) -> None:
    """Never let ``value`` reach a log line, whatever code logs it by accident."""
    if len(value) >= 4:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    with _lock:
        secrets = list(_secrets)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Log to a rotating file (1 MB x 5) in ``log_dir``; returns the file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE
    root = logging.getLogger("rcs_composer")
    for handler in list(root.handlers):
        if getattr(handler, "rcs_composer_file", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.rcs_composer_file = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root.addHandler(handler)
    root.setLevel(level)
    return path
