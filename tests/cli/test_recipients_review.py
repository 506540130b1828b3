"""The send dialog's list and ``rcs-composer send`` name an invisible character pasted into a
number, where it is, instead of calling a number that looks right no number."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcs_composer.app.sending import read_recipients
from rcs_composer.cli import main
from tests.core.test_phones_review import DELETE_IT

CARD = str(Path(__file__).parent.parent / "fixtures" / "seed000_standalone_card.json")


def test_the_send_dialogs_list_names_the_character_beside_the_number() -> None:
    entries = read_recipients("+91 98765 43210\u200b\n+91 98765 43210 ext. 5", "IN")
    assert [entry.reason for entry in entries] == [
        f"Not a phone number: its character 16 is U+200B ZERO WIDTH SPACE, {DELETE_IT}.",
        "Not a phone number: use digits, spaces and '+' only.",
    ]
    assert all(entry.number is None for entry in entries)


def test_send_on_the_command_line_names_the_character(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["send", CARD, "--profile", "sandbox", "--recipient", "+91 98765 43210\u200b"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "its character 16 is U+200B ZERO WIDTH SPACE" in err
