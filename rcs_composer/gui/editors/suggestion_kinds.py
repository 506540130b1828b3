"""The kinds of suggestion the editor offers, and what a new one of each starts as."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from rcs_composer.core import model as m

KINDS: dict[str, Callable[[], m.Reply | m.ActionChip]] = {
    "Reply": lambda: m.Reply(text="Reply", postback_data="reply"),
    "Open URL": lambda: m.ActionChip(
        text="Open",
        postback_data="open_url",
        action=m.OpenUrl(url="https://", application=m.UrlApplication.BROWSER),
    ),
    "Dial": lambda: m.ActionChip(
        text="Call us", postback_data="dial", action=m.Dial(phone_number="+")
    ),
    "View location": lambda: m.ActionChip(
        text="Directions",
        postback_data="view_location",
        action=m.ViewLocation(lat_long=m.LatLong(0.0, 0.0), label=""),
    ),
    "Calendar event": lambda: new_event(),
    "Share location": lambda: m.ActionChip(
        text="Share location", postback_data="share_location", action=m.ShareLocation()
    ),
}


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_event() -> m.ActionChip:
    start = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    return m.ActionChip(
        text="Add to calendar",
        postback_data="calendar",
        action=m.CalendarEvent(
            start_time=rfc3339(start),
            end_time=rfc3339(start + timedelta(hours=1)),
            title="Event",
            description="Details",
        ),
    )


def kind_name(suggestion: m.Reply | m.ActionChip) -> str:
    if isinstance(suggestion, m.Reply):
        return "Reply"
    return {
        m.OpenUrl: "Open URL",
        m.Dial: "Dial",
        m.ViewLocation: "View location",
        m.CalendarEvent: "Calendar event",
        m.ShareLocation: "Share location",
    }.get(type(suggestion.action), "Action")


def slot_key(slot: m.SuggestionSlot) -> str:
    return "reply" if isinstance(slot.suggestion, m.Reply) else "action"
