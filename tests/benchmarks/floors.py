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
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QMainWindow, QWidget

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
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QComboBox, QLabel, QSplitter, QToolBar, QWidget

    add_bundled_fonts()
    for title in ("&File", "&Edit", "&Message", "&View", "&Help"):
        window.menuBar().addMenu(title)
    toolbar = QToolBar(window)
    toolbar.addWidget(QLabel(" Profile "))
    toolbar.addWidget(QComboBox())
    window.addToolBar(toolbar)
    columns = QSplitter(Qt.Orientation.Horizontal)
    columns.addWidget(QWidget())
    columns.addWidget(phone([]))
    window.setCentralWidget(columns)
    window.statusBar().addPermanentWidget(QLabel("Sends go to: sandbox"))


def add_bundled_fonts() -> None:
    from PySide6.QtGui import QFontDatabase

    fonts = Path(__file__).resolve().parents[2] / "resources" / "fonts"
    for face in sorted(fonts.glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(face))


def phone(pictures: list[QImage]) -> QWidget:
    """A phone outline with six lines of text in the bundled Roboto, each picture at its size."""
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
    from PySide6.QtWidgets import QWidget

    class Phone(QWidget):
        painted = False

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
            for index, picture in enumerate(pictures):
                painter.drawImage(40 + 12 * index, 320, picture)
            painter.end()
            self.painted = True

    return Phone()


def frame_rss(census_path: str) -> int:
    """A reference, not a floor: the memory any PySide6 program needs for the window the app's
    memory child measured. Its census (children.py) names the widgets the app made, its menus
    and its pictures; this builds the same widget classes in the same numbers, with the bundled
    fonts, and fetches each picture with the standard library and decodes it at the size the
    app holds it. None of the app's code. Prints the resident set in MB."""
    import json
    import urllib.request

    from PySide6 import QtWidgets
    from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QSize, Qt
    from PySide6.QtGui import QImageReader
    from PySide6.QtWidgets import (
        QApplication,
        QComboBox,
        QLabel,
        QLineEdit,
        QMainWindow,
        QScrollArea,
        QSplitter,
        QVBoxLayout,
        QWidget,
    )

    census = json.loads(Path(census_path).read_text(encoding="utf-8"))
    app = QApplication(sys.argv[:1])
    add_bundled_fonts()
    pictures = []
    for url, width, height in census["pictures"]:
        with urllib.request.urlopen(url, timeout=30) as response:
            data = QByteArray(response.read())
        buffer = QBuffer(data)
        reader = QImageReader(buffer)
        reader.setScaledSize(QSize(width, height))
        picture = reader.read()
        if picture.isNull():
            raise RuntimeError(f"{url}: {reader.errorString()}")
        pictures.append(picture)
    window = QMainWindow()
    window.resize(*WINDOW_SIZE)
    for index, entries in enumerate(census["menus"]):
        menu = window.menuBar().addMenu(f"Menu {index}")
        for entry in range(entries):
            menu.addAction(f"Entry {entry}")
    form = QWidget()
    rows = QVBoxLayout(form)
    for name, shown, count in census["widgets"]:
        if name == "QMainWindow":
            continue
        for _ in range(count):
            made = getattr(QtWidgets, name, QWidget)
            widget = made() if not made.__name__.startswith("QAbstract") else QWidget()
            if isinstance(widget, QComboBox):
                widget.addItems(["One", "Two", "Three"])
            elif isinstance(widget, (QLabel, QLineEdit)):
                widget.setText("Some words")
            rows.addWidget(widget)
            widget.setVisible(shown)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(form)
    columns = QSplitter(Qt.Orientation.Horizontal)
    columns.addWidget(scroll)
    shown_phone = phone(pictures)
    columns.addWidget(shown_phone)
    window.setCentralWidget(columns)
    window.show()
    for _ in range(200):
        QCoreApplication.processEvents()
        if getattr(shown_phone, "painted", False):
            break
    QCoreApplication.processEvents()
    print(resident_mb())
    del app
    return 0


def bare_window_rss() -> int:
    """The memory floor: a plain QMainWindow shown; prints its resident set in MB.

    ``rss --frame CENSUS`` is the reference instead (frame_rss)."""
    if "--frame" in sys.argv:
        return frame_rss(sys.argv[sys.argv.index("--frame") + 1])
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
