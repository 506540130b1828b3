"""Draws a Layout as a Google-Messages-like phone: frame, header, conversation, composer bar."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
)

from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.contrast import ink_on, parse_color, readable_ink
from rcs_composer.gui.preview.icons import draw_icon, draw_verified
from rcs_composer.gui.preview.layout import Fonts, Item, Layout
from rcs_composer.gui.preview.text import TextStyle

ImageLookup = Callable[[str], "tuple[str, QImage | None, str]"]  # url -> (state, image, reason)
DrawnAt = Callable[[str, QSize], None]  # url, the device pixels its media box takes
LEFT_MIDDLE = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


@dataclass
class Agent:
    name: str = "Sandbox Agent"
    brand_color: str = "#0B57D0"
    verified: bool = True
    logo: QImage | None = None

    def key(self) -> tuple[str, str, bool, int]:
        logo = self.logo.cacheKey() if self.logo is not None and not self.logo.isNull() else 0
        return (self.name, self.brand_color, self.verified, logo)


class _Lru(OrderedDict[Hashable, object]):
    """A small bounded cache: while the user types, old texts and pictures fall out.

    At most ``size`` entries and, when ``weigh`` says what an entry takes, ``max_bytes`` in
    all: resizing a fitted phone draws the chrome at a new scale each time, and each of those
    pictures is megabytes.
    """

    def __init__(
        self,
        size: int,
        max_bytes: int | None = None,
        weigh: Callable[[object], int] | None = None,
    ) -> None:
        super().__init__()
        self.size, self.max_bytes, self.weigh = size, max_bytes, weigh
        self.held = 0

    def fetch(self, key: Hashable, make: Callable[[], object]) -> object:
        found = self.get(key)
        if found is None:
            found = self[key] = make()
            self.held += self.weigh(found) if self.weigh else 0
            while len(self) > 1 and (
                len(self) > self.size or (self.max_bytes is not None and self.held > self.max_bytes)
            ):
                _, dropped = self.popitem(last=False)
                self.held -= self.weigh(dropped) if self.weigh else 0
        else:
            self.move_to_end(key)
        return found

    def keep_only(self, wanted: Callable[[Hashable], bool]) -> None:
        """Drop every entry whose key is not ``wanted``."""
        for key in [key for key in self if not wanted(key)]:
            self.held -= self.weigh(self.pop(key)) if self.weigh else 0


PIXMAP_CACHE_BYTES = 48 * 1024 * 1024  # a few phones' chrome and every media crop shown


def _pixmap_bytes(pixmap: object) -> int:
    return pixmap.width() * pixmap.height() * 4 if isinstance(pixmap, QPixmap) else 0


class PhonePainter:
    """Paints from a layout. Text layouts (glyph runs, in Fonts), icons, media crops and the
    phone's chrome are cached between paints, so an edit repaints a ten-card carousel in a
    millisecond or two."""

    def __init__(self, fonts: Fonts) -> None:
        self.fonts = fonts
        self.palette = g.PALETTES["light"]
        self.agent = Agent()
        self.scale = 1.0
        # chrome, media crops, icons, logos at device scale
        self._pixmaps = _Lru(256, PIXMAP_CACHE_BYTES, _pixmap_bytes)

    def paint(
        self,
        painter: QPainter,
        layout: Layout,
        *,
        theme: str,
        agent: Agent,
        images: ImageLookup,
        clip: QRectF | None = None,
        scale: float = 1.0,
        drawn_at: DrawnAt | None = None,
    ) -> None:
        """Draw the phone at (0, 0) in dp; ``scale`` is device pixels per dp, for the caches.

        ``drawn_at(url, pixels)`` is told the device pixels each image of the layout is drawn
        into, on screen or scrolled out of it (ImageLoader.note_drawn: it then holds the image
        at that size)."""
        self.palette, self.agent, self.images = g.PALETTES[theme], agent, images
        scale = round(scale, 3)
        if scale != self.scale:
            # Pictures drawn at another scale are drawn again only if the zoom comes back to
            # it; kept, a phone fitted to a pane being resized would hold one chrome per step.
            self._pixmaps.keep_only(lambda key: isinstance(key, tuple) and key[1] == scale)
            self.scale = scale
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if clip is not None:
            painter.setClipRect(clip)
        self._draw_chrome(painter, layout, theme)
        bezel = g.PHONE_BEZEL_DP
        painter.translate(bezel, bezel)
        conversation = QRectF(
            0, g.STATUS_BAR_DP + g.APP_BAR_DP, layout.width, layout.height - g.COMPOSER_BAR_DP
        )
        painter.setClipRect(conversation, Qt.ClipOperation.IntersectClip)
        for item in layout.items:
            if item.kind == "media" and drawn_at is not None and item.data.get("url"):
                # Cards scrolled out of view too: their images are held at their size.
                drawn_at(item.data["url"], self._device_pixels(item.rect.size()))
            if clip is not None and not item.rect.translated(bezel, bezel).intersects(clip):
                continue
            if item.clip is not None and not item.rect.intersects(item.clip):
                continue
            painter.save()
            if item.clip is not None:
                painter.setClipRect(item.clip, Qt.ClipOperation.IntersectClip)
            getattr(self, f"_draw_{item.kind}")(painter, item)
            painter.restore()
        painter.translate(-bezel, -bezel)
        painter.setClipping(False)

    # ------------------------------------------------------------ caches

    def _device_pixels(self, size: QSizeF) -> QSize:
        return QSize(math.ceil(size.width() * self.scale), math.ceil(size.height() * self.scale))

    def _text(
        self,
        painter: QPainter,
        at: QPointF,
        text: str,
        style: TextStyle,
        color: QColor | str,
        width: float | None = None,
    ) -> None:
        """Draw ``text`` with its layout cached (wrapped at ``width`` when given)."""
        painter.setPen(QColor(color))
        self.fonts.block(style, text, width).draw(painter, at)

    def _line(
        self,
        painter: QPainter,
        rect: QRectF,
        text: str,
        style: TextStyle,
        color: QColor | str,
        align: Qt.AlignmentFlag = LEFT_MIDDLE,
    ) -> None:
        """One line of text, elided to ``rect`` and aligned in it."""
        block = self.fonts.block(style, text, rect.width(), 1)
        x = rect.left()
        if align & Qt.AlignmentFlag.AlignHCenter:
            x = rect.center().x() - block.width / 2
        elif align & Qt.AlignmentFlag.AlignRight:
            x = rect.right() - block.width
        y = (
            rect.top()
            if align & Qt.AlignmentFlag.AlignTop
            else rect.center().y() - block.height / 2
        )
        painter.setPen(QColor(color))
        block.draw(painter, QPointF(x, y))

    def _cached_pixmap(
        self, key: Hashable, size: QSizeF, draw: Callable[[QPainter], None]
    ) -> QPixmap:
        """A transparent pixmap of ``size`` dp at the current scale, drawn once per key."""

        def make() -> QPixmap:
            pixmap = QPixmap(
                max(1, math.ceil(size.width() * self.scale)),
                max(1, math.ceil(size.height() * self.scale)),
            )
            pixmap.setDevicePixelRatio(self.scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            draw(painter)
            painter.end()
            return pixmap

        pixmap = self._pixmaps.fetch((key, self.scale), make)
        assert isinstance(pixmap, QPixmap)
        return pixmap

    def _icon(self, painter: QPainter, name: str, box: QRectF, color: QColor) -> None:
        pixmap = self._cached_pixmap(
            ("icon", name, box.width(), color.rgba()),
            box.size(),
            lambda p: draw_icon(p, name, QRectF(QPointF(0, 0), box.size()), color),
        )
        painter.drawPixmap(box.topLeft(), pixmap)

    # ------------------------------------------------------------ chrome

    def _draw_chrome(self, painter: QPainter, layout: Layout, theme: str) -> None:
        """The frame, then the status and app bars and the composer bar. The bars change only
        with the agent, theme or phone width, so each is drawn once into a pixmap the width
        of the screen; the frame is two rounded rectangles, drawn each time (a pixmap of the
        whole phone was 0.6 MB, most of it the empty screen)."""
        bezel = g.PHONE_BEZEL_DP
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.palette.frame))
        radius = g.PHONE_CORNER_DP + bezel
        outside = QRectF(0, 0, layout.width + 2 * bezel, layout.height + 2 * bezel)
        painter.drawRoundedRect(outside, radius, radius)
        painter.setBrush(QColor(self.palette.surface))
        screen = QRectF(bezel, bezel, layout.width, layout.height)
        painter.drawRoundedRect(screen, g.PHONE_CORNER_DP, g.PHONE_CORNER_DP)
        header = self._cached_pixmap(
            ("header", theme, layout.width, self.agent.key()),
            QSizeF(layout.width, g.STATUS_BAR_DP + g.APP_BAR_DP + 1),  # with its rule
            lambda bar: self._header(bar, layout.width),
        )
        painter.drawPixmap(QPointF(bezel, bezel), header)
        composer_top = layout.height - g.COMPOSER_BAR_DP

        def composer(bar: QPainter) -> None:
            bar.translate(0, -composer_top)
            self._composer(bar, layout)

        size = QSizeF(layout.width, g.COMPOSER_BAR_DP)
        bar = self._cached_pixmap(("composer", theme, layout.width), size, composer)
        painter.drawPixmap(QPointF(bezel, bezel + composer_top), bar)

    def _header(self, painter: QPainter, width: float) -> None:
        palette = self.palette
        on_surface = QColor(palette.on_surface)
        status = QRectF(24, 4, 80, g.STATUS_BAR_DP - 4)
        self._line(painter, status, "9:41", self.fonts.small, on_surface)
        self._status_icons(painter, width, on_surface)
        top = g.STATUS_BAR_DP
        draw_icon(painter, "back", QRectF(14, top + 20, 24, 24), on_surface)
        logo = QRectF(48, top + 12, g.LOGO_DP, g.LOGO_DP)
        self._draw_logo(painter, logo)
        name_rect = QRectF(logo.right() + 12, top + 12, width - 190, 24)
        name = self.fonts.elide(self.fonts.header, self.agent.name, name_rect.width())
        self._line(painter, name_rect, name, self.fonts.header, on_surface)
        if self.agent.verified:
            badge_x = name_rect.left() + self.fonts.width(self.fonts.header, name) + 6
            draw_verified(
                painter, QRectF(badge_x, top + 16, 16, 16), parse_color(self.agent.brand_color)
            )
        self._line(
            painter,
            QRectF(logo.right() + 12, top + 36, width - 170, 16),
            "Verified business" if self.agent.verified else "Business messaging",
            self.fonts.small,
            palette.on_surface_variant,
        )
        draw_icon(painter, "call", QRectF(width - 72, top + 20, 24, 24), on_surface)
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

    def _draw_logo(self, painter: QPainter, rect: QRectF) -> None:
        """The agent's round logo (on white, for transparent logos) or initials on its colour."""
        painter.save()
        path = QPainterPath()
        path.addEllipse(rect)
        logo = self.agent.logo
        if logo is not None and not logo.isNull():
            painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
            painter.fillRect(rect, QColor("#FFFFFF"))
            painter.drawImage(rect, logo, _cover_source(logo, rect))
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(parse_color(self.agent.brand_color))
            painter.drawEllipse(rect)
            initials = "".join(word[0] for word in self.agent.name.split()[:2]).upper() or "?"
            font = self.fonts.title if rect.width() >= 32 else self.fonts.small
            ink = ink_on(self.agent.brand_color)
            self._line(painter, rect, initials, font, ink, CENTER)
        painter.restore()
        painter.setPen(QPen(QColor(self.palette.outline_variant), 0.8))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(rect)

    def _composer(self, painter: QPainter, layout: Layout) -> None:
        palette = self.palette
        muted = QColor(palette.on_surface_variant)
        y = layout.height - g.COMPOSER_BAR_DP + 12
        draw_icon(painter, "plus", QRectF(14, y + 10, 24, 24), muted)
        field = QRectF(48, y, layout.width - 108, 44)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(palette.surface_container))
        painter.drawRoundedRect(field, 22, 22)
        self._line(painter, field.adjusted(18, 0, -40, 0), "RCS message", self.fonts.body, muted)
        draw_icon(painter, "emoji", QRectF(field.right() - 34, y + 11, 22, 22), muted)
        mic = QRectF(layout.width - 52, y + 2, 40, 40)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(palette.surface_container))
        painter.drawEllipse(mic)
        draw_icon(painter, "mic", mic.adjusted(9, 9, -9, -9), QColor(palette.on_surface))

    # ------------------------------------------------------------ items

    def _draw_daystamp(self, painter: QPainter, item: Item) -> None:
        muted = self.palette.on_surface_variant
        self._line(painter, item.rect, item.text, self.fonts.small, muted, CENTER)

    def _draw_timestamp(self, painter: QPainter, item: Item) -> None:
        self._line(painter, item.rect, item.text, self.fonts.small, self.palette.on_surface_variant)

    def _draw_avatar(self, painter: QPainter, item: Item) -> None:
        size = item.rect.size()
        key = ("logo", size.width(), self.agent.key(), self.palette.outline_variant)
        pixmap = self._cached_pixmap(
            key, size + QSizeF(2, 2), lambda p: self._draw_logo(p, QRectF(QPointF(1, 1), size))
        )
        painter.drawPixmap(item.rect.topLeft() - QPointF(1, 1), pixmap)

    def _draw_bubble(self, painter: QPainter, item: Item) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.palette.surface_container))
        painter.drawRoundedRect(item.rect, g.BUBBLE_CORNER_DP, g.BUBBLE_CORNER_DP)

    def _draw_text(self, painter: QPainter, item: Item) -> None:
        rect = item.rect
        body, ink = self.fonts.body, self.palette.on_surface
        self._text(painter, rect.topLeft(), item.text, body, ink, rect.width())

    def _draw_card(self, painter: QPainter, item: Item) -> None:
        painter.setPen(QPen(QColor(self.palette.outline_variant), 1))
        painter.setBrush(QColor(self.palette.surface_container))
        painter.drawRoundedRect(
            item.rect.adjusted(0.5, 0.5, -0.5, -0.5), g.CARD_CORNER_DP, g.CARD_CORNER_DP
        )

    def _draw_cut(self, painter: QPainter, item: Item) -> None:
        """A card the phone cuts: a dashed edge where it ends and a small badge saying so."""
        rect = item.rect
        failed = QColor(self.palette.failed)
        painter.setPen(QPen(failed, 1.0, Qt.PenStyle.DashLine))
        y = rect.bottom() - 4
        painter.drawLine(QPointF(rect.left() + 12, y), QPointF(rect.right() - 12, y))
        label = "✂ Cut on phones"
        width = self.fonts.width(self.fonts.small, label) + 16
        badge = QRectF(rect.right() - width - 8, rect.top() + 8, width, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(self.palette.surface))
        painter.drawRoundedRect(badge, 10, 10)
        self._line(painter, badge, label, self.fonts.small, failed, CENTER)

    def _draw_title(self, painter: QPainter, item: Item) -> None:
        self._card_text(painter, item, self.fonts.title, self.palette.on_surface)

    def _draw_description(self, painter: QPainter, item: Item) -> None:
        self._card_text(painter, item, self.fonts.body, self.palette.on_surface_variant)

    def _card_text(self, painter: QPainter, item: Item, style: TextStyle, color: str) -> None:
        if item.data.get("lines") == 1:  # a right-to-left line starts at the card's right
            block = self.fonts.block(style, item.text, item.rect.width(), 1)
            side = (
                Qt.AlignmentFlag.AlignRight if block.right_to_left else Qt.AlignmentFlag.AlignLeft
            )
            self._line(
                painter, item.rect, item.text, style, color, Qt.AlignmentFlag.AlignTop | side
            )
        else:
            self._text(painter, item.rect.topLeft(), item.text, style, color, item.rect.width())

    def _draw_suggestion(self, painter: QPainter, item: Item) -> None:
        rect = item.rect
        painter.setPen(QPen(QColor(self.palette.outline_variant), 0.8))
        painter.drawLine(QPointF(rect.left(), rect.top()), QPointF(rect.right(), rect.top()))
        brand = readable_ink(item.data.get("brand", ""), self.palette.surface_container)
        icon = item.data.get("icon")
        room = rect.width() - 24 - (26 if icon else 0)
        text = self.fonts.elide(self.fonts.chip, item.text, room)
        total = self.fonts.width(self.fonts.chip, text) + (26 if icon else 0)
        start = rect.center().x() - total / 2
        if icon:
            self._icon(painter, icon, QRectF(start, rect.center().y() - 9, 18, 18), brand)
            start += 26
        label = QRectF(start, rect.top(), rect.right() - start, rect.height())
        self._line(painter, label, text, self.fonts.chip, brand)

    def _draw_chip(self, painter: QPainter, item: Item) -> None:
        rect = item.rect
        painter.setPen(QPen(QColor(self.palette.outline), 1))
        painter.setBrush(QColor(self.palette.surface))
        radius = rect.height() / 2
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
        brand = readable_ink(item.data.get("brand", ""), self.palette.surface)
        x = rect.left() + g.CHIP_PADDING_DP
        icon = item.data.get("icon")
        if icon:
            self._icon(painter, icon, QRectF(x - 4, rect.center().y() - 9, 18, 18), brand)
            x += g.CHIP_ICON_DP + 4
        label = QRectF(x, rect.top(), rect.right() - x, rect.height())
        self._line(painter, label, item.text, self.fonts.chip, brand)

    def _draw_filechip(self, painter: QPainter, item: Item) -> None:
        self._draw_bubble(painter, item)
        rect = item.rect
        muted = QColor(self.palette.on_surface_variant)
        self._icon(painter, "file", QRectF(rect.left() + 14, rect.center().y() - 14, 28, 28), muted)
        label = rect.adjusted(54, 0, -12, 0)
        self._line(painter, label, item.text, self.fonts.body, self.palette.on_surface)

    def _draw_media(self, painter: QPainter, item: Item) -> None:
        rect = item.rect
        side = item.data.get("side", "TOP")
        url = item.data.get("url")
        state, image, reason = self.images(url) if url else ("failed", None, "no file URL")
        if image is not None and not image.isNull():
            key = ("media", image.cacheKey(), rect.width(), rect.height(), side)
            origin = QRectF(QPointF(0, 0), rect.size())
            pixmap = self._cached_pixmap(
                key, rect.size(), lambda p: _draw_cover(p, image, origin, side)
            )
            painter.drawPixmap(rect.topLeft(), pixmap)
            return
        painter.setClipPath(_media_path(rect, side), Qt.ClipOperation.IntersectClip)
        painter.fillRect(rect, QColor(self.palette.placeholder))
        muted = QColor(self.palette.on_surface_variant)
        size = min(32.0, rect.height() * 0.4)
        icon = QRectF(rect.center().x() - size / 2, rect.center().y() - size / 2 - 8, size, size)
        self._icon(painter, "image", icon, muted)
        note = QRectF(rect.left() + 8, icon.bottom() + 4, rect.width() - 16, 18)
        if state == "failed":  # a clear badge in the error colour, with the reason
            text = self.fonts.elide(self.fonts.small, f"⚠ {reason}", rect.width() - 40)
            width = self.fonts.width(self.fonts.small, text) + 20
            badge = QRectF(rect.center().x() - width / 2, note.top(), width, 22)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(self.palette.failed))
            painter.drawRoundedRect(badge, 11, 11)
            self._line(painter, badge, text, self.fonts.small, self.palette.surface, CENTER)
        elif state == "loading":
            self._line(painter, note, "Loading…", self.fonts.small, muted, CENTER)


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


def _draw_cover(painter: QPainter, image: QImage, rect: QRectF, side: str) -> None:
    painter.setClipPath(_media_path(rect, side))
    painter.drawImage(rect, image, _cover_source(image, rect))


def _cover_source(image: QImage, target: QRectF) -> QRectF:
    """The centred part of ``image`` that fills ``target`` without distortion (CSS 'cover')."""
    scale = max(target.width() / image.width(), target.height() / image.height())
    width, height = target.width() / scale, target.height() / scale
    return QRectF((image.width() - width) / 2, (image.height() - height) / 2, width, height)
