"""Import and export of the three document formats: message body, template body and draft."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from rcs_composer.core import model as m
from rcs_composer.core.message_schemas import (
    CAROUSEL,
    ENVELOPE_ATTRS,
    FILE_REF,
    MESSAGE,
    RICH_CARD,
    SUGGESTIONS,
)
from rcs_composer.core.records import Record
from rcs_composer.core.schema_types import DecodeError, ObjectSchema, Text, json_type_name
from rcs_composer.core.wire import Spelling, child_path

DRAFT_FORMAT = "rcs-composer-draft"
DRAFT_VERSION = 1
MAX_NESTING = 64  # far deeper than any Kaleyra body; stops pathological input early
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # a message is at most 250 KB; a draft adds little
_INFINITY = float("inf")


class Format(StrEnum):
    MESSAGE = "message"
    TEMPLATE = "template"
    DRAFT = "draft"


class ParseError(DecodeError):
    """The text is not JSON, or not a document of any format the composer knows."""


@dataclass(frozen=True, eq=False, repr=False)
class Document(Record):
    """What an import found: its format, and the content as a draft (the richest of the three)."""

    format: Format
    draft: m.Draft


# ---------------------------------------------------------------- JSON text


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True, eq=False, repr=False)
class Duplicate(Record):
    """A key written more than once in one object; the last value is the one read."""

    path: str  # the object's path
    key: str
    count: int


@dataclass(frozen=True, eq=False, repr=False)
class ParsedText(Record):
    """Parsed JSON, and the keys its text repeats (the parsed data no longer shows them)."""

    data: Any
    duplicates: tuple[Duplicate, ...] = ()


class _DuplicateRecorder:
    """An ``object_pairs_hook`` that notes repeated keys per object, to report them by path."""

    def __init__(self) -> None:
        self.repeated: dict[int, tuple[dict[str, Any], dict[str, int]]] = {}

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        counts: dict[str, int] | None = None
        for key, value in pairs:
            if key in obj:
                counts = counts if counts is not None else {}
                counts[key] = counts.get(key, 1) + 1
            obj[key] = value
        if counts:
            self.repeated[id(obj)] = (obj, counts)  # the object is kept so its id stays unique
        return obj


def parse_json_text(text: str | bytes) -> ParsedText:
    """Parse JSON text strictly, noting duplicate keys; a ParseError names the place on failure.

    Refused with the path: lone surrogate escapes (``"\\ud83d"``: not text, cannot be written
    as UTF-8), numbers too large to be finite (``1e400``), NaN and Infinity, nesting deeper
    than ``MAX_NESTING``.
    """
    if isinstance(text, bytes):
        ascii_in_utf16 = len(text) >= 4 and (text[1] == text[3] == 0 or text[0] == text[2] == 0)
        if text[:2] in (b"\xff\xfe", b"\xfe\xff") or ascii_in_utf16:
            # UTF-16 (a spreadsheet's "Unicode text"), with or without its mark: JSON is UTF-8.
            raise ParseError("$", "the file is UTF-16 text: save it as UTF-8")
        try:
            # What "utf-8-sig" does, without loading its codec: one leading BOM is dropped.
            text = text.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ParseError("$", f"the file is not UTF-8 text (byte {exc.start})") from None
        if text.startswith("\ufeff"):
            raise ParseError("$", "the file starts with two byte order marks: remove one")
    recorder = _DuplicateRecorder()
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=recorder)
    except json.JSONDecodeError as exc:
        # Some of json's messages end in "at" ("Unterminated string starting at"): the place
        # follows in parentheses, so no message reads "at at line".
        raise ParseError(
            "$", f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else "unreadable"
        if "digits" in reason:
            reason = "a number has more digits than any Kaleyra field could hold"
        raise ParseError("$", f"not valid JSON: {reason}") from None
    except RecursionError:
        raise ParseError("$", f"nested deeper than {MAX_NESTING} levels") from None
    duplicates = check_values(data, recorder.repeated)
    return ParsedText(data, duplicates)


def parse_json(text: str | bytes) -> Any:
    """Parse JSON text strictly, with a message that names the line and column on failure."""
    return parse_json_text(text).data


def _surrogate_reason(text: str, what: str) -> str:
    found = _SURROGATE.search(text)
    escape = f"\\u{ord(found.group(0)):04x}" if found else "?"
    return (
        f"{what} holds a lone surrogate escape ({escape}): half of an emoji or symbol, not text; "
        "write the whole character or remove it"
    )


def check_values(
    data: Any, repeated: Mapping[int, tuple[dict[str, Any], dict[str, int]]] | None = None
) -> tuple[Duplicate, ...]:
    """Raise ParseError at the first value JSON text cannot carry; list the duplicate keys.

    For data parsed elsewhere (the sandbox) as much as for ``parse_json_text``.
    """
    duplicates: list[Duplicate] = []
    stack: list[tuple[Any, str, int]] = [(data, "$", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ParseError(path, f"nested deeper than {MAX_NESTING} levels")
        if isinstance(value, str):
            if _SURROGATE.search(value):
                raise ParseError(path, _surrogate_reason(value, "the text"))
        elif isinstance(value, float):
            if not -_INFINITY < value < _INFINITY:  # false for NaN too
                raise ParseError(
                    path,
                    "the number is too large: it reads as infinity, and JSON numbers are finite",
                )
        elif isinstance(value, dict):
            for key in value:
                if not isinstance(key, str) or _SURROGATE.search(key):
                    raise ParseError(path, _surrogate_reason(str(key), "a key"))
            if repeated and id(value) in repeated and repeated[id(value)][0] is value:
                counts = repeated[id(value)][1]
                duplicates.extend(Duplicate(path, key, count) for key, count in counts.items())
            children = [(v, child_path(path, k), depth + 1) for k, v in value.items()]
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(
                reversed([(v, child_path(path, i), depth + 1) for i, v in enumerate(value)])
            )
    return tuple(duplicates)


def wire_bytes(data: Any) -> bytes:
    """The compact UTF-8 JSON that goes over the wire (and that size limits are measured on)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def dumps(data: Any) -> str:
    """Deterministic JSON text: keys in wire order, UTF-8, no ASCII escaping, final newline.

    Raises ValueError rather than write what is not JSON (NaN, Infinity).
    """
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# ---------------------------------------------------------------- detection


