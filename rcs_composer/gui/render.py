"""``rcs-composer render``: the preview's own layout and painter, drawn offscreen into a PNG.

It draws what the preview widget draws (the same ``build_layout`` and ``PhonePainter``) with Qt's
GUI module only: no widgets, so a render starts faster. One process renders any number of
messages; Qt and the fonts start with the first.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rcs_composer.core.model import Message

if TYPE_CHECKING:
    from rcs_composer.gui.images import ImageLoader


def _application() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a render needs no screen
    from PySide6.QtGui import QGuiApplication

    from rcs_composer.gui.preview.fonts import register_bundled_fonts
    from rcs_composer.gui.qt_messages import quiet_known_qt_noise

    existing = QGuiApplication.instance()
    if existing is not None:
        return existing
    quiet_known_qt_noise()
    if "PySide6.QtWidgets" in sys.modules:
        # This process uses widgets too (a window may open after the render): only a
        # QApplication can serve both, and there is one application per process.
        from PySide6.QtWidgets import QApplication

        app: QGuiApplication = QApplication(sys.argv[:1])
    else:
        app = QGuiApplication(sys.argv[:1])
    register_bundled_fonts()
    return app


TALLEST_DP = 8192  # 16,384 px at the default scale: about 50 MB of pixels, not gigabytes
_WAITED_OUT: set[str] = set()  # servers whose pictures did not arrive in time (this process)


def _server(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _say_missing_pictures(
    out: Path, urls: list[str], loader: ImageLoader, silent: set[str], waited_s: float
) -> None:
    """A note on stderr for each picture the PNG is drawn without, and why (``silent``: the
    servers this file waited for in vain)."""
    for url in urls:
        state, _image, reason = loader.lookup(url)
        if state == "loading":
            reason = (
                f"no answer in {waited_s:g} s"
                if _server(url) in silent
                else "its server did not answer for an earlier file either"
            )
        elif state != "failed":
            continue
        print(f"note: {out.name}: drawn without the picture {url} ({reason})", file=sys.stderr)


def render_png(
    message: Message,
    out_path: Path,
    *,
    theme: str = "light",
    width_dp: int = 360,
    values: Mapping[str, str] | None = None,
    scale: float = 2.0,
    agent_name: str = "Sandbox Agent",
    brand_color: str = "#0B57D0",
    verified: bool = True,
    wait_for_images_s: float = 10.0,
    cache_dir: Path | None = None,
) -> Path:
    """Draw ``message`` as the preview shows it and save a PNG; waits (bounded) for media."""
    _application()
    from PySide6.QtCore import QCoreApplication, QEventLoop, QRectF, QSizeF, Qt
    from PySide6.QtGui import QImage, QPainter

    from rcs_composer.core.variables import substitute
    from rcs_composer.gui.images import ImageLoader, drawn_size
    from rcs_composer.gui.preview import geometry as g
    from rcs_composer.gui.preview.layout import build_layout
    from rcs_composer.gui.preview.painter import Agent, PhonePainter
    from rcs_composer.gui.preview.text import Fonts

    loader = ImageLoader(cache_dir, drawn=drawn_size(scale), downloads_apart=False)
    fonts = Fonts()
    agent = Agent(agent_name or "Agent", brand_color or "#1A73E8", verified)
    layout = build_layout(
        substitute(message, values or {}), float(width_dp), fonts, brand=agent.brand_color
    )
    media = (item.data.get("url") for item in layout.items if item.kind == "media")
    urls = list(dict.fromkeys(url for url in media if url))
    for url in urls:
        loader.request(url)
    deadline = time.monotonic() + wait_for_images_s
    while time.monotonic() < deadline and any(
        url in loader.loading and _server(url) not in _WAITED_OUT for url in urls
    ):  # a server that kept one file waiting is not waited for again, file after file
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    silent = {_server(url) for url in urls if url in loader.loading} - _WAITED_OUT
    _WAITED_OUT.update(silent)  # not waited for again by the next file
    _say_missing_pictures(out_path, urls, loader, silent, wait_for_images_s)
    bezel = 2 * g.PHONE_BEZEL_DP  # the whole phone, as PhonePreview.render_to_image draws it
    tall = layout.height + bezel
    if tall > TALLEST_DP:  # thousands of lines: the top of the phone, and a note
        print(
            f"note: {out_path.name}: the phone is {round(tall * scale):,} px tall; "
            f"the PNG shows its top {round(TALLEST_DP * scale):,} px",
            file=sys.stderr,
        )
    size = (QSizeF(width_dp + bezel, min(tall, TALLEST_DP)) * scale).toSize()
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.scale(scale, scale)
    PhonePainter(fonts).paint(
        painter,
        layout,
        theme="dark" if theme == "dark" else "light",
        agent=agent,
        images=loader.lookup,
        clip=QRectF(0, 0, width_dp + bezel, TALLEST_DP) if tall > TALLEST_DP else None,
        scale=scale,
    )
    painter.end()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out_path), "PNG"):  # type: ignore[call-overload]  # str at runtime
        existed = out_path.exists()
        try:  # Qt says only that it failed: the system says why
            with open(out_path, "ab"):
                pass
        except OSError as exc:
            raise OSError(f"could not write {out_path}: {exc.strerror or exc}") from None
        if not existed:  # the probe made it: leave nothing behind
            out_path.unlink(missing_ok=True)
        raise OSError(f"could not write {out_path}")
    loader.shutdown()
    return out_path
