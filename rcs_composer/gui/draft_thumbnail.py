"""A small picture of a draft as the phone shows it, for prompts that ask about a draft."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap

from rcs_composer.core.model import Draft
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.preview.widget import PhonePreview

THUMBNAIL_WIDTH = 180  # pixels: the prompt's picture beside its text


def preview_thumbnail(draft: Draft, images: ImageLoader | None = None) -> QPixmap:
    """The draft's preview (with its sample values), scaled to ``THUMBNAIL_WIDTH``."""
    preview = PhonePreview(loader=images)
    preview.set_message(draft.message, draft.variables)
    image = preview.render_to_image(1.0)
    preview.deleteLater()
    return QPixmap.fromImage(
        image.scaledToWidth(THUMBNAIL_WIDTH, Qt.TransformationMode.SmoothTransformation)
    )
