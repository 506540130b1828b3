"""Field-by-field differences between two messages (or drafts), addressed by JSONPath."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from rcs_composer.core import codecs
from rcs_composer.core.field_paths import human_label
from rcs_composer.core.model import Draft, Message, TemplateInfo


class Change(StrEnum):
    ADDED = "added"  # in the second (the open draft), not in the first (the server's copy)
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class FieldChange:
    """One difference. ``path`` is a JSONPath into the send-message body (``$.text``,
    ``$.richCardCarousel.cardContents[1].title``) or ``$template.name`` for template fields."""

    path: str
    change: Change
    before: Any = None  # the first side's value (None when added)
    after: Any = None

    @property
    def label(self) -> str:
        return field_label(self.path)

    def shown(self, side: str) -> str:
        """A value as a person reads it: text as it is, objects as short JSON."""
        value = self.before if side == "before" else self.after
        if self.change is (Change.ADDED if side == "before" else Change.REMOVED):
            return ""
        return show_value(value)


_MISSING = object()


def template_part(message: Message) -> Message:
    """The part of a message a template holds: no sender, recipients, refs or time to live."""
    return replace(
        message,
        sender=None,
        recipients=None,
        ref=None,
        ref1=None,
        ref2=None,
        ref3=None,
        ttl_seconds=None,
    )


def diff_messages(first: Message, second: Message) -> list[FieldChange]:
    """What changes from ``first`` to ``second`` in what a template holds, in body order."""
    before = codecs.export_message(template_part(first))
    after = codecs.export_message(template_part(second))
    return list(_walk(before, after, "$"))


def diff_drafts(first: Draft, second: Draft) -> list[FieldChange]:
    """The template's own fields (name, agent number) and then the message's differences."""
    changes = list(_info_changes(first.template, second.template))
    return changes + diff_messages(first.message, second.message)


def _info_changes(first: TemplateInfo | None, second: TemplateInfo | None) -> Iterator[FieldChange]:
    for attr in ("name", "agent_number"):
        old = getattr(first, attr, None) if first is not None else None
        new = getattr(second, attr, None) if second is not None else None
        if old == new:
            continue
        path = f"$template.{attr}"
        if old is None:
            yield FieldChange(path, Change.ADDED, None, new)
        elif new is None:
            yield FieldChange(path, Change.REMOVED, old, None)
        else:
            yield FieldChange(path, Change.CHANGED, old, new)


def _walk(first: Any, second: Any, path: str) -> Iterator[FieldChange]:
    if first is _MISSING:
        yield FieldChange(path, Change.ADDED, None, second)
    elif second is _MISSING:
        yield FieldChange(path, Change.REMOVED, first, None)
    elif isinstance(first, dict) and isinstance(second, dict):
        keys = list(first) + [key for key in second if key not in first]
        for key in keys:
            yield from _walk(
                first.get(key, _MISSING), second.get(key, _MISSING), codecs_child(path, key)
            )
    elif isinstance(first, list) and isinstance(second, list):
        for index in range(max(len(first), len(second))):
            yield from _walk(
                first[index] if index < len(first) else _MISSING,
                second[index] if index < len(second) else _MISSING,
                f"{path}[{index}]",
            )
    elif first != second or type(first) is not type(second):
        yield FieldChange(path, Change.CHANGED, first, second)


def codecs_child(path: str, key: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key)}]"


def show_value(value: Any, limit: int = 120) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------- paths in the user's words
# A local stand-in for the shared field-path labels (core.field_paths.human_label): same input,
# same kind of output ("$.richCardCarousel.cardContents[1].title" -> "Card 2 > Title").

TEMPLATE_FIELD_LABELS = {"name": "Template name", "agent_number": "Agent number"}


def field_label(path: str) -> str:
    """A difference's field as a person names it: the message's fields through
    ``core.field_paths`` ("Card 2 > Title"), the template's own ones here."""
    if path.startswith("$template."):
        key = path[len("$template.") :]
        return TEMPLATE_FIELD_LABELS.get(key, f"Template > {key}")
    return human_label(path)
