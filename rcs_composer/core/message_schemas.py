"""The schema of every Kaleyra object the composer reads and writes, in wire order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from rcs_composer.core import model as m
from rcs_composer.core.schema_types import (
    Choice,
    Converter,
    Field,
    Integer,
    ListOf,
    Number,
    ObjectSchema,
    Text,
    Variant,
)
from rcs_composer.core.wire import Spelling, child_path

Inner = TypeVar("Inner")
Outer = TypeVar("Outer")


class Wrapped(Converter[Outer], Generic[Inner, Outer]):
    """A value stored on the wire as its inner value (``"text": "..."`` -> ``TextContent``)."""

    def __init__(
        self,
        inner: Converter[Inner],
        wrap: Callable[[Inner], Outer],
        unwrap: Callable[[Outer], Inner],
    ) -> None:
        self.inner, self.wrap, self.unwrap = inner, wrap, unwrap

    def decode(self, value: object, path: str, spelling: Spelling) -> Outer:
        return self.wrap(self.inner.decode(value, path, spelling))

    def encode(self, value: Outer, spelling: Spelling) -> Any:
        return self.inner.encode(self.unwrap(value), spelling)


TEXT = Text()

FILE_REF: ObjectSchema[m.FileRef] = ObjectSchema(
    m.FileRef,
    [
        Field("file_url", "fileUrl", TEXT),
        Field("thumbnail_url", "thumbnailUrl", TEXT),
        Field("content_description", "contentDescription", TEXT),
    ],
)

MEDIA: ObjectSchema[m.Media] = ObjectSchema(
    m.Media, [Field("height", "height", Choice(m.MediaHeight)), Field("file", "file", FILE_REF)]
)

OPEN_URL: ObjectSchema[m.OpenUrl] = ObjectSchema(
    m.OpenUrl,
    [
        Field("url", "url", TEXT),
        Field("application", "application", Choice(m.UrlApplication)),
        Field("webview_mode", "webviewViewMode", Choice(m.WebviewMode)),
        Field("description", "description", TEXT),
    ],
)

DIAL: ObjectSchema[m.Dial] = ObjectSchema(m.Dial, [Field("phone_number", "phoneNumber", TEXT)])

LAT_LONG: ObjectSchema[m.LatLong] = ObjectSchema(
    m.LatLong, [Field("latitude", "latitude", Number()), Field("longitude", "longitude", Number())]
)

VIEW_LOCATION: ObjectSchema[m.ViewLocation] = ObjectSchema(
    m.ViewLocation,
    [
        Field("lat_long", "latLong", LAT_LONG),
        Field("label", "label", TEXT),
        Field("query", "query", TEXT),
    ],
)

CALENDAR_EVENT: ObjectSchema[m.CalendarEvent] = ObjectSchema(
    m.CalendarEvent,
    [
        Field("start_time", "startTime", TEXT),
        Field("end_time", "endTime", TEXT),
        Field("title", "title", TEXT),
        Field("description", "description", TEXT),
    ],
)

SHARE_LOCATION: ObjectSchema[m.ShareLocation] = ObjectSchema(
    m.ShareLocation,
    [],
    # Seed 003's table types it as a String; its own sample and RBM send an empty object.
    shape_hint=": send {} (seed 003's table calls it a string, but its sample sends {})",
)

ACTIONS = (
    Variant("openUrlAction", OPEN_URL, m.OpenUrl),
    Variant("dialAction", DIAL, m.Dial),
    Variant("viewLocationAction", VIEW_LOCATION, m.ViewLocation),
    Variant("createCalendarEventAction", CALENDAR_EVENT, m.CalendarEvent),
    Variant("shareLocationAction", SHARE_LOCATION, m.ShareLocation),
)

_CHIP_COMMON = [
    Field("text", "text", TEXT),
    Field("postback_data", "postbackData", TEXT),
    Field("button_id", "buttonId", TEXT),
]

REPLY: ObjectSchema[m.Reply] = ObjectSchema(
    m.Reply, [*_CHIP_COMMON, Field("open_url", "openUrlAction", OPEN_URL)]
)

ACTION_CHIP: ObjectSchema[m.ActionChip] = ObjectSchema(
    m.ActionChip, _CHIP_COMMON, one_of=("action", ACTIONS, False)
)

SUGGESTION_SLOT: ObjectSchema[m.SuggestionSlot] = ObjectSchema(
    m.SuggestionSlot,
    [],
    one_of=(
        "suggestion",
        (Variant("reply", REPLY, m.Reply), Variant("action", ACTION_CHIP, m.ActionChip)),
        True,
    ),
)

SUGGESTIONS = ListOf(SUGGESTION_SLOT)

CARD_CONTENT: ObjectSchema[m.CardContent] = ObjectSchema(
    m.CardContent,
    [
        Field("title", "title", TEXT),
        Field("description", "description", TEXT),
        Field("media", "media", MEDIA),
        Field("suggestions", "suggestions", SUGGESTIONS),
    ],
)

RICH_CARD: ObjectSchema[m.RichCard] = ObjectSchema(
    lambda **kw: m.RichCard(**{"orientation": None, **kw}),
    [
        Field("orientation", "cardOrientation", Choice(m.Orientation)),
        Field("thumbnail_alignment", "thumbnailImageAlignment", Choice(m.ThumbnailAlignment)),
        Field("content", "content", CARD_CONTENT),
    ],
)

CAROUSEL: ObjectSchema[m.Carousel] = ObjectSchema(
    lambda **kw: m.Carousel(**{"card_width": None, **kw}),
    [
        Field("card_width", "cardWidth", Choice(m.CardWidth)),
        Field("cards", "cardContents", ListOf(CARD_CONTENT), keep_empty=True),
    ],
)

TEXT_CONTENT: Wrapped[str, m.TextContent] = Wrapped(TEXT, m.TextContent, lambda c: c.text)
FILE_CONTENT: Wrapped[m.FileRef, m.FileContent] = Wrapped(FILE_REF, m.FileContent, lambda c: c.file)

CONTENT_VARIANTS = (
    Variant("text", TEXT_CONTENT, m.TextContent),
    Variant("file", FILE_CONTENT, m.FileContent),
    Variant("richCardStandalone", RICH_CARD, m.RichCard),
    Variant("richCardCarousel", CAROUSEL, m.Carousel),
)

# The reference fields of a send: ref, ref1, ref2 on the messages pages; Ref3 is named by
# K:rcs-payload-specification (MAX_SIZE_REFERENCE_KEYS). Model attribute and wire key agree.
REF_KEYS = ("ref", "ref1", "ref2", "ref3")

MESSAGE: ObjectSchema[m.Message] = ObjectSchema(
    m.Message,
    [
        Field("sender", "from", TEXT),
        Field("recipients", "to", ListOf(TEXT), keep_empty=True),
        *(Field(key, key, TEXT) for key in REF_KEYS),
        Field("ttl_seconds", "ttlSeconds", Integer()),
    ],
    one_of=("content", CONTENT_VARIANTS, True),
    # The chip list follows the content on the wire, as in seed 001.
    trailing=[Field("chips", "suggestions", SUGGESTIONS)],
)

# Message attributes that are the envelope of one send rather than its content.
ENVELOPE_ATTRS = frozenset(spec.attr for spec in MESSAGE.leading)


def _texts(converter: Converter[Any], value: Any, path: str) -> Iterator[tuple[str, str]]:
    if value is None:
        return
    if isinstance(converter, Text):
        yield path, value
    elif isinstance(converter, Wrapped):
        yield from _texts(converter.inner, converter.unwrap(value), path)
    elif isinstance(converter, ListOf):
        for index, item in enumerate(value):
            yield from _texts(converter.item, item, child_path(path, index))
    elif isinstance(converter, ObjectSchema):
        for spec in converter.leading:
            if converter is not MESSAGE or spec.attr not in ENVELOPE_ATTRS:
                yield from _texts(
                    spec.converter, getattr(value, spec.attr), child_path(path, spec.key)
                )
        if converter.one_of is not None:
            attr, variants, _ = converter.one_of
            chosen = getattr(value, attr)
            for variant in variants:
                if chosen is not None and (
                    variant.model is None or isinstance(chosen, variant.model)
                ):
                    yield from _texts(variant.converter, chosen, child_path(path, variant.key))
                    break
        for spec in converter.trailing:
            yield from _texts(spec.converter, getattr(value, spec.attr), child_path(path, spec.key))


def message_texts(message: m.Message) -> Iterator[tuple[str, str]]:
    """Every text of the content and chip list with its path (message spelling), in wire order.

    Unknown keys kept in ``extras`` and the envelope (sender, recipients, refs) are left out.
    """
    yield from _texts(MESSAGE, message, "$")
