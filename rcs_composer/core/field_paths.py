"""One address per field, derived from the schema: model get/put, wire paths, labels, rules."""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rcs_composer.core import message_schemas as s
from rcs_composer.core import model as m
from rcs_composer.core.issues import Issue
from rcs_composer.core.records import Record
from rcs_composer.core.rules import RULES, Rule
from rcs_composer.core.schema_types import Converter, ListOf, ObjectSchema, Text
from rcs_composer.core.wire import (
    TEMPLATE_ROOT_PLACES,
    Spelling,
    accepted_keys,
    join_path,
    split_path,
    wire_key,
)

__all__ = [
    "ROOT",
    "FieldPath",
    "Index",
    "IssueGroup",
    "Key",
    "group_issues",
    "human_label",
    "human_label_many",
]

_MAX_TEXT = 2000  # a longer "path" is not one a person or a server wrote
_LONG_INDEX = re.compile(r"\[[0-9]{10,}\]")  # no list has a billion items
# The template's own fields: at the root of a template body, spelled the same everywhere.
TEMPLATE_FIELDS: Mapping[str, str] = {
    "template_name": "Template name",
    "agent_number": "Agent number",
    "status": "Template status",
    "template_type": "Template type",
    "template_id": "Template id",
    "template_number": "Template number",
}
# Where a message body sits inside the other files validation reads (draft, template response).
_BODY_PREFIXES = ("message", "data")


# Key and Index are one-item tuples, as NamedTuples would be, written out: a NamedTuple costs
# about 250 us to define at import.
class Key(tuple[str]):
    """A step into an object, named by its key in the message (camelCase) spelling."""

    __slots__ = ()

    def __new__(cls, name: str) -> Key:
        return tuple.__new__(cls, (name,))

    @property
    def name(self) -> str:
        return self[0]

    def __repr__(self) -> str:
        return f"Key(name={self[0]!r})"

    def __getnewargs__(self) -> tuple[str]:  # copy and pickle make it from its name
        return (self[0],)


class Index(tuple[int]):
    """A step into a list (cards, suggestions, recipients), 0-based."""

    __slots__ = ()

    def __new__(cls, number: int) -> Index:
        return tuple.__new__(cls, (number,))

    @property
    def number(self) -> int:
        return self[0]

    def __repr__(self) -> str:
        return f"Index(number={self[0]!r})"

    def __getnewargs__(self) -> tuple[int]:  # copy and pickle make it from its number
        return (self[0],)


Step = Key | Index


# ---------------------------------------------------------------- what a person calls each field


class _About:
    """What the field table says of one key (a plain class: a table of sixty costs no exec)."""

    __slots__ = ("item", "item_rules", "label", "last_only", "rules")

    def __init__(
        self,
        label: str,  # how a person names the field
        rules: tuple[str, ...] = (),  # codes of the rules validation checks on this field
        *,
        last_only: bool = False,  # a container named only when it is the field itself
        item: str = "",  # for a list: one item's name, with {n} (1-based)
        item_rules: tuple[str, ...] = (),
    ) -> None:
        self.label, self.rules, self.last_only = label, rules, last_only
        self.item, self.item_rules = item, item_rules


_URL_RULES = (
    "url.whitespace",
    "url.control",
    "url.host.missing",
    "url.host.invalid",
    "url.port.invalid",
    "url.character",
    "url.too_long",
)
_MEDIA_URL_RULES = ("media.url.scheme", "media.url.insecure", *_URL_RULES)
_CARD_RULES = ("card.empty", "card.text.missing", "card.horizontal.media_only")
_CHIP_TEXT = _About(
    "Label", ("suggestion.text.missing", "suggestion.text.too_long", "text.control")
)
_CHIP_POSTBACK = _About(
    "Postback data",
    ("suggestion.postback.missing", "suggestion.postback.too_long", "suggestion.postback.long"),
)
_CHIP_BUTTON = _About("Button id")

