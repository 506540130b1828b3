"""Numbers read from an earlier number of their kind come out exactly as phonenumbers reads each
one: the same API form, or the same refusal, for every country code, region and length, in
E.164 form (+ and digits) and as digits read in a default region."""

from __future__ import annotations

import random
from collections.abc import Iterator

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcs_composer.core import phones
from rcs_composer.core.phones import normalize_recipient

COUNTRY_CODES = sorted(phonenumbers.COUNTRY_CODE_TO_REGION_CODE)


def longest_mobile(region: str | None) -> int:
    metadata = phonenumbers.PhoneMetadata.metadata_for_region((region or "").upper(), None)
    if metadata is None or metadata.mobile is None:
        return 15
    lengths = metadata.mobile.possible_length
    if not lengths or lengths == (-1,):
        lengths = metadata.general_desc.possible_length
    return max(lengths)


def by_phonenumbers(text: str, region: str | None) -> str:
    """What normalize_recipient answered before numbers were read by kind: phonenumbers
    parses every number."""
    compact = phones._separators().sub("", text.strip())
    if not compact:
        return "error: the number is empty"
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif phones.is_digits(compact) and region is None:
        compact = "+" + compact
    if not phones.is_digits(compact.removeprefix("+")):
        return "error: not digits"
    if phones.is_digits(compact) and len(compact) > longest_mobile(region):
        # Longer than a mobile of the region: if it reads with its country code, it is so.
        international = by_phonenumbers("+" + compact, None)
        if not international.startswith("error"):
            return international
    try:
        parsed = phonenumbers.parse(compact, region)
    except phonenumbers.NumberParseException:
        return "error: impossible"
    if not phonenumbers.is_possible_number(parsed):
        return "error: impossible"
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)).lstrip("+")


def answer(text: str, region: str | None) -> str:
    try:
        return normalize_recipient(text, region)
    except ValueError as exc:
        reason = str(exc)
        if "not a possible phone number" in reason:
            return "error: impossible"
        if "use digits" in reason:
            return "error: not digits"
        return f"error: {reason}"


@pytest.fixture(autouse=True)
def no_kinds_known() -> Iterator[None]:
    phones._BY_KIND.clear()
    yield
    phones._BY_KIND.clear()


def numbers_of_every_kind(chooser: random.Random, per_kind: int) -> list[str]:
    """For each country code and each national length E.164 allows: numbers of random digits,
    ones starting with each digit (national prefixes are 0, 1, 8...), and all zeros."""
    numbers = []
    for code in COUNTRY_CODES:
        for length in range(15 - len(str(code)) + 1):
            nationals = {
                "0" * length,
                *("".join(chooser.choices("0123456789", k=length)) for _ in range(per_kind)),
            }
            if length:
                nationals |= {
                    digit + "".join(chooser.choices("0123456789", k=length - 1))
                    for digit in "0123456789"
                }
            numbers += [f"+{code}{national}" for national in sorted(nationals)]
    return numbers


def test_every_country_and_length_reads_as_phonenumbers_reads_it() -> None:
    chooser = random.Random(164)
    numbers = numbers_of_every_kind(chooser, per_kind=1)
    chooser.shuffle(numbers)
    assert len(numbers) > 30_000
    read_as_phonenumbers_reads([(number, None) for number in numbers])
    # With a default region too (it must not matter after a +).
    read_as_phonenumbers_reads([(number, "IN") for number in numbers[::8]])
    # Nearly every number was answered from its kind, not parsed on its own.
    assert len(phones._BY_KIND) < len(numbers) / 5


def read_as_phonenumbers_reads(entries: list[tuple[str, str | None]]) -> None:
    for number, region in entries:
        assert answer(number, region) == by_phonenumbers(number, region), (number, region)


def national_numbers_of_every_region(chooser: random.Random, per_kind: int) -> list[str]:
    """For each region and each length up to 15 digits: random digits, and digits starting
    with what phonenumbers looks for first (the country code, 0, 00, 1, 8, 9)."""
    numbers = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        code = str(phonenumbers.country_code_for_region(region))
        for length in range(1, 16):
            starts = ["", code, "0", "00", "1", "8", "9", "0" + code]
            nationals = {
                (start + "".join(chooser.choices("0123456789", k=length)))[:length]
                for start in starts
                for _ in range(per_kind)
            }
            numbers += [f"{region} {national}" for national in sorted(nationals)]
    return numbers


