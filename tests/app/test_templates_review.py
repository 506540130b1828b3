"""Templates on the account against a hostile stand-in over loopback: what the register keeps,
and what the user is told, when the server answers oddly, slowly, or not at all."""

from __future__ import annotations

import dataclasses
import json
import threading

import pytest

from rcs_composer.app import templates_account as account
from rcs_composer.app.services import Services
from rcs_composer.core import codecs
from rcs_composer.core.model import Draft
from rcs_composer.services import template_register
from rcs_composer.services.kaleyra_replies import ApiError, OutcomeUnknown
from rcs_composer.services.profiles import Profile
from rcs_composer.services.template_register import RegisteredTemplate, StatusChange
from tests.support.hostile_templates import (
    TemplateServer,
    answer,
    recorded,
    template,
)


def promo_draft(name: str = "promo_dec") -> Draft:
    draft = codecs.import_document(template("x", name=name)).draft
    assert draft.template is not None
    return dataclasses.replace(
        draft,
        template=dataclasses.replace(draft.template, template_id=None, template_number=None),
    )


def create(services: Services, profile: Profile, name: str = "promo_dec") -> None:
    draft = promo_draft(name)
    assert draft.template is not None
    account.create(services, profile, draft, draft.template)


def ids(services: Services, profile: Profile) -> list[str]:
    return [e.template_id for e in account.listing(services, profile).entries]


# ---------------------------------------------------------------- 1: a create's lost answer


@pytest.mark.parametrize(
    "lost",
    [
        lambda _p, _b: "drop",
        lambda _p, _b: (502, {"Content-Type": "text/html"}, b"<html>Bad Gateway</html>"),
        lambda _p, _b: answer(504, {"code": 504, "message": "Gateway timeout"}),
        lambda _p, _b: answer(200, {"code": "RCS1102", "message": "created"}),
    ],
    ids=["dropped", "html 502", "504", "200 with no id"],
)
def test_a_create_that_may_have_worked_says_so_and_where_to_look(
    services: Services, profile: Profile, server: TemplateServer, lost: object
) -> None:
    server.behaviours["POST"] = lost  # type: ignore[assignment]
    with pytest.raises(account.CreateOutcomeUnknown) as caught:
        create(services, profile)
    said = caught.value.user_message()
    assert caught.value.may_have_been_sent
    assert "may have been created" in said and "console" in said and "Open id" in said
    assert "Templates list" not in said and "template get" not in said
    assert "Try again" not in said, "no advice to create it again unasked"
    assert len(server.made("POST")) == 1
    assert ids(services, profile) == []


def test_a_create_refused_is_said_as_refused_not_as_unknown(
    services: Services, profile: Profile, server: TemplateServer
) -> None:
    server.behaviours["POST"] = lambda _p, _b: answer(
        400, {"code": "RCS1104", "message": "Request invalid", "error": {"error_message": "dup"}}
    )
    with pytest.raises(ApiError) as caught:
        create(services, profile)
    assert not isinstance(caught.value, OutcomeUnknown)
    assert "may have been created" not in caught.value.user_message()


# ---------------------------------------------------------------- 3: a long history


def test_a_huge_history_never_makes_the_register_unreadable(
    services: Services, profile: Profile, server: TemplateServer
) -> None:
    recorded(services, profile, 14)
    steps = [
        {
            "status": "SUBMITTEDFORAPPROVAL",
            "updated_at": f"2026-11-{1 + k % 28:02d}T10:{k % 60:02d}:00Z",
            "remarks": "resubmitted by the operator for another review round",
        }
        for k in range(14000)
    ]
    history = json.dumps({"data": steps}).encode()

    def get(path: str, _body: bytes) -> object:
        template_id = path.rsplit("/", 1)[1]
        if "template_history" in path:
            return 200, {}, history
        return answer(200, template(template_id, name="n" + template_id[2:], status="ACTIVE"))

    server.behaviours["GET"] = get  # type: ignore[assignment]
    outcome = account.refresh(services, profile)
    assert not outcome.failures
    loaded = account.listing(services, profile)
    assert loaded.problems == () and len(loaded.entries) == 14
    assert all(e.status == "ACTIVE" for e in loaded.entries)
    kept = loaded.entries[0].history
    assert len(kept) == template_register.MAX_HISTORY_STEPS
    assert kept[-1].at == "2026-11-28T10:59:00Z"  # the newest steps are the ones kept


