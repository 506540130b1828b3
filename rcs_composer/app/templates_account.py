"""The templates on the account: record, refresh, open, compare, update (when allowed), history."""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from rcs_composer.app.templates import template_body, template_errors, template_info
from rcs_composer.core import codecs
from rcs_composer.core.draft_diff import FieldChange, diff_drafts
from rcs_composer.core.field_paths import located
from rcs_composer.core.model import TEMPLATE_TYPE_BY_KIND, Draft, TemplateInfo
from rcs_composer.core.naming import quoted
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.services.deadline import Cancelled
from rcs_composer.services.kaleyra import CHECK_CREATE
from rcs_composer.services.kaleyra_replies import (
    ApiError,
    BadResponse,
    KaleyraError,
    OutcomeUnknown,
)
from rcs_composer.services.template_register import (
    RegisteredTemplate,
    RegisterLoad,
    StatusChange,
)

if TYPE_CHECKING:
    from rcs_composer.app.services import Services
    from rcs_composer.services.kaleyra import KaleyraClient
    from rcs_composer.services.kaleyra_replies import TemplateResult
    from rcs_composer.services.profiles import Profile

log = logging.getLogger("rcs_composer.templates")

# What each status means to the user, and whether Kaleyra still takes an update (seed 003's
# status table: CREATED and ACTIVE everywhere, DRAFT and SUBMITTEDFORAPPROVAL for Vi agents in
# India, APPROVED mentioned; REJECTED and FAILED are how a refusal is shown, not documented).
STATUS_GROUPS = {
    "DRAFT": "created",
    "CREATED": "created",
    "SUBMITTEDFORAPPROVAL": "submitted",
    "ACTIVE": "active",
    "APPROVED": "active",
    "REJECTED": "rejected",
    "FAILED": "rejected",
}
STATUS_WORDS = {
    "DRAFT": "Draft",
    "CREATED": "Created",
    "SUBMITTEDFORAPPROVAL": "Submitted for approval",
    "ACTIVE": "Active",
    "APPROVED": "Approved",
    "REJECTED": "Rejected",
    "FAILED": "Failed",
}
LOCKED_STATUSES = frozenset({"ACTIVE", "APPROVED"})  # K: PUT only while not ACTIVE
SETTLED_STATUSES = frozenset({"ACTIVE", "APPROVED", "REJECTED", "FAILED", "DRAFT"})
REQUESTABLE_STATUSES = frozenset({"DRAFT", "CREATED", "SUBMITTEDFORAPPROVAL", "ACTIVE"})
SERVER_ONLY_KEYS = ("created_date", "placeholders", "reason", "rejection_reason", "remarks")
TIME_KEYS = ("updated_at", "created_at", "date", "time", "timestamp")
REASON_KEYS = ("reason", "rejection_reason", "remarks")
REFRESH_WORKERS = 4  # parallel reads in a refresh: a few, so an account is not flooded
# The built-in sandbox answers from this same process: parallel reads gain nothing there and
# each thread competes with the window for the interpreter (measured: 1 reader, 12-17 ms
# longest stall for 200 templates; 4 readers, up to 115 ms; the same total time).
SANDBOX_REFRESH_WORKERS = 1


def status_group(status: str | None) -> str:
    """One of created, submitted, active, rejected, unknown: what the panel colours by."""
    return STATUS_GROUPS.get((status or "").upper(), "unknown")


def status_words(status: str | None) -> str:
    return STATUS_WORDS.get((status or "").upper(), status or "Not checked yet")


TYPE_WORDS = {"1": "Text", "3": "File", "4": "Rich card", "5": "Carousel"}


def type_words(template_type: str | None) -> str:
    """Kaleyra's template type code ("4") as its name ("Rich card"); an unknown code as is."""
    return TYPE_WORDS.get((template_type or "").strip(), template_type or "?")


def is_settled(status: str | None) -> bool:
    """Whether the status will not change by itself (a refresh loop can stop watching it)."""
    return (status or "").upper() in SETTLED_STATUSES