# (schema, message key) -> about. FILE_REF labels name the file by where it is ({what}).
_ABOUT: dict[tuple[Converter[Any], str], _About] = {
    (s.MESSAGE, "from"): _About("Sender", ("envelope.from.missing",)),
    (s.MESSAGE, "to"): _About(
        "Recipients",
        ("envelope.to.missing", "envelope.to.too_many"),
        last_only=True,
        item="Recipient {n}",
        item_rules=(
            "envelope.to.format",
            "envelope.to.invalid",
            "envelope.to.unlikely",
            "envelope.to.duplicate",
        ),
    ),
    (s.MESSAGE, "ref"): _About("Reference", ("envelope.ref.too_long",)),
    (s.MESSAGE, "ref1"): _About("Reference 1", ("envelope.ref.too_long",)),
    (s.MESSAGE, "ref2"): _About("Reference 2", ("envelope.ref.too_long",)),
    (s.MESSAGE, "ref3"): _About("Reference 3", ("envelope.ref.too_long",)),
    (s.MESSAGE, "ttlSeconds"): _About(
        "Time to live", ("envelope.ttl.invalid", "envelope.ttl.beyond_retention")
    ),
    (s.MESSAGE, "text"): _About(
        "Message text", ("text.empty", "text.too_long", "template.text.too_long", "text.control")
    ),
    (s.MESSAGE, "file"): _About("File", last_only=True),
    (s.MESSAGE, "richCardStandalone"): _About("Card"),
    (s.MESSAGE, "richCardCarousel"): _About("Carousel", last_only=True),
    (s.MESSAGE, "suggestions"): _About(
        "Chip list", ("chips.too_many",), last_only=True, item="Chip {n}"
    ),
    (s.FILE_REF, "fileUrl"): _About(
        "{what} address", ("file.url.missing", "media.url.missing", *_MEDIA_URL_RULES)
    ),
    (s.FILE_REF, "thumbnailUrl"): _About("Thumbnail address", _MEDIA_URL_RULES),
    (s.FILE_REF, "contentDescription"): _About("{what} description"),
    (s.MEDIA, "height"): _About(
        "Media height",
        (
            "media.height.missing",
            "media.height.horizontal",
            "carousel.tall_small",
            "carousel.tall_medium",
        ),
    ),
    (s.MEDIA, "file"): _About("Image", ("media.file.missing",), last_only=True),
    (s.OPEN_URL, "url"): _About(
        "Link",
        ("open_url.url.missing", "open_url.url.scheme", "open_url.url.insecure", *_URL_RULES),
    ),
    (s.OPEN_URL, "application"): _About("Opens in"),
    (s.OPEN_URL, "webviewViewMode"): _About(
        "Webview mode", ("open_url.webview_mode.browser", "open_url.webview_mode.missing")
    ),
    (s.OPEN_URL, "description"): _About("Link description"),
    (s.DIAL, "phoneNumber"): _About(
        "Phone number",
        ("dial.phone.missing", "dial.phone.format", "dial.phone.invalid", "dial.phone.unlikely"),
    ),
    (s.LAT_LONG, "latitude"): _About(
        "Latitude", ("location.latitude.range", "location.lat_long.incomplete")
    ),
    (s.LAT_LONG, "longitude"): _About(
        "Longitude", ("location.longitude.range", "location.lat_long.incomplete")
    ),
    (s.VIEW_LOCATION, "latLong"): _About(
        "Latitude and longitude", ("location.lat_long.incomplete",), last_only=True
    ),
    (s.VIEW_LOCATION, "label"): _About(
        "Location label", ("location.label.too_long", "text.control")
    ),
    (s.VIEW_LOCATION, "query"): _About("Search query", ("location.query.too_long",)),
    (s.CALENDAR_EVENT, "startTime"): _About(
        "Start time", ("calendar.time.missing", "calendar.time.format")
    ),
    (s.CALENDAR_EVENT, "endTime"): _About(
        "End time", ("calendar.time.missing", "calendar.time.format", "calendar.time.order")
    ),
    (s.CALENDAR_EVENT, "title"): _About(
        "Event title",
        (
            "calendar.title.missing",
            "calendar.title.too_long",
            "calendar.title.long",
            "text.control",
        ),
    ),
    (s.CALENDAR_EVENT, "description"): _About(
        "Event description",
        (
            "calendar.description.missing",
            "calendar.description.too_long",
            "calendar.description.long",
            "text.control",
        ),
    ),
    (s.REPLY, "text"): _CHIP_TEXT,
    (s.REPLY, "postbackData"): _CHIP_POSTBACK,
    (s.REPLY, "buttonId"): _CHIP_BUTTON,
    (s.REPLY, "openUrlAction"): _About("Link on a reply", ("reply.url.ignored",), last_only=True),
    (s.ACTION_CHIP, "text"): _CHIP_TEXT,
    (s.ACTION_CHIP, "postbackData"): _CHIP_POSTBACK,
    (s.ACTION_CHIP, "buttonId"): _CHIP_BUTTON,
    (s.ACTION_CHIP, "openUrlAction"): _About("Open URL action", last_only=True),
    (s.ACTION_CHIP, "dialAction"): _About("Dial action", last_only=True),
    (s.ACTION_CHIP, "viewLocationAction"): _About(
        "Location", ("location.missing",), last_only=True
    ),
    (s.ACTION_CHIP, "createCalendarEventAction"): _About("Calendar event", last_only=True),
    (s.ACTION_CHIP, "shareLocationAction"): _About("Share location", last_only=True),
    (s.SUGGESTION_SLOT, "reply"): _About("", last_only=True),
    (s.SUGGESTION_SLOT, "action"): _About("Action", ("action.missing",), last_only=True),
    (s.CARD_CONTENT, "title"): _About(
        "Title", ("card.title.too_long", "card.title.bytes", "text.control")
    ),
    (s.CARD_CONTENT, "description"): _About(
        "Description", ("card.description.too_long", "card.description.bytes", "text.control")
    ),
    (s.CARD_CONTENT, "media"): _About("Media", last_only=True),
    (s.CARD_CONTENT, "suggestions"): _About(
        "Suggestions",
        ("card.suggestions.too_many", "card.suggestions.crowded"),
        last_only=True,
        item="Suggestion {n}",
    ),
    (s.RICH_CARD, "cardOrientation"): _About("Orientation", ("card.orientation.missing",)),
    (s.RICH_CARD, "thumbnailImageAlignment"): _About(
        "Thumbnail alignment", ("card.alignment.missing", "card.alignment.vertical")
    ),
    (s.RICH_CARD, "content"): _About("Card", _CARD_RULES, last_only=True),
    (s.CAROUSEL, "cardWidth"): _About("Card width"),
    (s.CAROUSEL, "cardContents"): _About(
        "Carousel cards",
        ("carousel.cards.too_few", "carousel.cards.too_many"),
        last_only=True,
        item="Card {n}",
        item_rules=_CARD_RULES,
    ),
}
_ROOT_RULES = ("message.too_large", "payload.shape", "issues.too_many")
_TEMPLATE_RULES: Mapping[str, tuple[str, ...]] = {
    "template_name": (
        "template.name.missing",
        "template.name.format",
        "template.name.returned_long",
    ),
    "agent_number": ("template.agent_number.missing",),
    "status": ("template.status.missing", "template.status.unknown", "template.status.region"),
    "template_type": ("template.type.missing", "template.type.number"),
}
_TEXT_RULES = ("variable.empty", "variable.malformed", "variable.unbalanced", "variable.nested")
_ANYWHERE_RULES = ("key.unknown", "key.duplicate")
_ENVELOPE_KEYS = frozenset(spec.key for spec in s.MESSAGE.leading)