def test_the_register_never_writes_what_it_would_refuse_to_read(
    services: Services, profile: Profile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(template_register, "MAX_REGISTER_BYTES", 60_000)
    long_history = tuple(
        StatusChange("SUBMITTEDFORAPPROVAL", f"2026-01-01T00:00:{k:02d}Z", "r" * 1500)
        for k in range(40)
    )
    for n in range(3):
        services.template_register.record(
            profile.name, RegisteredTemplate(template_id=f"id{n}", history=long_history)
        )
    loaded = account.listing(services, profile)
    assert loaded.problems == ()
    assert sorted(e.template_id for e in loaded.entries) == ["id0", "id1", "id2"]


# ---------------------------------------------------------------- 4: history's order


@pytest.mark.parametrize("times", [True, False], ids=["day-first times", "no times"])
def test_history_never_overwrites_the_status_get_gave_and_is_oldest_first(
    services: Services, profile: Profile, server: TemplateServer, times: bool
) -> None:
    listed = [
        {"status": "ACTIVE", "updated_at": "05/12/2026 10:30"},
        {"status": "SUBMITTEDFORAPPROVAL", "updated_at": "28/11/2026 09:00"},
        {"status": "CREATED", "updated_at": "27/11/2026 08:00"},
    ]
    if not times:
        listed = [{"status": step["status"]} for step in listed]

    def get(path: str, _body: bytes) -> object:
        if "template_history" in path:
            return answer(200, {"data": listed})
        return answer(200, template("abc", status="ACTIVE"))

    server.behaviours["GET"] = get  # type: ignore[assignment]
    account.open_template(services, profile, "abc")
    steps = account.history(services, profile, "abc")
    assert [s.status for s in steps] == ["CREATED", "SUBMITTEDFORAPPROVAL", "ACTIVE"]
    entry = services.template_register.get(profile.name, "abc")
    assert entry is not None and entry.status == "ACTIVE"
    assert account.update_blocked(entry.status) is not None
    outcome = account.refresh(services, profile)
    (refreshed,) = outcome.entries
    assert [s.status for s in refreshed.history] == ["CREATED", "SUBMITTEDFORAPPROVAL", "ACTIVE"]


def test_times_are_ordered_by_their_value_not_their_spelling() -> None:
    steps = account.history_from(
        [
            {"status": "SUBMITTEDFORAPPROVAL", "updated_at": "2026-11-28T09:00:00+05:30"},
            {"status": "CREATED", "created_date": 0, "updated_at": 1795000000},
            {"status": "ACTIVE", "updated_at": "2026-12-05T10:30:00Z"},
        ]
    )
    assert [s.status for s in steps] == ["CREATED", "SUBMITTEDFORAPPROVAL", "ACTIVE"]


# ---------------------------------------------------------------- 8: Stop


def test_stop_says_how_many_were_checked_of_how_many(
    services: Services, profile: Profile, server: TemplateServer
) -> None:
    recorded(services, profile, 20)

    def get(path: str, _body: bytes) -> object:
        if "template_history" in path:
            return answer(200, {"data": []})
        return answer(200, template(path.rsplit("/", 1)[1], status="ACTIVE"))

    server.behaviours["GET"] = get  # type: ignore[assignment]
    stop = threading.Event()

    def progress(done: int, _total: int) -> None:
        if done >= 2:
            stop.set()

    outcome = account.refresh(services, profile, progress=progress, cancelled=stop, workers=1)
    read = len(server.made("GET")) // 2
    assert outcome.summary == f"Stopped: {read} of 20 checked."
    unread = [e for e in account.listing(services, profile).entries if e.status is None]
    assert len(unread) == 20 - read and all(e.checked_at is None for e in unread)


# ---------------------------------------------------------------- 9: another template's answer


@pytest.mark.parametrize("other", ["OTHER", 12345])
def test_an_answer_about_another_template_is_a_failure_and_recorded_nowhere(
    services: Services, profile: Profile, server: TemplateServer, other: object
) -> None:
    recorded(services, profile, 3)

    def get(path: str, _body: bytes) -> object:
        if "template_history" in path:
            return answer(200, {"data": []})
        return answer(200, template(other, status="ACTIVE"))  # type: ignore[arg-type]

    server.behaviours["GET"] = get  # type: ignore[assignment]
    outcome = account.refresh(services, profile)
    assert set(outcome.failures) == {"id0", "id1", "id2"}
    assert all("another template" in sentence for sentence in outcome.failures.values())
    for call in (account.open_template, account.read):
        with pytest.raises(account.WrongTemplate):
            call(services, profile, "id0")
    assert sorted(ids(services, profile)) == ["id0", "id1", "id2"]
    assert all(e.status is None for e in account.listing(services, profile).entries)


# ---------------------------------------------------------------- 10: a reason gone stale


def test_a_rejection_reason_goes_once_the_template_is_active(
    services: Services, profile: Profile, server: TemplateServer
) -> None:
    state = {"status": "REJECTED", "reason": "Logo is blurry"}

    def get(path: str, _body: bytes) -> object:
        if "template_history" in path:
            return answer(200, {"data": []})
        extra = {"reason": state["reason"]} if state["reason"] else {}
        return answer(200, template("t1", status=state["status"], **extra))

    server.behaviours["GET"] = get  # type: ignore[assignment]
    account.open_template(services, profile, "t1")
    assert services.template_register.get(profile.name, "t1").reason == "Logo is blurry"  # type: ignore[union-attr]
    state.update(status="ACTIVE", reason="")
    account.refresh(services, profile)
    entry = services.template_register.get(profile.name, "t1")
    assert entry is not None and (entry.status, entry.reason) == ("ACTIVE", None)


# ---------------------------------------------------------------- 12: control characters


def test_control_characters_in_a_name_are_not_kept(
    services: Services, profile: Profile, server: TemplateServer
) -> None:
    name = "\x1b[2J\x1b[31mok\x1b]0;pwn\x07\nFORGED"
    server.behaviours["GET"] = lambda _p, _b: answer(200, template("t1", name=name))
    account.open_template(services, profile, "t1")
    entry = services.template_register.get(profile.name, "t1")
    assert entry is not None
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in entry.name)
    assert "FORGED" in entry.name and "ok" in entry.name