_TEMPLATE_MARKERS = frozenset(
    {
        "template_type",
        "template_name",
        "agent_number",
        "rich_card_standalone",
        "rich_card_carousel",
        "rich_card",
        "contentMessage",
    }
)
_MESSAGE_MARKERS = frozenset(
    {
        "from",
        "to",
        "text",
        "file",
        "richCardStandalone",
        "richCardCarousel",
        "suggestions",
        "templateId",
    }
)


def _template_response_data(data: Mapping[str, Any]) -> Mapping[str, Any] | None:
    inner = data.get("data")
    if "code" in data and isinstance(inner, dict) and _TEMPLATE_MARKERS & inner.keys():
        return inner
    return None


def detect_format(data: Any) -> Format:
    if not isinstance(data, dict):
        raise ParseError("$", f"expected a JSON object, found {json_type_name(data)}")
    if "format" in data:
        if data["format"] != DRAFT_FORMAT:
            raise ParseError("$.format", f"unknown format marker {str(data['format'])[:40]!r}")
        return Format.DRAFT
    if _TEMPLATE_MARKERS & data.keys() or _template_response_data(data) is not None:
        return Format.TEMPLATE
    if _MESSAGE_MARKERS & data.keys():
        return Format.MESSAGE
    raise ParseError(
        "$",
        "not a Kaleyra message body (from, to, richCardStandalone...), a template body "
        "(template_name, template_type...) or an rcs-composer draft",
    )


def import_document(data: Any) -> Document:
    """The document in parsed JSON ``data``; ParseError or DecodeError (with a path) if none.

    Values that JSON text cannot carry (lone surrogates, non-finite numbers) are refused here
    too, whoever parsed the data, so nothing imported can fail to be written back out.
    """
    check_values(data)
    fmt = detect_format(data)
    if fmt is Format.DRAFT:
        return Document(fmt, decode_draft(data))
    if fmt is Format.TEMPLATE:
        inner = _template_response_data(data)
        message, info = decode_template(data if inner is None else inner, body_path(data))
        return Document(fmt, m.Draft(name=info.name or "Untitled", message=message, template=info))
    return Document(fmt, m.Draft(message=decode_message(data)))


def body_within(data: Any) -> tuple[str, ...]:
    """The keys that lead from the root of a file to the message or template body in it."""
    if isinstance(data, dict) and "format" in data:
        return ("message",)
    if isinstance(data, dict) and _template_response_data(data) is not None:
        return ("data",)
    return ()


