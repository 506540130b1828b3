"""Test a profile's connection and key with one harmless request, in words a person can act on."""

from __future__ import annotations

import enum
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rcs_composer.core.outgoing import api_url, templates_path
from rcs_composer.services.kaleyra import (
    InsecureUrl,
    KaleyraClient,
    ProbeAnswer,
    ProbeFailed,
    header_text,
    probe_template,
)
from rcs_composer.services.redaction import redact
from rcs_composer.services.secrets import (
    KeyringUnavailable,
    MissingApiKey,
    resolve_api_key,
    unusable_character,
)

if TYPE_CHECKING:
    from rcs_composer.app.services import Services
    from rcs_composer.services.profiles import Profile

log = logging.getLogger("rcs_composer.connection")
TIMEOUT_S = 10.0  # a test that waits longer than this tells the user less, not more


class Verdict(enum.Enum):
    ACCEPTED = "key accepted"
    NO_KEY = "no key"
    NO_SID = "no SID"
    NO_NETWORK = "no network"
    DNS = "DNS"
    TLS = "TLS"
    TIMEOUT = "timeout"
    WRONG_ADDRESS = "wrong pod or base URL"
    KEY_REFUSED = "key refused"
    UNEXPECTED = "unexpected reply"


_FAILURE_VERDICTS = {
    "no_network": Verdict.NO_NETWORK,
    "dns": Verdict.DNS,
    "tls": Verdict.TLS,
    "timeout": Verdict.TIMEOUT,
    "refused": Verdict.WRONG_ADDRESS,
    "connection": Verdict.UNEXPECTED,
    "unexpected": Verdict.UNEXPECTED,
}


@dataclass(frozen=True)
class ConnectionCheck:
    """What the test found: a verdict, one sentence for the user, and details for developers.
    Neither text ever holds the key."""

    verdict: Verdict
    message: str
    details: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict is Verdict.ACCEPTED


def check_connection(
    services: Services,
    profile: Profile,
    api_key: str | None = None,
    *,
    timeout: float = TIMEOUT_S,
) -> ConnectionCheck:
    """GET a template id that cannot exist, with the profile's key (``api_key`` when given,
    for a key typed but not saved yet): an accepted key gets Kaleyra's 404 for the unknown
    id, a refused one 401 (or 403, K:rcs-error-codes), and nothing is created or sent.
    Blocking: run it off the GUI thread."""
    if not profile.is_sandbox and not profile.sid.strip():
        return ConnectionCheck(
            Verdict.NO_SID, "The profile has no SID: copy it from the kaleyra.io dashboard."
        )
    try:
        key = api_key or resolve_api_key(services.keys, profile.name, is_sandbox=profile.is_sandbox)
    except (MissingApiKey, KeyringUnavailable) as exc:
        return ConnectionCheck(Verdict.NO_KEY, str(exc))
    unusable = unusable_character(api_key) if api_key else None  # resolve_api_key checks its own
    if unusable:  # a key typed in the dialog, not saved yet
        return ConnectionCheck(Verdict.NO_KEY, f"The API key cannot be used: {unusable}.")
    try:
        base = services.ensure_sandbox() if profile.is_sandbox else profile.templates_base_url
        if not base:
            return ConnectionCheck(
                Verdict.WRONG_ADDRESS, "The profile has no base URL: choose a pod or type one."
            )
        client = KaleyraClient(
            base,
            profile.sid,
            key,
            connect_timeout=timeout,
            read_timeout=timeout,
            deadline=timeout * 2,
        )
    except InsecureUrl as exc:
        return ConnectionCheck(Verdict.WRONG_ADDRESS, str(exc))
    probe_id = str(uuid.uuid4())  # random, so it names no template of the account
    host = urlsplit(base).hostname or base
    asked = f"GET {api_url(client.base_url, templates_path(profile.sid, probe_id))}"
    try:
        answer = probe_template(client, probe_id)
    except ProbeFailed as failed:
        verdict = _FAILURE_VERDICTS.get(failed.kind, Verdict.UNEXPECTED)
        return ConnectionCheck(verdict, str(failed), redact(f"{asked}\n{failed.details()}"))
    check = _judge(answer, host, profile)
    details = f"{asked}\nHTTP {answer.status}\n{header_text(answer.headers)}\n\n{answer.text}"
    log.info("connection test of profile %s: %s", profile.name, check.verdict.value)
    return ConnectionCheck(check.verdict, redact(check.message), redact(details))


def _judge(answer: ProbeAnswer, host: str, profile: Profile) -> ConnectionCheck:
    status = answer.status
    where = "the built-in sandbox" if profile.is_sandbox else host
    if status in (401, 403):
        hint = (
            " A 403 can also mean the key is limited to certain IP addresses."
            if status == 403
            else ""
        )
        return ConnectionCheck(
            Verdict.KEY_REFUSED,
            f"Key refused: {where} answered HTTP {status}. Check the API key and the SID "
            f"({profile.sid or 'none set'}) in this profile.{hint}",
        )
    if 300 <= status < 400:
        target = answer.headers.get("Location", "") or "an address it did not name"
        return ConnectionCheck(
            Verdict.WRONG_ADDRESS,
            f"{host} answered with a redirect (HTTP {status}) to {target}: the base URL is not "
            "Kaleyra's RCS API. Check the pod or base URL.",
        )
    if answer.is_kaleyra_json and (status < 300 or status in (400, 404, 422)):
        return ConnectionCheck(
            Verdict.ACCEPTED,
            f"Key accepted by {where}: a lookup of a template that does not exist got the "
            f"API's own answer (HTTP {status}), so the address, SID and key work.",
        )
    if status == 429:
        return ConnectionCheck(
            Verdict.UNEXPECTED,
            f"{host} is limiting the request rate (HTTP 429), so the key was not checked. "
            "Try again in a minute.",
        )
    if status >= 500:
        return ConnectionCheck(
            Verdict.UNEXPECTED,
            f"{host} or a proxy on the way had a problem (HTTP {status}), so the key was not "
            "checked. Try again in a few minutes; if it persists, check the base URL.",
        )
    if status in (404, 405) or answer.data is None:
        return ConnectionCheck(
            Verdict.WRONG_ADDRESS,
            f"{host} answered (HTTP {status}) but not as Kaleyra's RCS API: check the pod or "
            "base URL in this profile.",
        )
    return ConnectionCheck(
        Verdict.UNEXPECTED,
        f"{host} gave an unexpected answer (HTTP {status}); the details show what it said.",
    )