# ---------------------------------------------------------------- walking the schema


class _Hop:
    """How one step reaches into the model: an attribute, a one-of member, or a list item."""

    __slots__ = ("attr", "converter", "model", "parent", "step", "wrapped")

    def __init__(
        self,
        step: Step,
        parent: Converter[Any] | None,  # the schema the step is taken in (None: template fields)
        attr: str | None,  # model attribute (a field's, or the one-of attribute)
        model: type | None,  # a one-of member's class
        converter: Converter[Any],  # what the value at the step is (unwrapped)
        wrapped: s.Wrapped[Any, Any] | None = None,  # stored on the model wrapped (TextContent)
    ) -> None:
        self.step, self.parent, self.attr, self.model = step, parent, attr, model
        self.converter, self.wrapped = converter, wrapped


def _unwrap(converter: Converter[Any]) -> tuple[Converter[Any], s.Wrapped[Any, Any] | None]:
    if isinstance(converter, s.Wrapped):
        return converter.inner, converter
    return converter, None


@functools.cache
def _hop_key(parent: Converter[Any], key: str, spellings: tuple[Spelling, ...]) -> _Hop | None:
    """The hop ``key`` makes in ``parent`` (any of ``spellings``), or None if it names nothing."""
    if not isinstance(parent, ObjectSchema):
        return None

    def named(message_key: str) -> bool:
        return any(key in accepted_keys(message_key, spelling) for spelling in spellings)

    for spec in parent.fields:
        if named(spec.key):
            inner, wrapped = _unwrap(spec.converter)
            return _Hop(Key(spec.key), parent, spec.attr, None, inner, wrapped)
    if parent.one_of is not None:
        attr, variants, _ = parent.one_of
        for variant in variants:
            if named(variant.key):
                inner, wrapped = _unwrap(variant.converter)
                return _Hop(Key(variant.key), parent, attr, variant.model, inner, wrapped)
    return None


