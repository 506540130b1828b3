"""The field-by-field diff: added, removed and changed, each at the highest path that differs."""

from __future__ import annotations

from rcs_composer.core.draft_diff import Change, diff_drafts, diff_messages, field_label
from rcs_composer.core.model import (
    CardContent,
    Carousel,
    Draft,
    Message,
    Reply,
    SuggestionSlot,
    TemplateInfo,
    TextContent,
)


def carousel(*titles: str) -> Message:
    return Message(content=Carousel(cards=tuple(CardContent(title=t) for t in titles)))


def test_same_content_has_no_changes_and_the_envelope_is_not_template_content() -> None:
    one = Message(content=TextContent("Hi"), sender="a", recipients=("91",))
    assert diff_messages(one, Message(content=TextContent("Hi"))) == []


def test_a_changed_card_title_and_an_added_card() -> None:
    changes = diff_messages(carousel("One", "Two"), carousel("One", "2", "Three"))
    assert [(c.path, c.change, c.label) for c in changes] == [
        ("$.richCardCarousel.cardContents[1].title", Change.CHANGED, "Card 2 > Title"),
        ("$.richCardCarousel.cardContents[2]", Change.ADDED, "Card 3"),
    ]
    assert changes[1].after == {"title": "Three"}
    assert changes[1].shown("before") == "" and '"Three"' in changes[1].shown("after")


def test_a_removed_chip_and_a_changed_kind() -> None:
    chip = SuggestionSlot(Reply(text="Yes", postback_data="y"))
    with_chip = Message(content=TextContent("Hi"), chips=(chip,))
    (removed,) = diff_messages(with_chip, Message(content=TextContent("Hi")))
    assert (removed.path, removed.change, removed.label) == (
        "$.suggestions",
        Change.REMOVED,
        "Chip list",
    )
    kinds = diff_messages(Message(content=TextContent("Hi")), carousel("A", "B"))
    assert {c.change for c in kinds} == {Change.ADDED, Change.REMOVED}


def test_template_fields_come_first() -> None:
    first = Draft(template=TemplateInfo(name="old"), message=Message(content=TextContent("a")))
    second = Draft(template=TemplateInfo(name="new"), message=Message(content=TextContent("b")))
    changes = diff_drafts(first, second)
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("Template name", "old", "new"),
        ("Message text", "a", "b"),
    ]


def test_labels_read_as_the_editor_names_things() -> None:
    assert field_label("$.suggestions[2].action.openUrlAction.url") == "Chip 3 > Link"
    assert (
        field_label("$.richCardStandalone.content.suggestions[0].reply.text")
        == "Card > Suggestion 1 > Label"
    )
    assert field_label("$.richCardStandalone.content.media.file.fileUrl") == "Card > Image address"
    assert field_label("$.richCardCarousel.cardContents[1].title") == "Card 2 > Title"
    assert field_label("$.richCardCarousel.cardWidth") == "Card width"
    assert field_label("$template.name") == "Template name"
    assert field_label("$.someNewKey") == "someNewKey"  # unknown keys are shown as written
