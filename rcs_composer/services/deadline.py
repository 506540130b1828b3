"""Blocking work that must end by a deadline, or at once when its caller gives up."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
POLL_S = 0.05


class DeadlinePassed(Exception):
    """The work did not finish in time; it goes on in a daemon thread nobody waits for."""


class Cancelled(Exception):
    """The caller gave up (the window or the command is closing)."""


def call_within(
    work: Callable[[], T], seconds: float, cancelled: threading.Event | None = None
) -> T:
    """Run ``work`` in a daemon thread and wait for it at most ``seconds``, or until
    ``cancelled`` is set; its result or its exception come back here.

    For network reads a per-read timeout cannot bound: a server that drips a byte every second
    never trips one. The abandoned thread ends when its socket does; nothing waits for it.
    """
    done = threading.Event()
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as exc:  # handed to the waiting caller
            failure.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, name="deadline-work", daemon=True).start()
    ends = time.monotonic() + seconds
    while not done.wait(min(POLL_S, max(ends - time.monotonic(), 0.0))):
        if cancelled is not None and cancelled.is_set():
            raise Cancelled
        if time.monotonic() >= ends:
            raise DeadlinePassed
    if failure:
        raise failure[0]
    return outcome[0]
