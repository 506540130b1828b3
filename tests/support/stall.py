"""How long the event loop was blocked: the longest gap between ticks of a 5 ms timer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
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


class StallMeter:
    """``with StallMeter() as meter: ...`` then ``meter.longest`` is the worst stall in ms.

    With ``during=spells``, only the gaps that overlap a spell of the slow stub count: what is
    measured is how the event loop fares while the disk is slow, not the test's own set-up
    (building a window, a model) on a loaded machine."""

    def __init__(self, during: SlowSpells | None = None) -> None:
        self.during = during
        self.timer, self.longest = QTimer(), 0.0
        self.last = 0.0
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.on_tick)

    def on_tick(self) -> None:
        now = time.monotonic()
        if self.during is None or self.during.overlaps(self.last, now):
            self.longest = max(self.longest, (now - self.last) * 1000)
        self.last = now

    def __enter__(self) -> StallMeter:
        self.last = time.monotonic()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.on_tick()
        self.timer.stop()
