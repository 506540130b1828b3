"""One registry of secrets, and ``redact`` for every text that may reach a screen or a file."""

from __future__ import annotations

import json
import re
import threading
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 4  # shorter values would redact ordinary words
_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None
_lock = threading.Lock()


def forms_of(secret: str) -> set[str]:
    """The ways a server, proxy or library may write ``secret`` back: plain, URL, HTML, JSON."""
    import html  # only once a secret is known: every command imports this module at start

    return {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        html.escape(secret),
        html.escape(secret, quote=False),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=True)[1:-1],
    }


def register_secret(value: str) -> None:
    """From now on, ``redact`` removes ``value`` (in any of its encoded forms) from every text."""
    global _pattern
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


def redact(text: str) -> str:
    pattern = _pattern
    if pattern is None or not text:
        return text
    return pattern.sub(REDACTED, text)


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
