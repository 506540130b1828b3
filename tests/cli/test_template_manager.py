"""template list / open / diff / history: one command after another sees the same sandbox."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from rcs_composer.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD_TEMPLATE = str(FIXTURES / "seed003_template_card_variables.json")
INDIA = timezone(timedelta(hours=5, minutes=30))


def india_clock(stamp: str) -> str:
    """The time of day in India of an ISO stamp, as a person reads it."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(INDIA).strftime("%X")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def quick_lifecycle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCS_COMPOSER_SANDBOX_TEMPLATE_STEP_S", "0")


def create(capsys: pytest.CaptureFixture[str], name: str = "bill_card") -> str:
    code, out, err = run(
        capsys, "template", "create", CARD_TEMPLATE, "--profile", "sandbox", "--name", name
    )
    assert code == 0, err
    return str(json.loads(out)["template_id"])


def test_list_refresh_sees_templates_made_by_earlier_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first, second = create(capsys, "bill_card"), create(capsys, "bill_reject")
    code, out, _ = run(capsys, "template", "list")
    assert code == 0
    assert first in out and second in out
    code, out, _ = run(capsys, "template", "list", "--refresh")
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()[1:] if line.strip()}
    assert "Active" in rows["bill_card"]
    assert "Rejected" in rows["bill_reject"]
    code, out, _ = run(capsys, "template", "list", "--json")
    statuses = {entry["name"]: entry["status"] for entry in json.loads(out)}
    assert statuses == {"bill_card": "ACTIVE", "bill_reject": "REJECTED"}


def test_history_prints_the_timeline_in_local_time(
    capsys: pytest.CaptureFixture[str], india_time: None
) -> None:
    template_id = create(capsys)
    code, out, _ = run(capsys, "template", "history", template_id)
    assert code == 0
    lines = out.splitlines()
    assert [line.split(maxsplit=1)[1] for line in lines] == [
        "Created",
        "Submitted for approval",
        "Active",
    ]
    code, raw, _ = run(capsys, "template", "history", template_id, "--json")
    stamps = [step["at"] for step in json.loads(raw)]
    assert [line.split()[0] for line in lines] == [india_clock(at) for at in stamps]
    assert not re.search(r"\d{4}-\d\d-\d\dT|\.\d{6}", out), "no ISO or microseconds"


def test_history_of_an_id_not_on_the_account_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "template", "history", "0b6c1d5e-not-here")
    assert code == 1
    assert "0b6c1d5e-not-here is not on the account of profile sandbox" in err
    assert "Fix the template" not in err


def test_list_names_the_type_and_shows_local_times(
    capsys: pytest.CaptureFixture[str], india_time: None
) -> None:
    template_id = create(capsys)
    code, out, _ = run(capsys, "template", "list", "--refresh")
    assert code == 0
    header, row = out.splitlines()[:2]
    assert header.split() == ["NAME", "TYPE", "STATUS", "CHECKED", "ID"]
    code, raw, _ = run(capsys, "template", "list", "--json")
    (entry,) = json.loads(raw)
    assert entry["template_type"] == "4"
    assert row.split()[:5] == [
        "bill_card",
        "Rich",
        "card",
        "Active",
        india_clock(entry["checked_at"]),
    ]
    assert row.endswith(template_id) and entry["checked_at"] not in row


def test_open_then_diff_a_changed_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    template_id = create(capsys)
    draft_file = tmp_path / "draft.json"
    code, out, _ = run(capsys, "template", "open", template_id, "-o", str(draft_file))
    assert code == 0 and "bill_card" in out
    code, out, _ = run(capsys, "template", "diff", str(draft_file), "--id", template_id)
    assert (code, "are the same" in out) == (0, True)
    draft = json.loads(draft_file.read_text())
    assert draft["template"]["template_id"] == template_id
    draft["message"]["richCardStandalone"]["content"]["title"] = "A new title"
    draft_file.write_text(json.dumps(draft))
    code, out, err = run(capsys, "template", "diff", str(draft_file), "--id", template_id)
    assert code == 1
    assert "changed  Card > Title: 'The title is : {{custermername}}' -> 'A new title'" in out
    assert "approved template" in err  # it is ACTIVE by now: an update would be refused
    code, _, err = run(
        capsys, "template", "update", template_id, str(draft_file), "--profile", "sandbox"
    )
    assert code == 1 and "Save your changes as a new template" in err


def test_a_damaged_register_is_reported_and_set_aside(
    capsys: pytest.CaptureFixture[str], isolated_dirs: Path
) -> None:
    create(capsys)
    register = isolated_dirs / "data" / "templates" / "sandbox.json"
    register.write_text("not json at all")
    code, out, err = run(capsys, "template", "list")
    assert code == 0
    assert "The template list is damaged (not JSON); it was set aside" in err
    assert "The template list as it was is kept as" in err and list(
        register.parent.glob("sandbox.unreadable-*.json")
    )
    assert "No templates recorded" in out
