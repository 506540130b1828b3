"""Loads preview images off the GUI thread and hands back QImages; remembers what failed and why."""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QObject, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QGuiApplication, QImage, QImageReader

from rcs_composer.gui.tasks import TaskRunner
from rcs_composer.services.heap import return_large_blocks

if TYPE_CHECKING:
    from rcs_composer.services.media_cache import MediaCache

# The largest box the preview draws an image into: a standalone card is at most 320 dp wide, a
# TALL media 264 dp high (gui/preview/geometry.py); at most 2 pixels per dp (the 200% zoom and
# the render command), times the screen's own pixel ratio.
LARGEST_BOX_DP = (320, 264)
MAX_PIXELS_PER_DP = 2.0
MEMORY_BYTES = 32 * 1024 * 1024  # decoded images kept; ten full carousels at the largest box
MAX_IMAGES = 256  # and at most this many of them, however small (with their media infos)
MAX_FAILURES = 256  # failed URLs remembered with their reason (one typed URL fails per keystroke)
SHRINK_AT = 0.8  # a held image this much larger than the box it is drawn in is scaled down


def drawn_size(pixels_per_dp: float | None = None) -> QSize:
    """The pixels an image needs to cover the largest box it is drawn into, and no more."""
    if pixels_per_dp is None:
        app = QGuiApplication.instance()
        ratio = app.devicePixelRatio() if isinstance(app, QGuiApplication) else 1.0
        pixels_per_dp = MAX_PIXELS_PER_DP * ratio
    width, height = LARGEST_BOX_DP
    return QSize(round(width * pixels_per_dp), round(height * pixels_per_dp))