@functools.lru_cache(maxsize=4096)
def _resolve(steps: tuple[Step, ...]) -> tuple[_Hop, ...] | None:
    """The hops of canonical ``steps`` from the message root, or None when one names nothing."""
    hops: list[_Hop] = []
    here: Converter[Any] | None = s.MESSAGE
    for position, step in enumerate(steps):
        if isinstance(step, Index):
            if not isinstance(here, ListOf) or step.number < 0:
                return None
            hop = _Hop(step, here, None, None, *_unwrap(here.item))
        elif position == 0 and step.name in TEMPLATE_FIELDS:
            hop = _Hop(step, None, None, None, s.TEXT)
        elif here is None:
            return None
        else:
            found = _hop_key(here, step.name, (Spelling.MESSAGE,))
            if found is None or found.step != step:
                return None
            hop = found
        hops.append(hop)
        here = hop.converter
    return tuple(hops)


def _canonical(segments: Sequence[str | int]) -> tuple[list[Step], int]:
    """Steps in message spelling for ``segments`` written in either spelling, and how many of
    the segments they cover (fewer than all when one names nothing the schema knows)."""
    segments = list(segments)
    skipped = 0
    if segments and segments[0] in _BODY_PREFIXES:
        segments, skipped = segments[1:], 1
    if segments[:2] == ["contentMessage", "suggestions"]:  # the template's chip list
        segments, skipped = ["suggestions", *segments[2:]], skipped + 1
    both = (Spelling.MESSAGE, Spelling.TEMPLATE)
    steps: list[Step] = []
    here: Converter[Any] | None = s.MESSAGE
    for position, segment in enumerate(segments):
        if isinstance(segment, int):
            if not isinstance(here, ListOf):
                return steps, position + skipped
            steps.append(Index(segment))
            here = _unwrap(here.item)[0]
            continue
        if position == 0 and segment in TEMPLATE_FIELDS:
            steps.append(Key(segment))
            here = None
            continue
        hop = _hop_key(here, segment, both) if here is not None else None
        if hop is None:
            return steps, position + skipped
        steps.append(hop.step)
        here = hop.converter
    return steps, len(segments) + skipped


def _split(text: str) -> list[str | int] | None:
    if not isinstance(text, str) or len(text) > _MAX_TEXT:
        return None
    text = text.strip()
    if not text.startswith("$"):
        if not re.match(r"[A-Za-z_]", text):
            return None
        text = "$." + text
    if _LONG_INDEX.search(text):
        return None
    try:
        return split_path(text)
    except ValueError:
        return None


# ---------------------------------------------------------------- the address


