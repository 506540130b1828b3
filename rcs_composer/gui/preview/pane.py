"""PreviewPane: the phone preview in a scroll area, with theme, device-width and zoom controls."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

from PySide6 import QtGui
from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.preview.geometry import DEVICE_WIDTHS_DP
from rcs_composer.gui.preview.widget import PhonePreview, reveal

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

FIT_MAX_ZOOM = 1.5  # ours: past this a fitted phone stops looking like a phone on a desk
ZOOM_KEY = "preview/zoom"


class Zoom(NamedTuple):
    label: str
    scale: float | None  # screen pixels per dp; None fits the phone to the pane
    key: str  # as stored in the settings
    keys: str
    menu_text: str


ZOOMS = (
    Zoom("Fit", None, "fit", "Ctrl+0", "F&it phone to pane"),
    Zoom("100%", 1.0, "100", "Ctrl+1", "Phone at &100%"),
    Zoom("200%", 2.0, "200", "Ctrl+2", "Phone at &200%"),
)


class PreviewPane(QWidget):
    """The phone preview, fitted to the pane or at a fixed zoom, with the controls below it."""

    def __init__(
        self,
        images: ImageLoader | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings()
        self.preview = PhonePreview(self, loader=images)
        self.theme = QComboBox(self)
        self.theme.addItems(["Light", "Dark"])
        self.theme.setAccessibleName("Preview theme")
        self.theme.setToolTip("Preview theme: the phone's, not the app's")
        self.width_choice = QComboBox(self)
        for width in DEVICE_WIDTHS_DP:
            self.width_choice.addItem(str(width), width)  # short: the pane may be narrow
        self.width_choice.setCurrentIndex(DEVICE_WIDTHS_DP.index(360))
        self.width_choice.setAccessibleName("Device width")
        self.width_choice.setToolTip("Device width: how wide the phone's screen is, in dp")
        self.zoom_choice = QComboBox(self)
        self.zoom_choice.setAccessibleName("Preview zoom")
        self.zoom_choice.setToolTip("Preview zoom: fit the pane, or 1 or 2 screen pixels per dp")
        for zoom in ZOOMS:
            self.zoom_choice.addItem(zoom.label)
        self.scroller = QScrollArea(self)
        # Our own viewport: the first bare QWidget Qt hands to Python costs PySide a one-off
        # type set-up of about 10 ms, which the window's start-up need not pay.
        self.scroller.setViewport(QWidget(self.scroller))
        self.scroller.setWidget(self.preview)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the phone itself takes the keys
        self.scroller.viewport().installEventFilter(self)  # its size is the room to fit into
        bar = QHBoxLayout()
        bar.addStretch(1)
        for combo in (self.theme, self.width_choice, self.zoom_choice):
            bar.addWidget(combo)
        bar.addStretch(1)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(4, 4, 4, 4)
        self.column.addWidget(self.scroller, 1)
        self.column.addLayout(bar)
        self.theme.currentIndexChanged.connect(self.on_theme_changed)
        self.width_choice.currentIndexChanged.connect(self.on_width_changed)
        self.preview.size_changed.connect(self._fit_later)
        self._fitting = False
        saved = str(self.settings.value(ZOOM_KEY, ZOOMS[0].key))
        keys = [zoom.key for zoom in ZOOMS]
        self.zoom_choice.setCurrentIndex(keys.index(saved) if saved in keys else 0)
        self.on_zoom_changed(self.zoom_choice.currentIndex())
        self.zoom_choice.currentIndexChanged.connect(self.on_zoom_changed)

    # ------------------------------------------------------------ controls

    def on_theme_changed(self, index: int) -> None:
        self.preview.set_theme("dark" if index == 1 else "light")

    def on_width_changed(self, _index: int) -> None:
        self.preview.set_device_width(int(self.width_choice.currentData()))
        self.fit()

    @functools.cached_property
    def zoom_actions(self) -> list[QAction]:
        """The View menu's zoom items, checked as the zoom box is. Made on first use: the
        window's first paint needs none, and PySide6 makes QAction's and QKeySequence's types
        (~2 ms) when a module first names them."""
        group = QtGui.QActionGroup(self)
        actions = []
        for zoom in ZOOMS:
            action = QtGui.QAction(zoom.menu_text, self, checkable=True)
            action.setShortcut(QtGui.QKeySequence(zoom.keys))
            group.addAction(action)
            actions.append(action)
        actions[self.zoom_choice.currentIndex()].setChecked(True)
        group.triggered.connect(self.on_zoom_group_triggered)
        return actions

    def on_zoom_changed(self, index: int) -> None:
        zoom = ZOOMS[index]
        if "zoom_actions" in vars(self):  # made: keep the menu's check where the box is
            self.zoom_actions[index].setChecked(True)
        self.settings.setValue(ZOOM_KEY, zoom.key)
        # Fit shows the whole phone by construction: no scroll bar may take room from it.
        policy = Qt.ScrollBarPolicy.ScrollBarAsNeeded
        if zoom.scale is None:
            policy = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        self.scroller.setHorizontalScrollBarPolicy(policy)
        self.scroller.setVerticalScrollBarPolicy(policy)
        if zoom.scale is None:
            self.fit()
        else:
            self.preview.set_zoom(zoom.scale)

    def on_zoom_group_triggered(self, action: QAction) -> None:
        self.zoom_choice.setCurrentIndex(self.zoom_actions.index(action))

    def fits_to_pane(self) -> bool:
        """Whether the phone is scaled to the pane (rather than shown at a fixed zoom)."""
        return ZOOMS[self.zoom_choice.currentIndex()].scale is None

    # ------------------------------------------------------------ fitting

    def _fit_later(self) -> None:
        if not self._fitting:
            QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        """In Fit mode, scale the phone so all of it shows in the pane, however small that is."""
        if not self.fits_to_pane():
            return
        self._fitting = True
        try:
            natural = self.preview.natural_size()
            room = self.scroller.viewport().size()
            fit = min(
                room.width() / natural.width(), room.height() / natural.height(), FIT_MAX_ZOOM
            )
            fit = max(fit, 0.01)  # a collapsed pane still gets a valid (if invisible) phone
            if fit != self.preview.zoom:
                self.preview.set_zoom(fit)
        finally:
            self._fitting = False

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """Room for the phone at 100% and the bar: the window shares its width out from this."""
        phone = self.preview.natural_size().toSize()
        margins = self.contentsMargins() + self.column.contentsMargins()
        bar = self.zoom_choice.sizeHint().height() + self.column.spacing()
        return phone.grownBy(margins) + QSize(0, bar)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.scroller.viewport() and event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    # ------------------------------------------------------------ following the edited card

    def show_card(self, index: int) -> None:
        """Bring carousel card ``index`` into view: in the carousel, then in the scroll area."""
        self.preview.scroll_carousel_to(index)
        rect = self.preview.card_rect(index)
        if rect is None or self.fits_to_pane():
            return
        room = self.scroller.viewport().size()
        for bar, start, length, view in (
            (self.scroller.horizontalScrollBar(), rect.left(), rect.width(), room.width()),
            (self.scroller.verticalScrollBar(), rect.top(), rect.height(), room.height()),
        ):
            bar.setValue(round(reveal(start, length, bar.value(), view)))
