"""The sandbox plays a template's lifecycle, keeps templates on disk, and sends by template."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rcs_composer.core.issues import Region
from rcs_composer.services.kaleyra import KaleyraClient
from rcs_composer.services.kaleyra_replies import ApiError
from rcs_composer.services.sandbox import SandboxServer
from rcs_composer.services.secrets import SANDBOX_KEY
from tests.support.clocks import Clock

FIXTURES = Path(__file__).parent.parent / "fixtures"


def client(server: SandboxServer) -> KaleyraClient:
    return KaleyraClient(server.url, "SID", SANDBOX_KEY, read_timeout=5, sleep=lambda _s: None)


def body(name: str = "offer_card", fixture: str = "seed003_template_card_variables.json") -> dict:  # type: ignore[type-arg]
    data = json.loads((FIXTURES / fixture).read_text())
    data["template_name"] = name
    data["status"] = "CREATED"
    return data  # type: ignore[no-any-return]


@pytest.fixture
def server(clock: Clock) -> Iterator[SandboxServer]:
    with SandboxServer(clock=clock, template_step_s=5.0) as running:
        yield running


def test_india_lifecycle_created_submitted_active(server: SandboxServer, clock: Clock) -> None:
    api = client(server)
    created = api.create_template(body())
    assert created.status == "CREATED"
    clock.now += 5
    assert api.get_template(created.template_id).status == "SUBMITTEDFORAPPROVAL"
    clock.now += 5
    assert api.get_template(created.template_id).status == "ACTIVE"
    steps = api.template_history(created.template_id)
    assert [step["status"] for step in steps] == ["CREATED", "SUBMITTEDFORAPPROVAL", "ACTIVE"]
    assert all(step["updated_at"] for step in steps)


def test_outside_india_there_is_no_submitted_step(clock: Clock) -> None:
    with SandboxServer(clock=clock, template_step_s=1.0, region=Region.NA) as server:
        api = client(server)
        created = api.create_template(body())
        clock.now += 1
        assert api.get_template(created.template_id).status == "ACTIVE"
        assert [s["status"] for s in api.template_history(created.template_id)] == [
            "CREATED",
            "ACTIVE",
        ]


def test_a_name_with_reject_ends_rejected_with_a_reason(
    server: SandboxServer, clock: Clock
) -> None:
    api = client(server)
    created = api.create_template(body("please_reject_me"))
    clock.now += 10
    got = api.get_template(created.template_id)
    assert got.status == "REJECTED"
    assert "reject" in got.raw["data"]["reason"]
    assert api.template_history(created.template_id)[-1]["reason"]


def test_put_on_an_active_template_fails_as_the_api_does(
    server: SandboxServer, clock: Clock
) -> None:
    api = client(server)
    created = api.create_template(body())
    changed = body()
    changed["rich_card_standalone"]["content"]["title"] = "New title {{custermername}}"
    assert api.update_template(created.template_id, changed).status == "CREATED"  # not yet active
    clock.now += 10
    with pytest.raises(ApiError, match="ACTIVE template cannot be edited") as caught:
        api.update_template(created.template_id, changed)
    assert caught.value.code == "RCS1104"


def test_templates_survive_a_restart_and_are_shared_through_the_file(
    tmp_path: Path, clock: Clock
) -> None:
    store = tmp_path / "sandbox" / "templates.json"
    with SandboxServer(clock=clock, template_step_s=0.0, templates_file=store) as first:
        made = client(first).create_template(body())
        with SandboxServer(clock=clock, templates_file=store) as alongside:
            assert client(alongside).get_template(made.template_id).status == "ACTIVE"
    with SandboxServer(clock=clock, templates_file=store) as later:
        api = client(later)
        assert api.get_template(made.template_id).template_number == made.template_number
        api.delete_template(made.template_id)
    with SandboxServer(clock=clock, templates_file=store) as last:
        with pytest.raises(ApiError) as caught:
            client(last).get_template(made.template_id)
        assert caught.value.status == 404


def test_a_damaged_templates_file_is_set_aside(tmp_path: Path, clock: Clock) -> None:
    store = tmp_path / "templates.json"
    store.write_text("{not json")
    with SandboxServer(clock=clock, templates_file=store) as server:
        assert client(server).create_template(body()).template_id
    assert list(tmp_path.glob("templates.unreadable-*.json"))


def test_send_by_template_needs_active_and_every_variable(
    server: SandboxServer, clock: Clock
) -> None:
    api = client(server)
    created = api.create_template(body())
    values = {
        "custermername": "Asha",
        "consumerno": "42",
        "billamount": "100",
        "duedate": "1 Jan",
        "paymentLink": "https://pay.example/x",
    }
    with pytest.raises(ApiError, match="only an ACTIVE template"):
        api.send_by_template(created.template_id, "rcs-dev", ["919876543210"], [values])
    clock.now += 10
    partial = {k: v for k, v in values.items() if k != "duedate"}
    with pytest.raises(ApiError, match=r"messageParams\[0\]: no value for \{\{duedate\}\}"):
        api.send_by_template(created.template_id, "rcs-dev", ["919876543210"], [partial])
    sent = api.send_by_template(created.template_id, "rcs-dev", ["919876543210"], [values])
    (message_id,) = sent.message_ids.values()
    assert server.messages[message_id].recipient == "919876543210"


def test_two_sandboxes_on_one_file_keep_each_others_templates(tmp_path: Path, clock: Clock) -> None:
    store = tmp_path / "templates.json"
    with (
        SandboxServer(clock=clock, templates_file=store) as app,
        SandboxServer(clock=clock, templates_file=store) as command,
    ):
        first = client(app).create_template(body("from_the_app"))
        second = client(command).create_template(body("from_a_command"))
        assert client(app).get_template(second.template_id).template_id == second.template_id
        client(command).update_template(first.template_id, body("from_the_app"))
    with SandboxServer(clock=clock, templates_file=store) as later:
        api = client(later)
        assert api.get_template(first.template_id).template_id == first.template_id
        assert api.get_template(second.template_id).template_id == second.template_id


def test_the_readme_says_where_the_sandbox_and_the_register_keep_templates() -> None:
    from rcs_composer.services.sandbox import TEMPLATES_FILE

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    sandbox = readme.split("## Trying everything with the sandbox")[1].split("\n## ")[0]
    assert "in memory" not in sandbox
    assert "keeps its templates in the data folder" in sandbox
    files = readme.split("## Where files live")[1].split("\n## ")[0]
    lines = files.splitlines()
    at = [number for number, line in enumerate(lines) if line.startswith("|")]
    rows = [lines[number] for number in at]
    assert at == list(range(at[0], at[0] + len(at))), "one table, no blank line inside"
    assert len(rows) == len(set(rows)), "each row of the files table once"
    assert rows[:2] == ["| what | Linux | override |", "|---|---|---|"]
    assert f"`~/.local/share/rcs-composer/sandbox/{TEMPLATES_FILE}`" in files
    assert "`~/.local/share/rcs-composer/templates/`" in files
    performance = readme.split("## Performance")[1].split("\n## ")[0]
    (row,) = [line for line in performance.splitlines() if "refresh 200" in line]
    assert row.endswith("| — / 50 ms |") and "ms / " in row