def test_digits_in_every_region_read_as_phonenumbers_reads_them() -> None:
    chooser = random.Random(91)
    entries = national_numbers_of_every_region(chooser, per_kind=1)
    chooser.shuffle(entries)
    assert len(entries) > 20_000
    read_as_phonenumbers_reads([(number, region) for region, number in map(str.split, entries)])
    # Many of these are longer than a mobile of their region, so they are read twice (with a
    # country code first, then in the region): still, most readings come from their kind.
    assert len(phones._BY_KIND) < len(entries) / 3


@pytest.mark.slow
def test_many_more_numbers_of_every_kind_read_as_phonenumbers_reads_them() -> None:
    chooser = random.Random(1964)
    numbers = numbers_of_every_kind(chooser, per_kind=40)
    for region in (None, "IN", "US", "GB", "it"):
        chooser.shuffle(numbers)
        for number in numbers:
            assert answer(number, region) == by_phonenumbers(number, region), (number, region)
    entries = national_numbers_of_every_region(chooser, per_kind=6)
    chooser.shuffle(entries)
    for entry in entries:
        region, number = entry.split()
        assert answer(number, region) == by_phonenumbers(number, region), entry


HOSTILE = [
    "",
    "+",
    "+0",
    "+00",
    "+1",
    "+12",
    "+123",
    "0091 98765 43210",
    "+91 98765 43210",
    "+91-98765-43210",
    "(+91) 98765.43210",
    "919876543210",
    "9876543210",
    "09876543210",
    "+91 09876543210",  # a national 0 written after the country code
    "+44 020 7946 0000",
    "+44 (0)20 7946 0000",
    "+39 06 6982 0000",  # Italy: the 0 belongs to the number
    "+54 9 11 1234 5678",
    "+54 11 15 1234 5678",  # Argentina: 15 is turned into 9
    "+55 0 11 91234 5678",
    "+1 1 212 555 0100",
    "+1 212 555 0100",
    "+7 8 495 123 45 67",
    "+800 1234 5678",
    "+881 6 1234 5678",
    "+9999 1234",
    "+1234567890123456",
    "+12345678901234567",
    "+123456789012345678",
    "+91 98765 4321O",
    "+９１ ９８７６５ ４３２１０",
    "+٩١٩٨٧٦٥٤٣٢١٠",
    "+91 98765 43210 ext 12",
    "+91\u00a098765\u00a043210",
    "+91\t98765\n43210",
    "1",
    "00",
    "0044 20 7946 0000",
    "98765 43210",  # India: ten digits, read in the region
    "098765 43210",
    "91 98765 43210",
    "9123456789",  # starts with India's country code, and is an Indian mobile number
    "022 2345 6789",
    "0",
    "00000000000",
    "212 555 0100",
    "1 212 555 0100",
    "011 44 20 7946 0000",
    "020 7946 0000",
    "44 20 7946 0000",
]


@pytest.mark.parametrize("region", [None, "IN", "US", "GB", "AR", "BR", "JP", "in", "XX"])
def test_hostile_and_boundary_numbers_read_as_phonenumbers_reads_them(region: str | None) -> None:
    for _ in range(2):  # with no kind known, then with every kind of the list known
        for text in HOSTILE:
            assert answer(text, region) == by_phonenumbers(text, region), (text, region)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="+0123456789 -()./", max_size=20)
    | st.from_regex(r"\+[1-9][0-9]{1,16}", fullmatch=True),
    region=st.sampled_from([None, "IN", "US", "BR"]),
)
def test_generated_numbers_read_as_phonenumbers_reads_them(text: str, region: str | None) -> None:
    assert answer(text, region) == by_phonenumbers(text, region)
    assert answer(text, region) == by_phonenumbers(text, region)  # now from its kind