class ImageState(Enum):
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class ImageLoader(QObject):
    """``request(url)`` starts a fetch once; ``image_ready`` / ``image_failed`` follow.

    Images are decoded to cover the largest box they could be drawn in (``drawn``), not at
    full resolution; told the box they are really drawn in (``note_drawn``, from the painter),
    they are held just large enough for it. At most ``memory_bytes`` of them are kept, and at
    most ``MAX_IMAGES``, least recently used first out (a dropped one loads again, from the
    disk cache, when it is shown again); the ``MAX_FAILURES`` latest failures are remembered.
    """

    image_ready = Signal(str, QImage)
    image_failed = Signal(str, str)
    changed = Signal()

    def __init__(
        self,
        cache_dir: Path | None = None,
        parent: QObject | None = None,
        *,
        cache: MediaCache | None = None,
        memory_bytes: int = MEMORY_BYTES,
        drawn: QSize | None = None,
        downloads_apart: bool = True,
    ) -> None:
        """``cache``: the app's one media cache (from its Services); ``cache_dir``: a folder
        to make one in, once (a render run without a window). ``downloads_apart``: images
        are downloaded by a child process (gui/media_process.py), so a window never
        holds the network stack; a render, which exits when done, downloads in process."""
        super().__init__(parent)
        if cache is None and cache_dir is not None:
            from rcs_composer.services.media_cache import MediaCache

            cache = MediaCache(cache_dir / "media")
        self.cache = cache  # None: fetched media are not kept on disk
        self.downloads_apart = downloads_apart
        # Set on shutdown, or when the loader goes with its widget: fetches in flight give up
        # (each download's child process is killed) rather than run out their deadline.
        self.stopping = stopping = threading.Event()
        self.destroyed.connect(stopping.set)  # a lambda here cost every exit ~28 ms
        self.runner = TaskRunner(self, QThreadPool(self))
        self.runner.pool.setMaxThreadCount(4)
        self.images: OrderedDict[str, QImage] = OrderedDict()
        self.failures: OrderedDict[str, str] = OrderedDict()
        self.infos: dict[str, Any] = {}  # MediaInfo per image held, for the media inspector
        self.boxes: dict[str, QSize] = {}  # per image held: the largest box it is drawn in
        self.refitting: set[str] = set()  # images being scaled or decoded again for their box
        self.loading: set[str] = set()
        self.memory_bytes = memory_bytes
        self.drawn = drawn if drawn is not None else drawn_size()
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

    def lookup(self, url: str) -> tuple[str, QImage | None, str]:
        """("loading" | "ready" | "failed", the image when ready, the reason when failed): what
        the phone painter asks of an image."""
        state = self.state(url)
        if state is ImageState.READY:
            return "ready", self.image(url), ""
        if state is ImageState.FAILED:
            return "failed", None, self.failures.get(url, "failed")
        return "loading", None, ""

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

    def note_drawn(self, url: str, box: QSize) -> None:
        """``url`` is drawn into ``box`` device pixels: hold it just large enough for that.

        Called by the painter on every paint, so the usual case (a box already seen) is a
        lookup. A larger image is scaled down off the GUI thread to cover the largest box it
        has been drawn in since it loaded; when a zoom needs more pixels than it holds, it is
        decoded again, larger (from the disk cache), and ``image_ready`` says so.
        """
        if url not in self.images or box.isEmpty():
            return
        box = box.boundedTo(self.drawn)
        seen = self.boxes.get(url)
        if seen is not None:
            if seen.width() >= box.width() and seen.height() >= box.height():
                return
            box = box.expandedTo(seen)
        self.boxes[url] = box
        self._refit(url)

    def _refit(self, url: str) -> None:
        image, box = self.images.get(url), self.boxes.get(url)
        if image is None or box is None or url in self.refitting or image.isNull():
            return
        scale = max(box.width() / image.width(), box.height() / image.height())
        if scale <= SHRINK_AT:
            target = cover_size(image.size(), box)
            self.refitting.add(url)
            self.runner.op(
                lambda: image.scaled(
                    target,
                    Qt.AspectRatioMode.IgnoreAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            ).on_success(lambda smaller: self._on_refitted(url, image, smaller)).on_failure(
                lambda _error: self._on_refitted(url, image, None)
            ).run()
            return
        info = self.infos.get(url)
        covered = image.width() >= box.width() - 1 and image.height() >= box.height() - 1
        if covered or info is None or not info.width or info.width <= image.width():
            return  # enough pixels, or all the source has
        cache, stopping, need, apart = self.cache, self.stopping, QSize(box), self.downloads_apart
        self.refitting.add(url)
        self.runner.op(lambda: _fetch_image(url, cache, stopping, need, apart)).on_success(
            lambda loaded: self._on_refitted(url, image, loaded[0])
        ).on_failure(lambda _error: self._on_refitted(url, image, None)).run()

    def _on_refitted(self, url: str, before: QImage, after: QImage | None) -> None:
        """A refit is done: the new image replaces the one it was made from, if still held."""
        self.refitting.discard(url)
        held = self.images.get(url)
        if held is None or held.cacheKey() != before.cacheKey():
            return
        if after is not None and not after.isNull():
            grown = after.width() > before.width()
            self.images[url] = after
            if grown:  # the preview draws it sharper now; a smaller one looks the same
                self.image_ready.emit(url, after)
                self.changed.emit()
        self._refit(url)  # the box may have grown meanwhile

    def held_bytes(self) -> int:
        """What the decoded images in memory take."""
        return sum(image.sizeInBytes() for image in self.images.values())

    def _start(self, url: str) -> None:
        return_large_blocks()  # a photo's decoding buffers are not kept once freed
        cache, stopping, drawn = self.cache, self.stopping, QSize(self.drawn)
        apart = self.downloads_apart
        self.runner.op(lambda: _fetch_image(url, cache, stopping, drawn, apart)).on_success(
            lambda loaded: self._on_ready(url, loaded)
        ).on_failure(lambda error: self._on_failed(url, error)).run()

    def _on_ready(self, url: str, loaded: tuple[QImage, Any]) -> None:
        image, self.infos[url] = loaded
        self.loading.discard(url)
        self.images[url] = image
        self.images.move_to_end(url)
        held = self.held_bytes()
        while len(self.images) > 1 and (held > self.memory_bytes or len(self.images) > MAX_IMAGES):
            gone, dropped = self.images.popitem(last=False)
            self.infos.pop(gone, None)
            self.boxes.pop(gone, None)
            held -= dropped.sizeInBytes()
        self.image_ready.emit(url, image)
        self.changed.emit()

    def _on_failed(self, url: str, error: BaseException) -> None:
        self.loading.discard(url)
        self.failures[url] = str(error) or type(error).__name__
        self.failures.move_to_end(url)
        while len(self.failures) > MAX_FAILURES:
            self.failures.popitem(last=False)
        self.image_failed.emit(url, self.failures[url])
        self.changed.emit()

    def shutdown(self) -> None:
        """Stop at once: fetches in flight give up (a dripping server never delays an exit)."""
        self.stopping.set()
        self.runner.pool.clear()
        self.runner.drain(3000)


def _fetch_image(
    url: str, cache: MediaCache | None, stopping: threading.Event, drawn: QSize, apart: bool
) -> tuple[QImage, Any]:
    """Runs on a worker thread: fetch within the caps, decode into a QImage (no widgets here)."""
    from rcs_composer.services.media import MediaError, fetch
    from rcs_composer.services.media_cache import load

    if apart:
        from rcs_composer.gui.media_process import download as fetcher
    else:
        fetcher = fetch
    info, data = load(url, cache, fetcher=fetcher, cancelled=stopping, measure=measure_image)
    damage = damaged(data)  # measured when fetched; from the cache, not measured again
    if damage:
        raise MediaError(damage)
    image = decode_at_drawn_size(data, drawn)
    if image.isNull():
        raise MediaError("not an image Qt can show")
    return image, info


# The formats a preview image comes in, by their first bytes. Naming the format to Qt loads that
# one decoder; an unnamed one makes Qt load every image plugin it has to ask each whether it
# can read the bytes (TIFF, WebP, ICNS, SVG with libQt6Svg, ...: about 1 MB kept mapped).
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", b"png"),
    (b"\xff\xd8\xff", b"jpeg"),
    (b"GIF87a", b"gif"),
    (b"GIF89a", b"gif"),
)


