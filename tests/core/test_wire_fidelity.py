"""Issue 14: what the validator parses (URLs, numbers, times, keys, variables), at the user's path.

Each class is checked at and past its boundary, in every format it applies to: a message body
(camelCase), a template body (snake_case) and a draft file, with the JSONPath as it exists in
the user's own file.
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.core.issues import Issue, Region, Severity
from rcs_composer.core.rules import RULES
from rcs_composer.core.urls import url_problem
from rcs_composer.core.validation import validate, validate_data, validate_recipients
from rcs_composer.core.variables import substitute, variables_sent

FIXTURES = Path(__file__).parent.parent / "fixtures"
ENVELOPE = {"from": "rcs-dev", "to": ["919876543210"]}
INFO = {"agent_number": "116002", "template_name": "t_1", "status": "CREATED"}

# The message-body spelling of each key and its template spelling, written out here by hand so
# the tests do not derive the expected paths with the code under test.
SNAKE = {
    "richCardStandalone": "rich_card_standalone",
    "richCardCarousel": "rich_card_carousel",
    "cardContents": "card_contents",
    "cardOrientation": "card_orientation",
    "thumbnailImageAlignment": "thumbnail_image_alignment",
    "fileUrl": "file_url",
    "thumbnailUrl": "thumbnail_url",
    "postbackData": "postback_data",
    "openUrlAction": "open_url_action",
    "dialAction": "dial_action",
    "phoneNumber": "phone_number",
    "createCalendarEventAction": "create_calendar_event_action",
    "startTime": "start_time",
    "endTime": "end_time",
}


def _snake(key: str) -> str:
    return SNAKE.get(key, key)


def _template_key_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {_snake(k): _template_key_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_template_key_tree(item) for item in value]
    return value


def as_message(body: dict[str, Any]) -> dict[str, Any]:
    return {**ENVELOPE, **body}


def as_template(body: dict[str, Any]) -> dict[str, Any]:
    """The same content as a create-template body, spelt by hand (not by the exporter)."""
    content = {k: v for k, v in body.items() if k != "suggestions"}
    ((key, value),) = content.items()
    kind = {"text": "1", "file": "3", "richCardStandalone": "4", "richCardCarousel": "5"}[key]
    out: dict[str, Any] = {**INFO, "template_type": kind, _snake(key): _template_key_tree(value)}
    if "suggestions" in body:
        out["contentMessage"] = {"suggestions": _template_key_tree(body["suggestions"])}
    return out


def as_draft(body: dict[str, Any]) -> dict[str, Any]:
    return {"format": "rcs-composer-draft", "version": 1, "name": "d", "message": body}


def template_path(path: str) -> str:
    if path.startswith("$.suggestions"):
        path = "$.contentMessage" + path[1:]
    head, *rest = path.split(".")
    parts = []
    for part in rest:
        name, bracket, tail = part.partition("[")
        parts.append(_snake(name) + bracket + tail)
    return ".".join([head, *parts])


def draft_path(path: str) -> str:
    return "$.message" + path[1:]


FORMATS = {
    "message": (as_message, lambda p: p),
    "template": (as_template, template_path),
    "draft": (as_draft, draft_path),
}


def found(data: object, region: Region | None = None) -> list[tuple[str, str, str]]:
    return [(i.severity.value, i.code, i.path) for i in validate_data(data, region)]


def has(data: object, code: str, path: str, region: Region | None = None) -> bool:
    return any(c == code and p == path for _, c, p in found(data, region))


def codes_at(data: object, path: str, region: Region | None = None) -> set[str]:
    return {c for _, c, p in found(data, region) if p == path}


def issue(data: object, code: str, region: Region | None = None) -> Issue:
    return next(i for i in validate_data(data, region) if i.code == code)


def in_every_format(
    body: dict[str, Any], path: str, code: str | None, region: Region | None = None
) -> None:
    """``code`` is reported at ``path`` (message spelling) in all three formats; None: clean."""
    for name, (build, locate) in FORMATS.items():
        data = build(copy.deepcopy(body))
        where = locate(path)
        if code is None:
            errors = [f for f in found(data, region) if f[2] == where]
            assert errors == [], (name, errors)
        else:
            assert has(data, code, where, region), (name, where, found(data, region))


def card(**content: Any) -> dict[str, Any]:
    return {"richCardStandalone": {"cardOrientation": "VERTICAL", "content": content}}


def media(url: str = "https://e.in/a.jpg", **extra: Any) -> dict[str, Any]:
    return {"height": "MEDIUM", "file": {"fileUrl": url}, **extra}


def text_with(*chips: dict[str, Any]) -> dict[str, Any]:
    return {"text": "Hello", "suggestions": list(chips)}


def action(**act: Any) -> dict[str, Any]:
    return {"action": {"text": "Go", "postbackData": "go", **act}}


# ---------------------------------------------------------------- 1. URLs are parsed


GOOD_URLS = [
    "https://e.in",
    "https://e.in/a.jpg?x=1&y=%20#top",
    "HTTPS://E.IN/A.JPG",
    "https://[2001:db8::1]/a.png",
    "https://e.in:8443/a.png",
    "https://bücher.de/a.png",
    "https://192.0.2.10/a.png",
]
BAD_URLS = [
    ("https://", "url.host.missing", "host"),
    ("https:///a.jpg", "url.host.missing", "host"),
    ("https://:443/a.jpg", "url.host.missing", "host"),
    ("https://user@/a.jpg", "url.host.missing", "host"),
    ("https:e.in/a.jpg", "url.host.missing", "host"),
    ("https://e.in/a b.jpg", "url.whitespace", "space"),
    ("https://e .in/a.jpg", "url.whitespace", "space"),
    (" https://e.in/a.jpg", "url.whitespace", "space"),
    ("https://e.in/a.jpg ", "url.whitespace", "space"),
    ("https://e.in/a.jpg\n", "url.whitespace", "space"),
    ("https://e.in/\u00a0a.jpg", "url.whitespace", "space"),
    ("https://e.in/\x00a.jpg", "url.control", "control"),
    ("https://e.in/\x7fa.jpg", "url.control", "control"),
    ("https://e.in/\u202ea.jpg", "url.control", "control"),
    ("https://e.in:99999/a.jpg", "url.port.invalid", "port"),
    ("https://e.in:8o/a.jpg", "url.port.invalid", "port"),
    ("https://[::1/a.jpg", "url.host.invalid", "host"),
    ("https://[not-an-ip]/a.jpg", "url.host.invalid", "host"),
    ("https://999.1.1.1/a.jpg", "url.host.invalid", "host"),
    ("https://e..in/a.jpg", "url.host.invalid", "host"),
    ("https://e_in<>/a.jpg", "url.host.invalid", "host"),
]


@pytest.mark.parametrize("url", GOOD_URLS)
def test_well_formed_urls_are_clean_for_media_and_links(url: str) -> None:
    assert url_problem(url) is None
    for body, path in (
        (card(title="T", media=media(url)), "$.richCardStandalone.content.media.file.fileUrl"),
        (
            text_with(action(openUrlAction={"url": url})),
            "$.suggestions[0].action.openUrlAction.url",
        ),
    ):
        in_every_format(body, path, None)


@pytest.mark.parametrize(("url", "code", "word"), BAD_URLS)
def test_malformed_urls_are_errors_that_say_what_is_wrong(url: str, code: str, word: str) -> None:
    sentence = url_problem(url)
    assert sentence is not None and word in sentence.lower(), sentence
    assert "\n" not in sentence and "\x00" not in sentence
    for body, path in (
        (card(title="T", media=media(url)), "$.richCardStandalone.content.media.file.fileUrl"),
        (
            card(
                title="T",
                media={
                    "height": "SHORT",
                    "file": {"fileUrl": "https://e.in/a.jpg", "thumbnailUrl": url},
                },
            ),
            "$.richCardStandalone.content.media.file.thumbnailUrl",
        ),
        ({"file": {"fileUrl": url}}, "$.file.fileUrl"),
        (
            text_with(action(openUrlAction={"url": url})),
            "$.suggestions[0].action.openUrlAction.url",
        ),
    ):
        in_every_format(body, path, code)
    assert RULES[code].severity is Severity.ERROR


def test_the_validator_and_url_problem_say_the_same_sentence() -> None:
    for url, code, _ in BAD_URLS:
        data = as_message({"file": {"fileUrl": url}})
        assert issue(data, code).message == url_problem(url)


@pytest.mark.parametrize("url", ["ftp://e.in/a.jpg", "javascript:alert(1)", "e.in/a.jpg", "a.jpg"])
def test_other_schemes_are_scheme_errors_that_name_the_scheme_problem(url: str) -> None:
    sentence = url_problem(url)
    assert sentence is not None and ("http" in sentence)
    in_every_format({"file": {"fileUrl": url}}, "$.file.fileUrl", "media.url.scheme")
    in_every_format(
        text_with(action(openUrlAction={"url": url})),
        "$.suggestions[0].action.openUrlAction.url",
        "open_url.url.scheme",
    )


def test_a_host_less_url_is_not_called_a_scheme_problem() -> None:
    sentence = url_problem("https://")
    assert sentence is not None
    assert "scheme" not in sentence and "not a web address" not in sentence


def test_http_is_a_warning_not_a_problem_for_the_fetcher() -> None:
    assert url_problem("http://e.in/a.jpg") is None
    in_every_format(
        {"file": {"fileUrl": "http://e.in/a.jpg"}}, "$.file.fileUrl", "media.url.insecure"
    )


# ---------------------------------------------------------------- 2. dial numbers are E.164


@pytest.mark.parametrize(
    "number",
    [
        "+1800FLOWERS",
        "+91 98765 43210",
        "+91-98765-43210",
        "+(91)9876543210",
        "+919876543210 ext. 5",
        "+919876543210;ext=5",
        "+９１９８７６５４３２１０",
        "919876543210",
        "++919876543210",
        "+0919876543210",
        "+919876543210\n",
        " +919876543210",
        "+1234567890123456",
        "tel:+919876543210",
    ],
)
def test_dial_numbers_must_be_plus_and_digits_only(number: str) -> None:
    in_every_format(
        text_with(action(dialAction={"phoneNumber": number})),
        "$.suggestions[0].action.dialAction.phoneNumber",
        "dial.phone.format",
    )


@pytest.mark.parametrize("number", ["+919876543210", "+14155552671", "+442071838750"])
def test_e164_dial_numbers_are_clean(number: str) -> None:
    in_every_format(
        text_with(action(dialAction={"phoneNumber": number})),
        "$.suggestions[0].action.dialAction.phoneNumber",
        None,
    )


def test_a_well_formed_but_impossible_dial_number_is_still_checked() -> None:
    in_every_format(
        text_with(action(dialAction={"phoneNumber": "+1234"})),
        "$.suggestions[0].action.dialAction.phoneNumber",
        "dial.phone.invalid",
    )


@pytest.mark.parametrize(
    "number",
    [
        "919876543210\n",
        "tel:+919876543210",
        "+919876543210",
        "９１９８７６５４３２１０",
        "91 98765 43210",
        "",
    ],
)
def test_recipients_are_digits_with_country_code_only(number: str) -> None:
    issues = validate_recipients([number])
    assert [(i.code, i.path) for i in issues if i.is_error] == [("envelope.to.format", "$.to[0]")]
    data = {"from": "rcs-dev", "to": [number], "text": "hi"}
    assert has(data, "envelope.to.format", "$.to[0]")
    assert has(as_draft(data), "envelope.to.format", "$.message.to[0]")


# ---------------------------------------------------------------- 3. timestamps


def calendar(start: str, end: str = "2026-12-31T00:00:00Z") -> dict[str, Any]:
    event = {"startTime": start, "endTime": end, "title": "Visit", "description": "Come"}
    return text_with(action(createCalendarEventAction=event))


START = "$.suggestions[0].action.createCalendarEventAction.startTime"


@pytest.mark.parametrize(
    "time",
    [
        "2026-12-05T10:30:00Z",
        "2026-12-05T10:30:00.1Z",
        "2026-12-05T10:30:00.123456789Z",
        "2026-12-05T10:30:00+05:30",
        "2026-12-05T10:30:00.5-08:00",
        "2026-02-28T23:59:59+00:00",
    ],
)
def test_timestamps_google_parses_are_clean(time: str) -> None:
    in_every_format(calendar(time), START, None)


@pytest.mark.parametrize(
    "time",
    [
        "2026-12-05t10:30:00Z",
        "2026-12-05T10:30:00z",
        "2026-12-05 10:30:00Z",
        "2026-12-05T10:30:00.1234567890Z",
        "2026-12-05T10:30:00.Z",
        "2026-12-05T10:30:00",
        "2026-12-05T10:30Z",
        "2026-12-05",
        "2026-13-05T10:30:00Z",
        "2026-02-30T10:30:00Z",
        "2026-12-05T24:00:00Z",
        "2026-12-05T10:60:00Z",
        "2026-12-05T10:30:60Z",
        "2026-12-05T10:30:00+24:00",
        "2026-12-05T10:30:00+0530",
        "2026-12-05T10:30:00Z\n",
        " 2026-12-05T10:30:00Z",
        "２０２６-12-05T10:30:00Z",
        "0000-12-05T10:30:00Z",
    ],
)
def test_timestamps_google_refuses_are_errors(time: str) -> None:
    in_every_format(calendar(time), START, "calendar.time.format")


# ---------------------------------------------------------------- 4. anchored patterns


@pytest.mark.parametrize("name", ["bill\n", "bill\r\n", "bill ", "\nbill", "bill\x00"])
def test_template_names_match_whole(name: str) -> None:
    body = {**as_template({"text": "hi"}), "template_name": name}
    assert has(body, "template.name.format", "$.template_name")
    draft = {**as_draft({"text": "hi"}), "template": {"template_name": name}}
    assert codecs.import_document(draft).draft.template is not None


def test_a_key_with_a_newline_gets_a_one_line_path() -> None:
    from rcs_composer.core.wire import child_path

    path = child_path("$", "a\nb")
    assert "\n" not in path
    assert child_path("$", "ok\n") != "$.ok\n"


# ---------------------------------------------------------------- 5. mandatory fields


def test_media_height_is_required_on_vertical_cards_and_in_carousels() -> None:
    no_height = {"file": {"fileUrl": "https://e.in/a.jpg"}}
    in_every_format(
        card(title="T", media=no_height),
        "$.richCardStandalone.content.media.height",
        "media.height.missing",
    )
    cards = [{"title": "A", "media": no_height}, {"title": "B"}]
    in_every_format(
        {"richCardCarousel": {"cardWidth": "MEDIUM", "cardContents": cards}},
        "$.richCardCarousel.cardContents[0].media.height",
        "media.height.missing",
    )
    assert RULES["media.height.missing"].severity is Severity.ERROR


def horizontal(**content: Any) -> dict[str, Any]:
    return {
        "richCardStandalone": {
            "cardOrientation": "HORIZONTAL",
            "thumbnailImageAlignment": "LEFT",
            "content": content,
        }
    }


def test_a_horizontal_card_needs_more_than_its_media() -> None:
    bare = {"file": {"fileUrl": "https://e.in/a.jpg"}}
    in_every_format(
        horizontal(media=bare, title=""),
        "$.richCardStandalone.content",
        "card.horizontal.media_only",
    )
    for extra in ({"title": "T"}, {"description": "D"}):
        in_every_format(horizontal(media=bare, **extra), "$.richCardStandalone.content", None)
    with_chip = horizontal(
        media=bare, title="", suggestions=[{"reply": {"text": "a", "postbackData": "a"}}]
    )
    in_every_format(with_chip, "$.richCardStandalone.content", None)


def test_a_card_carries_a_title_or_a_description() -> None:
    in_every_format(card(media=media()), "$.richCardStandalone.content", "card.text.missing")
    cards = [{"title": "A"}, {"media": media()}]
    in_every_format(
        {"richCardCarousel": {"cardWidth": "MEDIUM", "cardContents": cards}},
        "$.richCardCarousel.cardContents[1]",
        "card.text.missing",
    )
    # seed 000 sends an empty description next to its title: present is enough.
    in_every_format(
        card(title="T", description="", media=media()), "$.richCardStandalone.content", None
    )


def test_template_type_and_status_are_required_in_a_template_body() -> None:
    body = as_template({"text": "hi"})
    del body["template_type"]
    assert has(body, "template.type.missing", "$.template_type")
    body = as_template({"text": "hi"})
    del body["status"]
    assert has(body, "template.status.missing", "$.status")


@pytest.mark.parametrize("status", ["APPROVED", "created", "LIVE", "ACTIVE\n", ""])
def test_only_the_documented_statuses_in_a_template_body(status: str) -> None:
    body = {**as_template({"text": "hi"}), "status": status}
    assert has(body, "template.status.unknown", "$.status", Region.IN)


def test_what_kaleyra_returns_is_accepted_with_a_warning() -> None:
    response = json.loads((FIXTURES / "seed003_template_response.json").read_text())
    response["data"]["template_name"] = "doc_test_demo_for_dynamic_varibales"  # seed 003, 35
    response["data"]["status"] = "APPROVED"
    result = found(response)
    assert ("warning", "template.name.returned_long", "$.data.template_name") in result
    assert not [f for f in result if f[0] == "error"], result
    body = {**as_template({"text": "hi"}), "template_name": "doc_test_demo_for_dynamic_varibales"}
    assert has(body, "template.name.format", "$.template_name")


def test_a_numeric_template_type_is_read_with_a_warning_and_written_as_a_string() -> None:
    body = {**as_template({"text": "hi"}), "template_type": 1}
    assert ("warning", "template.type.number", "$.template_type") in found(body)
    document = codecs.import_document(body)
    assert codecs.export_as(document.format, document.draft)["template_type"] == "1"
    for odd in (1.0, True, "01", " 1"):
        with pytest.raises(codecs.DecodeError) as caught:
            codecs.import_document({**body, "template_type": odd})
        assert caught.value.path == "$.template_type"


# ---------------------------------------------------------------- 6. region limits


def chip_postback(length: int) -> dict[str, Any]:
    return text_with({"reply": {"text": "OK", "postbackData": "p" * length}})


POSTBACK = "$.suggestions[0].reply.postbackData"


@pytest.mark.parametrize(
    ("region", "limit"), [(Region.NA, 1800), (Region.IN, 2048), (None, 1800)], ids=str
)
def test_postback_hard_limit_per_region(region: Region | None, limit: int) -> None:
    for name, (build, locate) in FORMATS.items():
        assert "suggestion.postback.too_long" not in codes_at(
            build(chip_postback(limit)), locate(POSTBACK), region
        ), name
    in_every_format(chip_postback(limit + 1), POSTBACK, "suggestion.postback.too_long", region)


def test_postback_in_india_warns_past_the_console_limit() -> None:
    assert "suggestion.postback.long" not in codes_at(
        as_message(chip_postback(120)), POSTBACK, Region.IN
    )
    in_every_format(chip_postback(121), POSTBACK, "suggestion.postback.long", Region.IN)


@pytest.mark.parametrize("key", ["ref", "ref1", "ref2", "ref3"])
def test_refs_are_at_most_255_each(key: str) -> None:
    assert "envelope.ref.too_long" not in codes_at(
        {**as_message({"text": "hi"}), key: "r" * 255}, f"$.{key}"
    )
    assert has({**as_message({"text": "hi"}), key: "r" * 256}, "envelope.ref.too_long", f"$.{key}")
    assert has(
        as_draft({"text": "hi", key: "r" * 256}), "envelope.ref.too_long", f"$.message.{key}"
    )


def event_description(length: int) -> dict[str, Any]:
    event = {
        "startTime": "2026-12-05T10:00:00Z",
        "endTime": "2026-12-05T11:00:00Z",
        "title": "Visit",
        "description": "d" * length,
    }
    return text_with(action(createCalendarEventAction=event))


DESCRIPTION = "$.suggestions[0].action.createCalendarEventAction.description"


@pytest.mark.parametrize(
    ("region", "limit"), [(Region.NA, 2000), (Region.IN, 2048), (None, 2000)], ids=str
)
def test_calendar_description_follows_kaleyra_per_region(region: Region | None, limit: int) -> None:
    assert "calendar.description.too_long" not in codes_at(
        as_message(event_description(limit)), DESCRIPTION, region
    )
    in_every_format(
        event_description(limit + 1), DESCRIPTION, "calendar.description.too_long", region
    )
    # Google's 500 stays as advice, the same policy as the event title's 100.
    in_every_format(event_description(501), DESCRIPTION, "calendar.description.long", region)
    assert RULES["calendar.description.long"].severity is RULES["calendar.title.long"].severity
    assert (
        RULES["calendar.description.too_long"].severity is RULES["calendar.title.too_long"].severity
    )


# ---------------------------------------------------------------- 7. unknown and duplicate keys


def test_an_unknown_key_is_warned_about_with_a_suggestion_and_kept() -> None:
    body = card(title="T", tittle="typo")
    in_every_format(body, "$.richCardStandalone.content.tittle", "key.unknown")
    hint = issue(as_message(body), "key.unknown").message
    assert "'title'" in hint
    for name, (build, _) in FORMATS.items():
        data = build(copy.deepcopy(body))
        document = codecs.import_document(data)
        again = codecs.export_as(document.format, document.draft)
        assert "tittle" in json.dumps(again), name


def test_snake_case_in_a_message_body_suggests_the_camel_case_key() -> None:
    body = as_message(text_with({"reply": {"text": "a", "postbackData": "a", "button_id": "b1"}}))
    found_issue = issue(body, "key.unknown")
    assert found_issue.path == "$.suggestions[0].reply.button_id"
    assert "'buttonId'" in found_issue.message
    template = as_template(text_with({"reply": {"text": "a", "postbackData": "a"}}))
    template["contentMessage"]["suggestions"][0]["reply"]["postbackData"] = "x"
    found_issue = issue(template, "key.unknown")
    assert found_issue.path == "$.contentMessage.suggestions[0].reply.postbackData"
    assert "'postback_data'" in found_issue.message


def test_known_keys_and_seeds_get_no_unknown_key_warning() -> None:
    for path in sorted(FIXTURES.glob("seed*.json")):
        assert not [f for f in found(json.loads(path.read_text())) if f[1] == "key.unknown"], path


def test_duplicate_keys_are_warned_about_at_their_object() -> None:
    text = (
        '{"from": "rcs-dev", "to": ["919876543210"], "text": "a", "text": "b",'
        ' "suggestions": [{"reply": {"text": "x", "text": "y", "postbackData": "p"}}]}'
    )
    parsed = codecs.parse_json_text(text)
    issues = validate_data(parsed.data, duplicates=parsed.duplicates)
    dupes = [(i.path, i.severity) for i in issues if i.code == "key.duplicate"]
    assert dupes == [("$", Severity.WARNING), ("$.suggestions[0].reply", Severity.WARNING)]
    assert "'text'" in next(i.message for i in issues if i.code == "key.duplicate")
    assert parsed.data["text"] == "b"  # the last one wins, as in Kaleyra's parser


def test_share_location_is_an_empty_object_not_a_string() -> None:
    body = as_template(text_with(action(shareLocationAction={})))
    assert not [f for f in found(body) if f[0] == "error"]
    body["contentMessage"]["suggestions"][0]["action"]["shareLocationAction"] = "28.6,77.2"
    with pytest.raises(codecs.DecodeError) as caught:
        codecs.import_document(body)
    assert caught.value.path == "$.contentMessage.suggestions[0].action.shareLocationAction"
    assert "{}" in caught.value.reason


# ---------------------------------------------------------------- 8. variables


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hi {{}}", "variable.empty"),
        ("Hi {{ }}", "variable.empty"),
        ("Hi {{na me}}", "variable.malformed"),
        ("Hi {{na-me!}}", "variable.malformed"),
        ("Hi {{name", "variable.unbalanced"),
        ("Hi name}}", "variable.unbalanced"),
        ("Hi {{name}", "variable.unbalanced"),
        ("Hi {{a{{b}}}}", "variable.nested"),
        ("Hi {{{name}}}", "variable.nested"),
    ],
)
def test_malformed_variables_are_warnings_at_their_path(text: str, code: str) -> None:
    in_every_format(card(title=text), "$.richCardStandalone.content.title", code)
    in_every_format({"text": text}, "$.text", code)
    in_every_format(
        text_with({"reply": {"text": "a", "postbackData": text}}),
        "$.suggestions[0].reply.postbackData",
        code,
    )
    assert RULES[code].severity is Severity.WARNING


@pytest.mark.parametrize(
    ("text", "sent"), [("Hi {{{name}}}", "Hi {Ann}"), ("Hi {{a{{name}}}}", "Hi {{aAnn}}")]
)
def test_the_nested_braces_warning_says_what_filling_them_sends(text: str, sent: str) -> None:
    message = codecs.loads(json.dumps({"text": text})).draft.message
    (warning,) = (issue for issue in validate(message) if issue.code == "variable.nested")
    assert "braces go out as text" in warning.message
    assert repr(text[3:]) in warning.message  # quoted whole, closing braces included
    assert substitute(message, {"name": "Ann"}).content == m.TextContent(sent)


@pytest.mark.parametrize("text", ["Hi {{name}}", "Hi {{ name }}", "{{a}}{{b}}", "{x} and }{", "Hi"])
def test_well_formed_variables_are_clean(text: str) -> None:
    in_every_format({"text": text}, "$.text", None)


def unfilled_variables(message: m.Message, values: dict[str, str]) -> list[str]:
    """The {{names}} a send of ``message`` filled with ``values`` would carry, braces and all."""
    return variables_sent(codecs.export_message(substitute(message, values)))


def test_unfilled_variables_lists_what_would_go_out_with_braces() -> None:
    message = codecs.loads(
        (FIXTURES / "seed003_template_card_variables.json").read_text()
    ).draft.message
    assert unfilled_variables(message, {}) == [
        "custermername",
        "consumerno",
        "billamount",
        "duedate",
        "paymentLink",
    ]
    values = {"custermername": "Asha", "consumerno": "", "billamount": "{{duedate}}"}
    # An empty value is a value; a value that is itself a variable leaves braces behind.
    assert unfilled_variables(message, values) == ["duedate", "paymentLink"]
    filled = dict.fromkeys(unfilled_variables(message, {}), "x")
    assert unfilled_variables(message, filled) == []


def test_the_references_and_unknown_keys_are_filled_and_counted_as_unfilled() -> None:
    body = {"text": "Hi {{name}}", "ref": "o-{{id}}", "ref2": "{{id}}", "future": {"a": ["{{k}}"]}}
    message = codecs.loads(json.dumps(body)).draft.message
    assert unfilled_variables(message, {}) == ["id", "name", "k"]  # in wire order
    assert unfilled_variables(message, {"name": "A", "id": "7"}) == ["k"]
    filled = substitute(message, {"name": "A", "id": "7", "k": "v"})
    assert (filled.ref, filled.ref2, filled.extras) == ("o-7", "7", {"future": {"a": ["v"]}})
    assert message.extras == {"future": {"a": ["{{k}}"]}}  # the draft itself is unchanged


# ---------------------------------------------------------------- 9. paths in the user's file


def test_template_issues_point_at_the_snake_case_key_in_the_file() -> None:
    body = as_template(card(title="t" * 201, media=media()))
    assert has(body, "card.title.too_long", "$.rich_card_standalone.content.title")
    body = as_template(
        {"richCardCarousel": {"cardWidth": "MEDIUM", "cardContents": [{"title": "a"}]}}
    )
    assert has(body, "carousel.cards.too_few", "$.rich_card_carousel.card_contents")
    body = as_template(text_with({"reply": {"text": "x" * 26, "postbackData": "p"}}))
    assert has(body, "suggestion.text.too_long", "$.contentMessage.suggestions[0].reply.text")
    body = as_template(card(title="T", media=media("ftp://e.in/a.jpg")))
    assert has(body, "media.url.scheme", "$.rich_card_standalone.content.media.file.file_url")


def test_an_alias_key_is_named_as_the_file_spells_it() -> None:
    body = as_template(card(title="t" * 201))
    body["rich_card"] = body.pop("rich_card_standalone")
    assert has(body, "card.title.too_long", "$.rich_card.content.title")


def test_draft_issues_point_under_message() -> None:
    body = as_draft(card(title="t" * 201))
    assert has(body, "card.title.too_long", "$.message.richCardStandalone.content.title")
    body = as_draft({"text": "hi", "suggestions": [{"reply": {"text": 5}}]})
    assert found(body)[0][2] == "$.message.suggestions[0].reply.text"


def test_response_issues_point_under_data() -> None:
    response = json.loads((FIXTURES / "seed003_template_response.json").read_text())
    response["data"]["rich_card_standalone"]["content"]["title"] = "t" * 201
    assert has(response, "card.title.too_long", "$.data.rich_card_standalone.content.title")
    response["data"]["rich_card_standalone"]["content"]["title"] = 5
    assert found(response)[0][2] == "$.data.rich_card_standalone.content.title"


# ---------------------------------------------------------------- 10. what conversion drops


def test_message_to_template_lists_the_envelope_and_unknown_top_level_keys() -> None:
    from rcs_composer.core.codecs import Format, dropped_fields

    data = {**ENVELOPE, "ttlSeconds": 60, "ref": "r", "futureFlag": 1, "text": "hi"}
    document = codecs.import_document(data)
    dropped = [d.path for d in dropped_fields(document, data, Format.TEMPLATE)]
    assert dropped == ["$.from", "$.to", "$.ref", "$.ttlSeconds", "$.futureFlag"]
    assert dropped_fields(document, data, Format.DRAFT) == []
    assert dropped_fields(document, data, Format.MESSAGE) == []


def test_template_to_message_lists_the_template_fields() -> None:
    from rcs_composer.core.codecs import Format, dropped_fields

    data = json.loads((FIXTURES / "seed003_template_response.json").read_text())
    document = codecs.import_document(data)
    dropped = {d.path for d in dropped_fields(document, data, Format.MESSAGE)}
    assert {"$.code", "$.data.template_name", "$.data.status", "$.data.placeholders"} <= dropped
    assert "$.data.rich_card_standalone" not in dropped


# ---------------------------------------------------------------- 11. hostile JSON text


@pytest.mark.parametrize(
    ("text", "path", "words"),
    [
        ('{"text": "\\ud83d"}', "$.text", "surrogate"),
        (
            '{"text": "ok", "suggestions": [{"reply": {"text": "\\udc00x"}}]}',
            "$.suggestions[0].reply.text",
            "surrogate",
        ),
        ('{"\\ud83d": 1, "text": "a"}', "$", "surrogate"),
        ('{"text": "a", "x": 1e400}', "$.x", "finite"),
        ('{"text": "a", "x": [-1e400]}', "$.x[0]", "finite"),
    ],
)
def test_lone_surrogates_and_non_finite_numbers_are_parse_errors_with_a_path(
    text: str, path: str, words: str
) -> None:
    with pytest.raises(codecs.ParseError) as caught:
        codecs.parse_json(text)
    assert caught.value.path == path
    assert words in caught.value.reason
    assert "\n" not in caught.value.reason


def test_validate_data_reports_hostile_values_instead_of_raising() -> None:
    issues = validate_data({"text": "\ud83d", "from": "a", "to": ["919876543210"]})
    assert issues and issues[0].is_error and issues[0].path == "$.text"
    issues = validate_data({"text": "a", "x": float("inf")})
    assert issues and issues[0].path == "$.x"


def test_dumps_never_writes_non_json() -> None:
    with pytest.raises(ValueError, match="JSON"):
        codecs.dumps({"x": float("inf")})


# ---------------------------------------------------------------- 12. sources and bytes


def test_every_rule_names_its_source() -> None:
    for code, rule in RULES.items():
        assert rule.source.strip(), code


@pytest.mark.parametrize(("field", "limit"), [("title", 200), ("description", 2000)])
def test_a_card_text_over_its_byte_budget_is_a_warning(field: str, limit: int) -> None:
    path = f"$.richCardStandalone.content.{field}"
    at = "é" * (limit // 2)  # two bytes each: at the byte limit, far from the character one
    assert f"card.{field}.bytes" not in codes_at(as_message(card(**{field: at})), path)
    in_every_format(card(**{field: at + "a"}), path, f"card.{field}.bytes")
    assert RULES[f"card.{field}.bytes"].severity is Severity.WARNING
    assert "Dialogflow" in RULES[f"card.{field}.bytes"].source


# ---------------------------------------------------------------- the seeds and samples


def test_the_bundled_samples_stay_clean() -> None:
    folder = resources.files("rcs_composer.samples")
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            assert found(data) == [], entry.name


def test_the_template_seed_as_a_message_keeps_its_paths() -> None:
    data = json.loads((FIXTURES / "seed003_template_card_variables.json").read_text())
    assert found(data) == [
        ("warning", "card.alignment.vertical", "$.rich_card_standalone.thumbnail_image_alignment")
    ]


def test_model_validation_keeps_message_paths_for_the_editors() -> None:
    message = m.Message(content=m.RichCard(content=m.CardContent(title="t" * 201)))
    paths = {i.path for i in validate(message)}
    assert "$.richCardStandalone.content.title" in paths


# ---------------------------------------------------------------- boundaries in every format


@pytest.mark.parametrize(("region", "limit"), [(Region.IN, 2048), (Region.NA, 4000)], ids=str)
def test_url_length_at_and_past_the_limit_in_every_format(region: Region, limit: int) -> None:
    def body(length: int) -> dict[str, Any]:
        url = "https://e.in/" + "a" * (length - len("https://e.in/"))
        return text_with(action(openUrlAction={"url": url}))

    path = "$.suggestions[0].action.openUrlAction.url"
    in_every_format(body(limit), path, None, region)
    in_every_format(body(limit + 1), path, "url.too_long", region)


@pytest.mark.parametrize("length", [20, 21])
def test_template_name_length_in_a_body_and_in_a_response(length: int) -> None:
    name = "n" * length
    body = {**as_template({"text": "hi"}), "template_name": name}
    assert has(body, "template.name.format", "$.template_name") is (length > 20)
    response = json.loads((FIXTURES / "seed003_template_response.json").read_text())
    response["data"]["template_name"] = name
    assert has(response, "template.name.returned_long", "$.data.template_name") is (length > 20)
    assert not [f for f in found(response) if f[0] == "error"]


@pytest.mark.parametrize("count", [100, 101])
def test_recipient_count_at_and_past_the_limit(count: int) -> None:
    numbers = [f"9198765{index:05d}" for index in range(count)]
    for data, path in (
        ({"from": "rcs-dev", "to": numbers, "text": "hi"}, "$.to"),
        (as_draft({"from": "rcs-dev", "to": numbers, "text": "hi"}), "$.message.to"),
    ):
        assert has(data, "envelope.to.too_many", path) is (count > 100)


def test_a_shape_error_in_a_template_body_names_the_snake_case_key() -> None:
    body = as_template(card(title="T", media=media()))
    body["rich_card_standalone"]["content"]["media"]["file"]["file_url"] = 5
    assert found(body) == [
        ("error", "payload.shape", "$.rich_card_standalone.content.media.file.file_url")
    ]


def test_a_misspelt_template_key_is_suggested_in_template_spelling() -> None:
    body = as_template({"text": "hi"})
    body["template_nme"] = body.pop("template_name")
    unknown = issue(body, "key.unknown")
    assert unknown.path == "$.template_nme"
    assert "'template_name'" in unknown.message
