"""Sending a test: the recipients, the exact body, what stops it, and the send with its record."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rcs_composer.core import codecs
from rcs_composer.core.field_paths import ROOT, FieldPath, human_label, located
from rcs_composer.core.issues import Issue, Region
from rcs_composer.core.model import Draft
from rcs_composer.core.outgoing import messages_path, prepare_send
from rcs_composer.core.phones import Check, check_mobile
from rcs_composer.core.rules import RULES
from rcs_composer.core.validation import normalize_recipient, validate
from rcs_composer.core.variables import braces_in_body, variable_pattern, variable_problems

if TYPE_CHECKING:
    from rcs_composer.app.services import Services
    from rcs_composer.services.kaleyra_replies import SendResult
    from rcs_composer.services.profiles import Profile

log = logging.getLogger("rcs_composer.send")
COUNTRY_OF_REGION = {Region.IN: "IN", Region.NA: "US"}  # numbers typed without a country code
MAX_RECIPIENTS = RULES["envelope.to.too_many"].limit(None)
_SPLIT = re.compile(r"[,;\n]+")


@dataclasses.dataclass(frozen=True)
class RecipientEntry:
    """One recipient as the user typed it, what it becomes, and whether it can be sent to.

    ``values`` are this recipient's own ``{{variable}}`` values, for sends where each row
    carries its own; empty means the shared values apply. One plan takes one set of values,
    so recipients with values of their own need a plan (a send) per set."""

    typed: str
    number: str | None = None  # the API's form: country code and digits, no '+'
    problem: str | None = None  # why it is skipped; None when it is sent to
    warning: str | None = None  # sent to, but worth a look (an unassigned range)
    repeat_of: int | None = None  # the 1-based entry with the same number, which is sent to
    values: Mapping[str, str] = dataclasses.field(default_factory=dict)
    sent: bool = False  # sent already from this dialog: not sent again, not "skipped" either

    @property
    def ok(self) -> bool:
        return self.number is not None and self.problem is None and not self.sent

    @property
    def e164(self) -> str:
        return f"+{self.number}" if self.number else ""

    @property
    def status(self) -> str:
        """A word or two for the recipients list."""
        if self.sent:
            return "✔ sent"
        if self.repeat_of is not None:
            return "= repeat"
        if self.problem is not None:
            return "✖ skipped"
        return "⚠ check" if self.warning else "✔ ok"

    @property
    def reason(self) -> str:
        if self.sent:
            return "Sent already from this dialog: not sent again."
        return self.problem or self.warning or "will be sent"


def read_recipients(text: str, country: str | None) -> list[RecipientEntry]:
    """Every entry of ``text`` (commas, semicolons or lines) with its own status: a number
    in the API's form, or the reason it will be skipped (not a number, a repeat, over the
    per-send limit)."""
    entries: list[RecipientEntry] = []
    seen: dict[str, int] = {}
    sendable = 0
    for typed in (part.strip() for part in _SPLIT.split(text)):
        if not typed:
            continue
        try:
            number = normalize_recipient(typed, country)
        except ValueError as exc:
            said = str(exc).removeprefix(f"{typed!r} is ")  # the list shows what was typed
            entries.append(RecipientEntry(typed, problem=_capital(said) + "."))
            continue
        if number in seen:
            problem = f"Same number as entry {seen[number]}: it gets one message."
            entries.append(RecipientEntry(typed, number, problem=problem, repeat_of=seen[number]))
            continue
        seen[number] = len(entries) + 1
        if sendable >= MAX_RECIPIENTS:
            problem = f"Kaleyra takes at most {MAX_RECIPIENTS} numbers in one send."
            entries.append(RecipientEntry(typed, number, problem=problem))
            continue
        sendable += 1
        entries.append(RecipientEntry(typed, number, warning=range_warning(number)))
    return entries


def range_warning(number: str) -> str | None:
    """A sentence for a number (the API's digits) of a possible length in no range in use, or
    in a range of landlines or services, which no phone receives RCS on."""
    check, not_mobile = check_mobile("+" + number)
    if check is Check.UNLIKELY:
        return "Not a number range in use as far as we know: check it."
    if not_mobile is not None:
        return f"A {not_mobile} number as far as we know: RCS messages reach mobile phones only."
    return None


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def parse_recipients(text: str, country: str | None) -> tuple[list[str], list[str]]:
    """Numbers in the API's form from text in any common form, and a sentence for each entry
    that is not a number (repeats are dropped quietly)."""
    numbers, problems = [], []
    for entry in read_recipients(text, country):
        if entry.ok and entry.number is not None:
            numbers.append(entry.number)
        elif entry.problem and entry.repeat_of is None:
            problems.append(f"{entry.typed}: {entry.problem}")
    return numbers, problems


@dataclasses.dataclass(frozen=True)
class BracesLeft:
    """A text of the body that would reach Kaleyra with braces: a ``{{name}}`` with no value,
    or (``name`` None) braces that make no variable, such as ``{{na me}}`` or a lone ``{{``."""

    path: str  # where in the body, as validate writes it
    piece: str  # what would go out, quoted
    name: str | None = None

    @property
    def sentence(self) -> str:
        if self.name is not None:
            return f"{{{{{self.name}}}}} has no value: fill it in, or send the braces as they are."
        return (
            f"{self.piece} would go out with its braces, as no variable: write a variable as "
            "{{name}}, or send the braces as they are."
        )


def braces_left(body: Mapping[str, Any]) -> tuple[BracesLeft, ...]:
    """Every place of ``body`` that would go out with braces, in wire order."""
    found: list[BracesLeft] = []
    for path, text in braces_in_body(body):
        for match in variable_pattern().finditer(text):
            found.append(BracesLeft(path, repr(match.group(0)), match.group(1)))
        found.extend(BracesLeft(path, piece) for _code, piece in variable_problems(text))
    return tuple(found)


def _unfilled_reasons(left: Sequence[BracesLeft]) -> list[str]:
    """One sentence per name with no value (naming its fields), one per malformed piece."""
    fields: dict[str, list[str]] = {}
    reasons: list[str] = []
    for place in left:
        if place.name is None:
            reasons.append(located(place.path, place.sentence))
        else:
            fields.setdefault(place.name, []).append(human_label(place.path))
    for name, labels in fields.items():
        shown = ", ".join(dict.fromkeys(labels[:3]))
        more = len(dict.fromkeys(labels)) - 3
        where = shown + (f" and {more} more" if more > 0 else "")
        reasons.append(
            f"{{{{{name}}}}} has no value ({where}): fill it in, or choose to send the braces "
            "as they are."
        )
    return reasons


RECIPIENTS = ROOT.child("to")  # the envelope's recipients


def _is_within(path: str, within: FieldPath) -> bool:
    field = FieldPath.nearest(path)
    return field is not None and field.is_within(within)


@dataclasses.dataclass(frozen=True)
class SendPlan:
    """What a send would post, and every reason it may not go yet."""

    body: dict[str, Any]
    recipients: tuple[str, ...]
    errors: tuple[Issue, ...]  # validation errors of the filled-in message
    unfilled: tuple[str, ...]  # {{variables}} that would go out with their braces
    literal_variables: bool = False
    left: tuple[BracesLeft, ...] = ()  # every place braces would go out, the names' included
    RECIPIENTS: ClassVar[FieldPath] = RECIPIENTS

    @property
    def reasons(self) -> list[str]:
        """Sentences naming the field as the editor does; empty when it may be sent."""
        return self.reasons_besides(None)

    def reasons_besides(self, within: FieldPath | None) -> list[str]:
        """The reasons, less those of the fields ``within`` (by the issue's path: a dialog
        that shows the recipients' problems beside each number leaves out ``RECIPIENTS``)."""
        reasons = [
            located(issue.path, issue.message)
            for issue in self.errors
            if within is None or not _is_within(issue.path, within)
        ]
        if not self.literal_variables:
            reasons.extend(_unfilled_reasons(self.left))
        return reasons

    @property
    def sends_braces(self) -> bool:
        """Whether anything would go out with braces (the choice to send them literally)."""
        return bool(self.left)

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
    numbers = draft.message.recipients if recipients is None else recipients
    message = prepare_send(
        draft.message,
        sender=draft.message.sender or profile.sender,
        # One message per phone: a number listed twice would get two, and one id back.
        recipients=None if numbers is None else tuple(dict.fromkeys(numbers)),
        values=values,
    )
    errors = tuple(
        issue
        for issue in validate(message, profile.region, require_envelope=True)
        if issue.is_error
    )
    body = codecs.export_message(message)
    left = braces_left(body)  # the envelope and unknown keys too: nothing slips out with braces
    return SendPlan(
        body,
        tuple(message.recipients or ()),
        errors,
        tuple(dict.fromkeys(place.name for place in left if place.name is not None)),
        literal_variables,
        left,
    )


@dataclasses.dataclass(frozen=True)
class SendOutcome:
    """A send that went out: its ids, and a warning when the history could not be written."""

    result: SendResult
    history_problem: str | None = None
    missing: tuple[str, ...] = ()  # recipients the answer gave no message id for

    @property
    def missing_sentence(self) -> str | None:
        return _no_id_sentence(self.missing) if self.missing else None

    @property
    def message_ids(self) -> dict[str, str]:
        return self.result.message_ids


def send_test(
    services: Services, profile: Profile, plan: SendPlan, draft_name: str, *, again: bool = False
) -> SendOutcome:
    """Post ``plan`` once through ``profile`` (never retried when it may have arrived) and record
    what happened in the send history. Blocking: call it off the GUI thread. A failure is
    recorded and re-raised as the KaleyraError it was. The same body after one with no answer,
    or a moment after one, raises SentBefore unless ``again`` (the user said so)."""
    if not plan.ready:
        raise ValueError("the send plan has problems: " + "; ".join(plan.reasons))
    log.info("test send through profile %s to %d recipient(s)", profile.name, len(plan.recipients))
    return post_and_record(
        services,
        profile,
        lambda: services.client_for(profile).send(plan.body),
        endpoint=f"POST {messages_path(profile.sid)}",
        draft_name=draft_name,
        recipients=plan.recipients,
        body=plan.body,
        again=again,
    )


def post_and_record(
    services: Services,
    profile: Profile,
    post: Callable[[], SendResult],
    *,
    endpoint: str,
    draft_name: str,
    recipients: Sequence[str],
    body: Mapping[str, Any],
    again: bool = False,
) -> SendOutcome:
    """Run ``post`` once and write what happened to the send history: the ids when it went
    out, the error (and whether the outcome is unknown) when not. The error is re-raised.

    ``body`` is what ``post`` sends (its digest is kept and guards it): SendInFlight while the
    same body is out, SentBefore after one with no answer or a moment after one, unless
    ``again``."""
    from rcs_composer.app.send_guard import body_digest
    from rcs_composer.services.history import SendRecord
    from rcs_composer.services.kaleyra_replies import KaleyraError, OutcomeUnknown

    digest = body_digest(body)
    key = (profile.name, digest)
    guard = services.send_guard
    record = SendRecord(
        time=datetime.now(UTC).isoformat(timespec="seconds"),
        profile=profile.name,
        endpoint=endpoint,
        draft_name=draft_name,
        recipients=tuple(recipients),
        outcome="sent",
        body_digest=digest,
    )
    with guard.sending(key, again=again, history=services.history):
        try:
            result = post()
        except KaleyraError as exc:
            outcome = "unknown" if isinstance(exc, OutcomeUnknown) else "failed"
            guard.finished(key, outcome, record.time)
            log.warning("send through profile %s %s: %s", profile.name, outcome, exc.user_message())
            with contextlib.suppress(OSError):  # the error is what the user must see
                services.history.append(
                    dataclasses.replace(record, outcome=outcome, error=exc.user_message())
                )
            raise
        guard.finished(key, "sent", record.time)
    answered = {number.lstrip("+") for number in result.message_ids}
    missing = tuple(number for number in recipients if number.lstrip("+") not in answered)
    if missing:  # accepted, but no id for these: whether they got it is not known
        record = dataclasses.replace(record, error=_no_id_sentence(missing))
    try:
        services.history.append(dataclasses.replace(record, message_ids=result.message_ids))
    except OSError as exc:  # it went out: the ids matter more than the record
        return SendOutcome(result, f"the send history could not be written: {exc}", missing)
    return SendOutcome(result, missing=missing)


def _no_id_sentence(missing: Sequence[str]) -> str:
    shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
    return (
        f"Kaleyra accepted the send but gave no message id for {shown}: whether "
        f"{'it' if len(missing) == 1 else 'they'} got the message is not known; check before "
        "sending to them again."
    )
