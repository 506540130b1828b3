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
    import phonenumbers

    parsed = _parse(number)
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        return Check.IMPOSSIBLE
    return Check.VALID if phonenumbers.is_valid_number(parsed) else Check.UNLIKELY


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
    import phonenumbers

    compact = _separators().sub("", text.strip())
    if not compact:
        raise ValueError("the number is empty")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    elif is_digits(compact) and default_region is None:
        compact = "+" + compact  # digits only: the API form already starts with the country code
    if not is_digits(compact.removeprefix("+")):
        raise ValueError(f"{text.strip()!r} is not a phone number: use digits, spaces and '+' only")
    parsed = _parse(compact, default_region)
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        raise ValueError(
            f"{text.strip()!r} is not a possible phone number: include the country code, "
            "for example +91 98765 43210"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
