"""The local send history: one JSON line per send, never the key; delivery events per message."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HISTORY_FILE = "history.jsonl"
EVENTS_FILE = "events.jsonl"


@dataclass(frozen=True)
class SendRecord:
    """What happened to one send. There is deliberately no field that could hold a key."""

    time: str
    profile: str
    endpoint: str
    draft_name: str
    recipients: tuple[str, ...]
    outcome: str  # "sent" | "failed" | "unknown"
    message_ids: dict[str, str] = field(default_factory=dict)
    error: str | None = None


class SendHistory:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    def _append(self, name: str, record: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock, open(self.root / name, "a", encoding="utf-8") as stream:
            stream.write(line)
            stream.flush()
            os.fsync(stream.fileno())

    def _read(self, name: str) -> list[dict[str, Any]]:
        try:
            lines = (self.root / name).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        records = []
        for line in lines:
            try:
                value = json.loads(line)
            except ValueError:
                continue  # a line torn by a crash mid-append is skipped, never fatal
            if isinstance(value, dict):
                records.append(value)
        return records

    def append(self, record: SendRecord) -> None:
        self._append(HISTORY_FILE, asdict(record))

    def records(self, limit: int = 500) -> list[SendRecord]:
        found = []
        for value in reversed(self._read(HISTORY_FILE)):
            try:
                value["recipients"] = tuple(value.get("recipients", ()))
                found.append(SendRecord(**value))
            except TypeError:
                continue
            if len(found) >= limit:
                break
        return found

    def add_event(self, message_id: str, event: dict[str, Any]) -> None:
        self._append(EVENTS_FILE, {"messageId": message_id, "event": event})

    def events(self, message_id: str) -> list[dict[str, Any]]:
        return [r["event"] for r in self._read(EVENTS_FILE) if r.get("messageId") == message_id]
