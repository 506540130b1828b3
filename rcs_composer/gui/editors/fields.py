"""Input fields with live counters, and the registry that maps JSONPaths to them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core.issues import Issue, Severity

NEAR_LIMIT = 0.9  # counters turn amber at 90% of the limit
MARK_STYLE = """
*[severity="error"] { border: 2px solid #B3261E; border-radius: 4px; }
*[severity="warning"] { border: 2px solid #C77700; border-radius: 4px; }
QLabel[counter="near"] { color: #C77700; }
QLabel[counter="over"] { color: #B3261E; font-weight: 600; }
"""


MARK_STYLE_HOLDER = "markStyleHolder"  # the property of the widget MARK_STYLE goes on


def hold_mark_style(widget: QWidget) -> None:
    """``widget`` gets MARK_STYLE when a field under it is first marked or its counter first
    warns: a style sheet makes Qt restyle every widget under it, a cost start-up need not pay
    while nothing is marked."""
    widget.setProperty(MARK_STYLE_HOLDER, True)


def _apply_mark_style(widget: QWidget) -> None:
    holder: QWidget | None = widget
    while holder is not None:
        if holder.property(MARK_STYLE_HOLDER):
            if not holder.styleSheet():
                holder.setStyleSheet(MARK_STYLE)  # restyles everything under it
            return
        holder = holder.parentWidget()


def _restyle(widget: QWidget) -> None:
    _apply_mark_style(widget)
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return  # not shown yet: its first polish reads the new property (and start-up is faster)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class TextField(QWidget):
    """A labelled single- or multi-line text input with an optional "28/200" counter.

    ``edited`` fires only for the user's edits, never for ``set_value``.
    """

    edited = Signal(str)

    def __init__(
        self,
        label: str,
        *,
        limit: int | None = None,
        multiline: bool = False,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.limit = limit
        self.label = QLabel(label, self)
        self.counter = QLabel(self)
        self.counter.setAccessibleName(f"{label} character count")
        self.input: QLineEdit | QPlainTextEdit
        if multiline:
            self.input = QPlainTextEdit(self)
            self.input.setTabChangesFocus(True)
            self.input.setFixedHeight(84)
            self.input.textChanged.connect(self._on_plain_changed)
        else:
            self.input = QLineEdit(self)
            self.input.textEdited.connect(self._on_line_edited)
        self.input.setPlaceholderText(placeholder)
        self.input.setAccessibleName(label)
        self.label.setBuddy(self.input)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.label)
        header.addStretch(1)
        header.addWidget(self.counter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.input)
        self._setting = False
        self._update_counter(self.value())

    def value(self) -> str:
        if isinstance(self.input, QLineEdit):
            return self.input.text()
        return self.input.toPlainText()

    def set_value(self, text: str) -> None:
        if text == self.value():
            return
        self._setting = True
        try:
            if isinstance(self.input, QLineEdit):
                position = self.input.cursorPosition()
                self.input.setText(text)
                self.input.setCursorPosition(min(position, len(text)))
            else:
                self.input.setPlainText(text)
        finally:
            self._setting = False
        self._update_counter(text)

    def set_limit(self, limit: int | None) -> None:
        self.limit = limit
        self._update_counter(self.value())

    def _on_line_edited(self, text: str) -> None:
        self._update_counter(text)
        self.edited.emit(text)

    def _on_plain_changed(self) -> None:
        if self._setting:
            return
        text = self.value()
        self._update_counter(text)
        self.edited.emit(text)

    def _update_counter(self, text: str) -> None:
        if self.limit is None:
            self.counter.hide()
            return
        count = len(text)
        self.counter.setText(f"{count}/{self.limit}")
        state = (
            "over" if count > self.limit else "near" if count >= self.limit * NEAR_LIMIT else "ok"
        )
        if self.counter.property("counter") != state:
            first = self.counter.property("counter") is None
            self.counter.setProperty("counter", state)
            if not (first and state == "ok"):  # a new counter in its plain state needs no style
                _restyle(self.counter)
        self.counter.show()

    def focus_input(self) -> None:
        self.input.setFocus()
        if isinstance(self.input, QLineEdit):
            self.input.selectAll()


class FieldRegistry:
    """JSONPath -> the widget that edits it; marks widgets from issues and focuses them."""

    def __init__(self) -> None:
        self.widgets: dict[str, QWidget] = {}
        self.marked: list[QWidget] = []

    def register(self, path: str, widget: QWidget) -> None:
        self.widgets[path] = widget

    def unregister_prefix(self, prefix: str) -> None:
        for path in [p for p in self.widgets if p.startswith(prefix)]:
            del self.widgets[path]

    def resolve(self, path: str) -> QWidget | None:
        """The widget for ``path``, or for its nearest registered ancestor."""
        while path:
            found = self.widgets.get(path)
            if found is not None:
                return found
            parent = re.sub(r"(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\['[^']*'\])$", "", path)
            if parent == path:
                return None
            path = parent
        return None

    def mark(self, issues: Sequence[Issue]) -> None:
        for widget in self.marked:
            target = widget.input if isinstance(widget, TextField) else widget
            target.setProperty("severity", None)
            target.setToolTip("")
            _restyle(target)
        self.marked = []
        grouped: dict[int, tuple[QWidget, list[Issue]]] = {}
        for issue in issues:
            owner = self.resolve(issue.path)
            if owner is not None:
                grouped.setdefault(id(owner), (owner, []))[1].append(issue)
        for widget, found in grouped.values():
            target = widget.input if isinstance(widget, TextField) else widget
            worst = Severity.ERROR if any(i.is_error for i in found) else Severity.WARNING
            target.setProperty("severity", worst.value)
            target.setToolTip("\n".join(f"{'✖' if i.is_error else '⚠'} {i.message}" for i in found))
            _restyle(target)
            self.marked.append(widget)

    def focus(self, path: str) -> bool:
        widget = self.resolve(path)
        if widget is None:
            return False
        if isinstance(widget, TextField):
            widget.focus_input()
        else:
            widget.setFocus()
        return True
