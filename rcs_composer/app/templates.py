"""Templates: the body a draft becomes, checked with the profile's defaults."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from rcs_composer.core import codecs
from rcs_composer.core.issues import Issue
from rcs_composer.core.model import Draft, TemplateInfo
from rcs_composer.core.validation import validate

if TYPE_CHECKING:
    from rcs_composer.services.profiles import Profile

DEFAULT_STATUS = "CREATED"


def template_info(
    draft: Draft,
    profile: Profile | None,
    *,
    name: str | None = None,
    status: str | None = None,
    agent_number: str | None = None,
) -> TemplateInfo:
    """The draft's template fields, with what the user typed and the profile's agent number."""
    info = draft.template or TemplateInfo()
    return dataclasses.replace(
        info,
        name=name if name is not None else info.name,
        status=status or info.status or DEFAULT_STATUS,
        agent_number=agent_number
        or info.agent_number
        or (profile.agent_number if profile is not None else None)
        or None,
    )


def template_errors(draft: Draft, info: TemplateInfo, profile: Profile) -> list[Issue]:
    return [i for i in validate(draft.message, profile.region, template=info) if i.is_error]


def template_body(draft: Draft, info: TemplateInfo) -> dict[str, Any]:
    """The create/update body: a template's id and number belong to the server, never the body."""
    return codecs.export_template(
        draft.message, dataclasses.replace(info, template_id=None, template_number=None)
    )
