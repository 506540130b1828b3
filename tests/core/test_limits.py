"""Every limit in the rule table: clean at the limit, reported one past it, at the right path."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from rcs_composer.core import model as m
from rcs_composer.core.issues import Region, Severity
from rcs_composer.core.rules import RULES
from rcs_composer.core.validation import validate

Build = Callable[[int], m.Message]


def chip(text: str = "OK", postback: str = "ok") -> m.SuggestionSlot:
    return m.SuggestionSlot(m.Reply(text=text, postback_data=postback))


def card(**changes: object) -> m.CardContent:
    values: dict[str, object] = {"title": "Title", "description": "Description"}
    values.update(changes)
    return m.CardContent(**values)  # type: ignore[arg-type]


def standalone(content: m.CardContent) -> m.Message:
    return m.Message(content=m.RichCard(content=content))


def carousel(cards: int, **changes: object) -> m.Message:
    return m.Message(content=m.Carousel(cards=tuple(card(**changes) for _ in range(cards))))


def open_url(url: str) -> m.SuggestionSlot:
    return m.SuggestionSlot(m.ActionChip(text="Open", postback_data="o", action=m.OpenUrl(url=url)))


def calendar(title: str = "Visit", description: str = "Come by") -> m.SuggestionSlot:
    event = m.CalendarEvent(
        start_time="2026-12-05T10:00:00Z",
        end_time="2026-12-05T11:00:00Z",
        title=title,
        description=description,
    )
    return m.SuggestionSlot(m.ActionChip(text="Book", postback_data="b", action=event))


def location(label: str | None = None, query: str | None = None) -> m.SuggestionSlot:
    action = m.ViewLocation(
        lat_long=m.LatLong(19.0, 72.8) if query is None else None, label=label, query=query
    )
    return m.SuggestionSlot(m.ActionChip(text="Map", postback_data="l", action=action))


def text_with_chips(*chips: m.SuggestionSlot) -> m.Message:
    return m.Message(content=m.TextContent("Hello"), chips=chips)


def recipients(count: int) -> m.Message:
    numbers = tuple(f"9198765{index:05d}" for index in range(count))
    return m.Message(content=m.TextContent("Hi"), sender="rcs-dev", recipients=numbers)


EMPTY = len('{"text":""}')  # the wire size of a text body around its text

# code -> (message with a value of length/count n, the path where the issue must appear)
CASES: dict[str, tuple[Build, str]] = {
    "envelope.to.too_many": (recipients, "$.to"),
    "text.too_long": (lambda n: m.Message(content=m.TextContent("a" * n)), "$.text"),
    "card.title.too_long": (
        lambda n: standalone(card(title="t" * n)),
        "$.richCardStandalone.content.title",
    ),
    "card.description.too_long": (
        lambda n: standalone(card(description="d" * n)),
        "$.richCardStandalone.content.description",
    ),
    "card.suggestions.too_many": (
        lambda n: standalone(card(suggestions=tuple(chip() for _ in range(n)))),
        "$.richCardStandalone.content.suggestions",
    ),
    "url.too_long": (
        lambda n: text_with_chips(open_url("https://e.in/" + "a" * (n - len("https://e.in/")))),
        "$.suggestions[0].action.openUrlAction.url",
    ),
    "carousel.cards.too_many": (carousel, "$.richCardCarousel.cardContents"),
    "chips.too_many": (lambda n: text_with_chips(*(chip() for _ in range(n))), "$.suggestions"),
    "suggestion.text.too_long": (
        lambda n: text_with_chips(chip(text="x" * n)),
        "$.suggestions[0].reply.text",
    ),
    "suggestion.postback.too_long": (
        lambda n: text_with_chips(chip(postback="p" * n)),
        "$.suggestions[0].reply.postbackData",
    ),
    "suggestion.postback.long": (
        lambda n: text_with_chips(chip(postback="p" * n)),
        "$.suggestions[0].reply.postbackData",
    ),
    "location.label.too_long": (
        lambda n: text_with_chips(location(label="l" * n)),
        "$.suggestions[0].action.viewLocationAction.label",
    ),
    "location.query.too_long": (
        lambda n: text_with_chips(location(query="q" * n)),
        "$.suggestions[0].action.viewLocationAction.query",
    ),
    "calendar.title.too_long": (
        lambda n: text_with_chips(calendar(title="t" * n)),
        "$.suggestions[0].action.createCalendarEventAction.title",
    ),
    "calendar.title.long": (
        lambda n: text_with_chips(calendar(title="t" * n)),
        "$.suggestions[0].action.createCalendarEventAction.title",
    ),
    "calendar.description.long": (
        lambda n: text_with_chips(calendar(description="d" * n)),
        "$.suggestions[0].action.createCalendarEventAction.description",
    ),
    "envelope.ref.too_long": (
        lambda n: m.Message(content=m.TextContent("Hi"), ref2="r" * n),
        "$.ref2",
    ),
    "calendar.description.too_long": (
        lambda n: text_with_chips(calendar(description="d" * n)),
        "$.suggestions[0].action.createCalendarEventAction.description",
    ),
    "envelope.ttl.beyond_retention": (
        lambda n: m.Message(content=m.TextContent("Hi"), ttl_seconds=n),
        "$.ttlSeconds",
    ),
    "message.too_large": (
        lambda n: m.Message(content=m.TextContent("a" * (n * 1024 - EMPTY))),
        "$",
    ),
}
# Rules whose limit is a lower bound, or that are checked by other tests below.
LOWER_BOUNDS = {"carousel.cards.too_few"}
TESTED_ELSEWHERE = {
    "template.text.too_long",
    "template.name.format",
    "card.suggestions.crowded",
    # tests/core/test_wire_fidelity.py: in bytes, and only for what Kaleyra returns
    "card.title.bytes",
    "card.description.bytes",
    "template.name.returned_long",
}
REGIONS = [None, Region.IN, Region.NA]


def test_every_rule_with_a_limit_has_a_case() -> None:
    with_limits = {code for code, rule in RULES.items() if rule.limits}
    assert with_limits - LOWER_BOUNDS - TESTED_ELSEWHERE <= set(CASES)


def codes_at(message: m.Message, region: Region | None, path: str) -> set[str]:
    return {issue.code for issue in validate(message, region) if issue.path == path}


@pytest.mark.parametrize("region", REGIONS, ids=str)
@pytest.mark.parametrize("code", sorted(CASES))
def test_at_the_limit_is_clean_and_one_past_is_reported(code: str, region: Region | None) -> None:
    build, path = CASES[code]
    limit = RULES[code].limit(region)
    if code == "message.too_large":  # counted in kB: one byte past the limit is enough
        assert code not in codes_at(build(limit), region, path)
        over = m.Message(content=m.TextContent("a" * (limit * 1024 - EMPTY + 1)))
        assert code in codes_at(over, region, path)
        (said,) = (issue.message for issue in validate(over, region) if issue.code == code)
        assert f"is {limit}.001 kB once serialized; the limit is {limit} kB" in said
        return
    assert code not in codes_at(build(limit), region, path)
    assert code in codes_at(build(limit + 1), region, path)


def test_too_few_carousel_cards() -> None:
    assert "carousel.cards.too_few" in codes_at(
        carousel(1), None, "$.richCardCarousel.cardContents"
    )
    assert "carousel.cards.too_few" not in codes_at(
        carousel(2), None, "$.richCardCarousel.cardContents"
    )


@pytest.mark.parametrize(
    ("region", "allowed"), [(Region.IN, 2500), (Region.NA, 2000), (None, 2000)], ids=str
)
def test_text_limit_follows_the_region(region: Region | None, allowed: int) -> None:
    assert RULES["text.too_long"].limit(region) == allowed


def test_template_text_is_held_to_2000_whatever_the_region() -> None:
    message = m.Message(content=m.TextContent("a" * 2001))
    info = m.TemplateInfo(name="ok", agent_number="1", status="CREATED")
    codes = {issue.code for issue in validate(message, Region.IN, template=info)}
    assert "template.text.too_long" in codes
    assert "text.too_long" not in codes


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("a", True),
        ("A_b_9" * 4, True),
        ("x" * 21, False),
        ("has space", False),
        ("dash-no", False),
        ("", False),
        ("ünï", False),
    ],
)
def test_template_names(name: str, ok: bool) -> None:
    message = m.Message(content=m.TextContent("hi"))
    info = m.TemplateInfo(name=name, agent_number="1")
    codes = {issue.code for issue in validate(message, template=info)}
    assert (codes.isdisjoint({"template.name.format", "template.name.missing"})) is ok


def test_a_title_too_long_in_characters_is_one_problem_not_two() -> None:
    from rcs_composer.core import model as m
    from rcs_composer.core.validation import validate

    def codes(title: str) -> list[str]:
        card = m.RichCard(content=m.CardContent(title=title, description="d"))
        return [issue.code for issue in validate(m.Message(content=card)) if "title" in issue.code]

    assert codes("x" * 210) == ["card.title.too_long"]  # ASCII: bytes say the same again
    assert codes("é" * 150) == ["card.title.bytes"]  # fits in characters, not in bytes
    assert codes("é" * 210) == ["card.title.too_long"]


def test_with_no_region_every_hard_limit_is_the_stricter_regional_one() -> None:
    # What `validate` and `check` promise when --region is not given.
    for code, rule in RULES.items():
        if rule.severity is Severity.ERROR and {Region.IN, Region.NA} <= set(rule.limits):
            regional = min(rule.limit(Region.IN), rule.limit(Region.NA))
            assert rule.limit(None) == regional, code
