"""``rcs-composer render``: the same preview widget, drawn offscreen into a PNG.

One process renders any number of messages: Qt and the fonts start with the first.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from rcs_composer.core.model import Message


def _application() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a render needs no screen
    from PySide6.QtWidgets import QApplication

    from rcs_composer.gui.preview.fonts import register_bundled_fonts
    from rcs_composer.gui.qt_messages import quiet_known_qt_noise

    existing = QApplication.instance()
    if existing is not None:
        return existing
    quiet_known_qt_noise()
    app = QApplication(sys.argv[:1])
    register_bundled_fonts()
    return app


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
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from rcs_composer.gui.images import ImageLoader, drawn_size
    from rcs_composer.gui.preview.widget import PhonePreview

    loader = ImageLoader(cache_dir, drawn=drawn_size(scale))
    preview = PhonePreview(loader=loader)
    preview.set_agent(agent_name, brand_color, verified)
    preview.set_theme(theme)
    preview.set_device_width(width_dp)
    preview.set_message(message, values or {})
    deadline = time.monotonic() + wait_for_images_s
    while loader.loading and time.monotonic() < deadline:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)
    image = preview.render_to_image(scale)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out_path)):
        raise OSError(f"could not write {out_path}")
    loader.shutdown()
    return out_path
