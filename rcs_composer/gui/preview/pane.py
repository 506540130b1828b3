"""PreviewPane: the phone preview in a scroll area, with its theme and device-width controls."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from rcs_composer.gui.preview.geometry import DEVICE_WIDTHS_DP
from rcs_composer.gui.preview.widget import PhonePreview


class PreviewPane(QWidget):
    """The phone preview, scaled to fit the pane, with its theme and device-width controls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = PhonePreview(self)
        self.theme = QComboBox(self)
        self.theme.addItems(["Light", "Dark"])
        self.theme.setAccessibleName("Preview theme")
        self.width_choice = QComboBox(self)
        for width in DEVICE_WIDTHS_DP:
            self.width_choice.addItem(f"{width} dp", width)
        self.width_choice.setCurrentIndex(DEVICE_WIDTHS_DP.index(360))
        self.width_choice.setAccessibleName("Device width")
        self.scroller = QScrollArea(self)
        self.scroller.setWidget(self.preview)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(QLabel("Preview", self))
        bar.addWidget(self.theme)
        bar.addWidget(self.width_choice)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(bar)
        self.theme.currentIndexChanged.connect(self.on_theme_changed)
        self.width_choice.currentIndexChanged.connect(self.on_width_changed)
        self.preview.size_changed.connect(self._fit_later)
        self._fitting = False

    def on_theme_changed(self, index: int) -> None:
        self.preview.set_theme("dark" if index == 1 else "light")

    def on_width_changed(self, _index: int) -> None:
        self.preview.set_device_width(int(self.width_choice.currentData()))
        self.fit()

    def _fit_later(self) -> None:
        if not self._fitting:
            QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        """Scale the phone so all of it shows in the pane (the preview is the hero: never tiny)."""
        self._fitting = True
        try:
            zoom = self.preview.zoom
            natural = self.preview.sizeHint() / zoom
            room = self.scroller.viewport().size()
            fit = min(
                room.width() / max(natural.width(), 1), room.height() / max(natural.height(), 1)
            )
            fit = max(0.55, min(fit, 1.5))
            if abs(fit - zoom) > 0.01:
                self.preview.set_zoom(fit)
        finally:
            self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit()
