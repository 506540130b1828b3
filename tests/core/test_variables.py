"""Variables: found in every text field in order, substituted, missing ones reported."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.core.variables import find_variables, substitute, substitute_text
from tests.core import strategies

FIXTURES = Path(__file__).parent.parent / "fixtures"


def card_message() -> m.Message:
    return codecs.loads(
        (FIXTURES / "seed003_template_card_variables.json").read_text()
    ).draft.message


def test_variables_are_listed_in_order_of_first_appearance() -> None:
    assert find_variables(card_message()) == [
        "custermername",
        "consumerno",
        "billamount",
        "duedate",
        "paymentLink",
    ]


def test_variables_in_chips_urls_and_carousel_cards_are_found() -> None:
    message = m.Message(
        content=m.Carousel(
            cards=(m.CardContent(title="Hi {{ name }}"), m.CardContent(description="{{code}}"))
        ),
        chips=(
            m.SuggestionSlot(
                m.ActionChip(text="Open", action=m.OpenUrl(url="https://x.in/{{code}}/{{ref}}"))
            ),
        ),
    )
    assert find_variables(message) == ["name", "code", "ref"]


def test_substitution_fills_known_values_and_leaves_the_rest() -> None:
    message = substitute(card_message(), {"custermername": "Asha", "billamount": "₹1,250"})
    card = message.content
    assert isinstance(card, m.RichCard)
    assert card.content.title == "The title is : Asha"
    assert "Bill Amount:₹1,250" in (card.content.description or "")
    assert "{{duedate}}" in (card.content.description or "")
    assert find_variables(message) == ["consumerno", "duedate", "paymentLink"]


def test_enums_are_never_touched_and_unknown_keys_are_filled_as_they_are_sent() -> None:
    # A key this version does not know may be one Kaleyra knows: it is sent, so it is filled.
    message = m.Message(
        content=m.RichCard(content=m.CardContent(title="{{a}}"), extras={"x": ["{{a}}", 1]})
    )
    result = substitute(message, {"a": "A"})
    assert isinstance(result.content, m.RichCard)
    assert result.content.extras == {"x": ["A", 1]}
    assert result.content.orientation is m.Orientation.VERTICAL


def test_a_message_without_variables_is_returned_as_is() -> None:
    message = card_message()
    assert substitute(message, {}) is message
    plain = m.Message(content=m.TextContent("no variables here"))
    assert substitute(plain, {"a": "b"}) is plain


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=3))
def test_substitute_text_never_raises(text: str, values: dict[str, str]) -> None:
    substitute_text(text, values)


@settings(max_examples=200, deadline=None)
@given(strategies.messages)
def test_filling_every_variable_leaves_none(message: m.Message) -> None:
    values = dict.fromkeys(find_variables(message), "-")  # "-" cannot start a name
    assert find_variables(substitute(message, values)) == []
