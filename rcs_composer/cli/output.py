"""What a command tells its caller: exit codes, one-line errors, output with no key in it."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO, cast

EXIT_OK = 0
EXIT_FAILED = 1  # the content has errors, or the API said no
EXIT_UNREADABLE = 2  # the file cannot be read or parsed, or the command line is wrong
EXIT_BUG = 70  # an unexpected error (EX_SOFTWARE): a traceback, redacted, is on stderr

_REGISTRY = "rcs_composer.services.redaction"


class CommandError(Exception):
    """A failure reported as one line on stderr with an exit code, never a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def redact(text: str) -> str:
    """``text`` with every registered secret removed. A secret is registered only through
    services.redaction (by whatever reads a key): while that module is not loaded there is none
    to remove, so a command that reads no key (validate, convert) does not load it."""
    registry = sys.modules.get(_REGISTRY)
    remove = cast("Callable[[str], str] | None", getattr(registry, "redact", None))
    return text if remove is None else remove(text)


# C0 controls, DEL and C1 as visible escapes: ESC (``\x1b``), CR (``\r``), BEL (``\x07``)...
_NAMED = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_ESCAPES = {code: _NAMED.get(code, f"\\x{code:02x}") for code in (*range(0x20), *range(0x7F, 0xA0))}
_ESCAPES_KEEPING_LINES = {
    code: shown for code, shown in _ESCAPES.items() if code not in (0x09, 0x0A)
}


def terminal_text(text: str, *, one_line: bool = False) -> str:
    """``text`` (a server's words, a hand-edited file's name) as it can reach a terminal: each
    control character is shown as an escape (``\x1b``, ``\r``), so none can clear the screen,
    move the cursor or overwrite what was printed. Newlines and tabs stay, unless ``one_line``
    (a field of a tab-separated row: a name holding them would forge a row or a column)."""
    return text.translate(_ESCAPES if one_line else _ESCAPES_KEEPING_LINES)


def error(message: str) -> None:
    with contextlib.suppress(OSError, AttributeError):  # no stderr (2>&-, a full disk): silent
        print(f"rcs-composer: {terminal_text(redact(message))}", file=sys.stderr)


class RedactingStream:
    """A text stream that removes every registered secret from what is written to it.

    Output that cannot be written (a full disk, a closed pipe, no stream at all) is dropped,
    and ``lost`` says why: the command goes on and ends with its own exit code. A send
    already made must report 0, or a script that retries on failure would send it again."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.lost: OSError | None = None

    def write(self, text: str) -> int:
        if self.stream is not None and self.lost is None:
            shown = redact(text)
            try:
                try:
                    self.stream.write(shown)
                except UnicodeEncodeError:  # a name's stray byte, or a terminal in ASCII
                    encoding = getattr(self.stream, "encoding", None) or "utf-8"
                    self.stream.write(shown.encode(encoding, "backslashreplace").decode(encoding))
            except OSError as exc:
                self.lost = exc
        return len(text)

    def flush(self) -> None:
        if self.stream is not None and self.lost is None:
            try:
                self.stream.flush()
            except OSError as exc:
                self.lost = exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextlib.contextmanager
def redacted_output() -> Iterator[None]:
    """While a command runs, nothing it prints can show a key (a server may have echoed it).

    Output that could not be written is one line on stderr at the end (none for a reader
    that stopped reading, as ``| head`` does), never a traceback."""
    saved = sys.stdout, sys.stderr
    out, err = RedactingStream(saved[0]), RedactingStream(saved[1])
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        out.flush()
        err.flush()
        sys.stdout, sys.stderr = saved
        if out.lost is not None:
            _drop_the_rest(saved[0])
            if not isinstance(out.lost, BrokenPipeError):
                reason = out.lost.strerror or type(out.lost).__name__
                error(f"the output could not be written ({reason}); the command ran to its end")
        if err.lost is not None:
            _drop_the_rest(saved[1])


def _drop_the_rest(stream: TextIO | None) -> None:
    """What is still buffered for ``stream`` goes nowhere, so the interpreter's flush at exit
    does not fail with a traceback of its own."""
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, stream.fileno())  # type: ignore[union-attr]
        os.close(nowhere)


def report_crash() -> None:
    """An unexpected error: its traceback, redacted, on stderr and in the log file if open."""
    import logging
    import traceback

    print(redact(traceback.format_exc()), end="", file=sys.stderr)
    root = logging.getLogger("rcs_composer")
    if any(getattr(handler, "rcs_composer_file", False) for handler in root.handlers):
        # Only the log file: its filter redacts; logging's last-resort stderr handler does not.
        root.error("unexpected error in a command", exc_info=True)
    error("unexpected error, a bug (details above; API keys are never shown)")
