"""A coordinate out of range is named as the user wrote it: 95, not 95.0."""

from __future__ import annotations

from rcs_composer.core import model as m
from rcs_composer.core.validation import validate


def location(latitude: float, longitude: float) -> m.Message:
    action = m.ViewLocation(lat_long=m.LatLong(latitude=latitude, longitude=longitude))
    chip = m.ActionChip(text="Find us", postback_data="loc", action=action)
    return m.Message(content=m.TextContent("Hi"), chips=(m.SuggestionSlot(chip),))


def test_out_of_range_coordinates_are_written_as_typed() -> None:
    messages = {issue.message for issue in validate(location(95.0, -190.25), None)}
    assert "Latitude 95 must be between -90 and 90." in messages
    assert "Longitude -190.25 must be between -180 and 180." in messages