@dataclass(frozen=True, eq=False, repr=False)  # ==, hash() and repr() from Record
class FieldPath(Record):
    """The address of one field (or object) of a message: hashable, built from typed steps.

    Steps are kept in the message (camelCase) spelling; ``jsonpath`` writes any format's
    spelling, and ``parse`` reads either (and a draft's or a template response's prefix).
    """

    steps: tuple[Step, ...] = ()

    def __post_init__(self) -> None:
        try:
            known = _resolve(self.steps) is not None
        except (TypeError, AttributeError):  # a list, or plain keys and numbers
            steps = tuple(
                step
                if isinstance(step, Key | Index)
                else Index(step)
                if isinstance(step, int)
                else Key(str(step))
                for step in self.steps
            )
            object.__setattr__(self, "steps", steps)
            known = _resolve(steps) is not None
        if not known:
            raise ValueError(f"no such field: {join_path(_segments(self.steps))[:80]}")

    # ------------------------------------------------------------ building

    def child(self, key: str) -> FieldPath:
        """The field ``key`` (message spelling) of this object; ValueError if it has none."""
        return FieldPath((*self.steps, Key(key)))

    def at(self, index: int) -> FieldPath:
        """Item ``index`` of this list; ValueError if this is not a list."""
        return FieldPath((*self.steps, Index(index)))

    def join(self, *parts: str | int) -> FieldPath:
        path = self
        for part in parts:
            path = path.at(part) if isinstance(part, int) else path.child(part)
        return path

    @property
    def parent(self) -> FieldPath | None:
        return FieldPath(self.steps[:-1]) if self.steps else None

    def is_within(self, other: FieldPath) -> bool:
        """True when this is ``other`` or a field inside it."""
        return self.steps[: len(other.steps)] == other.steps

    @staticmethod
    def parse(text: str) -> FieldPath | None:
        """The field ``text`` names (a JSONPath in the message or template spelling, as
        validation, a file or a server's error writes it), or None when it names no field."""
        return _parse(text, exact=True) if _plausible(text) else None

    @staticmethod
    def nearest(text: str) -> FieldPath | None:
        """The deepest known field on the way to ``text`` (an unknown key's object, the field
        holding a server's too-deep path), or None when ``text`` is not a JSONPath."""
        return _parse(text, exact=False) if _plausible(text) else None

    # ------------------------------------------------------------ reading the steps

    @property
    def _hops(self) -> tuple[_Hop, ...]:
        hops = _resolve(self.steps)
        assert hops is not None  # checked when built
        return hops

    def _index_after(self, owner: tuple[Converter[Any], str]) -> int | None:
        for position, hop in enumerate(self._hops[:-1]):
            if (hop.parent, getattr(hop.step, "name", None)) == owner:
                following = self.steps[position + 1]
                if isinstance(following, Index):
                    return following.number
        return None

    @property
    def card_index(self) -> int | None:
        """The carousel card this is in (0-based), or None."""
        return self._index_after((s.CAROUSEL, "cardContents"))

    @property
    def suggestion_index(self) -> int | None:
        """The suggestion of a card, or chip of the message, this is in (0-based), or None."""
        card = self._index_after((s.CARD_CONTENT, "suggestions"))
        return card if card is not None else self._index_after((s.MESSAGE, "suggestions"))

    @property
    def in_chip_list(self) -> bool:
        return bool(self.steps) and self.steps[0] == Key("suggestions")

    @property
    def is_template_field(self) -> bool:
        return bool(self.steps) and getattr(self.steps[0], "name", None) in TEMPLATE_FIELDS

    @property
    def converter(self) -> Converter[Any]:
        """The schema of the value here (an object, a list, a text, a number, a choice)."""
        return self._hops[-1].converter if self.steps else s.MESSAGE

    @property
    def is_leaf(self) -> bool:
        """A value a person types or picks, not an object or a list."""
        return not isinstance(self.converter, ObjectSchema | ListOf)

    @property
    def name(self) -> str | None:
        """The last key (message spelling), or None for the root or a list item."""
        last = self.steps[-1] if self.steps else None
        return last.name if isinstance(last, Key) else None

    # ------------------------------------------------------------ wire paths

    def jsonpath(self, spelling: Spelling = Spelling.MESSAGE) -> str:
        """Where the field is in a body of ``spelling``. ValueError for a field that format
        does not have (a send's envelope in a template)."""
        segments = _segments(self.steps)
        if spelling is Spelling.TEMPLATE and segments:
            first = segments[0]
            if first in _ENVELOPE_KEYS:
                raise ValueError(f"a template has no {first!r}: it belongs to one send")
            if isinstance(first, str) and first not in TEMPLATE_FIELDS:
                head = TEMPLATE_ROOT_PLACES.get(first, (first,))
                segments = [*head, *segments[1:]]
            segments = [
                wire_key(part, spelling) if isinstance(part, str) else part for part in segments
            ]
        return join_path(segments)

    def __str__(self) -> str:
        return self.jsonpath()

    @property
    def merge_key(self) -> str:
        """Undo: consecutive edits of one field merge into one step under this key."""
        return "field:" + self.jsonpath()

    # ------------------------------------------------------------ the model

    def get(self, message: m.Message) -> Any:
        """The value at this address in ``message``, or None when it is not there."""
        if self.is_template_field:
            raise ValueError("a template field is not in the message")
        value: Any = message
        for hop in self._hops:
            if value is None:
                return None
            value = _step_into(value, hop)
        return value

    def put(self, message: m.Message, value: Any) -> m.Message:
        """``message`` with ``value`` at this address; missing objects on the way are made
        empty. ValueError when the message holds another kind there (a text, not a card),
        IndexError for an item that is not in its list."""
        if self.is_template_field:
            raise ValueError("a template field is not in the message")
        if not self.steps:
            if not isinstance(value, m.Message):
                raise ValueError("the root of a message is a Message")
            return value
        result = _put(message, self._hops, value)
        assert isinstance(result, m.Message)
        return result

    # ------------------------------------------------------------ rules and words

    def rules(self) -> tuple[Rule, ...]:
        """The rules validation checks on this field (their codes, messages and sources)."""
        codes: list[str] = list(_ANYWHERE_RULES)
        if not self.steps:
            codes += _ROOT_RULES
        elif self.is_template_field:
            codes += _TEMPLATE_RULES.get(self.steps[0].name, ())  # type: ignore[union-attr]
        else:
            about = _about_of(self._hops, len(self._hops) - 1)
            if about is not None:
                codes += about.item_rules if isinstance(self.steps[-1], Index) else about.rules
            envelope = getattr(self.steps[0], "name", None) in _ENVELOPE_KEYS
            if isinstance(self.converter, Text) and not envelope:
                codes += _TEXT_RULES
        return tuple(RULES[code] for code in dict.fromkeys(codes))

    def human_label(self) -> str:
        """The field as a person names it: "Card 2 > Title", "Chip 3 > Link"."""
        if not self.steps:
            return "Message"
        if self.is_template_field:
            return TEMPLATE_FIELDS[self.steps[0].name]  # type: ignore[union-attr]
        what = "Image" if Key("media") in self.steps else "File"
        parts: list[str] = []
        last = len(self.steps) - 1
        for position, step in enumerate(self.steps):
            about = _about_of(self._hops, position)
            if about is None:
                continue
            if isinstance(step, Index):
                label = about.item.format(n=step.number + 1) if about.item else ""
            elif about.last_only and position != last:
                continue
            else:
                label = about.label.format(what=what)
            if label and (not parts or parts[-1] != label):
                parts.append(label)
        return " > ".join(parts) or "Message"


