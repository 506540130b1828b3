"""The local send history: a JSON line per send (never the key), and delivery events per message.

Both files are owner-only (0600), and every string in a line is redacted before it is written:
an error sentence or an event may carry text a server echoed back.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from rcs_composer.services.paths import private_mkdir
from rcs_composer.services.redaction import redact_json

HISTORY_FILE = "history.jsonl"
EVENTS_FILE = "events.jsonl"
OUTCOMES = ("sent", "failed", "unknown")  # "unknown": the request may or may not have arrived


@dataclass(frozen=True)
class SendRecord:
    """What happened to one send. There is deliberately no field that could hold a key."""

    time: str
    profile: str
    endpoint: str
    draft_name: str
    recipients: tuple[str, ...]
    outcome: str  # one of OUTCOMES
    message_ids: dict[str, str] = field(default_factory=dict)  # recipient -> message id
    error: str | None = None  # the sentence the user read when it failed
    # SHA-256 of the body as posted: a later send of the same body after one with no answer
    # is asked first (app.send_guard). A digest, not the body: no field can hold a key.
    body_digest: str | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome must be one of {', '.join(OUTCOMES)}: {self.outcome!r}")


def _record_from(value: Any) -> SendRecord | None:
    """A record read back from a line, or None when the line is not one (hand-edited, foreign)."""
    if not isinstance(value, dict):
        return None
    texts = [value.get(key) for key in ("time", "profile", "endpoint", "draft_name", "outcome")]
    recipients, ids, error = (
        value.get("recipients"),
        value.get("message_ids", {}),
        value.get("error"),
    )
    if not all(isinstance(text, str) for text in texts) or value.get("outcome") not in OUTCOMES:
        return None
    if not isinstance(recipients, list) or not all(isinstance(r, str) for r in recipients):
        return None
    if not isinstance(ids, dict) or not all(isinstance(i, str) for i in [*ids, *ids.values()]):
        return None
    if error is not None and not isinstance(error, str):
        return None
    digest = value.get("body_digest")
    return SendRecord(
        time=value["time"],
        profile=value["profile"],
        endpoint=value["endpoint"],
        draft_name=value["draft_name"],
        recipients=tuple(recipients),
        outcome=value["outcome"],
        message_ids=dict(ids),
        error=error,
        body_digest=digest if isinstance(digest, str) else None,
    )


class SendHistory:
    """``root/history.jsonl`` and ``root/events.jsonl``: appended to, never rewritten."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def append(self, record: SendRecord) -> None:
        self._append(HISTORY_FILE, asdict(record))

    def records(self, limit: int = 500) -> list[SendRecord]:
        """The newest ``limit`` sends, newest first."""
        found: list[SendRecord] = []
        for value in reversed(list(self._lines(HISTORY_FILE))):
            if len(found) >= limit:
                break
            record = _record_from(value)
            if record is not None:
                found.append(record)
        return found

    def add_event(self, message_id: str, event: Mapping[str, Any]) -> None:
        """Keep a delivery event (a webhook or a status poll result) seen for ``message_id``."""
        self._append(EVENTS_FILE, {"messageId": message_id, "event": dict(event)})

    def events(self, message_id: str) -> list[dict[str, Any]]:
        """The events kept for ``message_id``, oldest first."""
        return [
            line["event"]
            for line in self._lines(EVENTS_FILE)
            if line.get("messageId") == message_id and isinstance(line.get("event"), dict)
        ]

    def _append(self, name: str, value: Mapping[str, Any]) -> None:
        line = (json.dumps(redact_json(dict(value)), ensure_ascii=False) + "\n").encode("utf-8")
        private_mkdir(self.root)
        # Unbuffered append: the line goes down in one write, after any other process's line.
        with self._lock, _open_private(self.root / name) as stream:
            if stream.seek(0, 2) > 0:
                stream.seek(-1, 2)
                if stream.read(1) != b"\n":
                    # A crash tore the last line: end it, so this record does not join it.
                    line = b"\n" + line
            stream.write(line)
            os.fsync(stream.fileno())

    def _lines(self, name: str) -> Iterator[dict[str, Any]]:
        try:
            data = (self.root / name).read_bytes()
        except FileNotFoundError:
            return
        for raw in data.splitlines():
            try:
                value = json.loads(raw)
            except ValueError:
                continue  # a line torn by a crash mid-append: skipped, never fatal
            if isinstance(value, dict):
                yield value


def _open_private(path: Path) -> BinaryIO:
    """``path`` for appending and reading, created 0600; an older, wider mode is tightened."""
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if os.name == "posix" and os.fstat(descriptor).st_mode & 0o077:
            os.fchmod(descriptor, 0o600)
        return os.fdopen(descriptor, "a+b", buffering=0)
    except BaseException:
        os.close(descriptor)
        raise
