"""Validation of the seeds and of each kind of rule, with the paths Kaleyra would name."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.core.issues import Region, Severity
from rcs_composer.core.validation import (
    normalize_recipient,
    validate,
    validate_data,
    validate_recipients,
    validate_template_name,
)

FIXTURES = Path(__file__).parent.parent / "fixtures"


def seed_issues(name: str) -> list[tuple[str, str, str]]:
    document = codecs.loads((FIXTURES / name).read_text())
    template = document.draft.template if document.format is codecs.Format.TEMPLATE else None
    issues = validate(
        document.draft.message,
        None,
        template=template,
        require_envelope=document.format is codecs.Format.MESSAGE,
    )
    return [(issue.severity.value, issue.code, issue.path) for issue in issues]


def test_seed_000_has_only_the_reply_url_warning() -> None:
    assert seed_issues("seed000_standalone_card.json") == [
        (
            "warning",
            "reply.url.ignored",
            "$.richCardStandalone.content.suggestions[0].reply.openUrlAction",
        ),
    ]


def test_seed_001_warns_about_its_http_links() -> None:
    assert seed_issues("seed001_carousel.json") == [
        (
            "warning",
            "open_url.url.insecure",
            f"$.richCardCarousel.cardContents[{index}].suggestions[0].action.openUrlAction.url",
        )
        for index in (0, 1)
    ]


def test_seed_003_card_warns_about_alignment_on_a_vertical_card() -> None:
    assert seed_issues("seed003_template_card_variables.json") == [
        ("warning", "card.alignment.vertical", "$.richCardStandalone.thumbnailImageAlignment"),
    ]


def test_seed_003_text_template_is_clean() -> None:
    assert seed_issues("seed003_template_text.json") == []


def test_reply_url_warning_says_what_to_do() -> None:
    issue = validate(
        codecs.loads((FIXTURES / "seed000_standalone_card.json").read_text()).draft.message
    )[0]
    assert "action chip" in issue.message
    assert "ignore" in issue.message
    assert issue.source


def codes(message: m.Message, region: Region | None = None, **kwargs: object) -> dict[str, str]:
    return {issue.code: issue.path for issue in validate(message, region, **kwargs)}  # type: ignore[arg-type]


def card_message(**card_changes: object) -> m.Message:
    content = m.CardContent(
        title="T",
        description="D",
        media=m.Media(height=m.MediaHeight.MEDIUM, file=m.FileRef(file_url="https://e.in/a.jpg")),
    )
    return m.Message(content=m.RichCard(**card_changes, content=content))  # type: ignore[arg-type]


def test_horizontal_card_media_height_is_a_warning_and_alignment_is_needed() -> None:
    found = codes(card_message(orientation=m.Orientation.HORIZONTAL))
    assert found["media.height.horizontal"] == "$.richCardStandalone.content.media.height"
    assert found["card.alignment.missing"] == "$.richCardStandalone.thumbnailImageAlignment"


def test_tall_media_in_small_carousel_is_an_error_in_medium_a_warning() -> None:
    tall = m.CardContent(
        title="T",
        media=m.Media(height=m.MediaHeight.TALL, file=m.FileRef(file_url="https://e.in/a.png")),
    )
    small = m.Message(content=m.Carousel(card_width=m.CardWidth.SMALL, cards=(tall, tall)))
    medium = m.Message(content=m.Carousel(card_width=m.CardWidth.MEDIUM, cards=(tall, tall)))
    issues = validate(small)
    assert [i.severity for i in issues if i.code == "carousel.tall_small"] == [Severity.ERROR] * 2
    assert issues[0].path == "$.richCardCarousel.cardContents[0].media.height"
    assert "carousel.tall_medium" in codes(medium)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://e.in/a.jpg", "media.url.insecure"),
        ("ftp://e.in/a.jpg", "media.url.scheme"),
        ("a.jpg", "media.url.scheme"),
    ],
)
def test_media_urls(url: str, code: str) -> None:
    message = m.Message(content=m.FileContent(m.FileRef(file_url=url)))
    assert codes(message)[code] == "$.file.fileUrl"


def action(act: m.Action) -> m.Message:
    return m.Message(
        content=m.TextContent("hi"),
        chips=(m.SuggestionSlot(m.ActionChip(text="Go", postback_data="go", action=act)),),
    )


@pytest.mark.parametrize(
    ("act", "code", "field"),
    [
        (m.OpenUrl(url="javascript:alert(1)"), "open_url.url.scheme", "openUrlAction.url"),
        (m.OpenUrl(url="http://e.in"), "open_url.url.insecure", "openUrlAction.url"),
        (
            m.OpenUrl(url="https://e.in", application=m.UrlApplication.WEBVIEW),
            "open_url.webview_mode.missing",
            "openUrlAction.webviewViewMode",
        ),
        (
            m.OpenUrl(url="https://e.in", webview_mode=m.WebviewMode.HALF),
            "open_url.webview_mode.browser",
            "openUrlAction.webviewViewMode",
        ),
        (m.Dial(phone_number="919876543210"), "dial.phone.format", "dialAction.phoneNumber"),
        (m.Dial(phone_number="+1234"), "dial.phone.invalid", "dialAction.phoneNumber"),
        (m.Dial(), "dial.phone.missing", "dialAction.phoneNumber"),
        (m.ViewLocation(), "location.missing", "viewLocationAction"),
        (
            m.ViewLocation(lat_long=m.LatLong()),
            "location.lat_long.incomplete",
            "viewLocationAction.latLong",
        ),
        (
            m.ViewLocation(lat_long=m.LatLong(91, 0)),
            "location.latitude.range",
            "viewLocationAction.latLong.latitude",
        ),
        (
            m.ViewLocation(lat_long=m.LatLong(0, 181)),
            "location.longitude.range",
            "viewLocationAction.latLong.longitude",
        ),
        (
            m.ViewLocation(lat_long=m.LatLong(10, None)),
            "location.lat_long.incomplete",
            "viewLocationAction.latLong.longitude",
        ),
        (
            m.CalendarEvent(
                start_time="tomorrow", end_time="2026-01-01T00:00:00Z", title="a", description="b"
            ),
            "calendar.time.format",
            "createCalendarEventAction.startTime",
        ),
        (
            m.CalendarEvent(
                start_time="2026-01-02T00:00:00Z",
                end_time="2026-01-01T00:00:00+05:30",
                title="a",
                description="b",
            ),
            "calendar.time.order",
            "createCalendarEventAction.endTime",
        ),
        (
            m.CalendarEvent(
                start_time="2026-01-01T00:00:00Z", end_time="2026-01-01T01:00:00Z", description="b"
            ),
            "calendar.title.missing",
            "createCalendarEventAction.title",
        ),
    ],
)
def test_action_rules_point_at_the_field(act: m.Action, code: str, field: str) -> None:
    assert codes(action(act))[code] == f"$.suggestions[0].action.{field}"


def test_a_valid_action_of_each_kind_is_clean() -> None:
    for act in (
        m.OpenUrl(
            url="https://e.in",
            application=m.UrlApplication.WEBVIEW,
            webview_mode=m.WebviewMode.TALL,
        ),
        m.Dial(phone_number="+919876543210"),
        m.ViewLocation(lat_long=m.LatLong(19.05, 72.82), label="Store"),
        m.ViewLocation(query="coffee near me"),
        m.CalendarEvent(
            start_time="2026-12-05T10:30:00Z",
            end_time="2026-12-05T11:30:00+00:00",
            title="Visit",
            description="Styling session",
        ),
        m.ShareLocation(),
    ):
        assert validate(action(act)) == [], act


def test_action_chip_without_an_action_and_chip_without_label() -> None:
    message = m.Message(
        content=m.TextContent("hi"),
        chips=(m.SuggestionSlot(m.ActionChip(text="", postback_data="x")),),
    )
    found = codes(message)
    assert found["action.missing"] == "$.suggestions[0].action"
    assert found["suggestion.text.missing"] == "$.suggestions[0].action.text"


def test_envelope_is_checked_when_sending() -> None:
    message = m.Message(content=m.TextContent("hi"))
    found = codes(message, require_envelope=True)
    assert found["envelope.from.missing"] == "$.from"
    assert found["envelope.to.missing"] == "$.to"
    assert codes(message) == {}  # a draft without an envelope is fine


def test_recipients_are_checked_with_phonenumbers() -> None:
    issues = validate_recipients(["919876543210", "+919876543210", "12", "919876543210"])
    found = [(issue.code, issue.path) for issue in issues]
    assert ("envelope.to.format", "$.to[1]") in found
    assert ("envelope.to.invalid", "$.to[2]") in found
    assert ("envelope.to.duplicate", "$.to[3]") in found
    assert validate_recipients(["919876543210", "14155552671"]) == []


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("+91 98765 43210", None, "919876543210"),
        ("0091 98765 43210", None, "919876543210"),
        ("919876543210", None, "919876543210"),
        ("(415) 555-2671", "US", "14155552671"),
        ("+1-415-555-2671", "IN", "14155552671"),
        ("098765 43210", "IN", "919876543210"),
        # a numeric column exported as decimals: the .0 is not a digit of the number
        ("919876543210.0", None, "919876543210"),
        ("9876543210.0", "IN", "919876543210"),
        ("+919876543210.00", None, "919876543210"),
        ("98765.43210", "IN", "919876543210"),  # dots that group digits stay separators
    ],
)
def test_normalize_recipient(text: str, region: str | None, expected: str) -> None:
    assert normalize_recipient(text, region) == expected


@pytest.mark.parametrize("junk", ["", "hello", "+91", "12", "9876-abc"])
def test_normalize_recipient_refuses_junk_with_a_sentence(junk: str) -> None:
    with pytest.raises(ValueError, match=r"\w+ \w+"):
        normalize_recipient(junk)


@pytest.mark.parametrize("written", ["9.19876E+11", "9,19876E+11", "9.19876e11", "9E+11"])
def test_a_number_in_scientific_notation_is_refused_as_digits_lost(written: str) -> None:
    with pytest.raises(ValueError, match="scientific notation, which lost its last digits"):
        normalize_recipient(written, "IN")


def test_template_status_depends_on_region() -> None:
    message = m.Message(content=m.TextContent("hi"))
    draft_status = m.TemplateInfo(name="ok", agent_number="1", status="DRAFT")
    assert "template.status.region" not in codes(message, Region.IN, template=draft_status)
    assert codes(message, Region.NA, template=draft_status)["template.status.region"] == "$.status"
    assert "template.status.region" in codes(message, None, template=draft_status)
    odd = m.TemplateInfo(name="ok", agent_number="1", status="LIVE")
    assert "template.status.unknown" in codes(message, Region.IN, template=odd)


def test_template_name_helper() -> None:
    assert validate_template_name("bill_reminder") == []
    assert [issue.code for issue in validate_template_name("bill reminder")] == [
        "template.name.format"
    ]


def test_errors_come_first_then_warnings_in_body_order() -> None:
    message = m.Message(
        content=m.TextContent("hi"),
        chips=(
            m.SuggestionSlot(
                m.ActionChip(text="A", postback_data="a", action=m.OpenUrl(url="http://a.in"))
            ),
            m.SuggestionSlot(m.Reply(text="x" * 30, postback_data="b")),
        ),
    )
    issues = validate(message)
    assert [issue.severity for issue in issues] == [Severity.ERROR, Severity.WARNING]


@pytest.mark.parametrize(
    "junk", [None, 3, "text", [], {"text": 5}, {"from": 1}, {"format": "rcs-composer-draft"}]
)
def test_validate_data_reports_shape_problems_as_issues(junk: object) -> None:
    issues = validate_data(junk)
    assert issues
    assert issues[0].severity is Severity.ERROR
    assert issues[0].path.startswith("$")


def reply(text: str) -> m.SuggestionSlot:
    return m.SuggestionSlot(m.Reply(text=text, postback_data="p"))


@pytest.mark.parametrize(
    ("message", "path"),
    [
        (m.Message(content=m.TextContent("a\x00b")), "$.text"),
        (m.Message(content=m.TextContent("red \x1b[31m")), "$.text"),
        (
            m.Message(content=m.RichCard(content=m.CardContent(title="Sale\x07"))),
            "$.richCardStandalone.content.title",
        ),
        (
            m.Message(content=m.RichCard(content=m.CardContent(title="T", description="\x85"))),
            "$.richCardStandalone.content.description",
        ),
        (
            m.Message(content=m.TextContent("Hi"), chips=(reply("Yes\x00"),)),
            "$.suggestions[0].reply.text",
        ),
    ],
)
def test_a_control_character_in_a_shown_text_is_an_error(message: m.Message, path: str) -> None:
    """NUL, BEL, ESC and the C1 controls passed and were sent, while a URL refused them."""
    assert codes(message).get("text.control") == path


def test_line_breaks_tabs_and_emoji_joiners_are_text() -> None:
    text = "line\nnext\ttab\r\nfamily 👨‍👩‍👧, thumbs 👍🏽, RTL \u200f"
    assert "text.control" not in codes(m.Message(content=m.TextContent(text)))


def test_a_check_stops_after_a_thousand_problems_and_says_so() -> None:
    """520,000 empty chips took 34 s and 0.9 GB, and printed a million lines."""
    from rcs_composer.core.validation import MAX_ISSUES

    empty = m.SuggestionSlot(m.Reply(text="", postback_data=""))
    found = validate(m.Message(content=m.TextContent("Hi"), chips=(empty,) * 5_000))
    assert len(found) == MAX_ISSUES + 1 == 1001
    assert found[-1].code == "issues.too_many" and found[-1].path == "$"
    assert "More problems than these 1,000" in found[-1].message


def test_one_cap_for_the_whole_file_and_its_notice_comes_last() -> None:
    """The file's own keys were checked under a second cap: 2,002 issues, two notices."""
    chip = {"reply": {"text": "", "postbackData": ""}, "unknownKey": 1}
    data = {"from": "a", "to": ["919876543210"], "text": "Hi", "suggestions": [chip] * 3_000}
    found = validate_data(data)
    assert len(found) == 1001
    assert [issue.code for issue in found].count("issues.too_many") == 1
    assert found[-1].code == "issues.too_many"


def test_a_control_character_does_not_hide_a_title_too_large_in_bytes() -> None:
    title = "🎉" * 190 + "\x07"  # 191 characters (under 200), 761 bytes
    found = codes(m.Message(content=m.RichCard(content=m.CardContent(title=title))))
    assert {"card.title.bytes", "text.control"} <= set(found)
