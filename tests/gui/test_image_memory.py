"""What the preview keeps in memory: images at the size they are drawn, caches of a fixed size."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.images import ImageLoader, ImageState, drawn_size
from rcs_composer.gui.preview.painter import PIXMAP_CACHE_BYTES
from rcs_composer.gui.preview.widget import PhonePreview
from tests.gui.imageserver import ImageServer, gradient, photos, served
from tests.support.child_python import run_python
from tests.support.drafts import picture_carousel


@pytest.fixture(scope="module")
def images() -> Iterator[ImageServer]:
    with ImageServer(delay=0.0) as server:
        yield server


def carousel(urls: list[str]) -> m.Message:
    return picture_carousel(urls, m.MediaHeight.TALL)


def test_a_large_image_is_held_just_large_enough_to_cover_its_box(
    qtbot: QtBot, images: ImageServer
) -> None:
    loader = ImageLoader(drawn=QSize(640, 528))
    url = images.url("/gradient.png")  # 1440 x 720
    with qtbot.waitSignal(loader.image_ready, timeout=8000):
        loader.request(url)
    image = loader.image(url)
    assert image is not None
    assert (image.width(), image.height()) == (1056, 528)  # covers 640 x 528, keeps 2:1
    assert image.sizeInBytes() < 1440 * 720 * 4 / 1.8
    info = loader.infos[url]
    assert (info.width, info.height) == (1440, 720)  # the inspector still says what was sent
    loader.shutdown()


def test_the_largest_box_sets_the_size_at_two_pixels_per_dp() -> None:
    assert drawn_size(2.0) == QSize(640, 528)
    assert drawn_size(3.0) == QSize(960, 792)


def test_the_loader_keeps_at_most_its_memory_size_and_reloads_what_it_dropped(
    qtbot: QtBot, images: ImageServer
) -> None:
    one = 600 * 300 * 4  # the server's colour images, held as 32-bit pixels
    loader = ImageLoader(memory_bytes=2 * one)
    urls = [images.url(path) for path in ("/red.png", "/green.png", "/blue.png")]
    for url in urls:
        with qtbot.waitSignal(loader.image_ready, timeout=8000):
            loader.request(url)
    assert loader.held_bytes() <= 2 * one
    assert loader.state(urls[0]) is None  # the least recently used went first
    assert loader.state(urls[2]) is ImageState.READY
    with qtbot.waitSignal(loader.image_ready, timeout=8000):
        assert loader.request(urls[0]) is ImageState.LOADING
    assert loader.state(urls[0]) is ImageState.READY
    loader.shutdown()


def test_resizing_the_phone_again_and_again_keeps_the_picture_cache_bounded(
    qtbot: QtBot, images: ImageServer
) -> None:
    loader = ImageLoader()
    preview = PhonePreview(loader=loader)
    qtbot.addWidget(preview)
    urls = [images.url(path) for path in ("/red.png", "/green.png", "/blue.png")]
    preview.set_message(carousel(urls * 2))
    qtbot.waitUntil(lambda: not loader.loading, timeout=8000)
    preview.show()
    cache = preview.painter._pixmaps
    assert cache.max_bytes == PIXMAP_CACHE_BYTES
    cache.max_bytes = 8 * 1024 * 1024  # a small cap, so a few zooms reach it
    for step in range(30):  # a fitted phone while the window is dragged wider
        preview.set_zoom(0.8 + step * 0.05)
        preview.grab()  # painted as the screen would be (repaint() of a widget offscreen is not)
        assert cache, "the phone's chrome and media crops are cached"
        assert cache.held <= 8 * 1024 * 1024
    assert not any(key[1] == 0.8 for key in cache)  # the first zoom's pictures went first
    preview.set_zoom(1.0)
    assert preview.grab().toImage().pixelColor(preview.width() // 2, 5).alpha() > 0
    loader.shutdown()


PHOTO_CAROUSEL = """
import sys, time
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
from rcs_composer.core import model as m
from rcs_composer.gui import images
from rcs_composer.gui.preview.widget import PhonePreview
from tests.support.drafts import picture_carousel

if sys.argv[1] == "as glibc leaves it":
    images.return_large_blocks = lambda: False
if sys.argv[1] == "with no decode budget":
    from rcs_composer.gui.decode_budget import DECODES
    DECODES.pixels = 10**12

def resident_kb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4

def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

def show(urls):
    preview.set_message(picture_carousel(urls, m.MediaHeight.TALL))
    deadline = time.monotonic() + 60
    while (loader.loading or loader.refitting) and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    preview.grab()
    QCoreApplication.processEvents()

app = QApplication(sys.argv[:1])
loader = images.ImageLoader()
preview = PhonePreview(loader=loader)
preview.resize(480, 900)
preview.show()
show(sys.argv[2:3])  # a small picture first: the fetch code is loaded before the count starts
before = resident_kb()
show(sys.argv[3:])
grown, peak = resident_kb() - before, peak_kb() - before
print(grown, loader.held_bytes() // 1024, len(loader.images) - 1, peak)
loader.shutdown()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/statm")
def test_a_carousel_of_photos_leaves_no_decoding_memory_behind(images: ImageServer) -> None:
    """Ten 3000 x 2000 photos decoded on the loader's threads: the window grows by what it
    holds, not by the decoding buffers glibc would keep for reuse."""
    urls = photos(images)
    grown, held, _ = carousel_memory(images, "as the app runs", urls)
    grown_unpinned, _, _ = carousel_memory(images, "as glibc leaves it", urls)
    assert held < 10 * 1024  # each photo held at its box's size, not its own
    assert grown_unpinned > 2 * grown, (grown, grown_unpinned)
    assert grown < held + 12 * 1024, "the photos as held, and a few MB besides"


def carousel_memory(images: ImageServer, how: str, urls: list[str]) -> tuple[int, int, int]:
    """KB the preview grew by showing a carousel of ``urls``, KB of images it holds, KB its
    peak grew by (the child runs ``how``: as the app runs, or with one safeguard off)."""
    output = run_python(PHOTO_CAROUSEL, how, images.url("/red.png"), *urls)
    grown, held, count, peak = map(int, output.split())
    assert count == len(urls), "every picture loaded"
    return grown, held, peak


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_large_pngs_decode_one_at_a_time_not_four_at_once(images: ImageServer) -> None:
    """A PNG is decoded whole before it is scaled: eight 5000 x 5000 ones (100 MB each once
    decoded, a few KB as files) on four threads would take 400 MB at once."""
    urls = served(images, gradient((5000, 5000)), "large.png", 8)
    _, held, peak = carousel_memory(images, "as the app runs", urls)
    _, _, peak_unbudgeted = carousel_memory(images, "with no decode budget", urls)
    assert held < 10 * 1024  # held at their boxes' size
    assert peak < 0.6 * peak_unbudgeted, (peak, peak_unbudgeted)
    assert peak < 160 * 1024, "one large decode at a time, and its scaled copy"
