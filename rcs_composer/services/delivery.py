"""Delivery events (Kaleyra's webhook JSON), pasted by the user or read from the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rcs_composer.services.kaleyra_replies import KALEYRA_CODES


class EventError(ValueError):
    """Pasted text that holds no delivery event; the message says what was expected."""


@dataclass(frozen=True)
class DeliveryEvent:
    type: str
    message_id: str
    recipient: str | None
    sent_at: datetime | None
    text: str | None = None  # a user's reply (USER_MESSAGE)
    reason: str | None = None  # why an ERROR event failed, in words, with Kaleyra's code
    raw: Any = field(default=None, repr=False, compare=False)


def _timestamp(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


# How far along its life a message is, by the event that says so: webhook logs come in any
# order, and a late DELIVERED must not undo a READ. The ends (ERROR, revoked) come last.
_LIFECYCLE = {"COMPOSING": 0, "SENT": 1, "DELIVERED": 2, "READ": 3}


def event_standing(event: Mapping[str, Any]) -> tuple[int, float]:
    """Where an event puts its message: its stage in the message's life, then its time (an
    event without a usable time counts as the oldest of its stage)."""
    stage = _LIFECYCLE.get(str(event.get("type", "")), len(_LIFECYCLE))
    at = _timestamp(event.get("sentAt"))
    try:
        seconds = at.timestamp() if at is not None and at.tzinfo is not None else float("-inf")
    except (OverflowError, OSError, ValueError):
        seconds = float("-inf")
    return stage, seconds


def latest_event(events: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The event that says where a message is now: the furthest along its life, then the
    newest."""
    return max(events, key=event_standing, default=None)


def parse_event(data: Any) -> DeliveryEvent:
    """One event, flat or wrapped as ``{"code": "4000", "data": {...}}``."""
    if isinstance(data, dict) and isinstance(data.get("data"), dict) and "type" not in data:
        data = data["data"]
    if not isinstance(data, dict) or not data.get("type") or not data.get("messageId"):
        raise EventError("An event needs at least a type and a messageId.")
    user_message = data.get("userMessage")
    text = user_message.get("text") if isinstance(user_message, dict) else None
    return DeliveryEvent(
        type=str(data["type"]).upper(),
        message_id=str(data["messageId"]).strip(),
        recipient=str(data["from"]) if data.get("from") is not None else None,
        sent_at=_timestamp(data.get("sentAt")),
        text=str(text) if text is not None else None,
        reason=event_reason(data),
        raw=data,
    )


def _first(data: dict[str, Any], *keys: str) -> str:
    return next((str(data[k]).strip() for k in keys if str(data.get(k) or "").strip()), "")


def event_reason(data: Any) -> str | None:
    """Why an event reports a failure, from whichever shape carries it: an ``error`` object
    (``error_code``/``error_message`` as in Kaleyra's error bodies, or ``code``/``message``),
    an ``error`` string, or ``errorCode``/``errorMessage``/``reason`` beside the event's own
    fields. A Kaleyra code (1423...) is put in words too; None when no reason is named."""
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    if isinstance(error, dict) and error:
        code = _first(error, "error_code", "errorCode", "code")
        said = _first(error, "error_message", "errorMessage", "message", "description")
        number = _first(error, "code") if code != _first(error, "code") else ""
    elif isinstance(error, str) and error.strip():
        code, said, number = "", error.strip(), ""
    else:
        code = _first(data, "errorCode", "error_code")
        said = _first(data, "errorMessage", "error_message", "reason")
        number = ""
    if not code and not said:
        return None
    known = KALEYRA_CODES.get(number) or KALEYRA_CODES.get(code)
    text = ": ".join(part for part in (known, said) if part) or "The message failed"
    codes = ", ".join(c for c in (number, code) if c)
    return f"{text} ({codes})" if codes else text


def parse_events(text: str) -> list[DeliveryEvent]:
    """Events pasted as one JSON object, a JSON array, or one JSON object per line."""
    stripped = text.strip()
    if not stripped:
        raise EventError("Paste one or more webhook events (JSON).")
    try:
        data = json.loads(stripped)
        items = data if isinstance(data, list) else [data]
    except ValueError:
        items = []
        for number, line in enumerate(stripped.splitlines(), 1):
            if line.strip():
                try:
                    items.append(json.loads(line))
                except ValueError:
                    raise EventError(f"Line {number} is not JSON.") from None
    events = []
    for index, item in enumerate(items, 1):
        try:
            events.append(parse_event(item))
        except EventError as exc:
            raise EventError(f"Event {index}: {exc}") from None
    return events