def _plausible(text: object) -> bool:
    return isinstance(text, str) and len(text) <= _MAX_TEXT


@functools.lru_cache(maxsize=8192)
def _parse(text: str, *, exact: bool) -> FieldPath | None:
    segments = _split(text)
    if segments is None:
        return None
    steps, covered = _canonical(segments)
    if exact:
        return FieldPath(tuple(steps)) if covered == len(segments) else None
    return FieldPath(tuple(steps)) if steps or not segments else None


def _segments(steps: Sequence[Step]) -> list[str | int]:
    return [step.number if isinstance(step, Index) else step.name for step in steps]


def _about_of(hops: Sequence[_Hop], position: int) -> _About | None:
    """What the table says of the key at ``position`` (for an index: of its list's key)."""
    if isinstance(hops[position].step, Index):
        if position == 0:
            return None
        position -= 1
    hop = hops[position]
    step = hop.step
    if hop.parent is None or not isinstance(step, Key):
        return None
    return _ABOUT.get((hop.parent, step.name))


def _step_into(value: Any, hop: _Hop) -> Any:
    if isinstance(hop.step, Index):
        number = hop.step.number
        value = value[number] if isinstance(value, tuple) and number < len(value) else None
    else:
        assert hop.attr is not None
        value = getattr(value, hop.attr, None)
        if hop.model is not None and not isinstance(value, hop.model):
            return None
    if hop.wrapped is not None and value is not None:
        value = hop.wrapped.unwrap(value)
    return value


