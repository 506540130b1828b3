"""Checks written with str methods answer exactly as the regular expressions they replace.

Each is compared with the expression over every code point, and over generated and hostile text.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rcs_composer.core import urls
from rcs_composer.core.codecs import ParseError, parse_json_text
from rcs_composer.core.phones import is_digits, is_e164
from rcs_composer.core.wire import child_path, is_simple_key

DIGITS = re.compile(r"[0-9]+")
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# The whole Basic Multilingual Plane; beyond it the tricky alphabet below has a digit.
BMP = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF]
ASCII = [chr(code) for code in range(128)]
# Digits of other scripts, signs, spaces and what str.isdigit takes that [0-9] does not.
TRICKY = "0123456789+-_ aZ\u0660\u06f0\u0966\uff10\u00b2\u2460\U0001d7ce\n\x00\u200b"
tricky_text = st.text(alphabet=TRICKY, max_size=20)


def test_every_single_character_is_judged_as_the_expressions_judge_it() -> None:
    for char in BMP:
        assert is_digits(char) == bool(DIGITS.fullmatch(char)), repr(char)
        assert is_simple_key(char) == bool(SIMPLE_KEY.fullmatch(char)), repr(char)
        for text in ("+1" + char, "+" + char + "2", "a" + char):
            assert is_e164(text) == bool(E164.fullmatch(text)), repr(text)
            assert is_simple_key(text) == bool(SIMPLE_KEY.fullmatch(text)), repr(text)


@given(st.text(max_size=20) | tricky_text)
def test_any_text_is_judged_as_the_expressions_judge_it(text: str) -> None:
    assert is_digits(text) == bool(DIGITS.fullmatch(text))
    assert is_simple_key(text) == bool(SIMPLE_KEY.fullmatch(text))
    for number in (text, "+" + text, "+1" + text):
        assert is_e164(number) == bool(E164.fullmatch(number))


def test_e164_lengths_at_and_around_the_limits() -> None:
    for length in range(20):
        for first in "0123456789":
            number = "+" + (first + "5" * length)[:length]
            assert is_e164(number) == bool(E164.fullmatch(number)), number
    assert is_e164("+123456789012345") and not is_e164("+1234567890123456")
    assert not is_e164("+1") and is_e164("+12") and not is_e164("+01234")
    assert not is_e164("+1\n") and not is_e164("+9198765\u0966")


def test_an_odd_key_is_still_written_quoted() -> None:
    assert child_path("$", "title") == "$.title"
    assert child_path("$", "naïve") == "$['naïve']"
    assert child_path("$", "if") == "$.if"  # a keyword is a plain name in a path
    assert child_path("$", "9lives") == "$['9lives']"


def space_problem_by_characters(url: str) -> urls.UrlFinding | None:
    """What _space_problem said for every URL before its ASCII shortcut."""
    import unicodedata

    for index, char in enumerate(url):
        if char.isspace():
            where = (
                "at the start"
                if index == 0
                else "at the end"
                if not url[index:].strip()
                else "inside it"
            )
            return urls.UrlFinding("url.whitespace", {"value": urls.shown(url), "where": where})
        if unicodedata.category(char) in ("Cc", "Cf"):
            name = unicodedata.name(char, "")
            where = f"U+{ord(char):04X}" + (f" {name}" if name else "")
            return urls.UrlFinding("url.control", {"value": urls.shown(url), "where": where})
    return None


def test_every_ascii_url_character_and_pair_finds_the_same_problem() -> None:
    # Only an ASCII URL takes the shortcut; any other goes through the characters as before.
    for first in ASCII:
        for second in ASCII:
            for url in (first + second, f"https://a{first}.in/{second}"):
                assert urls._space_problem(url) == space_problem_by_characters(url), repr(url)
    for char in BMP[128:]:
        url = f"https://a.in/{char}"
        assert urls._space_problem(url) == space_problem_by_characters(url), repr(url)


@given(st.text(max_size=30))
def test_any_url_finds_the_same_problem(url: str) -> None:
    assert urls._space_problem(url) == space_problem_by_characters(url)


def test_a_byte_order_mark_is_dropped_once_and_bad_bytes_are_named_by_position() -> None:
    assert parse_json_text(b'\xef\xbb\xbf{"text": "hi"}').data == {"text": "hi"}
    assert parse_json_text(b'{"text": "hi"}').data == {"text": "hi"}
    for data, position in ((b"\xef\xbb\xbf\xff", 0), (b'{"a": "\xfe"}', 7), (b"ab\xff", 2)):
        with pytest.raises(ParseError, match=rf"not UTF-8 text \(byte {position}\)"):
            parse_json_text(data)
    with pytest.raises(ParseError, match="two byte order marks"):  # a second is no white space
        parse_json_text(b"\xef\xbb\xbf\xef\xbb\xbf{}")
