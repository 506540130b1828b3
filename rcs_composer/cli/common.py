"""Helpers the commands share: reading documents, checking folders, --var values."""

from __future__ import annotations

import os
import stat
import sys
from typing import TYPE_CHECKING, BinaryIO

from rcs_composer.cli.output import EXIT_FAILED, CommandError
from rcs_composer.core.codecs import (
    MAX_DOCUMENT_BYTES,
    Document,
    ParsedText,
    ParseError,
    detect_format,
    import_document,
    parse_json_text,
)
from rcs_composer.core.schema_types import DecodeError

if TYPE_CHECKING:
    from rcs_composer.services.paths import AppPaths


def read_text(path: str) -> str | bytes:
    """The bytes of ``path`` (``-`` for stdin), never more than a document can be: a FIFO, a
    device such as /dev/zero or an endless stdin stops at the size limit with one line."""
    if path == "-":
        return _capped(sys.stdin.buffer, "stdin")
    try:
        if stat.S_ISDIR(os.stat(path).st_mode):
            raise CommandError(f"{path}: is a folder, not a JSON file")
        nonblocking = getattr(os, "O_NONBLOCK", 0)  # a FIFO without a writer: no hang at open
        descriptor = os.open(path, os.O_RDONLY | nonblocking)
        with os.fdopen(descriptor, "rb") as stream:
            if nonblocking:
                os.set_blocking(descriptor, True)
            data = _capped(stream, path)
            if not data and stat.S_ISFIFO(os.fstat(descriptor).st_mode):
                raise CommandError(  # no writer had it open: reading it found the end at once
                    f"{path}: a named pipe with nothing written to it yet: write to it first, "
                    "or pipe the JSON in and name the file -"
                )
            return data
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: is a folder, not a JSON file") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _capped(stream: BinaryIO, name: str) -> bytes:
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise CommandError(
            f"{name}: more than {MAX_DOCUMENT_BYTES // 1024 // 1024} MB, too large for a "
            "message or draft"
        )
    return data


def read_parsed(path: str) -> ParsedText:
    """The parsed JSON of ``path`` with its duplicate keys, checked to be of a known format."""
    try:
        parsed = parse_json_text(read_text(path))
        detect_format(parsed.data)
    except ParseError as exc:
        raise CommandError(f"{path}: {exc.path}: {exc.reason}") from None
    return parsed


def read_data(path: str) -> object:
    """The parsed JSON of ``path``, checked to be a document of a known format."""
    return read_parsed(path).data


def read_document(path: str) -> Document:
    data = read_data(path)
    try:
        return import_document(data)
    except DecodeError as exc:
        raise CommandError(f"{path}: {exc.path}: {exc.reason}", EXIT_FAILED) from None


FOLDER_ROLES = {
    "config_dir": ("settings", "RCS_COMPOSER_CONFIG_DIR"),
    "data_dir": ("data", "RCS_COMPOSER_DATA_DIR"),
    "log_dir": ("log", "RCS_COMPOSER_LOG_DIR"),
}


def check_folders(paths: AppPaths) -> None:
    """Every folder a command writes to exists and takes a file, or one line names the folder,
    before anything is sent (a send must never go out and then fail to be recorded)."""
    import tempfile

    from rcs_composer.services.paths import private_mkdir

    for attribute, (role, variable) in FOLDER_ROLES.items():
        folder = getattr(paths, attribute)
        try:
            if folder.exists() and not folder.is_dir():
                raise NotADirectoryError(0, "it is a file, not a folder")
            private_mkdir(folder)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise CommandError(
                f"{folder}: the {role} folder cannot be used ({reason}). Nothing was done: "
                f"fix it, or set {variable} to a folder you can write to."
            ) from None


def parse_vars(pairs: list[str] | None) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if name.startswith("{{") and name.endswith("}}"):  # as the message writes it
            name = name[2:-2].strip()
        if not sep or not name:
            raise CommandError(f"--var {pair!r}: write it as NAME=VALUE")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # bytes the terminal's encoding could not read
            raise CommandError(f"--var {name}: the value is not UTF-8 text") from None
        values[name] = value
    return values
