"""The decode budget: decodes that fit run side by side, one that does not waits its turn, and
an image larger than the whole budget still decodes, alone."""

from __future__ import annotations

import threading
import time

import pytest

from rcs_composer.gui.decode_budget import PixelBudget


def holder(
    budget: PixelBudget, pixels: int, inside: threading.Event, leave: threading.Event
) -> threading.Thread:
    def run() -> None:
        with budget.hold(pixels):
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_decodes_that_fit_run_together_and_one_that_does_not_waits() -> None:
    budget = PixelBudget(100)
    first_in, second_in, third_in = threading.Event(), threading.Event(), threading.Event()
    leave_first, leave = threading.Event(), threading.Event()
    first = holder(budget, 60, first_in, leave_first)
    assert first_in.wait(5)
    holder(budget, 40, second_in, leave)
    assert second_in.wait(5), "60 + 40 fit in 100"
    holder(budget, 30, third_in, leave)
    time.sleep(0.05)
    assert not third_in.is_set(), "30 more would be 130"
    assert budget.in_flight == 100
    leave_first.set()
    first.join(5)
    assert third_in.wait(5), "the first one's pixels are back"
    assert budget.in_flight == 70
    leave.set()


def test_an_image_larger_than_the_budget_runs_alone() -> None:
    budget = PixelBudget(100)
    small_in, large_in, leave_small, leave = (threading.Event() for _ in range(4))
    small = holder(budget, 10, small_in, leave_small)
    assert small_in.wait(5)
    holder(budget, 500, large_in, leave)
    time.sleep(0.05)
    assert not large_in.is_set()
    leave_small.set()
    small.join(5)
    assert large_in.wait(5)
    assert budget.in_flight == 500
    leave.set()


def test_a_failed_decode_gives_its_pixels_back() -> None:
    budget = PixelBudget(100)
    with pytest.raises(ValueError, match="not an image"), budget.hold(80):
        raise ValueError("not an image")
    assert budget.in_flight == 0
    with budget.hold(100):
        assert budget.in_flight == 100
