"""Small line icons for chips and the header, drawn with QPainterPath (no image files)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from rcs_composer.core import model as m


def icon_for(suggestion: m.Reply | m.ActionChip) -> str | None:
    if isinstance(suggestion, m.Reply):
        return None
    action = suggestion.action
    if isinstance(action, m.OpenUrl):
        return "globe"
    if isinstance(action, m.Dial):
        return "phone"
    if isinstance(action, m.ViewLocation):
        return "pin"
    if isinstance(action, m.CalendarEvent):
        return "calendar"
    if isinstance(action, m.ShareLocation):
        return "crosshair"
    return None


def _pen(color: QColor, size: float) -> QPen:
    pen = QPen(color, max(1.2, size / 11))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def draw_icon(painter: QPainter, name: str, box: QRectF, color: QColor) -> None:
    """Draw icon ``name`` inside ``box`` (a square) in ``color``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(_pen(color, box.width()))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    inner = box.adjusted(
        box.width() * 0.12, box.height() * 0.12, -box.width() * 0.12, -box.height() * 0.12
    )
    center, radius = inner.center(), inner.width() / 2
    if name == "globe":
        painter.drawEllipse(inner)
        painter.drawEllipse(
            QRectF(center.x() - radius * 0.45, inner.top(), radius * 0.9, inner.height())
        )
        painter.drawLine(QPointF(inner.left(), center.y()), QPointF(inner.right(), center.y()))
    elif name == "phone":
        _draw_handset(painter, inner, radius)
    elif name == "pin":
        path = QPainterPath()
        top = QRectF(center.x() - radius * 0.7, inner.top(), radius * 1.4, radius * 1.4)
        path.moveTo(center.x(), inner.bottom())
        path.arcTo(top, 215, 290)
        path.closeSubpath()
        painter.drawPath(path)
        painter.drawEllipse(top.center(), radius * 0.22, radius * 0.22)
    elif name == "calendar":
        body = QRectF(
            inner.left(), inner.top() + radius * 0.25, inner.width(), inner.height() - radius * 0.25
        )
        painter.drawRoundedRect(body, radius * 0.15, radius * 0.15)
        painter.drawLine(
            QPointF(body.left(), body.top() + radius * 0.55),
            QPointF(body.right(), body.top() + radius * 0.55),
        )
        for fraction in (0.3, 0.7):
            x = body.left() + body.width() * fraction
            painter.drawLine(QPointF(x, inner.top()), QPointF(x, body.top() + radius * 0.25))
    elif name == "crosshair":
        painter.drawEllipse(center, radius * 0.7, radius * 0.7)
        painter.drawEllipse(center, radius * 0.18, radius * 0.18)
        for dx, dy in ((0, -1), (0, 1), (-1, 0), (1, 0)):
            painter.drawLine(
                QPointF(center.x() + dx * radius * 0.7, center.y() + dy * radius * 0.7),
                QPointF(center.x() + dx * radius, center.y() + dy * radius),
            )
    elif name == "back":
        painter.drawLine(QPointF(inner.left(), center.y()), QPointF(inner.right(), center.y()))
        painter.drawLine(
            QPointF(inner.left(), center.y()),
            QPointF(inner.left() + radius * 0.8, inner.top() + radius * 0.2),
        )
        painter.drawLine(
            QPointF(inner.left(), center.y()),
            QPointF(inner.left() + radius * 0.8, inner.bottom() - radius * 0.2),
        )
    elif name == "more":
        painter.setBrush(color)
        for fraction in (0.2, 0.5, 0.8):
            painter.drawEllipse(
                QPointF(center.x(), inner.top() + inner.height() * fraction),
                radius * 0.11,
                radius * 0.11,
            )
    elif name == "image":
        painter.drawRoundedRect(inner, radius * 0.15, radius * 0.15)
        path = QPainterPath()
        path.moveTo(inner.left(), inner.bottom() - radius * 0.3)
        path.lineTo(inner.left() + radius * 0.7, inner.top() + radius)
        path.lineTo(inner.left() + radius * 1.2, inner.bottom() - radius * 0.6)
        path.lineTo(inner.left() + radius * 1.5, inner.top() + radius * 1.25)
        path.lineTo(inner.right(), inner.bottom() - radius * 0.3)
        painter.drawPath(path)
        painter.drawEllipse(
            QPointF(inner.left() + radius * 1.4, inner.top() + radius * 0.55),
            radius * 0.17,
            radius * 0.17,
        )
    elif name == "call":
        _draw_handset(painter, inner, radius)
    elif name == "plus":
        painter.drawEllipse(inner)
        for dx, dy in ((1, 0), (0, 1)):
            painter.drawLine(
                QPointF(center.x() - dx * radius * 0.5, center.y() - dy * radius * 0.5),
                QPointF(center.x() + dx * radius * 0.5, center.y() + dy * radius * 0.5),
            )
    elif name == "emoji":
        painter.drawEllipse(inner)
        painter.setBrush(color)
        for offset in (-0.35, 0.35):
            painter.drawEllipse(
                QPointF(center.x() + offset * radius, center.y() - radius * 0.25),
                radius * 0.09,
                radius * 0.09,
            )
        painter.setBrush(Qt.BrushStyle.NoBrush)
        smile = QRectF(center.x() - radius * 0.5, center.y() - radius * 0.4, radius, radius * 0.9)
        painter.drawArc(smile, -20 * 16, -140 * 16)
    elif name == "mic":
        capsule = QRectF(center.x() - radius * 0.3, inner.top(), radius * 0.6, radius * 1.2)
        painter.drawRoundedRect(capsule, radius * 0.3, radius * 0.3)
        cup = QRectF(
            center.x() - radius * 0.6, inner.top() + radius * 0.3, radius * 1.2, radius * 1.3
        )
        painter.drawArc(cup, 200 * 16, 140 * 16)
        painter.drawLine(
            QPointF(center.x(), inner.top() + radius * 1.6), QPointF(center.x(), inner.bottom())
        )
    elif name == "file":
        path = QPainterPath()
        path.moveTo(inner.left() + radius * 0.3, inner.top())
        path.lineTo(inner.right() - radius * 0.5, inner.top())
        path.lineTo(inner.right() - radius * 0.1, inner.top() + radius * 0.45)
        path.lineTo(inner.right() - radius * 0.1, inner.bottom())
        path.lineTo(inner.left() + radius * 0.3, inner.bottom())
        path.closeSubpath()
        painter.drawPath(path)
    painter.restore()


