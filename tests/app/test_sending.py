"""Sending a test: each recipient's own status, a send to the valid ones only, times in local
time, and why a delivery failed, over loopback to the sandbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests

from rcs_composer.app.sending import (
    MAX_RECIPIENTS,
    plan_send,
    read_recipients,
    send_test,
)
from rcs_composer.app.services import Services
from rcs_composer.core import model as m
from rcs_composer.core.local_time import local_time
from rcs_composer.services.delivery import event_reason, parse_events
from rcs_composer.services.sandbox import SandboxServer


def test_each_entry_gets_its_own_status_and_reason() -> None:
    entries = read_recipients(
        "+91 98765 43210; hello\n0091 98765 43210, 12345, +1 202 555 0100", "IN"
    )
    assert [(e.typed, e.e164, e.status) for e in entries] == [
        ("+91 98765 43210", "+919876543210", "✔ ok"),
        ("hello", "", "✖ skipped"),
        ("0091 98765 43210", "+919876543210", "= repeat"),
        ("12345", "", "✖ skipped"),
        ("+1 202 555 0100", "+12025550100", "✔ ok"),
    ]
    assert entries[1].reason == "Not a phone number: use digits, spaces and '+' only."
    assert entries[2].reason == "Same number as entry 1: it gets one message."
    assert entries[2].repeat_of == 1
    assert entries[3].reason.startswith("Not a possible phone number: include the country code")
    assert entries[0].reason == "will be sent"
    assert all(entry.values == {} for entry in entries)  # the dialog's shared values apply


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("+91 11 2345 6789", "landline"),
        ("+1 800 555 0100", "toll-free"),
        ("+44 20 7183 8750", "landline"),
    ],
)
def test_a_landline_or_service_number_is_doubted_as_no_phone_gets_rcs_on_it(
    typed: str, kind: str
) -> None:
    (entry,) = read_recipients(typed, "IN")
    assert entry.warning is not None and f"A {kind} number" in entry.warning
    (mobile,) = read_recipients("+91 98765 43210", "IN")
    assert mobile.warning is None


def test_numbers_past_the_per_send_limit_are_skipped_with_the_limit_named() -> None:
    text = "\n".join(f"+91 98765 {40000 + i:05d}" for i in range(MAX_RECIPIENTS + 2))
    entries = read_recipients(text, "IN")
    assert sum(entry.ok for entry in entries) == MAX_RECIPIENTS
    assert entries[-1].problem == f"Kaleyra takes at most {MAX_RECIPIENTS} numbers in one send."


def test_local_time_is_the_clock_today_and_the_date_otherwise(india_time: None) -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert local_time("2026-11-24T11:02:15.703Z", now) == "16:32:15"
    assert local_time("2026-11-23T11:02:15Z", now) == "23 Nov, 16:32:15"
    assert local_time("2025-11-24T11:02:15+00:00", now) == "24 Nov 2025, 16:32:15"
    assert local_time("2026-11-24T20:00:00Z", now) == "25 Nov, 01:30:00"  # tomorrow, here
    assert local_time("not a time", now) == "not a time"
    assert local_time("", now) == ""


def test_only_the_valid_numbers_are_sent_and_recorded(isolated_dirs: object) -> None:
    services = Services()
    try:
        profile = services.profiles.get("sandbox")
        entries = read_recipients("+91 98765 43210, oops, +91 99900 00001", "IN")
        numbers = [entry.number for entry in entries if entry.ok and entry.number]
        draft = m.Draft(name="Hello", message=m.Message(content=m.TextContent("Hello there")))
        plan = plan_send(draft, profile, numbers, {})
        assert plan.ready and plan.recipients == ("919876543210", "919990000001")
        outcome = send_test(services, profile, plan, "Hello")
        assert list(outcome.message_ids) == ["919876543210", "919990000001"]
        sandbox = services.sandbox
        assert sandbox is not None and sandbox.send_count == 1
        record = services.history.records()[0]
        assert record.recipients == ("919876543210", "919990000001")
    finally:
        services.stop_sandbox()


def test_a_failed_delivery_carries_its_reason_over_http() -> None:
    with SandboxServer(event_delays=(0, 0, 0)) as sandbox:
        sent = requests.post(
            f"{sandbox.url}/v1/S1/rcs/messages",
            headers={"api-key": sandbox.api_key},
            json={"from": "rcs-sandbox", "to": ["919990000001"], "text": "Hi"},
            timeout=5,
        ).json()
        message_id = sent["recipientDetails"][0]["messageId"]
        events = requests.get(
            f"{sandbox.url}/sandbox/events", params={"messageId": message_id}, timeout=5
        ).json()["events"]
    assert [event["type"] for event in events] == ["ERROR"]
    assert events[0]["error"]["error_code"] == "CHANNEL_UNSUPPORTED"
    (event,) = parse_events(json.dumps(events[0]))
    assert event.reason is not None
    assert event.reason.startswith("Kaleyra says RCS is not supported for this recipient")
    assert event.reason.endswith("(1423, CHANNEL_UNSUPPORTED)")


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        ({"type": "SENT"}, None),
        (
            {"type": "ERROR", "error": {"error_code": "1417", "error_message": "Bad number"}},
            "Kaleyra says a recipient number is not valid: Bad number (1417)",
        ),
        ({"type": "ERROR", "errorCode": "E42", "errorMessage": "Unreachable"}, "Unreachable (E42)"),
        ({"type": "ERROR", "error": "Timed out at the carrier"}, "Timed out at the carrier"),
        ({"type": "ERROR", "reason": "Expired"}, "Expired"),
        ({"type": "ERROR", "code": "4000", "message": "Delivery report"}, None),
    ],
    ids=["no-error", "kaleyra-shape", "camel-case", "string", "reason", "wrapper-only"],
)
def test_event_reasons_in_the_shapes_webhooks_use(event: dict[str, object], reason: str) -> None:
    assert event_reason(event) == reason


def test_a_dialog_leaves_out_the_recipients_reasons_by_their_path_not_their_sentence() -> None:
    """The reasons are sentences with the editor's labels; which field an issue is about is
    its path, so the filter holds whatever the label says."""
    from rcs_composer.app.sending import RECIPIENTS, plan_send
    from rcs_composer.services.profiles import Profile

    draft = m.Draft(name="Hello", message=m.Message(content=m.TextContent("")))
    plan = plan_send(draft, Profile(name="acme", sid="S1", sender="acme"), ["not a number"], {})
    about_to = [i for i in plan.errors if i.path.startswith("$.to")]
    assert about_to, plan.errors  # the bad number is one of the errors
    assert not any(reason.startswith("$.") for reason in plan.reasons)  # labels, not paths
    besides = plan.reasons_besides(RECIPIENTS)
    assert len(besides) == len(plan.reasons) - len(about_to)
    assert plan.reasons_besides(None) == plan.reasons
