"""Qt's own messages: known noise is dropped, everything else still reaches stderr."""

from __future__ import annotations

import sys

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

QUIET_QT_MESSAGES = (
    # The offscreen platform has no window manager to tell.
    "This plugin does not support propagateSizeHints()",
    # Qt asks every font of the preview's fallback chain whether it shapes a script; only the
    # font for that script does, and the others say so once per script and family.
    "OpenType support missing for",
    # Under LC_ALL=C (many CI containers) Qt switches its own character encoding to UTF-8 and
    # says so in four lines; the app reads and writes UTF-8 whatever the locale.
    'Detected locale "',
)
# Warnings of libjpeg about the media it decodes ("Corrupt JPEG data: ..."): the preview says
# itself what is wrong with a picture (a cut-short one is refused before decoding).
QUIET_QT_CATEGORIES = ("qt.gui.imageio.jpeg",)


def _qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if context.category in QUIET_QT_CATEGORIES:
        return
    if not message.startswith(QUIET_QT_MESSAGES):
        sys.stderr.write(f"{message}\n")


def quiet_known_qt_noise() -> None:
    """Install the filter; call before the QApplication exists, so its first messages pass it."""
    qInstallMessageHandler(_qt_messages)
