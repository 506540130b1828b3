"""What the preview keeps while images load and the phone is zoomed: one decoder per format,
a fixed number of remembered images and failures, pictures only at the scale on screen."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui import images as loader_module
from rcs_composer.gui.images import (
    ImageLoader,
    ImageState,
    decode_at_drawn_size,
    image_format,
    measure_image,
)
from rcs_composer.gui.preview.widget import PhonePreview
from tests.gui.imageserver import ImageServer, png
from tests.support.drafts import picture_carousel as carousel

ROOT = Path(__file__).resolve().parents[2]


def encoded(kind: str, size: tuple[int, int] = (1200, 900)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, kind)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def images() -> Iterator[ImageServer]:
    with ImageServer(delay=0.0) as server:
        server.routes["/photo.jpg"] = (200, "image/jpeg", encoded("JPEG"))
        yield server


@pytest.mark.parametrize(
    ("kind", "name"), [("PNG", b"png"), ("JPEG", b"jpeg"), ("GIF", b"gif"), ("WEBP", b"webp")]
)
def test_the_usual_formats_are_known_by_their_first_bytes(kind: str, name: bytes) -> None:
    data = encoded(kind, (40, 20))
    assert image_format(data) == name
    width, height, shown = measure_image(data, 10_000)
    assert (width, height) == (40, 20)
    assert shown == name.decode().upper()
    assert decode_at_drawn_size(data, QSize(40, 20)).size() == QSize(40, 20)


def test_bytes_of_no_known_format_are_still_refused_in_a_few_words() -> None:
    from rcs_composer.services.media import MediaError

    assert image_format(b"this is not an image") is None
    with pytest.raises(MediaError, match="not an image"):
        measure_image(b"this is not an image", 10_000)


def test_a_photo_is_decoded_scaled_to_cover_its_box_not_at_full_size() -> None:
    image = decode_at_drawn_size(encoded("JPEG"), QSize(320, 264))  # a 1200 x 900 photo
    assert image.width() >= 320 and image.height() >= 264
    assert image.size() == QSize(352, 264)  # 4:3 kept, no larger than the box needs


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/maps")
def test_loading_a_png_and_a_jpeg_loads_only_the_jpeg_decoder() -> None:
    """Qt asks every image plugin it has to read bytes of an unnamed format, and each stays
    loaded; the preview names the format, so only what its images need is in memory."""
    child = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        sys.path.insert(0, {str(ROOT)!r})
        from PySide6.QtCore import QSize
        from PySide6.QtGui import QGuiApplication
        from rcs_composer.gui.images import decode_at_drawn_size, measure_image
        app = QGuiApplication([])
        for data in (sys.stdin.buffer.read().split(b"--next--")):
            measure_image(data, 10_000_000)
            assert not decode_at_drawn_size(data, QSize(640, 528)).isNull()
        with open("/proc/self/maps") as maps:
            plugins = {{line.rsplit("/", 1)[-1].strip() for line in maps if "imageformats" in line}}
        print(" ".join(sorted(plugins)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", child],
        input=png((10, 200, 30)) + b"--next--" + encoded("JPEG"),
        capture_output=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.decode().split() == ["libqjpeg.so"]


def test_many_failing_urls_are_remembered_up_to_a_fixed_number(
    qtbot: QtBot, images: ImageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader_module, "MAX_FAILURES", 5)
    loader = ImageLoader()
    urls = [images.url(f"/missing-{index}.png") for index in range(8)]
    for url in urls:
        with qtbot.waitSignal(loader.image_failed, timeout=8000):
            loader.request(url)
    assert len(loader.failures) == 5
    assert loader.state(urls[-1]) is ImageState.FAILED  # the latest are kept
    assert loader.lookup(urls[-1]) == ("failed", None, "HTTP 404")
    assert loader.state(urls[0]) is None  # the oldest is asked for again when shown again
    with qtbot.waitSignal(loader.image_failed, timeout=8000):
        assert loader.request(urls[0]) is ImageState.LOADING
    loader.shutdown()


def test_many_small_images_are_held_up_to_a_fixed_number_with_their_infos(
    qtbot: QtBot, images: ImageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loader_module, "MAX_IMAGES", 2)
    loader = ImageLoader()
    urls = [images.url(path) for path in ("/red.png", "/green.png", "/blue.png")]
    for url in urls:
        with qtbot.waitSignal(loader.image_ready, timeout=8000):
            loader.request(url)
    assert list(loader.images) == urls[1:]
    assert set(loader.infos) == set(urls[1:])
    assert loader.infos[urls[2]].width == 600  # the inspector's facts for what is shown
    loader.shutdown()


def test_the_phone_keeps_pictures_only_at_the_scale_it_is_drawn(
    qtbot: QtBot, images: ImageServer
) -> None:
    loader = ImageLoader()
    preview = PhonePreview(loader=loader)
    qtbot.addWidget(preview)
    preview.set_message(carousel([images.url("/photo.jpg"), images.url("/green.png")]))
    qtbot.waitUntil(lambda: not loader.loading and len(loader.images) == 2, timeout=8000)
    preview.show()
    qtbot.waitExposed(preview)
    for zoom in (0.5, 0.75, 1.0, 1.25, 0.6):  # a fitted phone while its pane is resized
        preview.set_zoom(zoom)
        preview.grab()  # painted now, as the screen would be
        scale = round(zoom * preview.devicePixelRatioF(), 3)
        cache = preview.painter._pixmaps
        assert cache, "the phone's chrome and media crops are cached"
        assert {key[1] for key in cache} == {scale}  # type: ignore[index]
        assert cache.held == sum(p.width() * p.height() * 4 for p in cache.values())  # type: ignore[attr-defined]
    picture = preview.grab().toImage()
    assert picture.pixelColor(preview.width() // 2, 5).alpha() > 0  # still drawn
    loader.shutdown()


def paint_phone(loader: ImageLoader, message: m.Message, scale: float) -> QSize:
    """Paint ``message`` as the preview does at ``scale`` device pixels per dp, telling the
    loader where its images are drawn; returns the device pixels the first media box takes."""
    from PySide6.QtCore import QSizeF, Qt
    from PySide6.QtGui import QPainter

    from rcs_composer.gui.preview import geometry as g
    from rcs_composer.gui.preview.layout import build_layout
    from rcs_composer.gui.preview.painter import Agent, PhonePainter
    from rcs_composer.gui.preview.text import Fonts

    fonts = Fonts()
    layout = build_layout(message, 360.0, fonts)
    size = QSizeF(360 + 2 * g.PHONE_BEZEL_DP, layout.height + 2 * g.PHONE_BEZEL_DP) * scale
    target = QImage(size.toSize(), QImage.Format.Format_ARGB32_Premultiplied)
    target.fill(Qt.GlobalColor.transparent)
    painter = QPainter(target)
    painter.scale(scale, scale)
    PhonePainter(fonts).paint(
        painter,
        layout,
        theme="light",
        agent=Agent(),
        images=loader.lookup,
        scale=scale,
        drawn_at=loader.note_drawn,
    )
    painter.end()
    media = next(item for item in layout.items if item.kind == "media")
    return QSize(round(media.rect.width() * scale), round(media.rect.height() * scale))


def covers(image: QImage | None, box: QSize) -> bool:
    return (
        image is not None
        and image.width() >= box.width() - 1
        and image.height() >= box.height() - 1
    )


def test_an_image_is_held_at_the_size_it_is_drawn_and_sharpened_when_zoomed_in(
    qtbot: QtBot, images: ImageServer
) -> None:
    url = images.url("/gradient.png")  # 1440 x 720
    message = carousel([url, url, url])  # three medium cards of one picture
    loader = ImageLoader(drawn=QSize(640, 528))
    with qtbot.waitSignal(loader.image_ready, timeout=8000):
        loader.request(url)
    decoded = loader.image(url)
    assert decoded is not None and decoded.size() == QSize(1056, 528)  # the largest box

    box = paint_phone(loader, message, 0.5)  # a phone fitted to a small pane
    qtbot.waitUntil(lambda: not loader.refitting, timeout=8000)
    small = loader.image(url)
    assert covers(small, box)  # sharp where it is drawn ...
    assert small is not None and small.width() <= box.width() * 1.3 + 2  # ... and no larger
    assert small.sizeInBytes() < decoded.sizeInBytes() / 4

    with qtbot.waitSignal(loader.image_ready, timeout=8000):  # zoomed in: decoded again
        box = paint_phone(loader, message, 1.5)
    qtbot.waitUntil(lambda: not loader.refitting, timeout=8000)
    assert covers(loader.image(url), box)

    paint_phone(loader, message, 0.5)  # zoomed out again: kept for the larger box it had
    assert not loader.refitting
    assert covers(loader.image(url), box)
    loader.shutdown()


def test_an_image_smaller_than_its_box_is_never_decoded_again(
    qtbot: QtBot, images: ImageServer
) -> None:
    url = images.url("/green.png")  # 600 x 300: all there is
    loader = ImageLoader()
    with qtbot.waitSignal(loader.image_ready, timeout=8000):
        loader.request(url)
    held = loader.image(url)
    paint_phone(loader, carousel([url]), 3.0)
    assert not loader.refitting
    assert loader.image(url) is held
    loader.shutdown()


def test_the_images_of_cards_scrolled_out_of_view_are_held_at_their_size_too(
    qtbot: QtBot, images: ImageServer
) -> None:
    urls = [images.url(path) for path in ("/red.png", "/green.png", "/blue.png", "/gradient.png")]
    loader = ImageLoader()
    for url in urls:
        with qtbot.waitSignal(loader.image_ready, timeout=8000):
            loader.request(url)
    box = paint_phone(loader, carousel(urls), 0.5)  # the last cards are off the phone's edge
    qtbot.waitUntil(lambda: not loader.refitting, timeout=8000)
    for url in urls:
        image = loader.image(url)
        assert covers(image, box)
        assert image is not None and image.height() <= box.height() + 1
    loader.shutdown()


def test_the_preview_widget_holds_its_pictures_at_the_size_it_draws_them(
    qtbot: QtBot, images: ImageServer
) -> None:
    url = images.url("/gradient.png")  # 1440 x 720, far larger than a card's box
    loader = ImageLoader()
    preview = PhonePreview(loader=loader)
    qtbot.addWidget(preview)
    preview.set_message(carousel([url, url]))
    qtbot.waitUntil(lambda: loader.image(url) is not None, timeout=8000)
    preview.show()
    qtbot.waitExposed(preview)
    preview.set_zoom(0.5)
    preview.grab()  # painted as the screen would be: the widget tells the loader the box
    qtbot.waitUntil(lambda: not loader.refitting, timeout=8000)
    held = loader.image(url)
    assert held is not None and held.width() < 1440 // 2  # not the photo's own size
    loader.shutdown()