def update_blocked(status: str | None, name: str | None = None) -> str | None:
    """Why Kaleyra will refuse an update of a template in ``status``, or None when it takes it."""
    if (status or "").upper() not in LOCKED_STATUSES:
        return None
    called = quoted(name) if name else "This template"
    return (
        f"{called} is {status_words(status).lower()}: Kaleyra does not let an approved template "
        "change, so every message sent with it stays as it was approved. Save your changes as a "
        "new template (with a new name) and send with that one once it is approved."
    )


class CreateOutcomeUnknown(OutcomeUnknown):
    """A create got no answer that names the template it made, so it may be on the account
    without an id here: never created again without asking."""


class WrongTemplate(KaleyraError):
    """Kaleyra answered about another template than the one asked for: nothing is recorded."""

    def __init__(self, asked: str, answered: str) -> None:
        super().__init__(
            f"The server answered about another template ({answered}) when asked for "
            f"{asked}, so nothing was taken from it. Try again; if it persists, a proxy "
            "between you and Kaleyra may be answering from its cache."
        )


def _same_id(asked: str, result: TemplateResult) -> TemplateResult:
    if result.template_id.strip() != asked.strip():
        raise WrongTemplate(asked.strip(), result.template_id)
    return result


class TemplateNotOnAccount(KaleyraError):
    """Kaleyra answered 404 for a template id: there is no such template on this account."""

    def __init__(self, template_id: str, profile_name: str) -> None:
        self.template_id = template_id
        super().__init__(
            f"Template {template_id} is not on the account of profile {profile_name}: Kaleyra "
            "has no template with this id. Check the id (it may belong to another account), "
            "or the template was deleted."
        )


@contextmanager
def _on_account(template_id: str, profile: Profile) -> Iterator[None]:
    """A 404 for ``template_id`` said as what it means: the id is not on this account."""
    try:
        yield
    except ApiError as exc:
        if exc.status == 404:
            raise TemplateNotOnAccount(template_id, profile.name) from None
        raise


class UpdateBlocked(Exception):
    """The template's status does not allow an update; the message says why and what to do."""


@dataclasses.dataclass(frozen=True)
class OpenedTemplate:
    """The server's copy of a template as a draft linked to it, and its register entry."""

    draft: Draft
    entry: RegisteredTemplate
    result: TemplateResult | None = None  # the server's answer, for those who want its JSON


@dataclasses.dataclass(frozen=True)
class Comparison:
    """The open draft against the server's copy: what an update would change."""

    server: OpenedTemplate
    changes: tuple[FieldChange, ...]

    @property
    def blocked(self) -> str | None:
        return update_blocked(self.server.entry.status, self.server.entry.name)


