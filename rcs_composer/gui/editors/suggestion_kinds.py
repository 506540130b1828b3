"""The kinds of suggestion the editor offers, and what a new one of each starts as."""

from __future__ import annotations

from collections.abc import Callable

from rcs_composer.core import model as m

# A new suggestion starts empty: its label, postback data and action fields are flagged as
# errors that say what to type, so no filler can reach a customer.
KINDS: dict[str, Callable[[], m.Reply | m.ActionChip]] = {
    "Reply": lambda: m.Reply(),
    "Open URL": lambda: m.ActionChip(action=m.OpenUrl(application=m.UrlApplication.BROWSER)),
    "Dial": lambda: m.ActionChip(action=m.Dial()),
    "View location": lambda: m.ActionChip(action=m.ViewLocation(lat_long=m.LatLong())),
    "Calendar event": lambda: m.ActionChip(action=m.CalendarEvent()),
    "Share location": lambda: m.ActionChip(action=m.ShareLocation()),
}


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