def _empty(hop: _Hop) -> Any:
    """An empty object of the kind ``hop`` reaches, to put a field into."""
    if hop.model is not None:
        made = hop.model()
        return hop.wrapped.unwrap(made) if hop.wrapped is not None else made
    if isinstance(hop.converter, ObjectSchema):
        return hop.converter.model()
    if isinstance(hop.converter, ListOf):
        return ()
    raise ValueError("nothing to put a field into")


def _put(value: Any, hops: Sequence[_Hop], new: Any) -> Any:
    hop, rest = hops[0], hops[1:]
    if isinstance(hop.step, Index):
        number = hop.step.number
        if not isinstance(value, tuple) or number >= len(value):
            raise IndexError(f"there is no item {number + 1} here")
        child = value[number]
    else:
        assert hop.attr is not None
        child = getattr(value, hop.attr)
        if hop.model is not None and child is not None and not isinstance(child, hop.model):
            raise ValueError(f"this holds a {type(child).__name__}, not a {hop.model.__name__}")
    if rest:
        inner = (
            hop.wrapped.unwrap(child) if hop.wrapped is not None and child is not None else child
        )
        if inner is None:
            inner = _empty(hop)
        replaced = _put(inner, rest, new)
        replaced = hop.wrapped.wrap(replaced) if hop.wrapped is not None else replaced
    else:
        replaced = hop.wrapped.wrap(new) if hop.wrapped is not None and new is not None else new
    if isinstance(hop.step, Index):
        return (*value[:number], replaced, *value[number + 1 :])
    assert hop.attr is not None
    return dataclasses.replace(value, **{hop.attr: replaced})


ROOT = FieldPath()


# ---------------------------------------------------------------- the schema's fields


def every_field() -> Iterator[FieldPath]:
    """Every field and object of every kind of message once, with index 0 for each list
    (the template's own fields last)."""

    def walk(path: FieldPath, converter: Converter[Any] | None) -> Iterator[FieldPath]:
        yield path
        if isinstance(converter, ListOf):
            item = path.at(0)
            yield from walk(item, item.converter)
        elif isinstance(converter, ObjectSchema):
            keys = [spec.key for spec in converter.fields]
            if converter.one_of is not None:
                keys += [variant.key for variant in converter.one_of[1]]
            for key in keys:
                child = path.child(key)
                yield from walk(child, child.converter)

    yield from walk(ROOT, s.MESSAGE)
    for key in TEMPLATE_FIELDS:
        yield ROOT.child(key)


# ---------------------------------------------------------------- strings in, words out


def human_label(path: str) -> str:
    """``path`` (a JSONPath in either spelling) as a person names the field. Never raises:
    keys the schema does not know are named as written after the nearest known field."""
    segments = _split(path) if isinstance(path, str) else None
    if segments is None:
        return str(path)[:80]
    steps, covered = _canonical(segments)
    known = FieldPath(tuple(steps))
    rest = [str(part + 1) if isinstance(part, int) else part for part in segments[covered:]]
    label = known.human_label() if known.steps or not rest else ""
    return " > ".join(part for part in [label, *rest] if part)[:200]


