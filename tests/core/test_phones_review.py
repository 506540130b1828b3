"""A number with an invisible character pasted into it (a zero-width space, a direction mark)
is refused with that character named and where it is, not as if it were no number at all;
other junk keeps its own sentence."""

from __future__ import annotations

import pytest

from rcs_composer.core.phones import normalize_recipient

DELETE_IT = (
    "an invisible character (often copied along with a number): delete it, or type the number again"
)


@pytest.mark.parametrize(
    ("written", "position", "name"),
    [
        ("+91 98765 43210\u200b", 16, "U+200B ZERO WIDTH SPACE"),
        ("\u200e+91 98765 43210", 1, "U+200E LEFT-TO-RIGHT MARK"),
        ("+91 98765\u2060 43210", 10, "U+2060 WORD JOINER"),
        ("\ufeff919876543210", 1, "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("0091\u00ad98765 43210", 5, "U+00AD SOFT HYPHEN"),
        ("98765 4321\u034f0", 11, "U+034F COMBINING GRAPHEME JOINER"),
        ("98765 43210\x00", 12, "U+0000"),
    ],
)
def test_an_invisible_character_is_named_with_its_place(
    written: str, position: int, name: str
) -> None:
    expected = f"{written!r} is not a phone number: its character {position} is {name}, {DELETE_IT}"
    with pytest.raises(ValueError, match="invisible") as refused:
        normalize_recipient(written, "IN")
    assert str(refused.value) == expected


@pytest.mark.parametrize("written", ["+91 98765 43210 ext. 5", "abc\u200b", "+91 98765 4321O"])
def test_other_junk_keeps_its_sentence(written: str) -> None:
    with pytest.raises(ValueError, match=r"use digits, spaces and '\+' only$"):
        normalize_recipient(written, "IN")