def body_path(data: Any) -> str:
    path = "$"
    for key in body_within(data):
        path = child_path(path, key)
    return path


def loads(text: str | bytes) -> Document:
    return import_document(parse_json(text))


# ---------------------------------------------------------------- message body


def decode_message(data: Any, path: str = "$") -> m.Message:
    if (
        isinstance(data, dict)
        and "templateId" in data
        and not ({"text", "file", "richCardStandalone", "richCardCarousel"} & data.keys())
    ):
        raise DecodeError(
            child_path(path, "templateId"),
            "sending by template id is not composed here: open the template body itself",
        )
    return MESSAGE.decode(data, path, Spelling.MESSAGE)


def export_message(message: m.Message) -> dict[str, Any]:
    out: dict[str, Any] = MESSAGE.encode(message, Spelling.MESSAGE)
    return out


# ---------------------------------------------------------------- template body

TEMPLATE_CONTENT_KEYS: Mapping[str, m.MessageKind] = {
    "text": m.MessageKind.TEXT,
    "file": m.MessageKind.FILE,  # inferred: seed 003's type table names the field "file"
    "rich_card_standalone": m.MessageKind.RICH_CARD,
    "rich_card": m.MessageKind.RICH_CARD,  # alias from seed 003's type table, never written
    "rich_card_carousel": m.MessageKind.CAROUSEL,
}
KIND_BY_TEMPLATE_TYPE = {code: kind for kind, code in m.TEMPLATE_TYPE_BY_KIND.items()}
_TEMPLATE_INFO_KEYS = {
    "template_name": "name",
    "agent_number": "agent_number",
    "status": "status",
    "template_id": "template_id",
    "template_number": "template_number",
}
TEMPLATE_INFO_KEYS: Mapping[str, str] = _TEMPLATE_INFO_KEYS
_TEXT = Text()


def _decode_template_content(data: Mapping[str, Any], path: str) -> m.Content:
    present = [key for key in TEMPLATE_CONTENT_KEYS if key in data]
    if len(present) > 1:
        raise DecodeError(path, f"has {', '.join(present)}; a template holds exactly one of them")
    if not present:
        raise DecodeError(path, "needs one of text, file, rich_card_standalone, rich_card_carousel")
    key = present[0]
    value, where = data[key], child_path(path, key)
    kind = TEMPLATE_CONTENT_KEYS[key]
    if kind is m.MessageKind.TEXT:
        return m.TextContent(_TEXT.decode(value, where, Spelling.TEMPLATE))
    if kind is m.MessageKind.FILE:
        return m.FileContent(FILE_REF.decode(value, where, Spelling.TEMPLATE))
    schema: ObjectSchema[Any] = RICH_CARD if kind is m.MessageKind.RICH_CARD else CAROUSEL
    content: m.Content = schema.decode(value, where, Spelling.TEMPLATE)
    return content


def decode_template(data: Any, path: str = "$") -> tuple[m.Message, m.TemplateInfo]:
    if not isinstance(data, dict):
        raise DecodeError(path, f"expected an object, found {json_type_name(data)}")
    content = _decode_template_content(data, path)
    kind = m.kind_of(content)
    declared = data.get("template_type")
    if declared is not None:
        where = child_path(path, "template_type")
        if str(declared) not in KIND_BY_TEMPLATE_TYPE:
            raise DecodeError(where, f"{str(declared)[:20]!r} is not one of 1, 3, 4, 5")
        if KIND_BY_TEMPLATE_TYPE[str(declared)] is not kind:
            raise DecodeError(
                where, f"type {declared} does not match the {kind.value} content in the body"
            )
    info_values: dict[str, str] = {}
    for key, attr in _TEMPLATE_INFO_KEYS.items():
        if data.get(key) is not None:
            info_values[attr] = _TEXT.decode(data[key], child_path(path, key), Spelling.TEMPLATE)
    chips: tuple[m.SuggestionSlot, ...] = ()
    extras: dict[str, Any] = {}
    content_message = data.get("contentMessage")
    if content_message is not None:
        where = child_path(path, "contentMessage")
        if not isinstance(content_message, dict):
            raise DecodeError(where, f"expected an object, found {json_type_name(content_message)}")
        if content_message.get("suggestions") is not None:
            chips = SUGGESTIONS.decode(
                content_message["suggestions"], child_path(where, "suggestions"), Spelling.TEMPLATE
            )
        rest = {k: v for k, v in content_message.items() if k != "suggestions"}
        if rest:
            extras["contentMessage"] = rest
    known = {"template_type", "contentMessage", *TEMPLATE_CONTENT_KEYS, *_TEMPLATE_INFO_KEYS}
    extras.update({k: v for k, v in data.items() if k not in known})
    info = m.TemplateInfo(**info_values, extras=extras)
    return m.Message(content=content, chips=chips), info


