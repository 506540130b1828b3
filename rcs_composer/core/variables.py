"""``{{name}}`` variables: find them in every text field of a message, and fill them in."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from typing import Any, TypeVar

from rcs_composer.core.model import Message


# Compiled on first use: most texts have no braces, and validate should not pay for these.
@functools.cache
def variable_pattern() -> re.Pattern[str]:
    """``{{name}}``, with the name in group 1."""
    return re.compile(r"\{\{\s*([A-Za-z0-9_][A-Za-z0-9_.\-]*)\s*\}\}")


@functools.cache
def _name() -> re.Pattern[str]:  # what a variable takes between its braces
    return re.compile(r"\s*[A-Za-z0-9_][A-Za-z0-9_.\-]*\s*")


@functools.cache
def _candidate() -> re.Pattern[str]:
    return re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


T = TypeVar("T")


_TEXT_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _text_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of a model class that may hold text (all but extras); None for a non-model.

    Looked up once per class: the variables panel walks the whole message on every edit.
    """
    if cls not in _TEXT_FIELDS:
        _TEXT_FIELDS[cls] = (
            tuple(spec.name for spec in dataclasses.fields(cls) if spec.name != "extras")
            if dataclasses.is_dataclass(cls)
            else None
        )
    return _TEXT_FIELDS[cls]


def _strings(value: Any) -> Iterator[str]:
    """Every text value of a model object, in wire order; enums and unknown extras are skipped.

    A walk with its own stack (a generator per field would cost more than the walk itself).
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if item is None or isinstance(item, Enum | bool | int | float | type):
            continue
        if isinstance(item, str):
            yield item
        elif isinstance(item, tuple):
            stack.extend(reversed(item))
        elif (names := _text_fields(type(item))) is not None:
            stack.extend(getattr(item, name) for name in reversed(names))


def find_variables(message: Message) -> list[str]:
    """Variable names in the content and chip list, in order of first appearance, each once."""
    return variables_in((message.content, message.chips))


def variables_in(value: Any) -> list[str]:
    """Variable names in any model value (a card, a chip list), in order, each once."""
    seen: dict[str, None] = {}
    for text in _strings(value):
        if "{{" in text:
            for match in variable_pattern().finditer(text):
                seen.setdefault(match.group(1), None)
    return list(seen)


def variable_problems(text: str) -> list[tuple[str, str]]:
    """Malformed variables in ``text``: (rule code, the piece quoted), each code at most once.

    ``{{}}`` is empty, ``{{na me}}`` is not a name, braces inside a variable are nested, and
    ``{{`` or ``}}`` without a partner is unbalanced. Single braces are plain text.
    """
    if "{{" not in text and "}}" not in text:
        return []
    found: dict[str, str] = {}
    outside: list[str] = []
    last = 0
    for match in _candidate().finditer(text):
        outside.append(text[last : match.start()])
        last = match.end()
        inner = match.group(1)
        quoted = repr(match.group(0)[:40])
        if "{" in inner or "}" in inner:
            closing = len(text) - len(text[last:].lstrip("}"))  # '{{{name}}}' quoted whole
            found.setdefault("variable.nested", repr(text[match.start() : closing][:40]))
        elif not inner.strip():
            found.setdefault("variable.empty", quoted)
        elif not _name().fullmatch(inner):
            found.setdefault("variable.malformed", quoted)
    outside.append(text[last:])
    for piece in outside:
        for brace in ("{{", "}}"):
            if brace in piece:
                found.setdefault("variable.unbalanced", repr(brace))
    return list(found.items())


def substitute_text(text: str, values: Mapping[str, str]) -> str:
    if "{{" not in text:
        return text
    return variable_pattern().sub(lambda match: values.get(match.group(1), match.group(0)), text)


def _map_strings(value: T, change: Callable[[str], str]) -> T:
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return change(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(_map_strings(item, change) for item in value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        updates = {}
        for spec in dataclasses.fields(value):
            old = getattr(value, spec.name)
            # Unknown keys are sent as they were read: their texts are filled all the same.
            new = _map_json(old, change) if spec.name == "extras" else _map_strings(old, change)
            if new is not old:
                updates[spec.name] = new
        return dataclasses.replace(value, **updates) if updates else value
    return value


def _map_json(value: Any, change: Callable[[str], str]) -> Any:
    """A JSON value (an unknown key's) with ``change`` made to each of its strings."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list | tuple):
        items = [_map_json(item, change) for item in value]
        same = all(new is old for new, old in zip(items, value, strict=True))
        return value if same else type(value)(items)
    if isinstance(value, Mapping):
        pairs = {key: _map_json(item, change) for key, item in value.items()}
        return value if all(pairs[key] is item for key, item in value.items()) else pairs
    return value


def braces_in_body(value: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """(JSONPath, text) of each string of a wire body that holds ``{{`` or ``}}``: whatever
    would reach Kaleyra with braces, the envelope and unknown keys included."""
    from rcs_composer.core.wire import child_path

    if isinstance(value, str):
        if "{{" in value or "}}" in value:
            yield path, value
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from braces_in_body(item, child_path(path, index))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from braces_in_body(item, child_path(path, str(key)))


def variables_sent(body: Mapping[str, Any]) -> list[str]:
    """The ``{{names}}`` anywhere in a wire body, in order, each once: what a send fills."""
    seen: dict[str, None] = {}
    for _path, text in braces_in_body(body):
        for match in variable_pattern().finditer(text):
            seen.setdefault(match.group(1), None)
    return list(seen)


def substitute(message: Message, values: Mapping[str, str]) -> Message:
    """The message with every ``{{name}}`` that has a value replaced; others stay as written."""
    if not values:
        return message

    def change(text: str) -> str:
        new = substitute_text(text, values)
        return text if new == text else new

    updates = {}
    for name in _FILLED:
        old = getattr(message, name)
        new = _map_json(old, change) if name == "extras" else _map_strings(old, change)
        if new is not old:
            updates[name] = new
    return dataclasses.replace(message, **updates) if updates else message


# What a send takes from the message and fills: all but the sender and recipients, which come
# from the profile and the send.
_FILLED = ("content", "chips", "ref", "ref1", "ref2", "ref3", "extras")
