"""Starts the desktop app: QApplication, the main window, and the first-paint exit for timing."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QSettings,
    QTimer,
)
from PySide6.QtWidgets import QApplication

from rcs_composer import APP_NAME, __version__
from rcs_composer.gui.preview.fonts import register_bundled_fonts
from rcs_composer.gui.qt_messages import quiet_known_qt_noise
from rcs_composer.gui.tasks import set_error_sink
from rcs_composer.gui.theme import follow_color_scheme


class _FirstPaint(QObject):
    """Quits the app once the watched window has painted (``--exit-after-show``)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QCoreApplication.exit(0)  # leave the loop now: post-paint work is not start-up
        return False


def configure_settings() -> None:
    """Window state lives in QSettings; RCS_COMPOSER_CONFIG_DIR moves it (tests, portable use)."""
    folder = os.environ.get("RCS_COMPOSER_CONFIG_DIR")
    if folder:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    configure_settings()
    quiet_known_qt_noise()
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName("RCS Composer")
    app.setDesktopFileName("io.github.rcs_composer")
    register_bundled_fonts()  # the preview draws only with the fonts it ships
    follow_color_scheme(app)
    return app


def _report_unexpected(kind: type[BaseException], error: BaseException, trace: object) -> None:
    """An unexpected error is logged (secrets redacted) and explained; the window stays open."""
    import logging

    logging.getLogger("rcs_composer").error("unexpected error", exc_info=(kind, error, trace))  # type: ignore[arg-type]
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(
        None,
        "Something went wrong",
        f"{kind.__name__}: the last action did not complete. Your draft is kept "
        "(autosave). Details are in the log: View > Show log folder.",
    )


def report_unexpected_error(error: BaseException) -> None:
    """The error sink of the app's task runners: a broken callback is reported like any
    other unexpected error."""
    _report_unexpected(type(error), error, error.__traceback__)


def run_app(*, exit_after_show: bool = False, started: Callable[[], None] | None = None) -> int:
    """Open the main window and run until it closes; ``started`` is called once the event loop
    runs with the window shown and its parts built."""
    app = make_application()
    sys.excepthook = _report_unexpected
    set_error_sink(report_unexpected_error)
    from rcs_composer.gui.main_window import MainWindow

    window = MainWindow.create_default()
    watcher = _FirstPaint()
    if exit_after_show:
        window.installEventFilter(watcher)
    window.show()
    if started is not None:  # once the window is whole: its parts come after the first paint
        window.parts_built.connect(lambda: QTimer.singleShot(0, started))
    code = app.exec()
    window.shutdown()
    return int(code)
