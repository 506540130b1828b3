"""Helpers every command shares: reading documents and printing one-line errors."""

from __future__ import annotations

import sys
from pathlib import Path

from rcs_composer.core.codecs import (
    MAX_DOCUMENT_BYTES,
    Document,
    ParseError,
    detect_format,
    import_document,
    parse_json,
)
from rcs_composer.core.schema import DecodeError

EXIT_OK = 0
EXIT_FAILED = 1  # the content has errors, or the API said no
EXIT_UNREADABLE = 2  # the file cannot be read or parsed, or the command line is wrong


class CommandError(Exception):
    """A failure reported as one line on stderr with an exit code, never a traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def read_text(path: str) -> str | bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        size = Path(path).stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise CommandError(
                f"{path}: {size // 1024 // 1024} MB is too large for a message or draft"
            )
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not a JSON file") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_data(path: str) -> object:
    """The parsed JSON of ``path``, checked to be a document of a known format."""
    try:
        data = parse_json(read_text(path))
        detect_format(data)
    except ParseError as exc:
        raise CommandError(f"{path}: {exc.path}: {exc.reason}") from None
    return data


def read_document(path: str) -> Document:
    data = read_data(path)
    try:
        return import_document(data)
    except DecodeError as exc:
        raise CommandError(f"{path}: {exc.path}: {exc.reason}", EXIT_FAILED) from None


def parse_vars(pairs: list[str] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CommandError(f"--var {pair!r}: write it as NAME=VALUE")
        values[name.strip()] = value
    return values


def error(message: str) -> None:
    print(f"rcs-composer: {message}", file=sys.stderr)
