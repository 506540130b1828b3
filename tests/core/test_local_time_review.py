"""A time no calendar here can show (year 1 or 9999 moved into this zone, an epoch number past
year 9999, NaN) is shown as it was written, never an error that hides what holds it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rcs_composer.core.local_time import local_time

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "written",
    [
        "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
        "9999-12-31T23:59:59-05:00",  # past year 9999 in UTC
        "9999-12-31T23:59:59Z",  # past year 9999 in India
        "NaN",
        "inf",
        "1e400",
        "  ",
    ],
)
def test_text_out_of_range_or_odd_comes_back_as_written(india_time: None, written: str) -> None:
    assert local_time(written, NOW) == written
    assert local_time(written, NOW, seconds=False) == written


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (1e20, "1e+20"),
        (-1e18, "-1e+18"),
        (253_402_300_800, "253402300800"),  # 10000-01-01 in UTC
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
    ],
)
def test_epoch_numbers_out_of_range_come_back_as_written(
    india_time: None, moment: float, shown: str
) -> None:
    assert local_time(moment, NOW) == shown


def test_a_datetime_at_the_edge_of_the_calendar_is_shown_in_iso_form(india_time: None) -> None:
    late = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)  # 10000 in India
    assert local_time(late, NOW) == "9999-12-31T23:00:00+00:00"


def test_times_in_range_still_read_as_local_time(india_time: None) -> None:
    assert local_time("2026-11-24T11:02:15.703Z", NOW) == "16:32:15"
    assert local_time("0001-01-01T12:00:00Z", NOW) == "1 Jan 1, 17:30:00"
    assert local_time("9999-12-31T12:00:00Z", NOW) == "31 Dec 9999, 17:30:00"
    assert local_time(1_800_000_000, NOW) == "15 Jan 2027, 13:30:00"
