"""A contact sheet: the previews of several rows on one PNG page, for people without the app."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from rcs_composer.core.model import Message
from rcs_composer.gui.preview.widget import PhonePreview

ROWS_PER_SHEET = 12  # 4 across, 3 down: legible on one printed page
ACROSS = 4
CAPTION_PX = 28
GAP_PX = 16
SCALE = 1.0  # image pixels per dp: a 360 dp phone is 360 px wide, twelve fit a page


def image_urls(
    preview: PhonePreview, message: Message, rows: Sequence[tuple[int, Mapping[str, str]]]
) -> set[str]:
    """The images the rows' previews draw, each requested from ``preview``'s loader."""
    urls: set[str] = set()
    probe = PhonePreview(loader=preview.loader)
    probe.set_device_width(preview.width_dp)
    for _number, values in rows:
        probe.set_message(message, values)  # a layout requests its images
        for item in probe.layout_.items:
            url = item.data.get("url") if item.kind == "media" else None
            if url:
                urls.add(url)
    probe.deleteLater()
    return urls


def contact_sheet(
    preview: PhonePreview,
    message: Message,
    rows: Sequence[tuple[int, Mapping[str, str]]],
    title: str,
) -> QImage:
    """The phones of ``rows`` (row number, values) drawn with ``preview``'s agent, theme and
    width, each captioned with its row, ``ACROSS`` to a line."""
    sheet_preview = PhonePreview(loader=preview.loader)
    sheet_preview.agent = preview.agent
    sheet_preview.set_theme(preview.theme)
    sheet_preview.set_device_width(preview.width_dp)
    images: list[tuple[int, QImage]] = []
    for number, values in rows:
        sheet_preview.set_message(message, values)
        images.append((number, sheet_preview.render_to_image(SCALE)))
    sheet_preview.deleteLater()
    cell_width = max((image.width() for _n, image in images), default=1)
    cell_height = max((image.height() for _n, image in images), default=1) + CAPTION_PX
    across = min(ACROSS, max(len(images), 1))
    down = (len(images) + across - 1) // across
    width = across * cell_width + (across + 1) * GAP_PX
    height = CAPTION_PX + down * cell_height + (down + 1) * GAP_PX
    sheet = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    sheet.fill(QColor("#FFFFFF"))
    painter = QPainter(sheet)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(15)
    painter.setFont(font)
    painter.setPen(QColor("#1D1B20"))
    painter.drawText(
        QRectF(GAP_PX, 0, width - 2 * GAP_PX, CAPTION_PX + GAP_PX),
        int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
        title,
    )
    for index, (number, image) in enumerate(images):
        column, line = index % across, index // across
        x = GAP_PX + column * (cell_width + GAP_PX)
        y = CAPTION_PX + GAP_PX + line * (cell_height + GAP_PX)
        painter.drawText(
            QRectF(x, y, cell_width, CAPTION_PX),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignHCenter),
            f"Row {number}",
        )
        painter.drawImage(x, y + CAPTION_PX, image)
    painter.end()
    return sheet


def png_bytes(image: QImage) -> bytes:
    """The image as PNG data, in memory (the file is written off the GUI thread)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # PySide takes the name as str
    buffer.close()
    return bytes(data.data())
