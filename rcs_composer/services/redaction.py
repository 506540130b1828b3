"""One registry of secrets, and ``redact`` for every text that may reach a screen or a file."""

from __future__ import annotations

import json
import re
import threading
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 4  # shorter values would redact ordinary words
PARTIAL_RUN = 12  # this many of a key's characters in a row are redacted, wherever they are
MIN_PARTIAL_SECRET = 16  # from this length on: a run of 12 is then no ordinary word
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_runs: Runs | None = None
_lock = threading.Lock()


def forms_of(secret: str) -> set[str]:
    """The ways a server, proxy or library may write ``secret`` back: plain, URL, HTML, JSON,
    base64 and hex."""
    import base64  # only once a secret is known: every command imports this module at start
    import html

    raw = secret.encode()
    in_base64 = {base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode()}
    return {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        html.escape(secret),
        html.escape(secret, quote=False),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=True)[1:-1],
        raw.hex(),
        *in_base64,
        *(form.rstrip("=") for form in in_base64),
    }


def register_secret(value: str) -> None:
    """From now on, ``redact`` removes ``value`` (in any of its encoded forms) from every text."""
    global _pattern, _runs
    value = value.strip()
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        forms = {form for secret in _secrets for form in forms_of(secret)}
        # Longest first, so a form that contains another is replaced whole; case-insensitive
        # because percent-escapes come as %2B or %2b.
        alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
        _pattern = re.compile(alternatives, re.IGNORECASE)
        _runs = Runs.of(_secrets)


class Runs:
    """Part of a key, echoed: any ``PARTIAL_RUN`` or more of its characters in a row. A gateway
    that writes back the start of a key ("invalid key 5f8e2c1d9ab3…") would otherwise leave
    most of it in a log or the history. Only keys of ``MIN_PARTIAL_SECRET`` or more count."""

    def __init__(self, candidates: re.Pattern[str], windows: dict[str, tuple[str, int]]) -> None:
        self.candidates = candidates  # runs of characters the keys are made of
        self.windows = windows  # each PARTIAL_RUN-long piece of a key: (the key, where)

    @classmethod
    def of(cls, secrets: set[str]) -> Runs | None:
        long_ones = sorted(
            secret.lower() for secret in secrets if len(secret) >= MIN_PARTIAL_SECRET
        )
        if not long_ones:
            return None
        windows = {
            secret[start : start + PARTIAL_RUN]: (secret, start)
            for secret in long_ones
            for start in range(len(secret) - PARTIAL_RUN + 1)
        }
        characters = "".join(sorted({c for secret in long_ones for c in secret}))
        candidates = re.compile(f"[{re.escape(characters)}]{{{PARTIAL_RUN},}}", re.IGNORECASE)
        return cls(candidates, windows)

    def redact(self, text: str) -> str:
        return self.candidates.sub(self._redact_word, text)

    def _redact_word(self, match: re.Match[str]) -> str:
        word = match.group()
        lowered, parts, kept, at = word.lower(), [], 0, 0
        while at <= len(word) - PARTIAL_RUN:
            found = self.windows.get(lowered[at : at + PARTIAL_RUN])
            if found is None:
                at += 1
                continue
            secret, offset = found
            end, next_in_secret = at + PARTIAL_RUN, offset + PARTIAL_RUN
            while end < len(word) and next_in_secret < len(secret):
                if lowered[end] != secret[next_in_secret]:
                    break
                end, next_in_secret = end + 1, next_in_secret + 1
            parts += [word[kept:at], REDACTED]
            kept = at = end
        return "".join([*parts, word[kept:]]) if parts else word


def redact(text: str) -> str:
    pattern, runs = _pattern, _runs
    if pattern is None or not text:
        return text
    text = pattern.sub(REDACTED, text)
    return runs.redact(text) if runs is not None else text


def redact_json(value: Any) -> Any:
    """``value`` with every string in it (keys included) redacted; other values unchanged."""
    if _pattern is None:
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact_json(key): redact_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_json(item) for item in value)
    return value
