"""Programs the benchmarks run in a fresh process (``python children.py rss URL``).

Only the app and PySide6 are imported here: the measured process holds what the app loads and
nothing the benchmark itself needs (no Pillow, no test image server).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.floors import WINDOW_SIZE, resident_mb
from tests.benchmarks.messages import carousel


def app_rss(urls: list[str]) -> int:
    """The app with the 10-card carousel open and its images loaded; prints its resident MB.

    One URL is every card's picture; ten are one each (run.py's photos)."""
    from PySide6.QtCore import QCoreApplication

    from rcs_composer.core.model import Draft
    from rcs_composer.gui.app import make_application
    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.main_window import MainWindow

    app = make_application()
    window = MainWindow(
        ComposerDocument(Draft(name="rss", message=carousel(urls if len(urls) > 1 else urls * 10))),
        context=AppContext(),  # the app's own: the sandbox starts with a first send
    )
    window.resize(*WINDOW_SIZE)  # as large as the floor's bare window
    window.show()
    preview = window.preview_pane.preview
    loader = preview.loader
    painted: list[bool] = []
    preview.repainted.connect(lambda: painted.append(bool(loader.images)))

    def shown() -> bool:
        """The images loaded, drawn, and held as the window keeps them (no refit under way)."""
        loaded = loader.held is None and not loader.loading and bool(loader.images)
        return loaded and any(painted) and not getattr(loader, "refitting", ())

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not shown():
        QCoreApplication.processEvents()
        time.sleep(0.002)
    QCoreApplication.processEvents()
    print(resident_mb())
    window.shutdown()
    del app
    return 0


if __name__ == "__main__":
    sys.exit({"rss": lambda: app_rss(sys.argv[2:])}[sys.argv[1]]())
