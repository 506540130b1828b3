"""One address per field: model get/put, the wire path in each format, labels, rules."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.core.field_paths import (
    ROOT,
    FieldPath,
    Index,
    Key,
    every_field,
    human_label,
    human_label_many,
)
from rcs_composer.core.rules import RULES
from rcs_composer.core.schema_types import Choice, Integer, ListOf, Number, Text
from rcs_composer.core.validation import validate, validate_data
from rcs_composer.core.wire import Spelling, split_path

FIXTURES = Path(__file__).parent.parent / "fixtures"
ENVELOPE = {"from", "to", "ref", "ref1", "ref2", "ref3", "ttlSeconds"}
MESSAGE_FIELDS = [path for path in every_field() if not path.is_template_field]
LEAVES = [path for path in MESSAGE_FIELDS if path.is_leaf]


def _content_for(path: FieldPath) -> m.Content:
    first = path.name if len(path.steps) == 1 else getattr(path.steps[0], "name", None)
    return {
        "text": m.TextContent("t"),
        "file": m.FileContent(),
        "richCardStandalone": m.RichCard(),
        "richCardCarousel": m.Carousel(cards=()),
    }.get(first or "", m.TextContent("t"))


def message_holding(path: FieldPath) -> m.Message:
    """A message with every list on the way to ``path`` holding the item it names."""
    message = m.Message(content=_content_for(path))
    for position, step in enumerate(path.steps):
        if not isinstance(step, Index):
            continue
        following = path.steps[position + 1] if position + 1 < len(path.steps) else None
        owner = FieldPath(path.steps[:position])
        item: Any
        if owner.name == "to":
            item = "919876543210"
        elif owner.name == "cardContents":
            item = m.CardContent()
        else:
            chip = m.ActionChip() if following == Key("action") else m.Reply()
            item = m.SuggestionSlot(chip)
        message = owner.put(message, (item,))
    return message


def sample_value(path: FieldPath) -> Any:
    converter = path.converter
    if isinstance(converter, Text):
        return "v é"
    if isinstance(converter, Number):
        return 12.9716
    if isinstance(converter, Integer):
        return 7
    assert isinstance(converter, Choice), path
    enum: type[StrEnum] = converter.enum
    return list(enum)[-1]


def wire_at(data: Any, jsonpath: str) -> Any:
    for segment in split_path(jsonpath):
        data = data[segment]
    return data


def test_every_field_is_listed_once_and_is_hashable() -> None:
    paths = list(every_field())
    assert len(paths) == len(set(paths)) > 100
    assert FieldPath.parse("$.richCardStandalone.content.title") == ROOT.join(
        "richCardStandalone", "content", "title"
    )
    assert {ROOT.join("text"): 1}[FieldPath((Key("text"),))] == 1


@pytest.mark.parametrize("path", MESSAGE_FIELDS, ids=str)
def test_each_field_round_trips_through_its_jsonpath_in_both_spellings(path: FieldPath) -> None:
    assert FieldPath.parse(path.jsonpath(Spelling.MESSAGE)) == path
    if path.steps and path.steps[0] in {Key(key) for key in ENVELOPE}:
        with pytest.raises(ValueError, match="template"):
            path.jsonpath(Spelling.TEMPLATE)
    else:
        assert FieldPath.parse(path.jsonpath(Spelling.TEMPLATE)) == path
    # inside a draft file and a template response
    assert FieldPath.parse("$.message" + path.jsonpath()[1:]) == path


@pytest.mark.parametrize("path", LEAVES, ids=str)
def test_each_leaf_puts_gets_and_lands_where_its_jsonpath_says(path: FieldPath) -> None:
    message = message_holding(path)
    value = sample_value(path)
    changed = path.put(message, value)
    assert path.get(changed) == value
    # the value is where the path says in the message body ...
    encoded = value.value if isinstance(value, StrEnum) else value
    assert wire_at(codecs.export_message(changed), path.jsonpath()) == encoded
    # ... and in the template body, for everything a template carries
    if path.steps[0] not in {Key(key) for key in ENVELOPE}:
        body = codecs.export_template(changed, m.TemplateInfo())
        assert wire_at(body, path.jsonpath(Spelling.TEMPLATE)) == encoded
        # and reading the body back gives the same value at the same address
        again, _ = codecs.decode_template(body)
        assert path.get(again) == value
    assert path.get(codecs.decode_message(codecs.export_message(changed))) == value


def test_get_of_a_field_that_is_not_there_is_none_and_put_refuses_another_kind() -> None:
    text = m.Message(content=m.TextContent("hi"))
    title = FieldPath.parse("$.richCardStandalone.content.title")
    assert title is not None
    assert title.get(text) is None
    with pytest.raises(ValueError, match="TextContent"):
        title.put(text, "x")
    third = FieldPath.parse("$.richCardCarousel.cardContents[2].title")
    assert third is not None
    with pytest.raises(IndexError):
        third.put(m.Message(content=m.Carousel(cards=(m.CardContent(),))), "x")
    # missing objects on the way are made
    card = m.Message(content=m.RichCard())
    url = FieldPath.parse("$.richCardStandalone.content.media.file.fileUrl")
    assert url is not None
    filled = url.put(card, "https://e.in/a.png")
    assert isinstance(filled.content, m.RichCard)
    assert filled.content.content.media == m.Media(file=m.FileRef(file_url="https://e.in/a.png"))


def test_merge_keys_are_one_per_field() -> None:
    keys = {path.merge_key for path in every_field()}
    assert len(keys) == len(list(every_field()))
    built = ROOT.join("richCardCarousel", "cardContents", 3, "title")
    assert (
        built.merge_key == FieldPath.parse("$.rich_card_carousel.card_contents[3].title").merge_key
    )  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("$.richCardCarousel.cardContents[1].title", "Card 2 > Title"),
        ("$.suggestions[2].action.openUrlAction.url", "Chip 3 > Link"),
        ("$.richCardCarousel.cardContents[0].media.file.fileUrl", "Card 1 > Image address"),
        ("$.text", "Message text"),
        ("$.richCardStandalone.content.title", "Card > Title"),
        ("$.rich_card_standalone.content.media.file.file_url", "Card > Image address"),
        ("$.contentMessage.suggestions[0].reply.postback_data", "Chip 1 > Postback data"),
        (
            "$.data.rich_card.content.suggestions[1].action.dial_action.phone_number",
            "Card > Suggestion 2 > Phone number",
        ),
        ("$.file.fileUrl", "File address"),
        ("$.to[1]", "Recipient 2"),
        ("$.template_name", "Template name"),
        ("$.richCardStandalone.cardOrientation", "Card > Orientation"),
        ("$", "Message"),
        ("$.richCardStandalone.content.titel", "Card > titel"),
        ("$.message.richCardCarousel.cardContents[4]", "Card 5"),
        ("richCardStandalone.content.description", "Card > Description"),
    ],
)
def test_human_label(text: str, label: str) -> None:
    assert human_label(text) == label


def test_every_field_has_a_label_and_no_raw_keys() -> None:
    for path in every_field():
        label = path.human_label()
        assert label and "{" not in label and "$" not in label, path
        assert not re.search(r"[a-z][A-Z]|_", label), label  # no wire key shows through


def test_human_label_many_groups_indexes() -> None:
    paths = [
        ROOT.join("richCardCarousel", "cardContents", i, "media", "file", "fileUrl")
        for i in range(10)
    ]
    assert human_label_many(paths) == "Card 1-10 > Image address"
    assert human_label_many([paths[0], paths[2], paths[3]]) == "Card 1, 3, 4 > Image address"
    assert human_label_many(paths[:1]) == "Card 1 > Image address"


HOSTILE = [
    "",
    "$$",
    "$.",
    "$..title",
    "$['text",
    "$[-1]",
    "$.text[0]",
    "$.suggestions.x",
    "$.suggestions[0].reply.dialAction",
    "$.to[0].x",
    "$.richCardStandalone.content.title.more",
    "$.richCardCarousel.cardContents[99999999999].title",
    "$.richCardCarousel.cardContents[" + "9" * 5000 + "]",
    "$." + "a" * 5000,
    "$.\u2028text",
    "\x00",
    "$.template_name.x",
    "$.richCardStandalone.template_name",
    "$.__class__",
    "$.content",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_paths_name_no_field_and_never_raise(text: str) -> None:
    assert FieldPath.parse(text) is None
    FieldPath.nearest(text)
    label = human_label(text)
    assert isinstance(label, str) and len(label) <= 200


def test_quoted_keys_and_servers_paths_parse() -> None:
    assert FieldPath.parse("$['richCardStandalone']['content']['title']") == FieldPath.parse(
        "$.richCardStandalone.content.title"
    )
    # a path deeper than any field maps to the field that holds it
    nearest = FieldPath.nearest("$.richCardStandalone.content.title.characters")
    assert nearest is not None and str(nearest) == "$.richCardStandalone.content.title"
    assert FieldPath.nearest("not a path") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_text_parses_or_is_refused(text: str) -> None:
    FieldPath.parse(text)
    FieldPath.nearest(text)
    assert isinstance(human_label(text), str)


def test_plain_keys_and_numbers_become_typed_steps() -> None:
    built = FieldPath(["richCardCarousel", "cardContents", 1, "title"])  # type: ignore[arg-type]
    assert built == ROOT.join("richCardCarousel", "cardContents", 1, "title")
    assert built.steps[2] == Index(1)
    assert hash(built) == hash(ROOT.join("richCardCarousel", "cardContents", 1, "title"))


def test_building_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValueError, match="no such field"):
        ROOT.join("richCardStandalone", "content", "titel")
    with pytest.raises(ValueError, match="no such field"):
        ROOT.child("text").at(0)


def test_steps_say_which_card_and_suggestion() -> None:
    path = FieldPath.parse("$.richCardCarousel.cardContents[3].suggestions[1].reply.text")
    assert path is not None
    assert (path.card_index, path.suggestion_index, path.in_chip_list) == (3, 1, False)
    chip = FieldPath.parse("$.suggestions[4].action.text")
    assert chip is not None
    assert (chip.card_index, chip.suggestion_index, chip.in_chip_list) == (None, 4, True)


def _every_issue() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for name in sorted(FIXTURES.glob("seed*.json")):
        data = codecs.parse_json(name.read_text())
        found += [(issue.code, issue.path) for issue in validate_data(data)]
    broken = m.Message(
        content=m.Carousel(
            cards=(
                m.CardContent(title="x" * 300, media=m.Media(file=m.FileRef(file_url="http://a"))),
                m.CardContent(title="é" * 150),  # within 200 characters, over 200 bytes
                m.CardContent(
                    suggestions=tuple(
                        m.SuggestionSlot(m.ActionChip(text="a" * 30, action=action))
                        for action in (
                            m.Dial(phone_number="12"),
                            m.ViewLocation(lat_long=m.LatLong(99, None)),
                            m.CalendarEvent(start_time="x"),
                            m.OpenUrl(url="ftp://x", webview_mode=m.WebviewMode.FULL),
                            None,
                        )
                    )
                ),
            )
        ),
        chips=(m.SuggestionSlot(m.Reply(text="{{ a }}", open_url=m.OpenUrl(url="x"))),),
        recipients=("12", "12"),
        ttl_seconds=-1,
    )
    found += [(i.code, i.path) for i in validate(broken, require_envelope=True)]
    return found


def test_every_issue_names_a_field_whose_rules_include_it() -> None:
    issues = _every_issue()
    assert len({code for code, _ in issues}) >= 25
    for code, path in issues:
        field = FieldPath.parse(path)
        assert field is not None, path
        assert code in {rule.code for rule in field.rules()}, (code, path)


def test_rules_carry_their_source() -> None:
    path = FieldPath.parse("$.richCardStandalone.content.title")
    assert path is not None
    rule = next(rule for rule in path.rules() if rule.code == "card.title.too_long")
    assert "seed" in rule.source
    assert isinstance(path.converter, Text) and not isinstance(ROOT.child("to").converter, Text)
    assert isinstance(ROOT.child("to").converter, ListOf)


def test_every_rule_applies_to_some_field() -> None:
    applied = {rule.code for path in every_field() for rule in path.rules()}
    # Rules of a variable-rows file name a row and a column of the spreadsheet, not a field.
    assert applied == {code for code in RULES if not code.startswith("row.")}


def test_issues_group_by_rule_and_field_with_one_number_varying() -> None:
    from rcs_composer.core.field_paths import group_issues
    from rcs_composer.core.issues import Issue, Severity

    def issue(path: str, code: str = "suggestion.text.missing") -> Issue:
        return Issue(Severity.ERROR, path, code, "Add the label.", "K")

    label = "$.richCardCarousel.cardContents[{}].suggestions[{}].reply.text"
    issues = [
        issue(label.format(0, 0)),
        issue(label.format(1, 0)),
        issue(label.format(2, 1)),
        issue("$.richCardCarousel.cardContents[2].title", "card.title.too_long"),
        issue("$.nowhere"),
        issue("$.nowhere"),
    ]
    groups = group_issues(issues)
    assert [(g.label, g.count) for g in groups] == [
        ("Card 1, 2 > Suggestion 1 > Label", 2),
        ("Card 3 > Suggestion 2 > Label", 1),
        ("Card 3 > Title", 1),
        ("nowhere", 2),
    ]


def test_a_problem_is_located_by_its_field_and_the_whole_message_by_none() -> None:
    from rcs_composer.core.field_paths import located

    assert located("$.richCardStandalone.content.title", "too long") == "Card > Title: too long"
    assert located("$", "The message is 300 kB") == "The message is 300 kB"