def export_template(message: m.Message, info: m.TemplateInfo) -> dict[str, Any]:
    """The create/update-template body for ``message``; template type follows the content."""
    out: dict[str, Any] = {}
    if info.agent_number is not None:
        out["agent_number"] = info.agent_number
    out["template_type"] = m.TEMPLATE_TYPE_BY_KIND[message.kind]
    if info.name is not None:
        out["template_name"] = info.name
    content = message.content
    if isinstance(content, m.TextContent):
        out["text"] = content.text
    elif isinstance(content, m.FileContent):
        out["file"] = FILE_REF.encode(content.file, Spelling.TEMPLATE)
    elif isinstance(content, m.RichCard):
        out["rich_card_standalone"] = RICH_CARD.encode(content, Spelling.TEMPLATE)
    else:
        out["rich_card_carousel"] = CAROUSEL.encode(content, Spelling.TEMPLATE)
    if info.status is not None:
        out["status"] = info.status
    if info.template_id is not None:
        out["template_id"] = info.template_id
    if info.template_number is not None:
        out["template_number"] = info.template_number
    extras = dict(info.extras)
    content_message = dict(extras.pop("contentMessage", {}) or {})
    if message.chips:
        content_message["suggestions"] = SUGGESTIONS.encode(message.chips, Spelling.TEMPLATE)
    if content_message:
        out["contentMessage"] = content_message
    for key, value in extras.items():
        out.setdefault(key, value)
    return out


# ---------------------------------------------------------------- draft file

_DRAFT_KEYS = (
    "format",
    "version",
    "name",
    "created",
    "modified",
    "template",
    "variables",
    "message",
)
DRAFT_KEYS: tuple[str, ...] = _DRAFT_KEYS


