"""How long the event loop was blocked: the longest gap between ticks of a 5 ms timer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer


class SlowSpells:
    """When a slow stub was busy: ``with spells.sleep(0.3):`` on any thread records the spell
    (start and end, monotonic seconds) and which threads went through it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.spells: list[list[float]] = []  # [start, end]; end is +inf while it lasts
        self.threads: set[int] = set()

    @contextmanager
    def sleeping(self, seconds: float) -> Iterator[None]:
        spell = [time.monotonic(), float("inf")]
        with self._lock:
            self.spells.append(spell)
            self.threads.add(threading.get_ident())
        try:
            time.sleep(seconds)
            yield
        finally:
            with self._lock:
                spell[1] = time.monotonic()

    def overlaps(self, start: float, end: float) -> bool:
        with self._lock:
            return any(s < end and e > start for s, e in self.spells)


def _queued_ns_reader() -> Callable[[], int] | None:
    """How long, in all, the calling thread has waited for a CPU while ready to run (Linux's
    schedstat), or None where the system does not say."""
    path = f"/proc/self/task/{threading.get_native_id()}/schedstat"

    def read() -> int:
        with open(path, encoding="ascii") as stat:
            return int(stat.read().split()[1])

    try:
        read()
    except (OSError, ValueError, IndexError):
        return None
    return read


class StallMeter:
    """``with StallMeter() as meter: ...`` then ``meter.longest`` is the worst stall in ms.

    A stall is the gap between two ticks less the time the system kept the GUI thread off the
    CPU although it was ready to run (another program's load, on a shared machine): a thread
    that sleeps, waits on a lock or the disk, or computes, is stalled; one that waits its turn
    for a CPU is not. With ``during=spells``, only the gaps that overlap a spell of the slow
    stub count: what is measured is how the event loop fares while the disk is slow, not the
    test's own set-up (building a window, a model)."""

    def __init__(self, during: SlowSpells | None = None) -> None:
        self.during = during
        self.timer, self.longest = QTimer(), 0.0
        self.last = 0.0
        self.queued: Callable[[], int] | None = None
        self.last_queued = 0
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.on_tick)

    def on_tick(self) -> None:
        now = time.monotonic()
        queued = self.queued() if self.queued is not None else 0
        waited = (queued - self.last_queued) / 1e9
        if self.during is None or self.during.overlaps(self.last, now):
            self.longest = max(self.longest, (now - self.last - waited) * 1000)
        self.last, self.last_queued = now, queued

    def __enter__(self) -> StallMeter:
        self.queued = _queued_ns_reader()  # on the GUI thread: the meter's own thread
        self.last_queued = self.queued() if self.queued is not None else 0
        self.last = time.monotonic()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.on_tick()
        self.timer.stop()