@dataclasses.dataclass(frozen=True)
class RefreshOutcome:
    """A refresh: every entry as now known, and a sentence for each template that failed."""

    entries: tuple[RegisteredTemplate, ...]
    failures: dict[str, str]
    register_problems: tuple[str, ...] = ()
    asked: int | None = None  # how many templates the refresh was to read (None: every entry)
    skipped: tuple[str, ...] = ()  # the ids not read because the refresh was stopped
    profile_name: str | None = None  # whose templates these are

    @property
    def summary(self) -> str:
        asked = len(self.entries) if self.asked is None else self.asked
        failed = f"; {len(self.failures)} could not be read" if self.failures else ""
        if self.skipped:
            return f"Stopped: {asked - len(self.skipped)} of {asked} checked{failed}."
        return f"Checked {asked} template(s){failed}."


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Server text as one safe line: each control character (escape sequences, line breaks)
    becomes U+FFFD, so a name cannot clear a terminal or forge a line of a list."""
    return _CONTROL.sub("\ufffd", text)


def _reason_of(raw: Any) -> str | None:
    inner = raw.get("data") if isinstance(raw, dict) else None
    if isinstance(inner, dict):
        for key in ("reason", "rejection_reason", "remarks"):
            if isinstance(inner.get(key), str) and inner[key].strip():
                return printable(str(inner[key]))
    return None


def entry_from_result(
    result: TemplateResult, profile: Profile, *, origin: str, draft: Draft | None = None
) -> RegisteredTemplate:
    """A register entry from what the server answered (create, get or update)."""
    inner = result.raw.get("data") if isinstance(result.raw, dict) else None
    inner = inner if isinstance(inner, dict) else {}
    name = str(
        inner.get("template_name")
        or (draft.template.name if draft and draft.template else "")
        or ""
    )
    name = printable(name)
    kind = printable(str(inner.get("template_type") or ""))
    if not kind and draft is not None:
        kind = TEMPLATE_TYPE_BY_KIND[draft.message.kind]
    return RegisteredTemplate(
        template_id=result.template_id,
        name=name,
        template_number=printable(result.template_number) if result.template_number else None,
        template_type=kind,
        region=profile.region.value,
        origin=origin,
        status=printable(result.status) if result.status else None,
        reason=_reason_of(result.raw),
        checked_at=_now(),
    )


def _moment(value: Any) -> str:
    """A time as ISO 8601: epoch seconds or milliseconds (as Kaleyra's created_date) are
    converted; text is kept as the server wrote it."""
    if isinstance(value, bool):
        return ""
    number: float | None = None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and value.strip().isdigit():
        number = float(value.strip())
    if number is not None:
        seconds = number / 1000 if number > 1e11 else number
        try:
            return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
        except (OverflowError, OSError, ValueError):
            return ""
    return value.strip() if isinstance(value, str) else ""


# Times as servers write them besides ISO 8601 and epoch numbers; day first, as in India.
TIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d %b %Y %H:%M:%S",
    "%d %b %Y %H:%M",
)
FIRST_STATUSES = frozenset({"CREATED", "DRAFT"})  # where every template's life begins


def parsed_time(text: str) -> datetime | None:
    """``text`` as a moment (UTC when it names no zone), or None when it cannot be read."""
    text = text.strip()
    if not text:
        return None
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        for form in TIME_FORMATS:
            try:
                moment = datetime.strptime(text, form)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def oldest_first(steps: Sequence[StatusChange]) -> tuple[StatusChange, ...]:
    """The steps in the order they happened: by their parsed times when every step has one
    that reads (the server's order among equal times); otherwise as listed, turned round when
    the list ends where a template's life begins (listed newest first)."""
    moments = [parsed_time(step.at) for step in steps]
    if len(steps) > 1 and all(moment is not None for moment in moments):
        order = sorted(range(len(steps)), key=lambda i: moments[i])  # type: ignore[arg-type,return-value]
        return tuple(steps[i] for i in order)
    if (
        len(steps) > 1
        and steps[-1].status.upper() in FIRST_STATUSES
        and steps[0].status.upper() not in FIRST_STATUSES
    ):
        return tuple(reversed(steps))
    return tuple(steps)


def history_from(entries: Sequence[dict[str, Any]]) -> tuple[StatusChange, ...]:
    """Kaleyra's ``template_history`` entries as steps, oldest first. The shape is not
    documented: the status under status or template_status, the time under updated_at (or
    created_at, date, time, timestamp), a reason under reason, rejection_reason or remarks."""
    steps = []
    for entry in entries:
        status = entry.get("status") or entry.get("template_status")
        if not isinstance(status, str) or not status.strip():
            continue
        times = (_moment(entry.get(key)) for key in TIME_KEYS)
        at = next((moment for moment in times if moment), "")
        reasons = (entry.get(key) for key in REASON_KEYS)
        reason = next((r.strip() for r in reasons if isinstance(r, str) and r.strip()), None)
        steps.append(
            StatusChange(
                printable(status.strip()), printable(at), printable(reason) if reason else None
            )
        )
    return oldest_first(steps)


# ---------------------------------------------------------------- the register


def listing(services: Services, profile: Profile) -> RegisterLoad:
    """The profile's templates as last recorded (no network); damaged files are reported."""
    return services.template_register.load(profile.name)


def record(
    services: Services,
    profile: Profile,
    result: TemplateResult,
    *,
    origin: str,
    draft: Draft | None = None,
    draft_id: str | None = None,
) -> RegisteredTemplate:
    entry = entry_from_result(result, profile, origin=origin, draft=draft)
    entry = dataclasses.replace(
        entry, draft_id=draft_id, draft_name=draft.name if draft is not None else None
    )
    return services.template_register.record(profile.name, entry)


def record_imported(
    services: Services, profile: Profile, draft: Draft, draft_id: str | None = None
) -> RegisteredTemplate | None:
    """A file that carries a template id (a saved create/get answer) joins the register."""
    info = draft.template
    if info is None or not info.template_id:
        return None
    entry = RegisteredTemplate(
        template_id=info.template_id,
        name=info.name or "",
        template_number=info.template_number,
        template_type=TEMPLATE_TYPE_BY_KIND[draft.message.kind],
        region=profile.region.value,
        draft_id=draft_id,
        draft_name=draft.name,
        origin="imported",
        status=info.status,
    )
    return services.template_register.record(profile.name, entry)


def forget(services: Services, profile: Profile, template_id: str) -> None:
    services.template_register.forget(profile.name, template_id)


# ---------------------------------------------------------------- calls to Kaleyra


def _client(services: Services, profile: Profile) -> KaleyraClient:
    return services.client_for(profile, templates=True)


def create(
    services: Services,
    profile: Profile,
    draft: Draft,
    info: TemplateInfo,
    draft_id: str | None = None,
) -> tuple[TemplateResult, RegisteredTemplate]:
    """Create the template and record it (the profile's agent number when ``info`` has
    none). Blocking."""
    info = dataclasses.replace(info, agent_number=info.agent_number or profile.agent_number or None)
    errors = template_errors(draft, info, profile)
    if errors:
        raise ValueError("; ".join(located(issue.path, issue.message) for issue in errors[:5]))
    try:
        result = _client(services, profile).create_template(template_body(draft, info))
    except (OutcomeUnknown, BadResponse, ApiError) as exc:
        raise _create_unknown(exc, profile, info.name or "") from None
    linked = dataclasses.replace(draft, template=info)
    return result, record(
        services, profile, result, origin="created", draft=linked, draft_id=draft_id
    )


def _create_unknown(exc: KaleyraError, profile: Profile, name: str) -> KaleyraError:
    """A create's failure as what it means: when the request may have been carried out (no
    answer, an answer that names no template, a gateway's 5xx), a CreateOutcomeUnknown that
    says so and where to look; any other refusal as it is."""
    if isinstance(exc, ApiError) and not isinstance(exc, OutcomeUnknown) and exc.status < 500:
        return exc
    said = exc.user_message()
    if CHECK_CREATE not in said:
        # The first sentence says what came back; its advice (try again) is not for a create.
        if isinstance(exc, ApiError):
            what = f"Kaleyra's server answered HTTP {exc.status} instead of the template."
        else:
            what = said.split(". ")[0].rstrip(".") + "."
        said = f"{what} Template {quoted(name)} may have been created all the same. {CHECK_CREATE}"
    # The only trace of a template the app has no id for: the log says what was asked, when.
    log.warning("create of template %r on profile %r: outcome unknown", name, profile.name)
    return CreateOutcomeUnknown(said, details=exc.details())


def open_template(
    services: Services, profile: Profile, template_id: str, *, origin: str = "opened"
) -> OpenedTemplate:
    """The server's copy as a draft linked to the template, recorded in the register."""
    template_id = template_id.strip()
    if not template_id:
        raise ValueError("Template id: paste the id Kaleyra gave the template (a UUID).")
    with _on_account(template_id, profile):
        result = _same_id(template_id, _client(services, profile).get_template(template_id))
    return _opened(services, profile, result, origin)


def read(services: Services, profile: Profile, template_id: str) -> TemplateResult:
    """The server's answer for one template, as it is (however odd its body), recorded."""
    with _on_account(template_id.strip(), profile):
        api = _client(services, profile)
        result = _same_id(template_id, api.get_template(template_id.strip()))
    known = services.template_register.get(profile.name, result.template_id)
    entry = entry_from_result(result, profile, origin=known.origin if known else "opened")
    services.template_register.record(profile.name, entry)
    return result


def _opened(
    services: Services, profile: Profile, result: TemplateResult, origin: str
) -> OpenedTemplate:
    try:
        document = codecs.import_document(result.raw)
    except DecodeError as exc:
        raise ValueError(
            f"Kaleyra's copy of template {result.template_id} cannot be opened as a design: "
            f"{exc.path}: {exc.reason}"
        ) from None
    draft = document.draft
    info = draft.template or TemplateInfo()
    extras = {k: v for k, v in info.extras.items() if k not in SERVER_ONLY_KEYS}
    info = dataclasses.replace(
        info,
        template_id=result.template_id,
        template_number=result.template_number,
        status=result.status,
        extras=extras,
    )
    known = services.template_register.get(profile.name, result.template_id)
    variables: dict[str, str] = {}
    if known is not None and known.draft_id:
        try:  # the sample values of the draft it came from, when that draft is still there
            variables = dict(services.drafts.load(known.draft_id).variables)
        except Exception:  # an unreadable or trashed draft: no sample values
            variables = {}
    draft = dataclasses.replace(
        draft, name=info.name or draft.name, template=info, variables=variables
    )
    entry = entry_from_result(result, profile, origin=origin, draft=draft)
    if known is not None:
        entry = dataclasses.replace(entry, origin=known.origin)
    entry = services.template_register.record(profile.name, entry)
    return OpenedTemplate(draft, entry, result)


def compare(services: Services, profile: Profile, draft: Draft, template_id: str) -> Comparison:
    """The server's copy (read now) against ``draft``: the changes an update would make."""
    server = open_template(services, profile, template_id)
    # What an update would send: the profile's agent number stands in for a missing one.
    effective = dataclasses.replace(draft, template=template_info(draft, profile))
    return Comparison(server, tuple(diff_drafts(server.draft, effective)))


def update(
    services: Services, profile: Profile, draft: Draft, template_id: str
) -> tuple[TemplateResult, RegisteredTemplate]:
    """PUT the draft over the template after reading its status now: UpdateBlocked (nothing
    sent) when the status does not allow it. Blocking."""
    client = _client(services, profile)
    with _on_account(template_id, profile):
        current = _same_id(template_id, client.get_template(template_id))
    name = (draft.template.name if draft.template else None) or None
    blocked = update_blocked(current.status, name)
    if blocked:
        services.template_register.update_many(
            profile.name,
            [entry_from_result(current, profile, origin="opened")],
        )
        raise UpdateBlocked(blocked)
    base = template_info(draft, profile)
    # A body asks for a status (seed 003); one the server gave (REJECTED…) is asked as CREATED.
    status = base.status if base.status in REQUESTABLE_STATUSES else "CREATED"
    info = dataclasses.replace(base, template_id=template_id, status=status)
    errors = template_errors(draft, info, profile)
    if errors:
        raise ValueError("; ".join(located(issue.path, issue.message) for issue in errors[:5]))
    body = template_body(draft, info)
    if current.template_number:
        body["template_number"] = current.template_number  # K: PUT carries the number
    result = _same_id(template_id, client.update_template(template_id, body))
    entry = entry_from_result(result, profile, origin="created", draft=draft)
    services.template_register.update_many(profile.name, [entry])
    return result, services.template_register.get(profile.name, template_id) or entry


def history(services: Services, profile: Profile, template_id: str) -> tuple[StatusChange, ...]:
    """The status changes of a template, oldest first, kept with its register entry. The
    entry's status is read now with GET, as a refresh reads it, never taken from the last
    step (a history's order is only as sure as its times); when that read fails, the status
    stays as it was."""
    api = _client(services, profile)
    with _on_account(template_id, profile):
        steps = history_from(api.template_history(template_id))
    try:
        current = _same_id(template_id, api.get_template(template_id))
    except KaleyraError as exc:
        log.info("template %s: status not read with its history: %s", template_id, exc)
        current = None
    known = services.template_register.get(profile.name, template_id)
    if current is not None:
        fresh = entry_from_result(current, profile, origin=known.origin if known else "opened")
        fresh = dataclasses.replace(fresh, history=steps, problem=None)
    else:
        fresh = RegisteredTemplate(
            template_id=template_id, history=steps, problem=known.problem if known else None
        )
    if steps or current is not None:
        services.template_register.update_many(profile.name, [fresh])
    return steps


def refresh(
    services: Services,
    profile: Profile,
    template_ids: Sequence[str] | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: threading.Event | None = None,
    workers: int | None = None,
) -> RefreshOutcome:
    """Read each template (GET) and its history again, a few at a time; a template that fails
    gets its sentence and the others go on. One write of the register at the end. Blocking;
    ``progress(done, total)`` is called from worker threads."""
    loaded = services.template_register.load(profile.name)
    wanted = [
        entry
        for entry in loaded.entries
        if template_ids is None or entry.template_id in set(template_ids)
    ]
    total = len(wanted)
    stop = cancelled if cancelled is not None else threading.Event()
    done = [0]
    lock = threading.Lock()
    local = threading.local()
    if wanted:
        # A missing key or keyring fails the whole refresh with one sentence, not every row.
        _client(services, profile)

    def client() -> KaleyraClient:
        if getattr(local, "client", None) is None:
            local.client = _client(services, profile)
            local.client.cancelled = stop  # a read out when Stop comes is abandoned at once
        made: KaleyraClient = local.client
        return made

    def one(entry: RegisteredTemplate) -> tuple[RegisteredTemplate, str | None] | None:
        if stop.is_set():
            return None  # not read: stopped
        try:
            api = client()
            result = _same_id(entry.template_id, api.get_template(entry.template_id))
            steps = history_from(api.template_history(entry.template_id))
            fresh = entry_from_result(result, profile, origin=entry.origin)
            fresh = dataclasses.replace(fresh, history=steps, problem=None)
            failure = None
        except Cancelled:
            return None  # stopped while it was being read: as if never read
        except KaleyraError as exc:
            if isinstance(exc, ApiError) and exc.status == 404:
                sentence = (
                    "Kaleyra has no template with this id any more (deleted on the account?); "
                    "Forget takes it off this list."
                )
            else:
                sentence = exc.user_message()
            fresh = dataclasses.replace(entry, problem=sentence)  # nothing read: not checked
            failure = sentence
        except Exception as exc:  # a row's failure must not stop the others
            log.exception("refreshing template %s failed", entry.template_id)
            fresh = dataclasses.replace(entry, problem=str(exc) or type(exc).__name__)
            failure = fresh.problem
        with lock:
            done[0] += 1
            count = done[0]
        if progress is not None:
            progress(count, total)
        return fresh, failure

    if progress is not None:
        progress(0, total)
    if workers is not None:
        wanted_workers = workers
    else:
        wanted_workers = SANDBOX_REFRESH_WORKERS if profile.is_sandbox else REFRESH_WORKERS
    pool = ThreadPoolExecutor(max_workers=max(1, min(wanted_workers, total or 1)))
    try:
        answers = list(pool.map(one, wanted))
    except BaseException:  # Ctrl+C, or a bug: the reads out are abandoned, not waited for
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    results = [answer for answer in answers if answer is not None]
    skipped = tuple(e.template_id for e, answer in zip(wanted, answers, strict=True) if not answer)
    stored = services.template_register.update_many(profile.name, [entry for entry, _ in results])
    failures = {entry.template_id: failure for entry, failure in results if failure}
    return RefreshOutcome(
        stored.entries, failures, loaded.problems, total, skipped, profile_name=profile.name
    )


def delete(services: Services, profile: Profile, template_id: str) -> bool:
    """Delete the template on the account and forget it: True when it was deleted now, False
    when Kaleyra had no such template any more (404: gone either way, so it is forgotten)."""
    try:
        _client(services, profile).delete_template(template_id)
    except ApiError as exc:
        if exc.status != 404:
            raise
        services.template_register.forget(profile.name, template_id)
        return False
    services.template_register.forget(profile.name, template_id)
    return True


def suggested_new_name(name: str | None) -> str:
    """A name for "Save as a new template": ``offer_v2`` from ``offer``, ``offer_v3`` from
    ``offer_v2``, cut to Kaleyra's 20 characters."""
    base = (name or "template").rstrip("_") or "template"
    head, _, tail = base.rpartition("_v")
    stem, number = (head, int(tail) + 1) if head and tail.isdigit() else (base, 2)
    suffix = f"_v{number}"
    return stem[: 20 - len(suffix)].rstrip("_") + suffix


def as_new_template(draft: Draft) -> Draft:
    """The draft unlinked from its template, with a suggested new name: what "Save as a new
    template" starts from (the content, agent number and status choice stay)."""
    info = draft.template or TemplateInfo()
    status = None if (info.status or "").upper() in LOCKED_STATUSES else info.status
    return dataclasses.replace(
        draft,
        template=dataclasses.replace(
            info,
            name=suggested_new_name(info.name),
            template_id=None,
            template_number=None,
            status=status,
        ),
    )
