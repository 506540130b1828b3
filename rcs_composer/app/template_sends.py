"""Sending a test by template (India): ``templateId`` and ``messageParams``, and its record."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rcs_composer.app.sending import MAX_RECIPIENTS, SendOutcome, post_and_record
from rcs_composer.core.issues import Region
from rcs_composer.core.model import Draft
from rcs_composer.core.outgoing import messages_path
from rcs_composer.core.variables import find_variables

if TYPE_CHECKING:
    from rcs_composer.app.services import Services
    from rcs_composer.services.profiles import Profile

log = logging.getLogger("rcs_composer.send")


def template_send_possible(draft: Draft, profile: Profile) -> str | None:
    """Why the draft cannot be sent by its template through ``profile``, or None when it can:
    Kaleyra documents it for India only (K:send-template-message-with-dynamic-variables)."""
    info = draft.template
    if info is None or not info.template_id:
        return "The draft is not linked to a template: save it as a template first."
    if profile.region is not Region.IN:
        return "Sending by template is documented for India only; this profile is not in IN."
    return None


@dataclasses.dataclass(frozen=True)
class TemplateSendPlan:
    """What a send by template would post, and every reason it may not go yet."""

    template_id: str
    template_name: str
    sender: str
    recipients: tuple[str, ...]
    params: Mapping[str, str]
    problems: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.problems

    @property
    def body(self) -> dict[str, Any]:
        from rcs_composer.services.kaleyra import template_send_body

        return template_send_body(
            self.template_id, self.sender, self.recipients, [dict(self.params)]
        )


def plan_template_send(
    draft: Draft, profile: Profile, recipients: Sequence[str], values: Mapping[str, str]
) -> TemplateSendPlan:
    """The send of the draft's template to ``recipients`` (API form) with ``values`` for its
    ``{{variables}}`` (every one needs a value: the template is filled on Kaleyra's side)."""
    problems: list[str] = []
    impossible = template_send_possible(draft, profile)
    if impossible:
        problems.append(impossible)
    info = draft.template
    names = find_variables(draft.message)
    params = {name: values.get(name, "") for name in names}
    empty = [name for name, value in params.items() if not value.strip()]
    if empty:
        shown = ", ".join(f"{{{{{name}}}}}" for name in empty)
        problems.append(
            f"{shown}: a send by template needs a value for every variable (Kaleyra fills "
            "them in on its side)."
        )
    if not recipients:
        problems.append("Recipients: enter at least one number.")
    if len(recipients) > MAX_RECIPIENTS:
        problems.append(f"Recipients: Kaleyra takes at most {MAX_RECIPIENTS} in one send.")
    sender = draft.message.sender or profile.sender
    if not sender:
        problems.append("Sender: set the sender (service code) in Profiles.")
    return TemplateSendPlan(
        template_id=(info.template_id if info else None) or "",
        template_name=(info.name if info else None) or "",
        sender=sender or "",
        recipients=tuple(recipients),
        params=params,
        problems=tuple(problems),
    )


def send_by_template(
    services: Services,
    profile: Profile,
    plan: TemplateSendPlan,
    draft_name: str,
    *,
    again: bool = False,
) -> SendOutcome:
    """Post the plan once (never retried once it may have arrived) and record it in the send
    history. Blocking; a failure is recorded and re-raised as the KaleyraError it was."""
    if not plan.ready:
        raise ValueError("the template send has problems: " + "; ".join(plan.problems))
    log.info(
        "template send of %s through profile %s to %d recipient(s)",
        plan.template_id,
        profile.name,
        len(plan.recipients),
    )
    return post_and_record(
        services,
        profile,
        lambda: services.client_for(profile).send_by_template(
            plan.template_id, plan.sender, plan.recipients, [dict(plan.params)]
        ),
        endpoint=f"POST {messages_path(profile.sid)} (template {plan.template_name})",
        draft_name=draft_name,
        recipients=plan.recipients,
        body=plan.body,
        again=again,
    )