def _draw_handset(painter: QPainter, inner: QRectF, radius: float) -> None:
    path = QPainterPath()
    path.moveTo(inner.left() + radius * 0.35, inner.top())
    path.lineTo(inner.left() + radius * 0.75, inner.top() + radius * 0.55)
    path.lineTo(inner.left() + radius * 0.5, inner.top() + radius * 0.85)
    path.cubicTo(
        inner.left() + radius * 0.8,
        inner.top() + radius * 1.35,
        inner.left() + radius * 1.1,
        inner.top() + radius * 1.55,
        inner.left() + radius * 1.15,
        inner.top() + radius * 1.5,
    )
    path.lineTo(inner.left() + radius * 1.45, inner.top() + radius * 1.25)
    path.lineTo(inner.right(), inner.top() + radius * 1.65)
    path.cubicTo(
        inner.right() - radius * 0.3,
        inner.bottom(),
        inner.left(),
        inner.top() + radius * 0.6,
        inner.left() + radius * 0.35,
        inner.top(),
    )
    painter.drawPath(path)


def draw_verified(painter: QPainter, box: QRectF, color: QColor) -> None:
    """A filled badge with a white check, as next to a verified agent's name."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    painter.drawEllipse(box)
    pen = QPen(QColor("#FFFFFF"), box.width() * 0.14)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    w, h, x, y = box.width(), box.height(), box.left(), box.top()
    painter.drawPolyline(
        [
            QPointF(x + w * 0.28, y + h * 0.52),
            QPointF(x + w * 0.44, y + h * 0.67),
            QPointF(x + w * 0.73, y + h * 0.36),
        ]
    )
    painter.restore()
