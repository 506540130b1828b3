"""Key spellings of the two Kaleyra wire formats, in one table with the source of each name."""

from __future__ import annotations

import re
from collections.abc import Mapping
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


_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def child_path(parent: str, key: str | int) -> str:
    """JSONPath of a child, written the way Kaleyra's error messages write it."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if _SIMPLE_KEY.match(key):
        return f"{parent}.{key}"
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"{parent}['{escaped}']"
