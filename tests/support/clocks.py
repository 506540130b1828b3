"""Time under the tests' control: a clock they move by hand, and a fixed local time zone."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest


class Clock:
    """Seconds since the epoch, moved only by the test (``clock.now += 5``)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def india_time() -> Iterator[None]:
    """Local time is India's (UTC+5:30, no daylight saving) for the test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "IST-05:30"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()
