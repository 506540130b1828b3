"""Bare-Qt and bare-Python reference programs the benchmarks compare rcs-composer against.

Each runs as a script in a fresh process (``python floors.py startup|rss|render OUT.png``), so
it pays the same interpreter and PySide6 start-up as the app and nothing else.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

# The floors' window, and the memory child's: a window's backing store grows with its area
# (1.3 MB between this size and the 800 x 720 the app takes on the offscreen screen), so both
# sides of the memory figure show the same number of pixels.
WINDOW_SIZE = (1280, 720)


def bare_window_exit_after_show() -> int:
    """The start-up floor: a plain QMainWindow that shows, paints once and exits."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    # The size the app's window opens at (90% of the screen, at least 800 x 600, within it):
    # the same pixels to paint on both sides of the start-up figure.
    screen = app.primaryScreen().availableGeometry().size()
    window.resize(
        min(max(800, round(screen.width() * 0.9)), max(screen.width(), 800)),
        min(max(600, round(screen.height() * 0.9)), max(screen.height(), 600)),
    )

    class FirstPaint(QObject):
        """Leaves the loop once this paint is done, as the app's --exit-after-show does."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QCoreApplication.exit(0)
            return False

    if "--frame" in sys.argv:
        build_frame(window)
    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    code = app.exec()
    if "--say-painted" in sys.argv:
        print("painted", flush=True)  # tests/benchmarks/run.py times this line
    return int(code)


def build_frame(window: QMainWindow) -> None:
    """A reference, not a floor: what any window pays to draw a frame like the app's first
    paint in plain PySide6 (the bundled fonts, five menu titles, a toolbar with a box, a
    splitter, a phone outline with six lines of text). None of the app's code."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QPainter, QPaintEvent, QPen
    from PySide6.QtWidgets import QComboBox, QLabel, QSplitter, QToolBar, QWidget

    fonts = Path(__file__).resolve().parents[2] / "resources" / "fonts"
    for face in sorted(fonts.glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(face))

    class Phone(QWidget):
        def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(QColor("#202124"), 8))
            painter.setBrush(QColor("#FFFFFF"))
            painter.drawRoundedRect(QRectF(20, 20, 260, 520), 30, 30)
            font = QFont()
            font.setFamilies(["RCS Roboto"])
            font.setPixelSize(14)
            painter.setFont(font)
            lines = ("Sandbox Agent", "Today", "Diwali offers", "Up to 40% off", "Interested")
            for index, text in enumerate((*lines, "Shop now")):
                box = QRectF(40, 60 + 40 * index, 220, 30)
                painter.drawText(box, Qt.AlignmentFlag.AlignLeft, text)
            painter.end()

    for title in ("&File", "&Edit", "&Message", "&View", "&Help"):
        window.menuBar().addMenu(title)
    toolbar = QToolBar(window)
    toolbar.addWidget(QLabel(" Profile "))
    toolbar.addWidget(QComboBox())
    window.addToolBar(toolbar)
    columns = QSplitter(Qt.Orientation.Horizontal)
    columns.addWidget(QWidget())
    columns.addWidget(Phone())
    window.setCentralWidget(columns)
    window.statusBar().addPermanentWidget(QLabel("Sends go to: sandbox"))


def bare_window_rss() -> int:
    """The memory floor: a plain QMainWindow shown; prints its resident set in MB."""
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    window.show()
    app.processEvents()
    print(resident_mb())
    return 0


def bare_render(out_path: str) -> int:
    """The render floor: a QGuiApplication draws one line of text into an image, saves a PNG."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

    app = QGuiApplication(sys.argv[:1])
    image = QImage(760, 400, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.drawText(
        QRectF(40, 40, 680, 320),
        Qt.TextFlag.TextWordWrap,
        "Diwali sale: 20% off every box of sweets until Sunday.",
    )
    painter.end()
    saved = image.save(out_path)
    del app
    return 0 if saved else 1


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    programs = {
        "startup": bare_window_exit_after_show,
        "rss": bare_window_rss,
        "render": lambda: bare_render(sys.argv[2]),
    }
    sys.exit(programs[sys.argv[1]]())
