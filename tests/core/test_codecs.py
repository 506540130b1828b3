"""Import and export of the three formats: seeds round-trip, generated models round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.core.codecs import Format, ParseError
from rcs_composer.core.schema_types import DecodeError
from tests.core import strategies

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEEDS = sorted(FIXTURES.glob("seed*.json"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_seed_sample_round_trips_to_the_same_json(path: Path) -> None:
    raw = json.loads(path.read_text())
    document = codecs.loads(path.read_text())
    exported = codecs.export_as(document.format, document.draft)
    expected = raw["data"] if "code" in raw else raw  # a template response holds the body in data
    assert exported == expected


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_every_seed_survives_a_trip_through_the_draft_format(path: Path) -> None:
    document = codecs.loads(path.read_text())
    text = codecs.dumps(codecs.export_draft(document.draft))
    again = codecs.loads(text)
    assert again.format is Format.DRAFT
    assert again.draft == document.draft


def test_formats_are_detected() -> None:
    assert (
        codecs.loads((FIXTURES / "seed000_standalone_card.json").read_text()).format
        is Format.MESSAGE
    )
    assert (
        codecs.loads((FIXTURES / "seed003_template_text.json").read_text()).format
        is Format.TEMPLATE
    )
    draft_text = codecs.dumps(codecs.export_draft(m.Draft(name="x")))
    assert codecs.loads(draft_text).format is Format.DRAFT


def test_seed_000_keeps_the_url_on_its_reply_chip() -> None:
    document = codecs.loads((FIXTURES / "seed000_standalone_card.json").read_text())
    card = document.draft.message.content
    assert isinstance(card, m.RichCard)
    reply = card.content.suggestions[0].suggestion
    assert isinstance(reply, m.Reply)
    assert reply.open_url == m.OpenUrl(url="https://www.tatacommunications.com")


def test_template_keeps_share_location_camel_case_and_dial_snake_case() -> None:
    document = codecs.loads((FIXTURES / "seed003_template_text.json").read_text())
    body = codecs.export_template(
        document.draft.message, document.draft.template or m.TemplateInfo()
    )
    actions = [s["action"] for s in body["contentMessage"]["suggestions"]]
    assert "shareLocationAction" in actions[0]
    assert actions[1]["dial_action"] == {"phone_number": "+917700000077"}
    message_body = codecs.export_message(document.draft.message)
    assert message_body["suggestions"][1]["action"]["dialAction"] == {
        "phoneNumber": "+917700000077"
    }


def test_message_converts_to_a_template_with_type_derived_from_kind() -> None:
    document = codecs.loads((FIXTURES / "seed001_carousel.json").read_text())
    info = m.TemplateInfo(name="offers", agent_number="100001", status="CREATED")
    body = codecs.export_template(document.draft.message, info)
    assert body["template_type"] == "5"
    assert body["rich_card_carousel"]["card_width"] == "MEDIUM"
    assert body["rich_card_carousel"]["card_contents"][0]["suggestions"][0]["action"][
        "open_url_action"
    ] == {"url": "http://www.sample.com/offer-a"}
    assert (
        body["contentMessage"]["suggestions"][0]["reply"]["postback_data"]
        == "my-start-over-response"
    )


def test_unknown_fields_are_carried_through_untouched() -> None:
    body = {
        "from": "rcs-dev",
        "to": ["919876543210"],
        "futureFlag": {"nested": [1, 2]},
        "richCardStandalone": {
            "cardOrientation": "VERTICAL",
            "newThing": True,
            "content": {
                "title": "Hi",
                "media": {"height": "SHORT", "file": {"fileUrl": "https://a/b.png", "x": 1}},
            },
        },
    }
    document = codecs.import_document(body)
    assert codecs.export_message(document.draft.message) == body


def test_export_is_deterministic_utf8_without_ascii_escapes() -> None:
    message = m.Message(content=m.TextContent("Diwali offers 🎉 für dich"), sender="rcs-dev")
    first = codecs.dumps(codecs.export_message(message))
    assert first == codecs.dumps(codecs.export_message(message))
    assert "🎉" in first and "\\u" not in first
    assert list(json.loads(first)) == ["from", "text"]


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ("{", "$", "not valid JSON"),
        ("[1, 2]", "$", "expected a JSON object"),
        ('{"hello": 1}', "$", "not a Kaleyra message body"),
        ('{"format": "something-else"}', "$.format", "unknown format marker"),
        ("[" * 5000 + "]" * 5000, "$", "nested deeper"),
        ('{"text": NaN}', "$", "NaN"),
    ],
)
def test_unreadable_input_gets_a_parse_error_with_a_path(text: str, path: str, words: str) -> None:
    with pytest.raises(ParseError) as caught:
        codecs.loads(text)
    assert caught.value.path == path
    assert words in caught.value.reason


@pytest.mark.parametrize(
    ("body", "path", "words"),
    [
        ({"from": "a", "to": "919876543210", "text": "hi"}, "$.to", "expected an array"),
        ({"text": 5}, "$.text", "expected a string"),
        ({"from": "a"}, "$", "needs one of"),
        ({"text": "a", "file": {"fileUrl": "x"}}, "$", "exactly one"),
        (
            {"richCardStandalone": {"cardOrientation": "DIAGONAL"}},
            "$.richCardStandalone.cardOrientation",
            "not one of VERTICAL, HORIZONTAL",
        ),
        (
            {"text": "a", "suggestions": [{"reply": {"text": 3}}]},
            "$.suggestions[0].reply.text",
            "expected a string",
        ),
        (
            {"text": "a", "suggestions": [{"oops": {}}]},
            "$.suggestions[0]",
            "needs one of reply, action",
        ),
        ({"text": "a", "ttlSeconds": "60"}, "$.ttlSeconds", "whole number"),
        ({"templateId": "abc", "from": "a"}, "$.templateId", "template"),
        ({"template_type": "4", "text": "hi"}, "$.template_type", "does not match"),
        ({"template_type": "99", "text": "hi"}, "$.template_type", "not one of 1, 3, 4, 5"),
        (
            {"format": "rcs-composer-draft", "version": 99, "message": {"text": ""}},
            "$.version",
            "newer",
        ),
        ({"format": "rcs-composer-draft", "version": 1}, "$", "needs a message"),
    ],
)
def test_wrong_shapes_name_the_path(body: dict[str, object], path: str, words: str) -> None:
    with pytest.raises(DecodeError) as caught:
        codecs.import_document(body)
    assert caught.value.path == path
    assert words in caught.value.reason


def test_huge_strings_import_without_trouble() -> None:
    body = {"from": "a", "to": ["919876543210"], "text": "x" * 2_000_000}
    document = codecs.import_document(body)
    assert codecs.export_message(document.draft.message) == body


@settings(max_examples=300, deadline=None)
@given(strategies.messages)
def test_generated_messages_round_trip_through_the_message_body(message: m.Message) -> None:
    text = codecs.dumps(codecs.export_message(message))
    assert codecs.decode_message(json.loads(text)) == message


@settings(max_examples=300, deadline=None)
@given(strategies.template_messages, strategies.template_infos)
def test_generated_content_round_trips_through_the_template_body(
    message: m.Message, info: m.TemplateInfo
) -> None:
    text = codecs.dumps(codecs.export_template(message, info))
    assert codecs.decode_template(json.loads(text)) == (message, info)


@settings(max_examples=300, deadline=None)
@given(strategies.drafts)
def test_generated_drafts_round_trip_through_the_draft_file(draft: m.Draft) -> None:
    text = codecs.dumps(codecs.export_draft(draft))
    assert codecs.loads(text).draft == draft
