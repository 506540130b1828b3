"""PhonePreview: the live phone-style preview widget; it reads the model and nothing else."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QRegion,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from rcs_composer.core import model as m
from rcs_composer.core.variables import substitute
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.layout import CARDS, Fonts, Item, Layout, LayoutCache, build_layout
from rcs_composer.gui.preview.painter import Agent, PhonePainter

DRAG_START_PX = 4  # a press that moves less than this is a click, not a drag
CARROUSEL, CHIPS = "carousel_offset", "chip_offset"
CUT_TIP = (
    "This card is taller than phones allow: they cut it as shown (description, then title to "
    "one line, then suggestions from the end)."
)


def reveal(start: float, length: float, shown: float, room: float) -> float:
    """Where a view ``room`` long, now at ``shown``, must move to show [start, start + length).

    It moves as little as it can: not at all when the span already shows whole; to the span's
    start when the span is longer than the view. The caller clamps the result to its ends.
    """
    if start < shown or length >= room:
        return start
    if start + length > shown + room:
        return start + length - room
    return shown


class PhonePreview(QWidget):
    """Draws the message as Google Messages would; emits the JSONPath of a clicked element.

    One paintEvent draws from a cached layout; an edit relayouts (text heights are cached) and
    repaints only the boxes that changed.
    """

    element_clicked = Signal(str)
    repainted = Signal()
    size_changed = Signal()  # the phone grew or shrank (content, width or zoom)

    def __init__(self, parent: QWidget | None = None, loader: ImageLoader | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Phone preview")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # arrow keys scroll the carousel
        self.setMouseTracking(True)
        self.fonts = Fonts()
        self.layout_cache = LayoutCache()  # the cards an edit did not change keep their boxes
        self.painter = PhonePainter(self.fonts)
        self.loader = loader or ImageLoader(parent=self)
        self.loader.changed.connect(self.update)
        self.agent = Agent()
        self.theme = "light"
        self.width_dp: float = 360
        self.zoom = 1.0
        self.message: m.Message = m.Message(content=m.TextContent(""))
        self.values: Mapping[str, str] = {}
        self.row_values: Mapping[str, str] = {}  # a rows file's row, over the sample values
        self.carousel_offset = 0.0
        self.chip_offset = 0.0
        self._press: QPointF | None = None
        self._dragging: str | None = None  # the offset a drag is scrolling
        self._described: tuple[object, ...] = ()  # what the accessible description says
        self.layout_: Layout = self._build()
        self._describe()

    # ------------------------------------------------------------ inputs

    def set_message(self, message: m.Message, values: Mapping[str, str] | None = None) -> None:
        """Show ``message`` with its ``{{variables}}`` replaced by ``values``."""
        self.message = message
        self.values = dict(values or {})
        self._relayout(full=False)
        self._describe()

    def set_row_values(self, values: Mapping[str, str] | None) -> None:
        """Show the message with one row's values over its sample values (None: the samples
        alone); they stay through edits of the message until set again."""
        self.row_values = dict(values or {})
        self._relayout(full=False)

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
        self._describe()

    def set_scale(self, scale: float) -> None:
        """Screen pixels per dp (the pane fits the phone to its room)."""
        self.zoom = scale
        self._relayout()

    set_zoom = set_scale

    # ------------------------------------------------------------ layout

    def _build(self) -> Layout:
        values = {**self.values, **self.row_values} if self.row_values else self.values
        return build_layout(
            substitute(self.message, values),
            self.width_dp,
            self.fonts,
            carousel_offset=self.carousel_offset,
            chip_offset=self.chip_offset,
            brand=self.agent.brand_color,
            cache=self.layout_cache,
        )

    def _relayout(self, *, full: bool = True) -> None:
        old, self.layout_ = self.layout_, self._build()
        for item in self.layout_.items:
            if item.kind == "media" and (url := item.data.get("url")):
                self.loader.request(url)
        size = self.sizeHint()
        if size != self.size():
            self.setFixedSize(size)
            self.size_changed.emit()
            full = True
        if full or len(old.items) != len(self.layout_.items):
            self.update()
            return
        dirty = QRegion()
        for before, after in zip(old.items, self.layout_.items, strict=True):
            if before is not after and before != after:
                dirty = dirty.united(self._widget_rect(before)).united(self._widget_rect(after))
        if not dirty.isEmpty():
            self.update(dirty)

    def _widget_rect(self, item: Item) -> QRect:
        rect = item.rect if item.clip is None else item.rect.intersected(item.clip)
        shown = rect.translated(g.PHONE_BEZEL_DP, g.PHONE_BEZEL_DP)
        scaled = QRectF(shown.topLeft() * self.zoom, shown.size() * self.zoom)
        return scaled.toAlignedRect().adjusted(-2, -2, 2, 2)

    def natural_size(self) -> QSizeF:
        """The whole phone, bezel included, in dp: its size at a zoom of 1."""
        bezel = 2 * g.PHONE_BEZEL_DP
        return QSizeF(self.width_dp + bezel, self.layout_.height + bezel)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        natural = self.natural_size()
        return QSize(round(natural.width() * self.zoom), round(natural.height() * self.zoom))

    def image_state(self, url: str) -> tuple[str, QImage | None, str]:
        """("loading" | "ready" | "failed", the image when ready, the reason when failed)."""
        return self.loader.lookup(url)

    def _describe(self) -> None:
        content = self.message.content
        cards = len(content.cards) if isinstance(content, m.Carousel) else None
        said = (type(content), cards, len(self.message.chips), self.width_dp)
        if said == self._described:  # typing changes none of it: no string, no a11y event
            return
        self._described = said
        what = {
            m.TextContent: "text message",
            m.FileContent: "file message",
            m.RichCard: "rich card",
        }.get(type(content), "message")
        if cards is not None:
            what = f"carousel of {cards} cards"
        chips = f" with {len(self.message.chips)} suggestion chips" if self.message.chips else ""
        self.setAccessibleDescription(
            f"How the {what}{chips} looks in Google Messages on a {self.width_dp:g} dp wide "
            "Android phone. Click an element to edit its field; arrow keys scroll the carousel."
        )

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        clip = QRectF(event.rect()).adjusted(-2, -2, 2, 2)
        clip = QRectF(clip.topLeft() / self.zoom, clip.size() / self.zoom)
        self._paint_phone(painter, self.zoom, clip, self.zoom * self.devicePixelRatioF())
        self.repainted.emit()

    def _paint_phone(
        self, painter: QPainter, zoom: float, clip: QRectF | None, pixels: float
    ) -> None:
        """Draw the phone at ``zoom`` (pixels per dp), then end ``painter``."""
        painter.scale(zoom, zoom)
        self.painter.paint(
            painter,
            self.layout_,
            theme=self.theme,
            agent=self.agent,
            images=self.image_state,
            clip=clip,
            scale=pixels,
            drawn_at=self.loader.note_drawn,  # images are held at the size they are drawn
        )
        painter.end()

    def render_to_image(self, scale: float = 2.0) -> QImage:
        """The whole phone at ``scale`` image pixels per dp, whatever the widget's zoom."""
        size = (self.natural_size() * scale).toSize()
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        self._paint_phone(QPainter(image), scale, None, scale)
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

    def _band_at(self, point: QPointF) -> str | None:
        """Which sideways-scrolling row is under ``point`` (screen dp), if any."""
        if self.layout_.carousel_band is not None and self.layout_.carousel_band.contains(point):
            return CARROUSEL
        if self.layout_.chip_band is not None and self.layout_.chip_band.contains(point):
            return CHIPS
        return None

    def scroll_by(self, band: str, delta_dp: float) -> None:
        """Scroll the carousel (``CARROUSEL``) or the chip row (``CHIPS``) sideways."""
        extent = self.layout_.carousel_extent if band == CARROUSEL else self.layout_.chip_extent
        limit = max(0.0, extent - self._row_room())
        new = min(max(getattr(self, band) + delta_dp, 0.0), limit)
        if new != getattr(self, band):
            setattr(self, band, new)
            self._relayout(full=False)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragging = event.position(), None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        pressed, self._press = self._press, None
        if self._dragging is not None or pressed is None:
            self._dragging = None
            self.unsetCursor()
            return
        path = self.element_at(event.position())
        if path and event.button() == Qt.MouseButton.LeftButton:
            self.element_clicked.emit(path)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._press is not None:
            moved = event.position() - self._press
            if self._dragging is None and abs(moved.x()) >= DRAG_START_PX:
                self._dragging = self._band_at(self._to_screen(self._press))
            if self._dragging is not None:
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self.scroll_by(self._dragging, -moved.x() / self.zoom)
                self._press = event.position()
                return
        point = self._to_screen(event.position())
        for item in self.layout_.items:
            shown = item.clip is None or item.clip.contains(point)
            if item.kind == "cut" and item.rect.contains(point) and shown:
                QToolTip.showText(event.globalPosition().toPoint(), CUT_TIP, self)
                break
        clickable = self.element_at(event.position()) is not None
        self.setCursor(
            Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor
        )

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt's name)
        band = self._band_at(self._to_screen(event.position()))
        if band is None:
            event.ignore()
            return
        angle = event.angleDelta()
        self.scroll_by(band, -(angle.x() or angle.y()) / 2)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        band = CARROUSEL if self.layout_.carousel_band is not None else CHIPS
        step = self._card_step() if band == CARROUSEL else 96.0
        moves = {
            Qt.Key.Key_Left: -step,
            Qt.Key.Key_Right: step,
            Qt.Key.Key_Home: -1e9,
            Qt.Key.Key_End: 1e9,
        }
        delta = moves.get(Qt.Key(event.key()))
        if delta is None or (band == CHIPS and self.layout_.chip_band is None):
            super().keyPressEvent(event)
            return
        self.scroll_by(band, delta)
        event.accept()

    def _card_step(self) -> float:
        content = self.message.content
        width = g.CAROUSEL_CARD_WIDTH_DP[
            content.card_width if isinstance(content, m.Carousel) else None
        ]
        return width + g.CAROUSEL_GAP_DP

    def _row_room(self) -> float:
        """How wide a sideways row shows when it rests: from the message indent to the margin."""
        return self.width_dp - g.MESSAGE_INDENT_DP - g.MESSAGE_RIGHT_DP

    def scroll_carousel_to(self, index: int) -> None:
        """Scroll the carousel just enough that card ``index`` shows whole (see ``reveal``)."""
        if isinstance(self.message.content, m.Carousel):
            step = self._card_step()
            width = step - g.CAROUSEL_GAP_DP
            target = reveal(index * step, width, self.carousel_offset, self._row_room())
            self.scroll_by(CARROUSEL, target - self.carousel_offset)

    def card_rect(self, index: int) -> QRectF | None:
        """Where card ``index`` of a carousel is drawn, in widget pixels."""
        path = str(CARDS.at(index))
        for item in self.layout_.items:
            if item.kind == "card" and item.path == path:
                shown = item.rect.translated(g.PHONE_BEZEL_DP, g.PHONE_BEZEL_DP)
                return QRectF(shown.topLeft() * self.zoom, shown.size() * self.zoom)
        return None
