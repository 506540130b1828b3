"""How many pixels the preview decodes at once, between all its image threads.

A PNG (or GIF, or WebP) is decoded whole before it is scaled to its box: a 6000 x 6000 one
takes 144 MB for a moment, however small its file. Four of them on the loader's four threads
would take 576 MB together. Here each decode first takes its pixels from one budget, as large
as the largest image a preview accepts, and waits while others hold it: a carousel of large
pictures costs one large decode at a time, and photos (a few megapixels each) still decode
side by side.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from rcs_composer.services.media import MAX_PIXELS


class PixelBudget:
    """A weighted semaphore: ``hold(pixels)`` waits until ``pixels`` fit beside the decodes
    in flight, or until none is in flight (an image larger than the budget then runs alone)."""

    def __init__(self, pixels: int = MAX_PIXELS) -> None:
        self.pixels = pixels
        self.in_flight = 0
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, pixels: int) -> Iterator[None]:
        pixels = max(0, pixels)
        with self._changed:
            self._changed.wait_for(
                lambda: self.in_flight == 0 or self.in_flight + pixels <= self.pixels
            )
            self.in_flight += pixels
        try:
            yield
        finally:
            with self._changed:
                self.in_flight -= pixels
                self._changed.notify_all()


DECODES = PixelBudget()  # the process's one: the window's loader and a render share it
