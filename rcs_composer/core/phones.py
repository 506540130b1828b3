"""Phone numbers via phonenumbers: recipients in the API's digits-only form, dial numbers."""

from __future__ import annotations

import functools
import re
from enum import Enum
from typing import Any

MAX_E164_DIGITS = 15  # ITU-T E.164: a country code and a national number, at most 15 digits


@functools.cache
def _separators() -> re.Pattern[str]:
    return re.compile(r"[\s().\-/]")


def _without_decimal_zeros(written: str) -> str:
    """``written`` less the ``.0`` of a number stored as a decimal (919876543210.0, as
    exports of numeric columns write it): no way of grouping a phone ends in a lone 0 or 00."""
    whole, dot, fraction = written.rpartition(".")
    if dot and fraction in ("0", "00") and len(whole) > 6 and is_digits(whole.removeprefix("+")):
        return whole
    return written


@functools.cache
def _scientific() -> re.Pattern[str]:
    return re.compile(r"\+?\d(?:[.,]\d+)?[eE]\+?\d+")


class Check(Enum):
    VALID = "valid"
    UNLIKELY = "unlikely"  # possible length and prefix, but not an assigned range
    IMPOSSIBLE = "impossible"


def _parse(number: str, region: str | None = None) -> Any:
    import phonenumbers  # imported on first use: start-up does not pay for its metadata

    try:
        return phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None


def check_international(number: str) -> Check:
    """Check a number written with '+' and its country code."""
    return _checked(number)[0]


def check_mobile(number: str) -> tuple[Check, str | None]:
    """``check_international``'s answer and, for a valid number in a range no mobile has, what
    it is ("landline", "toll-free"...); None for a mobile, or where a range may be either (the
    US). One parse for both."""
    import phonenumbers

    check, parsed = _checked(number)
    if check is not Check.VALID:
        return check, None
    return check, _not_mobile().get(phonenumbers.number_type(parsed))


@functools.cache
def _not_mobile() -> dict[int, str]:
    """The ranges no phone gets RCS on, by phonenumbers' number type."""
    from phonenumbers import PhoneNumberType as Kind

    return {
        Kind.FIXED_LINE: "landline",
        Kind.TOLL_FREE: "toll-free",
        Kind.PREMIUM_RATE: "premium-rate",
        Kind.SHARED_COST: "shared-cost",
        Kind.UAN: "company (UAN)",
        Kind.VOICEMAIL: "voicemail",
        Kind.PAGER: "pager",
    }


def _checked(number: str) -> tuple[Check, Any]:
    import phonenumbers

    parsed = _parse(number)
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        return Check.IMPOSSIBLE, parsed
    return (Check.VALID if phonenumbers.is_valid_number(parsed) else Check.UNLIKELY), parsed


def is_digits(text: str) -> bool:
    """One or more of 0-9 (ASCII only: full-width and other scripts' digits are refused)."""
    return text.isascii() and text.isdigit()


def is_e164(text: str) -> bool:
    """'+' then digits only, as RBM's DialAction takes it: no separators, letters or extension.

    Checked before phonenumbers sees the text, whose lenient parse reads ``+1800FLOWERS`` as
    digits.
    """
    # '+', a country code that does not start with 0, 2 to 15 digits in all.
    return (
        2 < len(text) <= MAX_E164_DIGITS + 1
        and text[0] == "+"
        and text[1] != "0"
        and is_digits(text[1:])
    )


def normalize_recipient(text: str, default_region: str | None = None) -> str:
    """Any common way of writing a number -> the API's form: country code and digits, no '+'.

    ``+91 98765 43210``, ``0091 98765 43210`` and ``919876543210`` all give ``919876543210``.
    A number without a country code is read in ``default_region`` (an ISO country like "IN").
    """

    written = text.strip()
    if _scientific().fullmatch(written):
        raise ValueError(
            f"{written!r} is not a phone number: a spreadsheet wrote it in scientific notation, "
            "which lost its last digits; format the column as text and type the numbers again"
        )
    compact = _separators().sub("", _without_decimal_zeros(written))
    if not compact:
        raise ValueError("the number is empty")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif is_digits(compact) and default_region is None:
        compact = "+" + compact  # digits only: the API form already starts with the country code
    if not is_digits(compact.removeprefix("+")):
        hidden = _hidden_character(written, compact)
        raise ValueError(
            f"{written!r} is not a phone number: " + (hidden or "use digits, spaces and '+' only")
        )
    if is_digits(compact) and len(compact) > _longest_mobile(default_region):
        # More digits than a mobile of the region has: written the API's way (the country code
        # first: 14155550100, 447700900123), read so, not as a local number. Too few digits
        # stay local (987654321 is an Indian mobile missing a digit, not Iran).
        possible, international = _read("+" + compact, None)
        if possible:
            return international.lstrip("+")
    possible, compact = _read(compact, default_region)
    if not possible:
        raise ValueError(
            f"{text.strip()!r} is not a possible phone number: include the country code, "
            "for example +91 98765 43210"
        )
    return compact.lstrip("+")


# Characters that take no room on screen: Unicode's default-ignorable ones outside the format
# (Cf) and control (Cc) categories: the combining grapheme joiner, Hangul fillers, Khmer
# inherent vowels, Mongolian variation selectors, variation selectors, and tags.
_IGNORABLE = (  # as ranges of code points, first and last: a set of each would be 260 kB
    *((point, point) for point in (0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0)),
    *((0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0000, 0xE0FFF)),
)