def decode_draft(data: Any, path: str = "$") -> m.Draft:
    if not isinstance(data, dict):
        raise DecodeError(path, f"expected an object, found {json_type_name(data)}")
    version = data.get("version")
    where = child_path(path, "version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DecodeError(where, "a draft needs an integer version")
    if version > DRAFT_VERSION:
        raise DecodeError(
            where,
            f"made by a newer rcs-composer (draft version {version}; "
            f"this one reads {DRAFT_VERSION})",
        )
    data = migrate_draft(data)
    strings = {
        key: _TEXT.decode(data[key], child_path(path, key), Spelling.MESSAGE)
        for key in ("name", "created", "modified")
        if data.get(key) is not None
    }
    variables: dict[str, str] = {}
    raw_vars = data.get("variables")
    if raw_vars is None:
        raw_vars = {}  # 0, false, "" or [] are not "none": they are the wrong type
    if not isinstance(raw_vars, dict):
        raise DecodeError(child_path(path, "variables"), "expected an object of name: value")
    for name, value in raw_vars.items():
        variables[name] = _TEXT.decode(
            value, child_path(child_path(path, "variables"), name), Spelling.MESSAGE
        )
    if "message" not in data:
        raise DecodeError(path, "a draft needs a message")
    message = decode_message(data["message"], child_path(path, "message"))
    template = None
    if data.get("template") is not None:
        raw_template = data["template"]
        where = child_path(path, "template")
        if not isinstance(raw_template, dict):
            raise DecodeError(where, f"expected an object, found {json_type_name(raw_template)}")
        values = {
            attr: _TEXT.decode(raw_template[key], child_path(where, key), Spelling.MESSAGE)
            for key, attr in _TEMPLATE_INFO_KEYS.items()
            if raw_template.get(key) is not None
        }
        rest = {k: v for k, v in raw_template.items() if k not in _TEMPLATE_INFO_KEYS}
        template = m.TemplateInfo(**values, extras=rest)
    extras = {k: v for k, v in data.items() if k not in _DRAFT_KEYS}
    return m.Draft(
        name=strings.get("name", "Untitled"),
        message=message,
        variables=variables,
        created=strings.get("created"),
        modified=strings.get("modified"),
        template=template,
        extras=extras,
    )


# Draft version N -> N+1. Each entry turns a dict of the older shape into the next one.
DRAFT_MIGRATIONS: dict[int, Any] = {}


def migrate_draft(data: dict[str, Any]) -> dict[str, Any]:
    version = int(data["version"])
    while version < DRAFT_VERSION:
        step = DRAFT_MIGRATIONS.get(version)
        if step is None:
            raise DecodeError("$.version", f"draft version {version} is not supported")
        data = step(dict(data))
        version += 1
    return data


def export_draft(draft: m.Draft) -> dict[str, Any]:
    out: dict[str, Any] = {"format": DRAFT_FORMAT, "version": DRAFT_VERSION, "name": draft.name}
    if draft.created is not None:
        out["created"] = draft.created
    if draft.modified is not None:
        out["modified"] = draft.modified
    if draft.template is not None:
        info = draft.template
        template = {
            key: getattr(info, attr)
            for key, attr in _TEMPLATE_INFO_KEYS.items()
            if getattr(info, attr) is not None
        }
        for key, value in info.extras.items():
            template.setdefault(key, value)
        out["template"] = template
    if draft.variables:
        out["variables"] = dict(draft.variables)
    out["message"] = export_message(draft.message)
    for key, value in draft.extras.items():
        out.setdefault(key, value)
    return out


def export_as(fmt: Format, draft: m.Draft) -> dict[str, Any]:
    if fmt is Format.DRAFT:
        return export_draft(draft)
    if fmt is Format.TEMPLATE:
        return export_template(draft.message, draft.template or m.TemplateInfo())
    return export_message(draft.message)


# ---------------------------------------------------------------- what a conversion drops


@dataclass(frozen=True, eq=False, repr=False)
class Dropped(Record):
    """A field of the source file that the converted file will not carry, and why."""

    path: str  # where it is in the source file
    reason: str

    def as_json(self) -> dict[str, str]:
        return {"path": self.path, "reason": self.reason}


_ENVELOPE_KEYS = tuple(spec.key for spec in MESSAGE.leading if spec.attr in ENVELOPE_ATTRS)
_RESPONSE_KEYS = ("code", "message", "error")
NO_ENVELOPE = "a template body carries no envelope (sender, recipients, refs, time to live)"
NOT_A_TEMPLATE_KEY = "not a documented key of a message, so not written into a template body"
TEMPLATE_ONLY = "template information; a message body has no place for it"
DRAFT_ONLY = "kept only in drafts"
RESPONSE_ONLY = "part of Kaleyra's response around the template, not of the template"


def dropped_fields(document: Document, data: Any, target: Format) -> list[Dropped]:
    """Each field of ``data`` (the file ``document`` was read from) that converting it to
    ``target`` leaves out, with its path in that file, in file order."""
    if not isinstance(data, dict) or target is document.format:
        return []
    found: list[Dropped] = []
    within = body_within(data)
    if "data" in within:
        found += [Dropped(child_path("$", k), RESPONSE_ONLY) for k in _RESPONSE_KEYS if k in data]
    if target is Format.DRAFT:
        return found
    body = data
    for key in within:
        body = body[key]
    if document.format is Format.DRAFT:
        message_path = child_path("$", "message")
        keep = {"format", "version", "message"} | (
            {"template"} if target is Format.TEMPLATE else set()
        )
        found += [Dropped(child_path("$", k), DRAFT_ONLY) for k in data if k not in keep]
    else:
        message_path = body_path(data)
    if target is Format.TEMPLATE and document.format is not Format.TEMPLATE:
        found += [
            Dropped(child_path(message_path, key), NO_ENVELOPE)
            for key in _ENVELOPE_KEYS
            if isinstance(body, dict) and key in body
        ]
        found += [
            Dropped(child_path(message_path, key), NOT_A_TEMPLATE_KEY)
            for key in document.draft.message.extras
        ]
    if target is Format.MESSAGE and document.format is Format.TEMPLATE:
        content_keys = set(TEMPLATE_CONTENT_KEYS)
        for key, value in body.items():
            where = child_path(message_path, key)
            if key == "contentMessage" and isinstance(value, dict):
                found += [
                    Dropped(child_path(where, inner), TEMPLATE_ONLY)
                    for inner in value
                    if inner != "suggestions"
                ]
            elif key not in content_keys and key != "contentMessage":
                found.append(Dropped(where, TEMPLATE_ONLY))
    return found
