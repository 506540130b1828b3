"""Key spellings of the two Kaleyra wire formats, in one table with the source of each name."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from enum import Enum


class Spelling(Enum):
    """Which of Kaleyra's two payload spellings a body uses."""

    MESSAGE = "message"  # camelCase, POST /rcs/messages (seeds 000 and 001)
    TEMPLATE = "template"  # snake_case, POST /rcs/template (seed 003)


SEED_003 = "seed 003"
BY_RULE = "seed 003 rule: snake_case of the message key"
INFERRED = "INFERRED: not in any seed, taken by analogy with rich_card_standalone"

# Message (camelCase) key -> template (snake_case) key, with where the template name comes from.
# Keys absent here are spelled the same in both formats. Edit this table, and only this table,
# when Kaleyra documents a template spelling.
TEMPLATE_KEYS: Mapping[str, tuple[str, str]] = {
    "postbackData": ("postback_data", SEED_003),
    "openUrlAction": ("open_url_action", SEED_003),
    "webviewViewMode": ("webview_view_mode", SEED_003),
    "dialAction": ("dial_action", SEED_003),
    "phoneNumber": ("phone_number", SEED_003),
    "shareLocationAction": ("shareLocationAction", SEED_003 + " (stays camelCase)"),
    "richCardStandalone": ("rich_card_standalone", SEED_003),
    "cardOrientation": ("card_orientation", SEED_003),
    "thumbnailImageAlignment": ("thumbnail_image_alignment", SEED_003),
    "fileUrl": ("file_url", SEED_003),
    "thumbnailUrl": ("thumbnail_url", SEED_003),
    "contentDescription": ("content_description", SEED_003),
    "buttonId": ("button_id", "seed 001 attribute table"),
    "viewLocationAction": ("view_location_action", BY_RULE),
    "latLong": ("lat_long", BY_RULE),
    "createCalendarEventAction": ("create_calendar_event_action", BY_RULE),
    "startTime": ("start_time", BY_RULE),
    "endTime": ("end_time", BY_RULE),
    "richCardCarousel": ("rich_card_carousel", INFERRED),
    "cardWidth": ("card_width", INFERRED),
    "cardContents": ("card_contents", INFERRED),
}

# Other spellings accepted on import of a template body (never written).
TEMPLATE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "shareLocationAction": ("share_location_action",),
    "richCardStandalone": ("rich_card",),  # seed 003's template-type table names it rich_card
}


# Keys people write for another one, and why, where the sources themselves disagree.
KNOWN_MISSPELLINGS: Mapping[tuple[str, Spelling], tuple[str, str]] = {
    ("button_id", Spelling.MESSAGE): (
        "buttonId",
        "seed 001's table spells it button_id, but its samples and the other pages send buttonId",
    ),
}


def wire_key(message_key: str, spelling: Spelling) -> str:
    if spelling is Spelling.MESSAGE:
        return message_key
    entry = TEMPLATE_KEYS.get(message_key)
    return entry[0] if entry else message_key


def accepted_keys(message_key: str, spelling: Spelling) -> tuple[str, ...]:
    primary = wire_key(message_key, spelling)
    if spelling is Spelling.MESSAGE:
        return (primary,)
    return (primary, *TEMPLATE_ALIASES.get(message_key, ()))


# Where a message-body key sits in a template body when it is not directly under the root.
TEMPLATE_ROOT_PLACES: Mapping[str, tuple[str, ...]] = {
    "suggestions": ("contentMessage", "suggestions"),  # seed 003: the chip list
}


# Compiled on first use: validating a file that has no odd key and no problem needs none of them.
@functools.cache
def _segment() -> re.Pattern[str]:
    return re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]|\['((?:[^'\\]|\\.)*)'\]")


@functools.cache
def _to_escape() -> re.Pattern[str]:
    return re.compile(r"[\\'\x00-\x1f\x7f-\x9f\u2028\u2029]")


@functools.cache
def _escaped() -> re.Pattern[str]:
    return re.compile(r"\\(u[0-9a-f]{4}|.)")


def is_simple_key(key: str) -> bool:
    """A key a path writes after a dot: ``[A-Za-z_][A-Za-z0-9_]*`` (an ASCII identifier)."""
    return key.isascii() and key.isidentifier()


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return "\\" + char if char in "\\'" else f"\\u{ord(char):04x}"


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) == 5 else code


def child_path(parent: str, key: str | int) -> str:
    """JSONPath of a child, written the way Kaleyra's error messages write it, on one line."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if is_simple_key(key):
        return f"{parent}.{key}"
    return f"{parent}['{_to_escape().sub(_escape, key)}']"


def split_path(path: str) -> list[str | int]:
    """The keys and indexes of a path ``child_path`` wrote (the inverse of ``join_path``)."""
    if not path.startswith("$"):
        raise ValueError(f"not a JSONPath: {path[:40]!r}")
    segments: list[str | int] = []
    position = 1
    segment, escaped = _segment(), _escaped()
    while position < len(path):
        match = segment.match(path, position)
        if match is None:
            raise ValueError(f"not a JSONPath: {path[:40]!r}")
        name, index, quoted = match.groups()
        if name is not None:
            segments.append(name)
        elif index is not None:
            segments.append(int(index))
        else:
            segments.append(escaped.sub(_unescape, quoted))
        position = match.end()
    return segments


def join_path(segments: Sequence[str | int], root: str = "$") -> str:
    path = root
    for segment in segments:
        path = child_path(path, segment)
    return path


def file_path(path: str, data: object, spelling: Spelling, within: Sequence[str] = ()) -> str:
    """Where ``path`` (message-body spelling, as validation writes it) is in the user's file.

    ``data`` is the parsed file and ``within`` the keys that lead to the body in it
    (``("message",)`` in a draft, ``("data",)`` in a template response). A key the file spells
    with an alias (``rich_card``) is named as the file spells it; a key absent from the file is
    named in its primary spelling.
    """
    segments = split_path(path)
    if spelling is Spelling.TEMPLATE and segments and isinstance(segments[0], str):
        segments = [*TEMPLATE_ROOT_PLACES.get(segments[0], (segments[0],)), *segments[1:]]
    node: object = data
    out: list[str | int] = []
    for key in within:
        out.append(key)
        node = node.get(key) if isinstance(node, dict) else None
    for segment in segments:
        if isinstance(segment, int):
            out.append(segment)
            in_range = isinstance(node, list) and 0 <= segment < len(node)
            node = node[segment] if in_range else None  # type: ignore[index]
            continue
        options = accepted_keys(segment, spelling)
        chosen = next((k for k in options if isinstance(node, dict) and k in node), options[0])
        out.append(chosen)
        node = node.get(chosen) if isinstance(node, dict) else None
    return join_path(out)
