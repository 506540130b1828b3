"""Pasted webhook events: flat, wrapped, arrays, JSON lines, replies, and junk."""

from __future__ import annotations

import json

import pytest

from rcs_composer.services.delivery import EventError, parse_events

SENT = {
    "type": "SENT",
    "eventId": "e1",
    "from": "9176739XXX02",
    "to": "mmx_traffic",
    "sentAt": "2025-06-16T13:46:38.929Z",
    "messageId": "4543932d",
}
READ = {**SENT, "type": "READ", "sentAt": "2025-06-16T13:46:49.193Z"}


def test_flat_wrapped_array_and_lines() -> None:
    wrapped = {"code": "4000", "message": "ok", "data": READ}
    assert [e.type for e in parse_events(json.dumps(SENT))] == ["SENT"]
    assert [e.type for e in parse_events(json.dumps(wrapped))] == ["READ"]
    assert [e.type for e in parse_events(json.dumps([SENT, wrapped]))] == ["SENT", "READ"]
    lines = json.dumps(SENT) + "\n\n" + json.dumps(READ)
    events = parse_events(lines)
    assert [e.message_id for e in events] == ["4543932d", "4543932d"]
    assert events[0].sent_at is not None and events[0].sent_at.year == 2025


def test_user_reply_is_read() -> None:
    reply = {
        "type": "USER_MESSAGE",
        "messageId": "m2",
        "from": "91",
        "userMessage": {"type": "TEXT", "text": "Yes"},
    }
    assert parse_events(json.dumps(reply))[0].text == "Yes"


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "Paste"), ("{oops", "Line 1"), ('{"type": "SENT"}', "Event 1"), ("[1]", "Event 1")],
)
def test_junk_gets_a_sentence(text: str, words: str) -> None:
    with pytest.raises(EventError, match=words):
        parse_events(text)