def located(path: str, text: str) -> str:
    """``text`` after the name of the field at ``path`` ("Card > Title: ..."); a problem of
    the whole message or file is ``text`` alone (not "Message: The message is...")."""
    return text if path in ("$", "") else f"{human_label(path)}: {text}"


def _ranges(numbers: Sequence[int]) -> str:
    ordered = sorted(set(numbers))
    runs: list[str] = []
    start = previous = ordered[0]
    for number in [*ordered[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        runs.append(
            f"{start}-{previous}"
            if previous > start + 1
            else (f"{start}, {previous}" if previous == start + 1 else f"{start}")
        )
        if number is not None:
            start = previous = number
    return ", ".join(runs)


def human_label_many(paths: Sequence[FieldPath]) -> str:
    """One label for fields that differ only in their indexes: "Card 1-10 > Image address"."""
    if not paths:
        return ""
    first = paths[0]
    if len(paths) == 1 or any(len(p.steps) != len(first.steps) for p in paths):
        return first.human_label()
    varying = [
        position
        for position, step in enumerate(first.steps)
        if isinstance(step, Index) and any(p.steps[position] != step for p in paths)
    ]
    if any(
        p.steps[i] != first.steps[i]
        for p in paths
        for i in range(len(first.steps))
        if i not in varying
    ):
        return first.human_label()
    # Label the first path with a marker in place of each varying index, then fill the marker.
    marker = 10**8
    steps = tuple(
        Index(marker + position) if position in varying else step
        for position, step in enumerate(first.steps)
    )
    label = FieldPath(steps).human_label()
    for position in varying:
        numbers = [p.steps[position].number + 1 for p in paths]  # type: ignore[union-attr]
        label = label.replace(str(marker + position + 1), _ranges(numbers))
    return label


@dataclass(frozen=True, eq=False, repr=False)
class IssueGroup(Record):
    """The same problem on fields that differ only in their card or suggestion number."""

    issues: tuple[Issue, ...]
    label: str  # "Card 1-10 > Image address"

    @property
    def first(self) -> Issue:
        return self.issues[0]

    @property
    def count(self) -> int:
        return len(self.issues)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(issue.path for issue in self.issues)


def group_issues(issues: Sequence[Issue]) -> list[IssueGroup]:
    """``issues`` in order, one group per rule and field pattern (first appearance). Fields
    group when one number differs (cards 1 to 10); when two do (card and suggestion), only
    those with the same inner number share a row, so a label never names a field that has
    no such problem."""
    groups: dict[tuple[object, ...], list[tuple[Issue, FieldPath | None]]] = {}
    for issue in issues:
        field = FieldPath.parse(issue.path)
        if field is None:
            key: tuple[object, ...] = (issue.severity, issue.code, issue.path, issue.message)
        else:
            shape = tuple(Index(0) if isinstance(step, Index) else step for step in field.steps)
            key = (issue.severity, issue.code, shape)
        groups.setdefault(key, []).append((issue, field))
    found = []
    for members in groups.values():
        for part in _split_group(members):
            fields = [field for _, field in part if field is not None]
            label = (
                human_label_many(fields)
                if len(fields) == len(part)
                else human_label(part[0][0].path)
            )
            found.append(IssueGroup(tuple(issue for issue, _ in part), label))
    return found


def _split_group(
    members: list[tuple[Issue, FieldPath | None]],
) -> list[list[tuple[Issue, FieldPath | None]]]:
    fields = [field for _, field in members]
    if len(members) < 2 or any(field is None for field in fields):
        return [members]
    steps = [field.steps for field in fields if field is not None]
    varying = [
        position
        for position, step in enumerate(steps[0])
        if isinstance(step, Index) and any(other[position] != step for other in steps)
    ]
    if len(varying) <= 1:
        return [members]
    kept = varying[0]  # the outer number (the card) may differ within a row; the rest may not
    parts: dict[tuple[Step, ...], list[tuple[Issue, FieldPath | None]]] = {}
    for member, path in zip(members, steps, strict=True):
        inner = tuple(step for position, step in enumerate(path) if position != kept)
        parts.setdefault(inner, []).append(member)
    return list(parts.values())
