"""Input fields with live counters, and the registry that maps fields to their widgets."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core.field_paths import FieldPath
from rcs_composer.core.issues import Issue, Severity
from rcs_composer.gui.document import ComposerDocument

NEAR_LIMIT = 0.9  # counters turn amber at 90% of the limit
MARK_STYLE = """
*[severity="error"] { border: 2px solid #B3261E; border-radius: 4px; }
*[severity="warning"] { border: 2px solid #C77700; border-radius: 4px; }
QLabel[counter="near"] { color: #C77700; }
QLabel[counter="over"] { color: #B3261E; font-weight: 600; }
"""


def _restyle(widget: QWidget) -> None:
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
            self.counter.setProperty("counter", state)
            _restyle(self.counter)
        self.counter.show()

    def focus_input(self) -> None:
        self.input.setFocus()
        if isinstance(self.input, QLineEdit):
            self.input.selectAll()


def as_field(path: FieldPath | str) -> FieldPath | None:
    """A field given as a FieldPath or as a JSONPath string (either spelling): the deepest
    field the composer knows on the way to it."""
    return path if isinstance(path, FieldPath) else FieldPath.nearest(path)


def commit(
    document: ComposerDocument, path: FieldPath, value: object, text: str, *, merge: bool = True
) -> None:
    """Put ``value`` at ``path`` in the open message. Typing into one field is one undo step
    (``merge``); a structural change (add media, switch location kind) is a step of its own."""
    document.set_message(path.put(document.message, value), text, path.merge_key if merge else None)


class FieldRegistry:
    """Field -> the widgets that edit it; outlines them from issues and focuses them.

    The issues last shown are kept, so a widget that starts editing another field (another
    card, another suggestion) shows that field's marks at once.
    """

    def __init__(self) -> None:
        self.widgets: dict[FieldPath, tuple[QWidget, ...]] = {}
        self.marked: list[QWidget] = []
        self.issues: list[Issue] = []

    def register(self, path: FieldPath, *widgets: QWidget) -> None:
        self.widgets[path] = widgets

    def unregister_within(self, path: FieldPath) -> None:
        """Forget ``path``'s fields below it (a card or suggestion no longer shown)."""
        for known in [p for p in self.widgets if p.is_within(path) and p != path]:
            del self.widgets[known]

    def resolve_all(self, path: FieldPath | str) -> tuple[QWidget, ...]:
        """The widgets for ``path``, or for its nearest registered ancestor."""
        field = as_field(path)
        while field is not None:
            found = self.widgets.get(field)
            if found:
                return found
            field = field.parent
        return ()

    def resolve(self, path: FieldPath | str) -> QWidget | None:
        found = self.resolve_all(path)
        return found[0] if found else None

    def mark(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        self.remark()

    def remark(self) -> None:
        """Outline every widget with the worst of its issues, and clear the others."""
        grouped: dict[int, tuple[QWidget, list[Issue]]] = {}
        for issue in self.issues:
            for owner in self.resolve_all(issue.path):
                target = owner.input if isinstance(owner, TextField) else owner
                grouped.setdefault(id(target), (target, []))[1].append(issue)
        for target in self.marked:
            if id(target) not in grouped:
                _set_mark(target, None, "")
        for target, found in grouped.values():
            worst = Severity.ERROR if any(i.is_error for i in found) else Severity.WARNING
            tip = "\n".join(f"{'✖' if i.is_error else '⚠'} {i.message}" for i in found)
            _set_mark(target, worst.value, tip)
        self.marked = [target for target, _ in grouped.values()]

    def focus(self, path: FieldPath | str) -> bool:
        widget = self.resolve(path)
        if widget is None:
            return False
        if isinstance(widget, TextField):
            widget.focus_input()
        else:
            widget.setFocus()
        return True


def _set_mark(target: QWidget, severity: str | None, tip: str) -> None:
    if target.property("severity") != severity or target.toolTip() != tip:
        target.setProperty("severity", severity)
        target.setToolTip(tip)
        _restyle(target)
        target.update()  # the whole widget: a partial repaint of the text would keep the border