def image_format(data: bytes) -> bytes | None:
    """The Qt format name of ``data`` from its signature; None when it is none of the usual."""
    for signature, name in _SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return b"webp"
    return None


def _reader(data: bytes) -> tuple[QImageReader, QBuffer]:
    """A reader of ``data`` with its format named when known (and its buffer, kept alive)."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    known = image_format(data)
    reader = QImageReader(buffer, known) if known else QImageReader(buffer)
    return reader, buffer


def decode_at_drawn_size(data: bytes, drawn: QSize) -> QImage:
    """``data`` decoded just large enough to cover a ``drawn`` box, within the shared
    ``DECODES`` budget (JPEG decodes scaled; the other formats whole, then scaled)."""
    reader, _buffer = _reader(data)
    size = reader.size()
    if not (size.isValid() and size.width() > 0 and size.height() > 0):
        return reader.read()
    from rcs_composer.gui.decode_budget import DECODES  # with the first decode, not the paint

    scaled = cover_size(size, drawn)
    if scaled.width() < size.width():
        reader.setScaledSize(scaled)
    with DECODES.hold(size.width() * size.height()):
        return reader.read()


def cover_size(size: QSize, box: QSize) -> QSize:
    """``size`` scaled, keeping its shape, just enough to cover ``box`` (CSS 'cover')."""
    scale = max(box.width() / size.width(), box.height() / size.height())
    return QSize(max(1, round(size.width() * scale)), max(1, round(size.height() * scale)))


_PNG_SIGNATURE = _SIGNATURES[0][0]
_UINT31 = 2**31 - 1  # PNG's largest length, width or height


def damaged(data: bytes) -> str | None:
    """Why ``data``, a PNG or JPEG by its signature, is damaged; None when it looks whole.

    Checked before Qt reads it: a broken PNG makes libpng print to the process's stderr (no
    Qt message to filter), and a JPEG cut short decodes without an error, its missing part
    grey, so the preview would show a grey box and no hint that the file is broken.
    """
    if data.startswith(_PNG_SIGNATURE):
        return _png_damage(data)
    if data.startswith(b"\xff\xd8\xff") and not _jpeg_is_whole(data):
        return "damaged JPEG: the file is cut short"
    return None


def _png_damage(data: bytes) -> str | None:
    at, first = len(_PNG_SIGNATURE), True
    while True:
        if at + 12 > len(data):
            return "damaged PNG: the file is cut short"
        length, kind = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8]
        if length > _UINT31:
            return "damaged PNG: a bad chunk length"
        if at + 12 + length > len(data):
            return "damaged PNG: the file is cut short"
        body = data[at + 8 : at + 8 + length]
        if zlib.crc32(body, zlib.crc32(kind)) != int.from_bytes(
            data[at + 8 + length : at + 12 + length], "big"
        ):
            return f"damaged PNG: a bad checksum in {kind.decode('latin-1')!r}"
        if first:
            width, height = int.from_bytes(body[:4], "big"), int.from_bytes(body[4:8], "big")
            if (
                kind != b"IHDR"
                or length != 13
                or not (0 < width <= _UINT31 and 0 < height <= _UINT31)
            ):
                return "damaged PNG: a bad header"
            first = False
        if kind == b"IEND":
            return None
        at += 12 + length


def _jpeg_is_whole(data: bytes) -> bool:
    """Whether the end-of-image marker follows the first scan (segments before it, such as an
    EXIF thumbnail, may hold one of their own; data after it, as a motion photo's, is fine)."""
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return False
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xD9:
            return True
        if marker == 0xDA:  # start of scan: entropy data holds no bare 0xFFD9
            return data.find(b"\xff\xd9", at + 2) >= 0
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            at += 2
            continue
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return False


def measure_image(data: bytes, max_pixels: int) -> tuple[int, int, str]:
    """Width, height and format from the header, as Qt will decode it; refuses pixel bombs.

    The window measures with the decoder it draws with: Pillow (what the command line uses)
    would be a second image library in memory for the same answer.
    """
    from rcs_composer.services.media import MediaError

    damage = damaged(data)
    if damage:
        raise MediaError(damage)
    reader, _buffer = _reader(data)
    size = reader.size()
    if not reader.canRead() or not size.isValid():
        raise MediaError("not an image")
    if size.width() * size.height() > max_pixels:
        raise MediaError(f"too many pixels ({size.width()}x{size.height()})")
    return size.width(), size.height(), bytes(reader.format().data()).decode("ascii").upper()
