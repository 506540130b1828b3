"""Programs the benchmarks run in a fresh process (``python children.py rss URL``).

Only the app and PySide6 are imported here: the measured process holds what the app loads and
nothing the benchmark itself needs (no Pillow, no test image server).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.floors import WINDOW_SIZE, resident_mb
from tests.benchmarks.messages import carousel

if TYPE_CHECKING:
    from rcs_composer.gui.main_window import MainWindow

CENSUS_FLAG = "--census"


def app_rss(arguments: list[str]) -> int:
    """The app with the 10-card carousel open and its images loaded; prints its resident MB.

    One URL is every card's picture; ten are one each (run.py's photos). ``--census FILE``
    first writes, after the figure is taken, what the window holds, for floors.py's reference.
    """
    census_path = None
    if CENSUS_FLAG in arguments:
        at = arguments.index(CENSUS_FLAG)
        census_path, arguments = arguments[at + 1], arguments[:at] + arguments[at + 2 :]
    urls = arguments
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
    if census_path:
        Path(census_path).write_text(json.dumps(census(window, urls)), encoding="utf-8")
    window.shutdown()
    del app
    return 0


def census(window: MainWindow, urls: list[str]) -> dict[str, object]:
    """What a plain PySide6 program must build to show the same window (floors.py's reference).

    The widgets the app made (not the scroll bars, popups and viewports Qt adds to them), by
    their Qt class and whether they show; each menu's number of entries; each picture's URL and
    the size it is held at."""
    from collections import Counter

    import shiboken6
    from PySide6.QtWidgets import QApplication

    made: Counter[tuple[str, bool]] = Counter()
    for widget in QApplication.allWidgets():
        if shiboken6.createdByPython(widget):
            qt_class = next(k for k in type(widget).__mro__ if k.__module__.startswith("PySide6"))
            made[(qt_class.__name__, widget.isVisible())] += 1
    loader = window.preview_pane.preview.loader
    pictures = [
        (url, loader.images[url].size().toTuple())
        for url in dict.fromkeys(urls)
        if url in loader.images
    ]
    return {
        "widgets": [[name, shown, count] for (name, shown), count in sorted(made.items())],
        "menus": [len(action.menu().actions()) for action in window.menuBar().actions()],
        "pictures": [[url, *size] for url, size in pictures],
    }


if __name__ == "__main__":
    sys.exit({"rss": lambda: app_rss(sys.argv[2:])}[sys.argv[1]]())
