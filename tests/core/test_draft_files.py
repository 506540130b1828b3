"""Draft file names safe on every system, sync-tool conflict copies, git conflict markers."""

from __future__ import annotations

import pytest

from rcs_composer.core.draft_files import (
    MAX_STEM_BYTES,
    conflict_copy,
    free_file_name,
    slug,
    split_conflict,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Diwali offer", "diwali-offer"),
        ("  Diwali   offer!! 50% off  ", "diwali-offer-50-off"),
        ("Bill reminder / März", "bill-reminder-märz"),
        ("दिवाली ऑफ़र", "दिवाली-ऑफ़र"),  # Devanagari vowel signs stay with their letters
        ("CON", "con-draft"),  # Windows reserves device names whatever the extension
        ("lpt1", "lpt1-draft"),
        ("🎉🎉", "draft"),
        ("", "draft"),
        ('a<b>c:d"e|f?g*h\\i', "a-b-c-d-e-f-g-h-i"),
    ],
)
def test_a_file_stem_is_made_of_the_names_letters_and_digits(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_a_long_name_is_cut_to_fit_every_file_system() -> None:
    stem = slug("ऑफ़र " * 100)
    assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
    assert not stem.endswith("-")


def test_a_taken_name_gets_a_number_ignoring_case_as_macos_and_windows_do() -> None:
    taken = ["Diwali-Offer.rcs.json", "diwali-offer-2.rcs.json"]
    assert free_file_name("Diwali offer", taken) == "diwali-offer-3.rcs.json"
    assert free_file_name("Holi", taken) == "holi.rcs.json"


@pytest.mark.parametrize(
    ("file_name", "original"),
    [
        ("diwali-offer (conflicted copy).rcs.json", "diwali-offer.rcs.json"),
        ("diwali-offer (Asha's conflicted copy 2026-11-02).rcs.json", "diwali-offer.rcs.json"),
        ("diwali-offer (conflict 2).rcs.json", "diwali-offer.rcs.json"),
        ("diwali-offer.sync-conflict-20261102-101010-ABCDEFG.rcs.json", "diwali-offer.rcs.json"),
        ("diwali-offer.rcs.json.orig", "diwali-offer.rcs.json"),
        ("diwali-offer_REMOTE_4242.rcs.json", "diwali-offer.rcs.json"),
    ],
)
def test_conflict_copies_of_sync_and_merge_tools_name_their_draft(
    file_name: str, original: str
) -> None:
    copy = conflict_copy(file_name)
    assert copy is not None and copy.original == original


def test_an_ordinary_draft_is_no_conflict_copy() -> None:
    assert conflict_copy("diwali-offer.rcs.json") is None
    assert conflict_copy("diwali-offer (copy).rcs.json") is None


def test_both_sides_of_a_git_conflict_are_recovered_base_dropped() -> None:
    text = (
        "{\n"
        "<<<<<<< HEAD\n"
        '  "name": "Ours",\n'
        "||||||| base\n"
        '  "name": "Base",\n'
        "=======\n"
        '  "name": "Theirs",\n'
        ">>>>>>> feature/holi\n"
        '  "version": 1\n'
        "}\n"
    )
    sides = split_conflict(text)
    assert sides is not None
    assert sides.ours == '{\n  "name": "Ours",\n  "version": 1\n}\n'
    assert sides.theirs == '{\n  "name": "Theirs",\n  "version": 1\n}\n'
    assert (sides.ours_label, sides.theirs_label, sides.conflicts) == ("HEAD", "feature/holi", 1)
    assert split_conflict("<<<<<<< HEAD\nno end\n") is None


def test_onedrive_and_numbered_copies_are_recognised_only_beside_their_draft() -> None:
    beside = {"diwali-offer.rcs.json", "offer.rcs.json", "diwali.rcs.json"}.__contains__
    onedrive = conflict_copy("diwali-offer-DESKTOP-AB12CD.rcs.json", beside)
    assert onedrive is not None
    assert (onedrive.original, onedrive.made_by) == ("diwali-offer.rcs.json", "OneDrive")
    again = conflict_copy("diwali-offer-DESKTOP-AB12CD-1.rcs.json", beside)
    assert again is not None and again.original == "diwali-offer.rcs.json"
    numbered = conflict_copy("offer (1).rcs.json", beside)
    assert numbered is not None and numbered.original == "offer.rcs.json"
    # Ordinary hyphenated names, the app's own "-2" names, and a copy of a draft not there.
    for ordinary in ("diwali-offer.rcs.json", "offer-2.rcs.json", "diwali-sale.rcs.json"):
        assert conflict_copy(ordinary, beside) is None
    assert conflict_copy("holi-sale-DESKTOP-AB12CD.rcs.json", beside) is None
    assert conflict_copy("diwali-offer-DESKTOP-AB12CD.rcs.json") is None  # nothing to compare
