"""Text from outside the app shown as it is, never as markup.

Qt shows a label, tooltip or message box whose text looks like markup (it starts with a tag)
as rich text. A template name or error from a server, or a file's name, would then draw
headings, colours and links the app never wrote, so every such text goes through here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel


def plain_text(text: str) -> str:
    """``text`` for a tooltip or message box: escaped and kept as written when Qt would take
    it for markup; left as it is otherwise."""
    if not text or not GuiQt.mightBeRichText(text):
        return text
    from html import escape  # only for text that needs it: start-up does not pay for it

    return f"<p style='white-space:pre-wrap'>{escape(text, quote=False)}</p>"


def plain_label(label: QLabel) -> QLabel:
    """``label`` set to show its text as it is, never as markup."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