def _hidden_character(written: str, compact: str) -> str | None:
    """When ``compact`` would be digits but for characters no one can see (a zero-width space
    or a direction mark pasted with the number), the first of them, named, with its place in
    ``written``; None when there is none, or when what is left is no number either."""
    if written.isascii() and written.isprintable():
        return None  # the common case: no unicodedata to load
    import unicodedata

    def hidden(char: str) -> bool:
        point = ord(char)
        return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or any(
            first <= point <= last for first, last in _IGNORABLE
        )

    if not is_digits("".join(c for c in compact if not hidden(c)).removeprefix("+")):
        return None
    from rcs_composer.core.urls import char_name

    position, char = next((i, c) for i, c in enumerate(written, start=1) if hidden(c))
    return (
        f"its character {position} is {char_name(char)}, an invisible character (often "
        "copied along with a number): delete it, or type the number again"
    )


def _read(compact: str, region: str | None) -> tuple[bool, str]:
    """(possible, the number in E.164 when it is) for ``+`` and digits, or digits in
    ``region``: from an earlier number of its kind, else as phonenumbers parses it."""
    import phonenumbers

    known = _by_kind(compact, region)
    if known is not None:
        return known
    parsed = _parse(compact, region)
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        return False, compact
    return True, phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@functools.cache
def _longest_mobile(region: str | None) -> int:
    """How many digits the longest mobile number of ``region`` has without its country code
    (RCS goes to mobiles); the most E.164 allows when the region is unknown."""
    import phonenumbers

    metadata = phonenumbers.PhoneMetadata.metadata_for_region((region or "").upper(), None)
    if metadata is None or metadata.mobile is None:
        return MAX_E164_DIGITS
    lengths = metadata.mobile.possible_length
    if (not lengths or lengths == (-1,)) and metadata.general_desc is not None:
        lengths = metadata.general_desc.possible_length  # "as the general description"
    return max(lengths, default=MAX_E164_DIGITS)


# ---------------------------------------------------------------- numbers read by their kind

# A file of 100,000 recipients holds 100,000 different numbers, and parsing one costs more than
# checking its whole message. phonenumbers reads most of them the same way, digit for digit:
#
# - ``+`` and digits (E.164): the digits after the country code are the national number,
#   unless the national-prefix pattern of that country matches at their start (the 0 of
#   +44 0 20...);
# - digits alone, read in a default region: they are the national number, unless the region's
#   international prefix (00), its country code or its national-prefix pattern (0) matches at
#   their start;
#
# and whether a number is possible depends on its country and that national number's length
# alone (is_possible_number is documented as a length check). So phonenumbers reads the first
# number of each kind (region, form, country code, length) and its verdict answers for the
# others; every other number is read by phonenumbers itself. The first of a kind must come back
# as written, or its kind is never answered for. tests/core/test_phones.py compares both ways
# over tens of thousands of numbers of every country code and region, and hostile forms.
_BY_KIND: dict[tuple[str | None, bool, int, int], bool] = {}


@functools.cache
def _pattern_at_start(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


@functools.cache
def _national_prefix(country_code: int) -> re.Pattern[str] | None:
    """The pattern phonenumbers strips from the start of a national number of this country
    written after its country code, if it has one."""
    import phonenumbers

    region = phonenumbers.region_code_for_country_code(country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
    return _pattern_at_start(metadata.national_prefix_for_parsing if metadata else None)


def _matches_at_start(pattern: re.Pattern[str] | None, digits: str) -> bool:
    return pattern is not None and pattern.match(digits) is not None


def _by_kind(compact: str, region: str | None) -> tuple[bool, str] | None:
    """(possible, the number in E.164) for ``compact`` (``+`` and digits, or digits), from an
    earlier number of its kind; None when phonenumbers must read it."""
    import phonenumbers

    international = compact.startswith("+")
    if international:
        if not is_e164(compact):
            return None
        digits = compact[1:]
        # Country calling codes are 1 to 3 digits and none is the start of another (E.164).
        for size in (1, 2, 3):
            country_code = int(digits[:size])
            if country_code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                break
        else:
            return None
        national = digits[size:]
        if _matches_at_start(_national_prefix(country_code), national):
            return None
    else:
        metadata = phonenumbers.PhoneMetadata.metadata_for_region((region or "").upper(), None)
        if metadata is None or metadata.country_code is None or len(compact) > MAX_E164_DIGITS:
            return None
        national, country_code = compact, metadata.country_code
        if (
            national.startswith(str(country_code))
            or _matches_at_start(_pattern_at_start(metadata.international_prefix), national)
            or _matches_at_start(_pattern_at_start(metadata.national_prefix_for_parsing), national)
        ):
            return None
    written = f"+{country_code}{national}"
    kind = (region, international, country_code, len(national))
    possible = _BY_KIND.get(kind)
    if possible is None:
        parsed = _parse(compact, region)
        if parsed is None:
            possible = False
        elif phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) == written:
            possible = bool(phonenumbers.is_possible_number(parsed))
        else:
            return None  # read otherwise than written: each number of this kind is parsed
        _BY_KIND[kind] = possible
    return possible, written
