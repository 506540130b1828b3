"""Nothing is sent twice by accident, across windows, sessions and commands: the same body is
never out twice at once, and after one with no answer (or a moment after one) it goes again
only when the user says so."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from rcs_composer.app.send_guard import JUST_SENT_S, SendGuard, SendInFlight, SentBefore
from rcs_composer.app.sending import SendPlan, plan_send, send_test
from rcs_composer.app.services import Services
from rcs_composer.services.kaleyra_replies import ApiError, OutcomeUnknown
from rcs_composer.services.profiles import Profile, sandbox_profile
from tests.support.drafts import text_draft
from tests.support.faulty_sandbox import Faults, FaultySandbox


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:  # this file's monotonic clock, not the shared wall clock
    return Clock()


@pytest.fixture
def services(clock: Clock) -> Iterator[Services]:
    container = Services(sandbox_factory=FaultySandbox)
    container.send_guard = SendGuard(clock=clock)  # type: ignore[misc]
    yield container
    container.stop_sandbox()


def sandbox(services: Services) -> FaultySandbox:
    server = services.ensure_sandbox() and services.sandbox
    assert isinstance(server, FaultySandbox)
    return server


def plan(services: Services, profile: Profile, text: str = "hello") -> SendPlan:
    made = plan_send(text_draft("Offer", text), profile, ["919876543210"], {})
    assert made.ready, made.reasons
    return made


def test_the_same_body_is_never_out_twice_at_once(services: Services) -> None:
    profile = sandbox_profile(services.ensure_sandbox())
    server = sandbox(services)
    release = threading.Event()
    server.set_faults(Faults(latency=0.0, remaining=0))
    original = server.after_handling

    def held(handler: object) -> bool:
        release.wait(20)
        return original(handler)

    server.after_handling = held  # type: ignore[method-assign]
    first = threading.Thread(
        target=send_test, args=(services, profile, plan(services, profile), "a")
    )
    first.start()
    while not services.send_guard.is_out((profile.name, _digest(plan(services, profile)))):
        threading.Event().wait(0.01)
    with pytest.raises(SendInFlight):
        send_test(services, profile, plan(services, profile), "b", again=True)  # not even asked
    release.set()
    first.join(timeout=20)
    assert server.send_count == 1


def _digest(made: SendPlan) -> str:
    from rcs_composer.app.send_guard import body_digest

    return body_digest(made.body)


def test_after_no_answer_the_same_body_goes_again_only_when_asked(services: Services) -> None:
    profile = sandbox_profile(services.ensure_sandbox())
    server = sandbox(services)
    server.set_faults(Faults(drop=True, remaining=1))
    with pytest.raises(OutcomeUnknown):
        send_test(services, profile, plan(services, profile), "a")
    with pytest.raises(SentBefore) as caught:
        send_test(services, profile, plan(services, profile), "a")
    assert "may have arrived" in caught.value.user_message()
    assert server.send_count == 1
    send_test(services, profile, plan(services, profile, "hello"), "a", again=True)
    assert server.send_count == 2
    send_test(services, profile, plan(services, profile, "another text"), "a")  # another body
    assert server.send_count == 3


def test_a_moment_after_a_send_the_same_body_is_asked_for_then_free(
    services: Services, clock: Clock
) -> None:
    profile = sandbox_profile(services.ensure_sandbox())
    send_test(services, profile, plan(services, profile), "a")
    with pytest.raises(SentBefore, match="a moment ago"):  # a double click, a held Enter
        send_test(services, profile, plan(services, profile), "a")
    clock.now += JUST_SENT_S + 0.1
    send_test(services, profile, plan(services, profile), "a")
    assert sandbox(services).send_count == 2


def test_a_new_session_reads_a_send_with_no_answer_from_the_history(services: Services) -> None:
    profile = sandbox_profile(services.ensure_sandbox())
    sandbox(services).set_faults(Faults(drop=True, remaining=1))
    with pytest.raises(OutcomeUnknown):
        send_test(services, profile, plan(services, profile), "a")
    later = Services(sandbox_factory=FaultySandbox)  # another window, another day
    try:
        profile_later = sandbox_profile(later.ensure_sandbox())
        with pytest.raises(SentBefore):
            send_test(later, profile_later, plan(later, profile_later), "a")
        send_test(later, profile_later, plan(later, profile_later), "a", again=True)
        later.send_guard = SendGuard()  # type: ignore[misc]  # a third session
        send_test(later, profile_later, plan(later, profile_later), "a")  # answered since
    finally:
        later.stop_sandbox()


def test_a_failed_send_leaves_nothing_to_ask(services: Services) -> None:
    profile = sandbox_profile(services.ensure_sandbox())
    sandbox(services).set_faults(Faults(status=400, remaining=1))
    with pytest.raises(ApiError):  # refused: it certainly did not go
        send_test(services, profile, plan(services, profile), "a")
    outcome = send_test(services, profile, plan(services, profile), "a")  # not held back
    assert list(outcome.message_ids) == ["919876543210"]


def test_a_number_listed_twice_gets_one_message_and_its_id(services: Services) -> None:
    profile = sandbox_profile(services.ensure_sandbox())
    made = plan_send(text_draft("Offer"), profile, ["919876543210", "919876543210"], {})
    assert made.body["to"] == ["919876543210"]
    outcome = send_test(services, profile, made, "a")
    assert list(outcome.message_ids) == ["919876543210"] and outcome.missing == ()


def test_an_answer_with_ids_for_some_numbers_names_the_others_as_not_known(
    services: Services,
) -> None:
    import json as json_module

    from tests.services.rawserver import RawServer, respond

    answer = {"recipientDetails": [{"to": "919876543210", "messageId": "m-1"}]}
    with RawServer(respond("200 OK", json_module.dumps(answer).encode())) as server:
        profile = Profile(name="acme", pod="custom", base_url=server.url, sid="S1", sender="a")
        services.profiles.save(profile)
        services.keys.set("acme", "partial-key-0b7e-UNIQUE")
        made = plan_send(text_draft("Offer"), profile, ["919876543210", "14155550100"], {})
        outcome = send_test(services, profile, made, "Offer")
    assert outcome.message_ids == {"919876543210": "m-1"}
    assert outcome.missing == ("14155550100",)
    assert outcome.missing_sentence and "not known" in outcome.missing_sentence
    (record,) = services.history.records()
    assert record.error and "14155550100" in record.error
