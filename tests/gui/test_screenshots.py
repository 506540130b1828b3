"""The README screenshots come from a script that still runs: main window and carousel preview."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).parent.parent.parent


def test_the_screenshot_command_draws_both_pictures(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "make_screenshots.py"), str(tmp_path)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    window, carousel = (
        QImage(str(tmp_path / "main-window.png")),
        QImage(str(tmp_path / "carousel-preview.png")),
    )
    assert (window.width(), window.height()) == (1280, 760)
    assert carousel.width() == (360 + 20) * 2
    committed = QImage(str(ROOT / "resources" / "screenshots" / "main-window.png"))
    assert (committed.width(), committed.height()) == (window.width(), window.height())
    assert importlib.util.find_spec("PIL") is not None
