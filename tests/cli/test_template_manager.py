"""template list / open / diff / history: one command after another sees the same sandbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rcs_composer.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD_TEMPLATE = str(FIXTURES / "seed003_template_card_variables.json")


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


def test_history_prints_the_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    template_id = create(capsys)
    code, out, _ = run(capsys, "template", "history", template_id)
    assert code == 0
    assert [line.split(maxsplit=1)[1] for line in out.splitlines()] == [
        "Created",
        "Submitted for approval",
        "Active",
    ]


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
    assert "the template register: it is not JSON" in err
    assert "kept as" in err and list(register.parent.glob("sandbox.unreadable-*.json"))
    assert "No templates recorded" in out
