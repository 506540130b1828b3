"""What a Kaleyra call can end in: results, and one exception family with sentences for people."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rcs_composer.core.field_paths import FieldPath
from rcs_composer.services.redaction import redact, redact_json

# Kaleyra's codes in plain words (K:rcs-api-messages-api-error-responses and seed 003).
KALEYRA_CODES: Mapping[str, str] = {
    "1400": "Kaleyra found a problem in the message",
    "1405": "Kaleyra does not allow this method on this address",
    "1417": "Kaleyra says a recipient number is not valid",
    "1419": "Kaleyra says the sender is not registered for this account",
    "1420": "Kaleyra says the time to live is not valid",
    "1423": "Kaleyra says RCS is not supported for this recipient or channel",
    "RCS405": "Kaleyra does not allow this method on this address",
    "RCS601": "RCS is not enabled for this Kaleyra account",
    "RCS701": "Kaleyra could not read the JSON that was sent",
    "RCS1104": "Kaleyra refused the template",
    "RCS502": "Kaleyra's gateway had an internal error",
}
NEXT_STEPS: Mapping[str, str] = {
    "1400": "Fix the field named above and send again.",
    "1417": "Check the recipient numbers: country code and digits, no '+'.",
    "1419": "Check the sender in Profiles.",
    "1420": "Use a positive number of seconds for the time to live.",
    "1423": "Check that the recipient's phone supports RCS.",
    "RCS601": "Ask your Kaleyra representative to enable the RCS channel.",
    "RCS1104": "Fix the template as described and try again.",
    "RCS502": "Try again in a few minutes.",
}
# Codes (and their advice) about something that was sent: a read sent nothing to fix.
SENT_SOMETHING_CODES = frozenset({"1400", "1417", "1419", "1420", "RCS701", "RCS1104"})
# A JSONPath as servers write one: $.a.b[0], $['a'], in either body spelling.
_PATH = re.compile(r"(\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d{1,9}\]|\['(?:[^'\\]|\\.){1,200}'\])+)")


@dataclass(frozen=True)
class Delivery:
    recipient: str
    message_id: str


@dataclass(frozen=True)
class SendResult:
    deliveries: tuple[Delivery, ...]
    raw: Any = field(repr=False, default=None)

    @property
    def message_ids(self) -> dict[str, str]:
        return {delivery.recipient: delivery.message_id for delivery in self.deliveries}


@dataclass(frozen=True)
class TemplateResult:
    template_id: str
    template_number: str | None
    status: str | None
    placeholders: tuple[str, ...]
    raw: Any = field(repr=False, default=None)


class KaleyraError(Exception):
    """Base of every failure of a Kaleyra call. ``user_message()`` is what a person reads.

    The message and the details are redacted here, once, for every subclass: they may quote
    what a server or proxy sent back, and a server may echo the request's api-key header.
    """

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(redact(message))
        self._details = redact(details)

    def user_message(self) -> str:
        return str(self)

    def details(self) -> str:
        return self._details

    @property
    def may_have_been_sent(self) -> bool:
        return False


class ApiError(KaleyraError):
    """Kaleyra answered with an error body."""

    def __init__(
        self,
        *,
        status: int,
        code: str | int | None,
        message: str,
        error_code: str | None = None,
        error_message: str | None = None,
        body: str = "",
        headers: str = "",
        reading: bool = False,
    ) -> None:
        self.status = status
        self.reading = reading  # the call only read: no advice to fix what was sent
        self.code = redact_json(code)
        self.api_message = redact(message)
        self.error_code = redact_json(error_code)
        self.error_message = redact(error_message) if error_message is not None else None
        said = f"{self.api_message} {self.error_message or ''}"
        # The field Kaleyra names, whatever spelling its path is in; json_path is the field's
        # path in the message spelling the editors use (or the path as written, when it names
        # nothing the composer knows).
        self.field = find_field(said)
        self.json_path = str(self.field) if self.field is not None else find_json_path(said)
        self.body = redact(body)[:2000]  # redacted before the cut, so no half key is left
        self.headers = redact(headers)
        super().__init__(self._sentence(), details=self._developer_details())

    def _sentence(self) -> str:
        code = str(self.code) if self.code is not None else ""
        reading = getattr(self, "reading", False)
        if reading and code in SENT_SOMETHING_CODES:
            what = f"Kaleyra did not give the template (HTTP {self.status})"
        else:
            what = KALEYRA_CODES.get(code, f"Kaleyra refused the request (HTTP {self.status})")
        said = self.error_message or self.api_message
        sentence = f"{what}: {said}" if said else what
        if code:
            sentence += f" ({code})"
        sentence += "."
        field = getattr(self, "field", None)
        if field is not None and field.steps:
            sentence += f" The field is {field.human_label()}."
        step = None if reading and code in SENT_SOMETHING_CODES else NEXT_STEPS.get(code)
        return f"{sentence} {step}" if step else sentence

    def _developer_details(self) -> str:
        head = f"HTTP {self.status}; code {self.code!r}; error_code {self.error_code!r}"
        headers = f"\n{self.headers}" if self.headers else ""
        return f"{head}{headers}\n\n{self.body}" if headers else f"{head}\n{self.body}"


class AuthError(ApiError):
    def _sentence(self) -> str:
        return (
            f"Kaleyra did not accept the API key (HTTP {self.status}). Check the key and SID in "
            "Profiles, and whether the key is limited to certain IP addresses."
        )


class RateLimited(ApiError):
    def __init__(self, *, retry_after: float | None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)

    def _sentence(self) -> str:
        wait = f" Try again {waiting(self.retry_after)}." if self.retry_after else ""
        if self.status == 429:
            return f"Kaleyra is limiting the request rate (HTTP 429).{wait}"
        return f"Kaleyra's server is unavailable for now (HTTP {self.status}).{wait}"


def waiting(seconds: float) -> str:
    """A wait the server asked for, as a person says it ("in 30 s", "in 5 min", "in 3 h");
    more than a day is not a wait anyone plans by, and reads "later"."""
    if seconds < 120:
        return f"in {round(seconds)} s"
    if seconds < 2 * 3600:
        return f"in {round(seconds / 60)} min"
    if seconds <= 24 * 3600:
        return f"in {round(seconds / 3600)} h"
    return "later"


class ServerUnavailable(ApiError):
    def _sentence(self) -> str:
        return f"Kaleyra's server had a problem (HTTP {self.status}). Try again in a few minutes."


class BadResponse(KaleyraError):
    """An answer that is not Kaleyra's JSON: a proxy's HTML page, an empty body."""


class NetworkError(KaleyraError):
    """The request did not get an answer."""


class ConnectFailed(NetworkError):
    pass


class DnsFailed(NetworkError):
    pass


class TlsFailed(NetworkError):
    pass


class ConnectTimeout(NetworkError):
    pass


class OutcomeUnknown(NetworkError):
    """The request may have reached Kaleyra: never resent automatically."""

    @property
    def may_have_been_sent(self) -> bool:
        return True


class ReadFailed(NetworkError):
    """A read (GET) got no whole answer: nothing was changed, it can simply be tried again."""


def find_json_path(text: str) -> str | None:
    """The JSONPath Kaleyra names in ``Request invalid: Path $.a.b: reason``, if any."""
    match = _PATH.search(text)
    return match.group(1) if match else None


def find_field(text: str) -> FieldPath | None:
    """The field a server's error names (``Path $.rich_card_standalone.content.title``): the
    deepest field the composer knows on the way to the path, in either spelling, or None."""
    path = find_json_path(text)
    return FieldPath.nearest(path) if path is not None else None
