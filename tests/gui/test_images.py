"""Image loading against a local server that is slow, 404s, serves junk or a pixel bomb."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.images import ImageLoader, ImageState
from rcs_composer.gui.preview.widget import PhonePreview
from tests.gui.imageserver import ImageServer


@pytest.fixture
def images() -> Iterator[ImageServer]:
    with ImageServer(delay=1.0) as server:
        yield server


def card_with(url: str) -> m.Message:
    return m.Message(
        content=m.RichCard(
            content=m.CardContent(
                title="T", media=m.Media(height=m.MediaHeight.MEDIUM, file=m.FileRef(file_url=url))
            )
        )
    )


def test_slow_images_never_freeze_the_window(qtbot: QtBot, images: ImageServer) -> None:
    loader = ImageLoader()
    preview = PhonePreview(loader=loader)
    qtbot.addWidget(preview)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    urls = [images.url(f"/slow{i}.png") for i in range(5)]
    preview.set_message(
        m.Message(content=m.Carousel(cards=tuple(card_with(u).content.content for u in urls)))
    )  # type: ignore[union-attr]
    assert all(preview.image_state(u)[0] == "loading" for u in urls)
    qtbot.waitUntil(lambda: all(loader.state(u) is ImageState.READY for u in urls), timeout=8000)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 50  # the GUI thread kept running while the images took a second each
    assert max(gaps) < 0.5
    loader.shutdown()


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/missing.png", "HTTP 404"), ("/junk.png", "not an image"), ("/bomb.png", "pixels")],
)
def test_broken_images_fail_with_a_reason(
    qtbot: QtBot, images: ImageServer, path: str, reason: str
) -> None:
    loader = ImageLoader()
    preview = PhonePreview(loader=loader)
    qtbot.addWidget(preview)
    url = images.url(path)
    with qtbot.waitSignal(loader.image_failed, timeout=8000) as failed:
        preview.set_message(card_with(url))
    assert failed.args[0] == url
    state, image, shown = preview.image_state(url)
    assert (state, image) == ("failed", None)
    assert reason in shown
    loader.shutdown()


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/a.png", "data:image/png;base64,AAAA", "https://"],
)
def test_the_badge_says_what_the_validator_says(qtbot: QtBot, url: str) -> None:
    from rcs_composer.core.urls import url_problem

    loader = ImageLoader()
    with qtbot.waitSignal(loader.image_failed, timeout=5000) as failed:
        loader.request(url)
    assert failed.args[1] == url_problem(url)
    loader.shutdown()


def test_media_inspector_reports_size_weight_and_advice(qtbot: QtBot, images: ImageServer) -> None:
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.media_inspector import MediaInspector

    message = m.Message(
        content=m.RichCard(
            content=m.CardContent(
                title="T",
                media=m.Media(
                    height=m.MediaHeight.TALL,
                    file=m.FileRef(
                        file_url=images.url("/red.png"), thumbnail_url=images.url("/missing.png")
                    ),
                ),
            )
        )
    )
    document = ComposerDocument(m.Draft(message=message))
    loader = ImageLoader()
    inspector = MediaInspector(document, loader)
    qtbot.addWidget(inspector)
    inspector.show()
    qtbot.waitUntil(lambda: not loader.loading, timeout=8000)
    inspector.refresh()
    rows = {row[0]: row for row in inspector.rows()}
    file_row = rows["Card file"]
    assert file_row[2] == "600×300"
    assert file_row[4] == "image/png"
    assert "http" in file_row[5]  # served over http: devices want https
    assert "cropped" in file_row[5]  # 2:1 in a TALL box
    assert "HTTP 404" in rows["Card thumbnail"][5]
    loader.shutdown()


def test_the_window_loads_every_image_through_the_containers_one_media_cache(
    qtbot: QtBot, make_window: Callable[..., Any], images: ImageServer
) -> None:
    """One cache, from the Services container: an image fetched once is on disk for the
    next start, and no fetch builds a cache of its own."""
    window = make_window()
    services = window.context.services
    qtbot.waitUntil(lambda: window.images.cache is services.media_cache, timeout=5000)
    url = images.url("/green.png")
    window.images.request(url)
    qtbot.waitUntil(lambda: window.images.state(url) is ImageState.READY, timeout=5000)
    assert services.media_cache.get(url) is not None
    assert window.images.cache is services.media_cache
