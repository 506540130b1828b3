"""The log file itself: rotating, readable by its owner only, and quiet when it cannot be
written. Imported with the first record logged (services/logs.py), as ``logging.handlers``
brings ``socket``, ``pickle`` and ``queue`` with it."""

from __future__ import annotations

import io
import logging
import logging.handlers

from rcs_composer.services.logs import open_owner_only, warn_unwritable


class OwnerOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files, the current one and each new one, only the owner can read."""

    def _open(self) -> io.TextIOWrapper:
        open_owner_only(self.baseFilename)
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        """A log that cannot be written (full disk, folder gone) is a one-line warning, once,
        never a traceback in the middle of a command's output."""
        warn_unwritable(self.baseFilename)
