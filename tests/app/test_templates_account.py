"""Templates on the account, end to end through Services against the sandbox over loopback."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcs_composer.app import templates_account as account
from rcs_composer.app.services import Services
from rcs_composer.app.template_sends import plan_template_send, send_by_template
from rcs_composer.app.templates import template_info
from rcs_composer.core.draft_diff import Change
from rcs_composer.core.model import Draft, RichCard, TemplateInfo
from rcs_composer.gui.samples import load_sample
from rcs_composer.services.profiles import Profile
from rcs_composer.services.sandbox import SandboxServer
from rcs_composer.services.template_register import RegisteredTemplate
from tests.fuzz.mutations import json_values, texts
from tests.support.clocks import Clock


@pytest.fixture
def services(clock: Clock) -> Iterator[Services]:
    def make(**options: Any) -> SandboxServer:
        return SandboxServer(clock=clock, **{**options, "template_step_s": 5.0})

    built = Services(sandbox_factory=make)
    yield built
    built.stop_sandbox()


@pytest.fixture
def profile(services: Services) -> Profile:
    return services.profiles.get("sandbox")


def bill_draft(name: str = "bill_reminder") -> Draft:
    draft = load_sample("template_with_variables.json")
    return dataclasses.replace(draft, template=TemplateInfo(name=name, status="CREATED"))


def create(services: Services, profile: Profile, name: str, draft_id: str | None = None) -> str:
    draft = bill_draft(name)
    result, entry = account.create(
        services, profile, draft, template_info(draft, profile), draft_id=draft_id
    )
    assert entry.template_id == result.template_id
    return result.template_id


def test_a_created_template_is_in_the_register_with_its_draft(
    services: Services, profile: Profile
) -> None:
    saved = services.drafts.save(None, bill_draft())
    template_id = create(services, profile, "bill_reminder", saved.draft_id)
    (entry,) = account.listing(services, profile).entries
    assert (entry.template_id, entry.name, entry.template_type, entry.region) == (
        template_id,
        "bill_reminder",
        "4",
        "IN",
    )
    assert (entry.draft_id, entry.origin, entry.status) == (saved.draft_id, "created", "CREATED")
    assert entry.checked_at and entry.template_number


def test_refresh_reads_every_status_and_history_and_one_failure_stops_nothing(
    services: Services, profile: Profile, clock: Clock
) -> None:
    ids = [create(services, profile, f"offer_{n}") for n in range(5)]
    sandbox = services.sandbox
    assert sandbox is not None
    del sandbox.templates[ids[2]]  # gone from the account behind the app's back
    clock.now += 10
    seen: list[tuple[int, int]] = []
    outcome = account.refresh(services, profile, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 5) and max(seen) == (5, 5)
    by_id = {e.template_id: e for e in outcome.entries}
    assert set(outcome.failures) == {ids[2]}
    assert "no template with this id" in by_id[ids[2]].problem  # type: ignore[operator]
    for template_id in (ids[0], ids[1], ids[3], ids[4]):
        entry = by_id[template_id]
        assert entry.status == "ACTIVE" and entry.problem is None
        assert [s.status for s in entry.history] == ["CREATED", "SUBMITTEDFORAPPROVAL", "ACTIVE"]
    stored = {e.template_id: e.status for e in account.listing(services, profile).entries}
    assert stored[ids[0]] == "ACTIVE", "the refresh was written to the register"


def test_history_is_the_status_timeline(services: Services, profile: Profile, clock: Clock) -> None:
    template_id = create(services, profile, "please_reject_it")
    clock.now += 10
    steps = account.history(services, profile, template_id)
    assert [s.status for s in steps] == ["CREATED", "SUBMITTEDFORAPPROVAL", "REJECTED"]
    assert steps[-1].reason and "reject" in steps[-1].reason
    (entry,) = account.listing(services, profile).entries
    assert entry.status == "REJECTED" and entry.history == steps


def test_open_by_id_gives_a_linked_draft_and_compare_names_each_change(
    services: Services, profile: Profile
) -> None:
    template_id = create(services, profile, "bill_reminder")
    opened = account.open_template(services, profile, template_id)
    assert opened.draft.template is not None
    assert opened.draft.template.template_id == template_id
    assert "placeholders" not in opened.draft.template.extras
    assert account.compare(services, profile, opened.draft, template_id).changes == ()
    card = opened.draft.message.content
    assert isinstance(card, RichCard)
    edited = dataclasses.replace(
        opened.draft,
        message=dataclasses.replace(
            opened.draft.message,
            content=dataclasses.replace(
                card,
                content=dataclasses.replace(
                    card.content, title="Your bill, {{customerName}}", suggestions=()
                ),
            ),
        ),
    )
    changes = account.compare(services, profile, edited, template_id).changes
    shown = {(c.label, c.change) for c in changes}
    assert ("Card > Title", Change.CHANGED) in shown
    assert ("Card > Suggestions", Change.REMOVED) in shown
    title = next(c for c in changes if c.label == "Card > Title")
    assert title.before == "Hello {{customerName}}, your bill is ready"
    assert title.after == "Your bill, {{customerName}}"


def test_open_an_unknown_id_says_it_is_not_on_this_account(
    services: Services, profile: Profile
) -> None:
    unknown = "00000000-0000-0000-0000-000000000000"
    for call in (account.open_template, account.history, account.read):
        with pytest.raises(account.TemplateNotOnAccount) as caught:
            call(services, profile, unknown)
        said = caught.value.user_message()
        assert f"Template {unknown} is not on the account of profile sandbox" in said
        assert "Fix the template" not in said
    with pytest.raises(ValueError, match="Template id"):
        account.open_template(services, profile, "  ")


def test_update_goes_while_created_and_is_blocked_once_active(
    services: Services, profile: Profile, clock: Clock
) -> None:
    template_id = create(services, profile, "bill_reminder")
    opened = account.open_template(services, profile, template_id)
    renamed = dataclasses.replace(
        opened.draft,
        message=dataclasses.replace(opened.draft.message, chips=()),
        template=dataclasses.replace(opened.draft.template, name="bill_reminder_b"),  # type: ignore[arg-type]
    )
    result, entry = account.update(services, profile, renamed, template_id)
    assert result.template_id == template_id and entry.name == "bill_reminder_b"
    clock.now += 20
    sandbox = services.sandbox
    assert sandbox is not None
    before = dict(sandbox.templates[template_id].body)
    with pytest.raises(account.UpdateBlocked, match="Save your changes as a new template"):
        account.update(services, profile, renamed, template_id)
    assert sandbox.templates[template_id].body == before, "nothing was sent"
    (stored,) = account.listing(services, profile).entries
    assert stored.status == "ACTIVE"
    fresh = account.as_new_template(renamed)
    assert fresh.template is not None
    assert (fresh.template.name, fresh.template.template_id) == ("bill_reminder_b_v2", None)
    new_result, _ = account.create(services, profile, fresh, template_info(fresh, profile))
    assert new_result.template_id != template_id
    assert len(account.listing(services, profile).entries) == 2


def test_send_by_template_fills_the_variables_and_is_recorded(
    services: Services, profile: Profile, clock: Clock
) -> None:
    template_id = create(services, profile, "bill_reminder")
    clock.now += 10
    opened = account.open_template(services, profile, template_id)
    draft = dataclasses.replace(opened.draft, variables=bill_draft().variables)
    plan = plan_template_send(draft, profile, ["919876543210"], draft.variables)
    assert plan.ready, plan.problems
    assert plan.body["templateId"] == template_id
    assert plan.body["messageParams"] == [dict(draft.variables)]
    outcome = send_by_template(services, profile, plan, draft.name)
    assert list(outcome.message_ids) == ["919876543210"]
    (record,) = services.history.records()
    assert record.outcome == "sent" and "template bill_reminder" in record.endpoint
    empty = plan_template_send(draft, profile, ["919876543210"], {"customerName": "Asha"})
    assert not empty.ready and "{{consumerNo}}" in empty.problems[0]


def test_suggested_names_stay_within_twenty_characters() -> None:
    assert account.suggested_new_name("offer") == "offer_v2"
    assert account.suggested_new_name("offer_v2") == "offer_v3"
    assert account.suggested_new_name("a_very_long_name_xyz") == "a_very_long_name_v2"
    assert len(account.suggested_new_name("x" * 20)) <= 20


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.dictionaries(texts, json_values, max_size=4), max_size=6))
def test_any_history_the_server_sends_reads_as_steps(steps: list[dict[str, Any]]) -> None:
    for step in account.history_from(steps):
        assert isinstance(step.status, str) and isinstance(step.at, str)


def test_history_reads_the_shapes_a_server_may_use() -> None:
    steps = account.history_from(
        [
            {"template_status": "ACTIVE", "created_at": 1773244097431},
            {"status": "REJECTED", "timestamp": "1773244090", "remarks": " Logo unclear "},
            {"status": "CREATED", "updated_at": "2026-03-11T15:48:07+00:00"},
            {"note": "no status: skipped"},
        ]
    )
    assert [(s.status, s.at, s.reason) for s in steps] == [
        ("CREATED", "2026-03-11T15:48:07+00:00", None),
        ("REJECTED", "2026-03-11T15:48:10+00:00", "Logo unclear"),
        ("ACTIVE", "2026-03-11T15:48:17+00:00", None),
    ]


def test_refresh_without_a_key_fails_once_with_one_sentence(services: Services) -> None:
    from rcs_composer.services.secrets import MissingApiKey

    acme = Profile(name="acme", sid="SID", sender="acme", agent_number="1")
    services.template_register.record("acme", RegisteredTemplate(template_id="t-1"))
    with pytest.raises(MissingApiKey):
        account.refresh(services, acme)
