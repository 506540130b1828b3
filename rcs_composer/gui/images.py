"""Loads preview images off the GUI thread and hands back QImages; remembers what failed and why."""

from __future__ import annotations

import threading
from collections import OrderedDict
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QImage

from rcs_composer.gui.tasks import TaskRunner


class ImageState(Enum):
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class ImageLoader(QObject):
    """``request(url)`` starts a fetch once; ``image_ready`` / ``image_failed`` follow."""

    image_ready = Signal(str, QImage)
    image_failed = Signal(str, str)
    changed = Signal()

    def __init__(
        self, cache_dir: Path | None = None, parent: QObject | None = None, memory_items: int = 64
    ) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir
        self.stopping = threading.Event()  # set on shutdown: fetches in flight give up
        self.runner = TaskRunner(self, QThreadPool(self))
        self.runner.pool.setMaxThreadCount(4)
        self.images: OrderedDict[str, QImage] = OrderedDict()
        self.failures: dict[str, str] = {}
        self.infos: dict[str, Any] = {}  # MediaInfo per fetched URL, for the media inspector
        self.loading: set[str] = set()
        self.memory_items = memory_items
        # While a window starts, fetches wait for its first paint.
        self.held: list[str] | None = None

    def hold(self) -> None:
        """Queue requests instead of starting them (the first paint needs no network code)."""
        if self.held is None:
            self.held = []

    def release(self) -> None:
        held, self.held = self.held or [], None
        for url in held:
            self._start(url)

    def state(self, url: str) -> ImageState | None:
        if url in self.images:
            return ImageState.READY
        if url in self.failures:
            return ImageState.FAILED
        if url in self.loading:
            return ImageState.LOADING
        return None

    def image(self, url: str) -> QImage | None:
        image = self.images.get(url)
        if image is not None:
            self.images.move_to_end(url)
        return image

    def request(self, url: str) -> ImageState:
        known = self.state(url)
        if known is not None:
            return known
        self.loading.add(url)
        if self.held is not None:
            self.held.append(url)
            return ImageState.LOADING
        self._start(url)
        return ImageState.LOADING

    def _start(self, url: str) -> None:
        cache_dir, stopping = self.cache_dir, self.stopping
        self.runner.run(
            lambda: _fetch_image(url, cache_dir, stopping),
            lambda loaded: self._on_ready(url, loaded),
            lambda error: self._on_failed(url, error),
        )

    def _on_ready(self, url: str, loaded: tuple[QImage, Any]) -> None:
        image, self.infos[url] = loaded
        self.loading.discard(url)
        self.images[url] = image
        while len(self.images) > self.memory_items:
            self.images.popitem(last=False)
        self.image_ready.emit(url, image)
        self.changed.emit()

    def _on_failed(self, url: str, error: BaseException) -> None:
        self.loading.discard(url)
        self.failures[url] = str(error) or type(error).__name__
        self.image_failed.emit(url, self.failures[url])
        self.changed.emit()

    def shutdown(self) -> None:
        """Stop at once: fetches in flight give up (a dripping server never delays an exit)."""
        self.stopping.set()
        self.runner.pool.clear()
        self.runner.drain(3000)


def _fetch_image(url: str, cache_dir: Path | None, stopping: threading.Event) -> tuple[QImage, Any]:
    """Runs on a worker thread: fetch within the caps, decode into a QImage (no widgets here)."""
    from rcs_composer.services.media import MediaError
    from rcs_composer.services.media_cache import MediaCache, load

    cache = MediaCache(cache_dir / "media") if cache_dir is not None else None
    info, data = load(url, cache, cancelled=stopping)
    image = QImage.fromData(data)
    if image.isNull():
        raise MediaError("not an image Qt can show")
    return image, info
