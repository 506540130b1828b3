"""Typed, immutable model of an RCS message as Kaleyra's API understands it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeAlias

from rcs_composer.core.records import Record

# Every class is a frozen dataclass (dataclasses.replace and fields work on it); its ==, hash()
# and repr() are Record's, the same as generated ones, without one exec per method at import.
# A docstring on each spares dataclass computing one from inspect.signature.

# Unknown wire keys are kept here, in wire spelling, so round trips never drop them.
Extras: TypeAlias = Mapping[str, Any]


def _no_extras() -> dict[str, Any]:
    return {}


class Orientation(StrEnum):
    VERTICAL = "VERTICAL"
    HORIZONTAL = "HORIZONTAL"


class ThumbnailAlignment(StrEnum):
    LEFT = "LEFT"
    RIGHT = "RIGHT"


class MediaHeight(StrEnum):
    SHORT = "SHORT"
    MEDIUM = "MEDIUM"
    TALL = "TALL"


class CardWidth(StrEnum):
    SMALL = "SMALL"
    MEDIUM = "MEDIUM"
    UNSPECIFIED = "UNSPECIFIED"  # listed as a value in seed 001; devices use their default


class UrlApplication(StrEnum):
    BROWSER = "BROWSER"
    WEBVIEW = "WEBVIEW"


class WebviewMode(StrEnum):
    FULL = "FULL"
    HALF = "HALF"
    TALL = "TALL"


class MessageKind(StrEnum):
    TEXT = "text"
    FILE = "file"
    RICH_CARD = "rich_card"
    CAROUSEL = "carousel"


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True, eq=False, repr=False)
class OpenUrl(Record):
    """An Open URL action: the link, and where and how the phone opens it."""

    url: str | None = None
    application: UrlApplication | None = None
    webview_mode: WebviewMode | None = None
    description: str | None = None
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class Dial(Record):
    """A Dial action: the number the phone offers to call."""

    phone_number: str | None = None
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class LatLong(Record):
    """A point on the map, in degrees."""

    latitude: float | None = None
    longitude: float | None = None
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class ViewLocation(Record):
    """Either a latitude/longitude pair (with an optional label) or a search query."""

    lat_long: LatLong | None = None
    label: str | None = None
    query: str | None = None
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class CalendarEvent(Record):
    """A Create calendar event action: its times (RFC 3339), title and description."""

    start_time: str | None = None
    end_time: str | None = None
    title: str | None = None
    description: str | None = None
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class ShareLocation(Record):
    """A Share location action: it carries no fields of its own."""

    extras: Extras = field(default_factory=_no_extras)


Action: TypeAlias = OpenUrl | Dial | ViewLocation | CalendarEvent | ShareLocation


@dataclass(frozen=True, eq=False, repr=False)
class Reply(Record):
    """A reply chip. ``open_url`` keeps the URL seed 000 puts on a reply; devices ignore it."""

    text: str | None = None
    postback_data: str | None = None
    button_id: str | None = None
    open_url: OpenUrl | None = None
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class ActionChip(Record):
    """An action chip: a label and postback data, and the action the tap starts."""

    text: str | None = None
    postback_data: str | None = None
    button_id: str | None = None
    action: Action | None = None
    extras: Extras = field(default_factory=_no_extras)


Suggestion: TypeAlias = Reply | ActionChip


@dataclass(frozen=True, eq=False, repr=False)
class SuggestionSlot(Record):
    """The ``{"reply": ...}`` / ``{"action": ...}`` wrapper, with any sibling keys it carried."""

    suggestion: Suggestion
    extras: Extras = field(default_factory=_no_extras)


# ---------------------------------------------------------------- content


@dataclass(frozen=True, eq=False, repr=False)
class FileRef(Record):
    """A file on the web: its URL, a thumbnail's URL and a description for screen readers."""

    file_url: str | None = None
    thumbnail_url: str | None = None
    content_description: str | None = None
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class Media(Record):
    """The media of a card: its height on the card and the file shown."""

    height: MediaHeight | None = None
    file: FileRef | None = None
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class CardContent(Record):
    """What one card shows: title, description, media and its suggestions."""

    title: str | None = None
    description: str | None = None
    media: Media | None = None
    suggestions: tuple[SuggestionSlot, ...] = ()
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class TextContent(Record):
    """A text message."""

    text: str = ""


@dataclass(frozen=True, eq=False, repr=False)
class FileContent(Record):
    """A file message: one image, video or document."""

    file: FileRef = field(default_factory=FileRef)


@dataclass(frozen=True, eq=False, repr=False)
class RichCard(Record):
    """A standalone rich card: its orientation, thumbnail alignment and content."""

    orientation: Orientation | None = Orientation.VERTICAL
    thumbnail_alignment: ThumbnailAlignment | None = None
    content: CardContent = field(default_factory=CardContent)
    extras: Extras = field(default_factory=_no_extras)


@dataclass(frozen=True, eq=False, repr=False)
class Carousel(Record):
    """A carousel: the width of its cards and the cards."""

    card_width: CardWidth | None = CardWidth.MEDIUM
    cards: tuple[CardContent, ...] = ()
    extras: Extras = field(default_factory=_no_extras)


Content: TypeAlias = TextContent | FileContent | RichCard | Carousel


def kind_of(content: Content) -> MessageKind:
    if isinstance(content, TextContent):
        return MessageKind.TEXT
    if isinstance(content, FileContent):
        return MessageKind.FILE
    if isinstance(content, RichCard):
        return MessageKind.RICH_CARD
    return MessageKind.CAROUSEL


@dataclass(frozen=True, eq=False, repr=False)
class Message(Record):
    """One send: the envelope (sender, recipients, refs, TTL), the content and the chip list."""

    content: Content = field(default_factory=TextContent)
    chips: tuple[SuggestionSlot, ...] = ()
    sender: str | None = None
    recipients: tuple[str, ...] | None = None
    ref: str | None = None
    ref1: str | None = None
    ref2: str | None = None
    ref3: str | None = None  # K:rcs-payload-specification names Ref1, Ref2 and Ref3
    ttl_seconds: int | None = None
    extras: Extras = field(default_factory=_no_extras)

    @property
    def kind(self) -> MessageKind:
        return kind_of(self.content)


# ---------------------------------------------------------------- templates


class TemplateStatus(StrEnum):
    DRAFT = "DRAFT"
    CREATED = "CREATED"
    SUBMITTEDFORAPPROVAL = "SUBMITTEDFORAPPROVAL"
    ACTIVE = "ACTIVE"
    APPROVED = "APPROVED"


TEMPLATE_TYPE_BY_KIND: Mapping[MessageKind, str] = {
    MessageKind.TEXT: "1",
    MessageKind.FILE: "3",
    MessageKind.RICH_CARD: "4",
    MessageKind.CAROUSEL: "5",
}


@dataclass(frozen=True, eq=False, repr=False)
class TemplateInfo(Record):
    """The fields a create-template body carries besides the message content."""

    name: str | None = None
    agent_number: str | None = None
    status: str | None = None
    template_id: str | None = None
    template_number: str | None = None
    extras: Extras = field(default_factory=_no_extras)


# ---------------------------------------------------------------- drafts


@dataclass(frozen=True, eq=False, repr=False)
class Draft(Record):
    """What rcs-composer keeps on disk: a named message with sample values for its variables."""

    name: str = "Untitled"
    message: Message = field(default_factory=Message)
    variables: Mapping[str, str] = field(default_factory=dict)
    created: str | None = None
    modified: str | None = None
    template: TemplateInfo | None = None
    extras: Extras = field(default_factory=_no_extras)