# ---------------------------------------------------------------- 13: deleted on the account


def test_a_template_deleted_on_the_account_can_be_dealt_with(
    services: Services, profile: Profile, server: TemplateServer
) -> None:
    services.template_register.record(
        profile.name, RegisteredTemplate(template_id="gone-1", name="gone")
    )
    not_found = answer(
        404,
        {"code": "RCS1104", "message": "Request invalid", "error": {"error_message": "not found"}},
    )
    server.behaviours["GET"] = lambda _p, _b: not_found
    server.behaviours["DELETE"] = lambda _p, _b: not_found
    outcome = account.refresh(services, profile)
    assert "Forget" in outcome.failures["gone-1"]
    entry = services.template_register.get(profile.name, "gone-1")
    assert entry is not None and entry.checked_at is None, "nothing was read"
    assert account.delete(services, profile, "gone-1") is False
    assert ids(services, profile) == []


# ---------------------------------------------------------------- 14: Stop with reads out


def test_stop_abandons_reads_a_silent_server_holds_instead_of_waiting_them_out(
    services: Services, profile: Profile, server: TemplateServer
) -> None:
    recorded(services, profile, 4)
    server.behaviours["GET"] = lambda _p, _b: "hang"  # answers only once the server stops
    stop = threading.Event()
    outcomes: list[account.RefreshOutcome] = []
    worker = threading.Thread(
        target=lambda: outcomes.append(account.refresh(services, profile, cancelled=stop))
    )
    worker.start()
    while len(server.made("GET")) < 2:  # reads are out, and held
        threading.Event().wait(0.01)
    stop.set()
    worker.join(timeout=20)  # a guard against a hang, not a measure: the server still holds them
    assert not worker.is_alive(), "the refresh waited for the silent server"
    (outcome,) = outcomes
    assert outcome.summary.startswith("Stopped: 0 of 4 checked")
    assert all(e.checked_at is None for e in account.listing(services, profile).entries)
