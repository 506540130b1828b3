"""Keys of a file that no schema knows: found by walking the file with the schemas, with a hint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rcs_composer.core import codecs
from rcs_composer.core.message_schemas import (
    CAROUSEL,
    FILE_REF,
    MESSAGE,
    RICH_CARD,
    SUGGESTIONS,
    Wrapped,
)
from rcs_composer.core.records import Record
from rcs_composer.core.schema_types import Converter, ListOf, ObjectSchema
from rcs_composer.core.wire import KNOWN_MISSPELLINGS, Spelling, accepted_keys, child_path

# Keys Kaleyra puts in a template's data besides the body (seed 003's responses); a body saved
# from a response may carry them, so they are known, not warned about.
TEMPLATE_RESPONSE_FIELDS = ("created_date", "placeholders")
_CLOSE_ENOUGH = 0.75  # difflib ratio above which a key is offered as "did you mean"


@dataclass(frozen=True, eq=False, repr=False)
class UnknownKey(Record):
    """A key no schema knows, where it is, and the known key it probably means."""

    path: str  # the path of the key itself
    key: str
    suggestion: str | None  # a known key it is probably a misspelling of
    note: str = ""  # why that suggestion, where the sources disagree


def _squash(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def suggest(key: str, known: Iterable[str], spelling: Spelling) -> tuple[str | None, str]:
    """The known key ``key`` most probably meant, and a note when a source explains it."""
    candidates = sorted(set(known))
    listed = KNOWN_MISSPELLINGS.get((key, spelling))
    if listed is not None and listed[0] in candidates:
        return listed
    same = [c for c in candidates if _squash(c) == _squash(key)]
    if same:
        return same[0], ""
    import difflib  # only for a misspelt key: validate starts faster without it

    close = difflib.get_close_matches(key, candidates, n=1, cutoff=_CLOSE_ENOUGH)
    return (close[0], "") if close else (None, "")


def _object_keys(schema: ObjectSchema[Any], spelling: Spelling) -> dict[str, Converter[Any]]:
    known: dict[str, Converter[Any]] = {}
    for spec in schema.fields:
        for key in accepted_keys(spec.key, spelling):
            known[key] = spec.converter
    if schema.one_of is not None:
        for variant in schema.one_of[1]:
            for key in accepted_keys(variant.key, spelling):
                known[key] = variant.converter
    return known


def _unknown(path: str, key: str, known: Iterable[str], spelling: Spelling) -> UnknownKey:
    suggestion, note = suggest(key, known, spelling)
    return UnknownKey(child_path(path, key), key, suggestion, note)


def _walk(
    converter: Converter[Any], value: Any, path: str, spelling: Spelling
) -> Iterator[UnknownKey]:
    if isinstance(converter, Wrapped):
        yield from _walk(converter.inner, value, path, spelling)
    elif isinstance(converter, ListOf) and isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(converter.item, item, child_path(path, index), spelling)
    elif isinstance(converter, ObjectSchema) and isinstance(value, dict):
        yield from _walk_object(_object_keys(converter, spelling), value, path, spelling)


def _walk_object(
    known: Mapping[str, Converter[Any] | None],
    value: Mapping[str, Any],
    path: str,
    spelling: Spelling,
) -> Iterator[UnknownKey]:
    for key, item in value.items():
        if key not in known:
            yield _unknown(path, key, known, spelling)
            continue
        converter = known[key]
        if converter is not None:
            yield from _walk(converter, item, child_path(path, key), spelling)


def _template_keys() -> dict[str, Converter[Any] | None]:
    content: dict[str, Converter[Any] | None] = {}
    for key, kind in codecs.TEMPLATE_CONTENT_KEYS.items():
        content[key] = {
            "text": None,
            "file": FILE_REF,
            "rich_card": RICH_CARD,
            "carousel": CAROUSEL,
        }[kind.value]
    info = dict.fromkeys(
        ("template_type", *codecs.TEMPLATE_INFO_KEYS, *TEMPLATE_RESPONSE_FIELDS), None
    )
    return {**info, **content, "contentMessage": None}


def unknown_keys(data: Any) -> list[UnknownKey]:
    """Every key of ``data`` (any of the three formats) that the composer does not know.

    Such keys are carried through on every round trip; this only says they are there. A file
    that does not decode has no findings here (its decode error says more).
    """
    if not isinstance(data, dict):
        return []
    fmt = codecs.detect_format(data)
    found: list[UnknownKey] = []
    if fmt is codecs.Format.MESSAGE:
        found += _walk(MESSAGE, data, "$", Spelling.MESSAGE)
    elif fmt is codecs.Format.DRAFT:
        draft_keys = dict.fromkeys(codecs.DRAFT_KEYS, None)
        found += _walk_object(draft_keys, data, "$", Spelling.MESSAGE)
        if isinstance(data.get("message"), dict):
            found += _walk(MESSAGE, data["message"], "$.message", Spelling.MESSAGE)
        template = data.get("template")
        if isinstance(template, dict):
            info = dict.fromkeys((*codecs.TEMPLATE_INFO_KEYS, *TEMPLATE_RESPONSE_FIELDS), None)
            found += _walk_object(info, template, "$.template", Spelling.TEMPLATE)
    else:
        path = codecs.body_path(data)
        body = data.get("data") if path != "$" else data
        if path != "$":
            response = dict.fromkeys(("code", "message", "data", "error"), None)
            found += _walk_object(response, data, "$", Spelling.TEMPLATE)
        if isinstance(body, dict):
            found += _walk_template(body, path)
    return found


def _walk_template(body: Mapping[str, Any], path: str) -> Iterator[UnknownKey]:
    known = _template_keys()
    yield from _walk_object(known, body, path, Spelling.TEMPLATE)
    content_message = body.get("contentMessage")
    if isinstance(content_message, dict):
        where = child_path(path, "contentMessage")
        yield from _walk_object(
            {"suggestions": SUGGESTIONS}, content_message, where, Spelling.TEMPLATE
        )
