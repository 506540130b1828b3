"""How long the event loop was blocked: the longest gap between ticks of a 5 ms timer."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer


class StallMeter:
    """``with StallMeter() as meter: ...`` then ``meter.longest`` is the worst stall in ms."""

    def __init__(self) -> None:
        self.clock, self.timer, self.longest = QElapsedTimer(), QTimer(), 0
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.on_tick)

    def on_tick(self) -> None:
        self.longest = max(self.longest, self.clock.restart())

    def __enter__(self) -> StallMeter:
        self.clock.start()
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.on_tick()
        self.timer.stop()
