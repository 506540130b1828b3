"""Sending a test: the recipients, the exact body, what stops it, and the send with its record."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rcs_composer.core import codecs
from rcs_composer.core.issues import Issue, Region
from rcs_composer.core.model import Draft
from rcs_composer.core.outgoing import prepare_send
from rcs_composer.core.rules import RULES
from rcs_composer.core.validation import normalize_recipient, validate
from rcs_composer.core.variables import unfilled_variables

if TYPE_CHECKING:
    from rcs_composer.app.services import Services
    from rcs_composer.services.kaleyra_replies import SendResult
    from rcs_composer.services.profiles import Profile

log = logging.getLogger("rcs_composer.send")
COUNTRY_OF_REGION = {Region.IN: "IN", Region.NA: "US"}  # numbers typed without a country code
MAX_RECIPIENTS = RULES["envelope.to.too_many"].limit(None)
_SPLIT = re.compile(r"[,;\n]+")


def parse_recipients(text: str, country: str | None) -> tuple[list[str], list[str]]:
    """Numbers in the API's form from text in any common form, and a sentence for each entry
    that is not a number."""
    numbers, problems = [], []
    for entry in (part.strip() for part in _SPLIT.split(text)):
        if not entry:
            continue
        try:
            number = normalize_recipient(entry, country)
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if number not in numbers:
            numbers.append(number)
    if len(numbers) > MAX_RECIPIENTS:
        problems.append(
            f"{len(numbers)} numbers: Kaleyra takes at most {MAX_RECIPIENTS} in one send."
        )
    return numbers, problems


def unfilled_sentence(names: Sequence[str]) -> str:
    shown = ", ".join(f"{{{{{name}}}}}" for name in names)
    return (
        f"{shown} {'has' if len(names) == 1 else 'have'} no value: fill "
        f"{'it' if len(names) == 1 else 'them'} in, or choose to send the braces as they are."
    )


@dataclasses.dataclass(frozen=True)
class SendPlan:
    """What a send would post, and every reason it may not go yet."""

    body: dict[str, Any]
    recipients: tuple[str, ...]
    errors: tuple[Issue, ...]  # validation errors of the filled-in message
    unfilled: tuple[str, ...]  # {{variables}} that would go out with their braces
    literal_variables: bool = False

    @property
    def reasons(self) -> list[str]:
        """Sentences, with the field's path where there is one; empty when it may be sent."""
        reasons = [f"{issue.path}: {issue.message}" for issue in self.errors]
        if self.unfilled and not self.literal_variables:
            reasons.append(unfilled_sentence(self.unfilled))
        return reasons

    @property
    def ready(self) -> bool:
        return not self.reasons


def plan_send(
    draft: Draft,
    profile: Profile,
    recipients: Sequence[str] | None,
    values: Mapping[str, str],
    *,
    literal_variables: bool = False,
) -> SendPlan:
    """The body for ``recipients`` (API form) with ``values`` filled in, checked as Kaleyra
    would check it; ``recipients`` None keeps the draft's own."""
    message = prepare_send(
        draft.message,
        sender=draft.message.sender or profile.sender,
        recipients=draft.message.recipients if recipients is None else recipients,
        values=values,
    )
    errors = tuple(
        issue
        for issue in validate(message, profile.region, require_envelope=True)
        if issue.is_error
    )
    return SendPlan(
        codecs.export_message(message),
        tuple(message.recipients or ()),
        errors,
        tuple(unfilled_variables(draft.message, values)),
        literal_variables,
    )


@dataclasses.dataclass(frozen=True)
class SendOutcome:
    """A send that went out: its ids, and a warning when the history could not be written."""

    result: SendResult
    history_problem: str | None = None

    @property
    def message_ids(self) -> dict[str, str]:
        return self.result.message_ids


def send_test(services: Services, profile: Profile, plan: SendPlan, draft_name: str) -> SendOutcome:
    """Post ``plan`` once through ``profile`` (never retried when it may have arrived) and record
    what happened in the send history. Blocking: call it off the GUI thread. A failure is
    recorded and re-raised as the KaleyraError it was."""
    from rcs_composer.services.history import SendRecord
    from rcs_composer.services.kaleyra_replies import KaleyraError, OutcomeUnknown

    if not plan.ready:
        raise ValueError("the send plan has problems: " + "; ".join(plan.reasons))
    record = SendRecord(
        time=datetime.now(UTC).isoformat(timespec="seconds"),
        profile=profile.name,
        endpoint=f"POST /v1/{profile.sid}/rcs/messages",
        draft_name=draft_name,
        recipients=plan.recipients,
        outcome="sent",
    )
    log.info("test send through profile %s to %d recipient(s)", profile.name, len(plan.recipients))
    try:
        result = services.client_for(profile).send(plan.body)
    except KaleyraError as exc:
        outcome = "unknown" if isinstance(exc, OutcomeUnknown) else "failed"
        log.warning(
            "test send through profile %s %s: %s", profile.name, outcome, exc.user_message()
        )
        with contextlib.suppress(OSError):  # the error is what the user must see
            services.history.append(
                dataclasses.replace(record, outcome=outcome, error=exc.user_message())
            )
        raise
    try:
        services.history.append(dataclasses.replace(record, message_ids=result.message_ids))
    except OSError as exc:  # it went out: the ids matter more than the record
        return SendOutcome(result, f"the send history could not be written: {exc}")
    return SendOutcome(result)
