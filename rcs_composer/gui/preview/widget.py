"""PhonePreview: the live phone-style preview widget; it reads the model and nothing else."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from rcs_composer.core.model import Message, TextContent
from rcs_composer.core.variables import substitute
from rcs_composer.gui.images import ImageLoader, ImageState
from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.layout import Fonts, Layout, build_layout
from rcs_composer.gui.preview.painter import Agent, PhonePainter


class PhonePreview(QWidget):
    """Draws the message as Google Messages would; emits the JSONPath of a clicked element."""

    element_clicked = Signal(str)
    repainted = Signal()

    def __init__(self, parent: QWidget | None = None, loader: ImageLoader | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Phone preview")
        self.setAccessibleDescription(
            "How the message looks in Google Messages on an Android phone"
        )
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.fonts = Fonts()
        self.painter = PhonePainter(self.fonts)
        self.loader = loader or ImageLoader(parent=self)
        self.loader.changed.connect(self.update)
        self.agent = Agent()
        self.theme = "light"
        self.width_dp: float = 360
        self.zoom = 1.0
        self.message: Message = Message(content=TextContent(""))
        self.values: Mapping[str, str] = {}
        self.carousel_offset = 0.0
        self.chip_offset = 0.0
        self.layout_: Layout = self._build()

    # ------------------------------------------------------------ inputs

    def set_message(self, message: Message, values: Mapping[str, str] | None = None) -> None:
        self.message = message
        self.values = dict(values or {})
        self._relayout()

    def set_agent(
        self, name: str, brand_color: str, verified: bool, logo: QImage | None = None
    ) -> None:
        self.agent = Agent(name or "Agent", brand_color or "#1A73E8", verified, logo)
        self._relayout()

    def set_theme(self, theme: str) -> None:
        self.theme = "dark" if theme == "dark" else "light"
        self.update()

    def set_device_width(self, width_dp: float) -> None:
        self.width_dp = float(width_dp)
        self._relayout()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = zoom
        self._relayout()

    # ------------------------------------------------------------ layout

    def _build(self) -> Layout:
        shown = substitute(self.message, self.values)
        return build_layout(
            shown,
            self.width_dp,
            self.fonts,
            carousel_offset=self.carousel_offset,
            chip_offset=self.chip_offset,
            brand=self.agent.brand_color,
        )

    def _relayout(self) -> None:
        self.layout_ = self._build()
        for item in self.layout_.items:
            url = item.data.get("url") if item.kind == "media" else None
            if url:
                self.loader.request(url)
        size = self.sizeHint()
        if size != self.size():
            self.setFixedSize(size)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        bezel = 2 * g.PHONE_BEZEL_DP
        return QSize(
            round((self.width_dp + bezel) * self.zoom),
            round((self.layout_.height + bezel) * self.zoom),
        )

    def image_state(self, url: str) -> tuple[str, QImage | None, str]:
        state = self.loader.state(url)
        if state is ImageState.READY:
            return "ready", self.loader.image(url), ""
        if state is ImageState.FAILED:
            return "failed", None, self.loader.failures.get(url, "failed")
        return "loading", None, ""

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.scale(self.zoom, self.zoom)
        clip = QRectF(event.rect()).adjusted(-2, -2, 2, 2)
        clip = QRectF(clip.topLeft() / self.zoom, clip.size() / self.zoom)
        self.painter.paint(
            painter,
            self.layout_,
            theme=self.theme,
            agent=self.agent,
            images=self.image_state,
            clip=clip,
        )
        painter.end()
        self.repainted.emit()

    def render_to_image(self, scale: float = 2.0) -> QImage:
        size = self.sizeHint() / self.zoom * scale
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.scale(scale, scale)
        self.painter.paint(
            painter, self.layout_, theme=self.theme, agent=self.agent, images=self.image_state
        )
        painter.end()
        return image

    # ------------------------------------------------------------ interaction

    def _to_screen(self, pos: QPointF) -> QPointF:
        return QPointF(
            pos.x() / self.zoom - g.PHONE_BEZEL_DP, pos.y() / self.zoom - g.PHONE_BEZEL_DP
        )

    def element_at(self, pos: QPointF) -> str | None:
        """The JSONPath of the message field drawn at ``pos`` (widget coordinates)."""
        point = self._to_screen(pos)
        for item in reversed(self.layout_.items):
            if (
                item.path
                and item.rect.contains(point)
                and (item.clip is None or item.clip.contains(point))
            ):
                return item.path
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        path = self.element_at(event.position())
        if path and event.button() == Qt.MouseButton.LeftButton:
            self.element_clicked.emit(path)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        point = self._to_screen(event.position())
        for index in self.layout_.cut_cards:
            for item in self.layout_.items:
                if (
                    item.kind == "card"
                    and item.rect.contains(point)
                    and item.path
                    and item.path.endswith(f"[{index}]")
                ):
                    QToolTip.showText(
                        event.globalPosition().toPoint(),
                        "This card is taller than devices allow: its content is cut as shown.",
                    )
                    return
        self.setCursor(
            Qt.CursorShape.PointingHandCursor
            if self.element_at(event.position())
            else Qt.CursorShape.ArrowCursor
        )

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        point = self._to_screen(event.position())
        delta = -(event.angleDelta().x() or event.angleDelta().y()) / 2
        for band, extent, attr in (
            (self.layout_.carousel_band, self.layout_.carousel_extent, "carousel_offset"),
            (self.layout_.chip_band, self.layout_.chip_extent, "chip_offset"),
        ):
            if band is not None and band.contains(point):
                visible = self.width_dp - g.MESSAGE_INDENT_DP - g.MESSAGE_RIGHT_DP
                limit = max(0.0, extent - visible)
                setattr(self, attr, min(max(getattr(self, attr) + delta, 0.0), limit))
                self._relayout()
                event.accept()
                return
        event.ignore()

    def scroll_carousel_to(self, index: int) -> None:
        """Bring card ``index`` into view (the editor calls this when a card is selected)."""
        from rcs_composer.core.model import Carousel

        content = self.message.content
        if not isinstance(content, Carousel):
            return
        width = g.CAROUSEL_CARD_WIDTH_DP[content.card_width] + g.CAROUSEL_GAP_DP
        visible = self.width_dp - g.MESSAGE_INDENT_DP - g.MESSAGE_RIGHT_DP
        limit = max(0.0, self.layout_.carousel_extent - visible)
        self.carousel_offset = min(max(index * width - 0.0, 0.0), limit)
        self._relayout()
