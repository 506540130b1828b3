"""A server's error path maps to the composer's field, whatever spelling the server used."""

from __future__ import annotations

import pytest

from rcs_composer.services.kaleyra_replies import ApiError, find_field


@pytest.mark.parametrize(
    ("said", "path", "label"),
    [
        (
            "Request invalid: Path $.richCardStandalone.content.description: bad",
            "$.richCardStandalone.content.description",
            "Card > Description",
        ),
        (
            "Path $.rich_card_standalone.content.suggestions[1].reply.postback_data: too long",
            "$.richCardStandalone.content.suggestions[1].reply.postbackData",
            "Card > Suggestion 2 > Postback data",
        ),
        (
            "invalid value at $.contentMessage.suggestions[0].action.dial_action.phone_number",
            "$.suggestions[0].action.dialAction.phoneNumber",
            "Chip 1 > Phone number",
        ),
        (
            "Path $.richCardCarousel.cardContents[3].media.file.fileUrl.host: unreachable",
            "$.richCardCarousel.cardContents[3].media.file.fileUrl",
            "Card 4 > Image address",
        ),
        (
            "Path $['richCardStandalone']['content']['title']: empty",
            "$.richCardStandalone.content.title",
            "Card > Title",
        ),
    ],
)
def test_the_error_names_the_field_in_the_editors_spelling(
    said: str, path: str, label: str
) -> None:
    field = find_field(said)
    assert field is not None
    assert (str(field), field.human_label()) == (path, label)
    error = ApiError(status=400, code="1400", message=said)
    assert error.json_path == path
    assert f"The field is {label}." in error.user_message()


@pytest.mark.parametrize(
    "said",
    [
        "Request invalid: malformed JSON",
        "Path $.nothing.here: no",
        "$[" + "9" * 5000 + "]",
        "Path $." + "a" * 100_000,
        "costs $5.00",
    ],
)
def test_an_error_naming_no_known_field_maps_to_none(said: str) -> None:
    assert find_field(said) is None or not find_field(said).steps  # type: ignore[union-attr]
    error = ApiError(status=400, code="1400", message=said)
    assert "The field is" not in error.user_message()
