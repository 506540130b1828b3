"""Draws a Layout as a Google-Messages-like phone: frame, header, conversation, composer bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.icons import draw_icon, draw_verified
from rcs_composer.gui.preview.layout import WRAP, Fonts, Item, Layout

ImageLookup = Callable[[str], "tuple[str, QImage | None, str]"]  # url -> (state, image, reason)


@dataclass
class Agent:
    name: str = "Sandbox Agent"
    brand_color: str = "#0B57D0"
    verified: bool = True
    logo: QImage | None = None


def _color(value: str, fallback: str = "#1A73E8") -> QColor:
    color = QColor(value)
    return color if color.isValid() else QColor(fallback)


class PhonePainter:
    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts

    def paint(
        self,
        painter: QPainter,
        layout: Layout,
        *,
        theme: str,
        agent: Agent,
        images: ImageLookup,
        clip: QRectF | None = None,
    ) -> None:
        palette = g.PALETTES[theme]
        self.palette, self.agent, self.images = palette, agent, images
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        bezel = g.PHONE_BEZEL_DP
        frame = QRectF(0, 0, layout.width + 2 * bezel, layout.height + 2 * bezel)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(palette.frame))
        painter.drawRoundedRect(frame, g.PHONE_CORNER_DP + bezel, g.PHONE_CORNER_DP + bezel)
        painter.translate(bezel, bezel)
        screen = QRectF(0, 0, layout.width, layout.height)
        screen_path = QPainterPath()
        screen_path.addRoundedRect(screen, g.PHONE_CORNER_DP, g.PHONE_CORNER_DP)
        painter.setClipPath(screen_path)
        painter.fillRect(screen, QColor(palette.surface))
        self._header(painter, layout.width)
        for item in layout.items:
            if clip is not None and not item.rect.translated(bezel, bezel).intersects(clip):
                continue
            if item.clip is not None and not item.rect.intersects(item.clip):
                continue
            painter.save()
            if item.clip is not None:
                painter.setClipRect(item.clip, Qt.ClipOperation.IntersectClip)
            getattr(self, f"_draw_{item.kind}")(painter, item)
            painter.restore()
        self._composer(painter, layout)
        painter.setClipping(False)

    # ------------------------------------------------------------ chrome

    def _header(self, painter: QPainter, width: float) -> None:
        palette = self.palette
        on_surface = QColor(palette.on_surface)
        painter.setFont(self.fonts.small)
        painter.setPen(on_surface)
        painter.drawText(
            QRectF(24, 4, 80, g.STATUS_BAR_DP - 4), int(Qt.AlignmentFlag.AlignVCenter), "9:41"
        )
        self._status_icons(painter, width, on_surface)
        top = g.STATUS_BAR_DP
        draw_icon(painter, "back", QRectF(14, top + 20, 24, 24), on_surface)
        logo = QRectF(48, top + 12, g.LOGO_DP, g.LOGO_DP)
        self._logo(painter, logo)
        painter.setFont(self.fonts.header)
        painter.setPen(on_surface)
        name = self.fonts.elide(self.fonts.header, self.agent.name, width - 170)
        name_rect = QRectF(logo.right() + 12, top + 12, width - 170, 24)
        painter.drawText(
            name_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name
        )
        if self.agent.verified:
            badge_x = name_rect.left() + self.fonts.width(self.fonts.header, name) + 6
            draw_verified(
                painter, QRectF(badge_x, top + 16, 16, 16), _color(self.agent.brand_color)
            )
        painter.setFont(self.fonts.small)
        painter.setPen(QColor(palette.on_surface_variant))
        painter.drawText(
            QRectF(logo.right() + 12, top + 34, width - 170, 18),
            int(Qt.AlignmentFlag.AlignLeft),
            "Verified business" if self.agent.verified else "Business messaging",
        )
        draw_icon(painter, "more", QRectF(width - 36, top + 20, 24, 24), on_surface)
        painter.setPen(QPen(QColor(palette.outline_variant), 0.5))
        painter.drawLine(QPointF(0, top + g.APP_BAR_DP), QPointF(width, top + g.APP_BAR_DP))

    @staticmethod
    def _status_icons(painter: QPainter, width: float, color: QColor) -> None:
        """Signal bars, a wifi wedge and a battery, as on an Android status bar."""
        painter.save()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        battery = QRectF(width - 34, 10, 16, 9)
        painter.drawRoundedRect(battery, 2, 2)
        painter.drawRect(QRectF(battery.right(), 12.5, 1.6, 4))
        wifi = QPainterPath()
        wifi.moveTo(width - 47, 19)
        wifi.arcTo(QRectF(width - 56, 10, 18, 18), 50, 80)
        wifi.closeSubpath()
        painter.drawPath(wifi)
        signal = QPainterPath()
        signal.moveTo(width - 72, 19)
        signal.lineTo(width - 61, 19)
        signal.lineTo(width - 61, 9)
        signal.closeSubpath()
        painter.drawPath(signal)
        painter.restore()

    def _logo(self, painter: QPainter, rect: QRectF) -> None:
        painter.save()
        path = QPainterPath()
        path.addEllipse(rect)
        if self.agent.logo is not None and not self.agent.logo.isNull():
            painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
            painter.fillRect(rect, QColor("#FFFFFF"))  # transparent logos need a white backing
            painter.drawImage(rect, self.agent.logo)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(_color(self.agent.brand_color))
            painter.drawEllipse(rect)
            painter.setPen(QColor("#FFFFFF"))
            painter.setFont(self.fonts.title)
            initials = "".join(word[0] for word in self.agent.name.split()[:2]).upper() or "?"
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), initials)
        painter.restore()
        painter.setPen(QPen(QColor(self.palette.outline_variant), 0.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)

    def _composer(self, painter: QPainter, layout: Layout) -> None:
        palette = self.palette
        y = layout.height - g.COMPOSER_BAR_DP + 12
        field = QRectF(12, y, layout.width - 24, 44)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(palette.surface_container))
        painter.drawRoundedRect(field, 22, 22)
        painter.setPen(QColor(palette.on_surface_variant))
        painter.setFont(self.fonts.body)
        painter.drawText(
            field.adjusted(20, 0, 0, 0), int(Qt.AlignmentFlag.AlignVCenter), "RCS message"
        )

    # ------------------------------------------------------------ items

    def _draw_daystamp(self, painter: QPainter, item: Item) -> None:
        painter.setFont(self.fonts.small)
        painter.setPen(QColor(self.palette.on_surface_variant))
        painter.drawText(item.rect, int(Qt.AlignmentFlag.AlignCenter), item.text)

    _draw_timestamp_align = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def _draw_timestamp(self, painter: QPainter, item: Item) -> None:
        painter.setFont(self.fonts.small)
        painter.setPen(QColor(self.palette.on_surface_variant))
        painter.drawText(item.rect, self._draw_timestamp_align, item.text)

    def _draw_avatar(self, painter: QPainter, item: Item) -> None:
        self._logo(painter, item.rect)

    def _draw_bubble(self, painter: QPainter, item: Item) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.palette.surface_container))
        painter.drawRoundedRect(item.rect, g.BUBBLE_CORNER_DP, g.BUBBLE_CORNER_DP)

    def _draw_text(self, painter: QPainter, item: Item) -> None:
        painter.setFont(self.fonts.body)
        painter.setPen(QColor(self.palette.on_surface))
        painter.drawText(item.rect, WRAP, item.text)

    def _draw_card(self, painter: QPainter, item: Item) -> None:
        painter.setPen(QPen(QColor(self.palette.outline_variant), 1))
        painter.setBrush(QColor(self.palette.surface_container))
        painter.drawRoundedRect(
            item.rect.adjusted(0.5, 0.5, -0.5, -0.5), g.CARD_CORNER_DP, g.CARD_CORNER_DP
        )

    def _draw_cut(self, painter: QPainter, item: Item) -> None:
        pen = QPen(QColor(self.palette.failed), 1.2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        y = item.rect.top()
        painter.drawLine(QPointF(item.rect.left() + 12, y), QPointF(item.rect.right() - 12, y))

    def _draw_title(self, painter: QPainter, item: Item) -> None:
        self._card_text(painter, item, self.fonts.title, self.palette.on_surface)

    def _draw_description(self, painter: QPainter, item: Item) -> None:
        self._card_text(painter, item, self.fonts.body, self.palette.on_surface_variant)

    def _card_text(self, painter: QPainter, item: Item, font: object, color: str) -> None:
        painter.setFont(font)  # type: ignore[arg-type]
        painter.setPen(QColor(color))
        text = item.text
        if item.data.get("lines") == 1:
            text = self.fonts.elide(font, text, item.rect.width())  # type: ignore[arg-type]
        painter.drawText(item.rect, WRAP, text)

    def _draw_suggestion(self, painter: QPainter, item: Item) -> None:
        rect = item.rect
        painter.setPen(QPen(QColor(self.palette.outline_variant), 0.8))
        painter.drawLine(QPointF(rect.left(), rect.top()), QPointF(rect.right(), rect.top()))
        brand = _color(item.data.get("brand", ""))
        painter.setFont(self.fonts.chip)
        painter.setPen(brand)
        label_width = self.fonts.width(self.fonts.chip, item.text)
        icon = item.data.get("icon")
        total = label_width + (26 if icon else 0)
        start = rect.center().x() - min(total, rect.width() - 24) / 2
        if icon:
            draw_icon(painter, icon, QRectF(start, rect.center().y() - 9, 18, 18), brand)
            start += 26
        text = self.fonts.elide(self.fonts.chip, item.text, rect.width() - 24 - (26 if icon else 0))
        painter.drawText(
            QRectF(start, rect.top(), rect.right() - start, rect.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text,
        )

    def _draw_chip(self, painter: QPainter, item: Item) -> None:
        rect = item.rect
        painter.setPen(QPen(QColor(self.palette.outline), 1))
        painter.setBrush(QColor(self.palette.surface))
        painter.drawRoundedRect(
            rect.adjusted(0.5, 0.5, -0.5, -0.5), rect.height() / 2, rect.height() / 2
        )
        brand = _color(item.data.get("brand", ""))
        x = rect.left() + g.CHIP_PADDING_DP
        if item.data.get("icon"):
            draw_icon(
                painter, item.data["icon"], QRectF(x - 4, rect.center().y() - 9, 18, 18), brand
            )
            x += g.CHIP_ICON_DP + 4
        painter.setFont(self.fonts.chip)
        painter.setPen(brand)
        painter.drawText(
            QRectF(x, rect.top(), rect.right() - x, rect.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            item.text,
        )

    def _draw_filechip(self, painter: QPainter, item: Item) -> None:
        self._draw_bubble(painter, item)
        draw_icon(
            painter,
            "file",
            QRectF(item.rect.left() + 14, item.rect.center().y() - 14, 28, 28),
            QColor(self.palette.on_surface_variant),
        )
        painter.setFont(self.fonts.body)
        painter.setPen(QColor(self.palette.on_surface))
        label = self.fonts.elide(self.fonts.body, item.text, item.rect.width() - 64)
        painter.drawText(
            item.rect.adjusted(54, 0, -8, 0), int(Qt.AlignmentFlag.AlignVCenter), label
        )

    def _draw_media(self, painter: QPainter, item: Item) -> None:
        rect = item.rect
        path = _media_path(rect, item.data.get("side", "TOP"))
        painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
        url = item.data.get("url")
        state, image, reason = self.images(url) if url else ("none", None, "no file URL")
        if image is not None and not image.isNull():
            painter.drawImage(rect, image, _cover_source(image, rect))
            return
        painter.fillRect(rect, QColor(self.palette.placeholder))
        muted = QColor(self.palette.on_surface_variant)
        size = min(32.0, rect.height() * 0.4)
        draw_icon(
            painter,
            "image",
            QRectF(rect.center().x() - size / 2, rect.center().y() - size / 2 - 6, size, size),
            muted,
        )
        if state in ("failed", "none"):
            painter.setFont(self.fonts.small)
            painter.setPen(QColor(self.palette.failed))
            text = self.fonts.elide(self.fonts.small, f"⚠ {reason}", rect.width() - 16)
            painter.drawText(
                QRectF(rect.left() + 8, rect.center().y() + size / 2, rect.width() - 16, 18),
                int(Qt.AlignmentFlag.AlignCenter),
                text,
            )


def _media_path(rect: QRectF, side: str) -> QPainterPath:
    """The media's shape: rounded on the corners it shares with its card."""
    radius = g.CARD_CORNER_DP
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    squares = QPainterPath()
    if side == "TOP":
        squares.addRect(rect.adjusted(0, radius, 0, 0))
    elif side == "LEFT":
        squares.addRect(rect.adjusted(radius, 0, 0, 0))
    elif side == "RIGHT":
        squares.addRect(rect.adjusted(0, 0, -radius, 0))
    return path.united(squares) if side != "ALL" else path


def _cover_source(image: QImage, target: QRectF) -> QRectF:
    """The centred part of ``image`` that fills ``target`` without distortion (CSS 'cover')."""
    scale = max(target.width() / image.width(), target.height() / image.height())
    width, height = target.width() / scale, target.height() / scale
    return QRectF((image.width() - width) / 2, (image.height() - height) / 2, width, height)
