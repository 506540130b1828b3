"""Input fields with live counters, and the registry that maps fields to their widgets."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from PySide6.QtCore import QDate, QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from rcs_composer.core.field_paths import FieldPath, Index
from rcs_composer.core.issues import Issue, Severity
from rcs_composer.gui.document import ComposerDocument

NEAR_LIMIT = 0.9  # counters turn amber at 90% of the limit
# Any line a draft can hold: QLineEdit's own cap (32,767) would cut a longer value at the first
# keystroke, silently. The counter and the problems say how far over the API's limit it is.
LONGEST_LINE = 20 * 1024 * 1024
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
            self.input.setMaxLength(LONGEST_LINE)
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


_NUMBER = QRegularExpression(r"-?[0-9]{0,3}([.][0-9]{0,12})?")
_MOMENT = re.compile(
    r"\s*(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[ T](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2})?)"
    r"(?P<rest>(?:[.][0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})?)\s*"
)


def format_number(value: float | None) -> str:
    """A coordinate as a person writes it: 12.9716, 77, -0.5 (no trailing zeros)."""
    if value is None:
        return ""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


class NumberField(TextField):
    """A number typed as text: every key is kept as typed (the model never rewrites the box
    while it is being typed in), and each complete number is committed at once, so its marks
    follow the typing. Leaving the field writes the number the model holds."""

    number_edited = Signal(object)  # float, or None for an empty box

    def __init__(self, label: str, *, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(label, placeholder=placeholder, parent=parent)
        assert isinstance(self.input, QLineEdit)
        self.input.setValidator(QRegularExpressionValidator(_NUMBER, self.input))
        self.edited.connect(self._on_text)
        self.input.editingFinished.connect(self._on_finished)
        self._number: float | None = None

    @staticmethod
    def parse(text: str) -> float | None:
        try:
            return float(text) if text.strip() else None
        except ValueError:
            return None

    def _on_text(self, text: str) -> None:
        if not text.strip():
            self.number_edited.emit(None)
        elif any(ch.isdigit() for ch in text):
            value = self.parse(text)
            if value is not None:
                self.number_edited.emit(value)

    def _on_finished(self) -> None:
        shown = format_number(self._number)
        if self.parse(self.value()) != self._number or not any(c.isdigit() for c in self.value()):
            super().set_value(shown)

    def set_number(self, value: float | None) -> None:
        """Show ``value``, unless the box already holds it as the user wrote it ("12.")."""
        self._number = value
        text = self.value()
        typed = self.parse(text) if any(ch.isdigit() for ch in text) else None
        if typed != value:
            super().set_value(format_number(value))


def parse_moment(text: str) -> str | None:
    """``2026-12-05 10:30`` (UTC) or a full RFC 3339 time as the model keeps it
    (``2026-12-05T10:30:00Z``), or None when ``text`` is not a complete date and time."""
    match = _MOMENT.fullmatch(text)
    if match is None:
        return None
    clock = match["time"] if len(match["time"]) == 8 else match["time"] + ":00"
    rest = match["rest"] or "Z"
    if rest[0] == ".":
        rest = rest if rest[-1] == "Z" or ":" in rest else rest + "Z"
    moment = f"{match['date']}T{clock}{rest}"
    try:
        datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment


def format_moment(value: str | None) -> str:
    """The model's time as the box shows it: ``2026-12-05 10:30`` for a UTC time on the minute,
    anything else as it is (so nothing is lost or silently changed)."""
    if not value:
        return ""
    match = _MOMENT.fullmatch(value)
    if match and match["rest"] == "Z" and match["time"].endswith(":00"):
        return f"{match['date']} {match['time'][:5]}"
    return value


class MomentField(TextField):
    """A date and time typed as text (``2026-12-05 10:30``, UTC). A complete time is committed
    in the model's RFC 3339 form as soon as it is typed; anything else is committed as typed, so
    validation says what is wrong with it while the box keeps what the user wrote."""

    moment_edited = Signal(object)  # str, or None for an empty box

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(label, placeholder="e.g. 2026-12-05 10:30", parent=parent)
        self.edited.connect(self._on_text)
        assert isinstance(self.input, QLineEdit)
        self.input.editingFinished.connect(lambda: self.set_moment(self._moment, force=True))
        self._moment: str | None = None
        # A calendar to pick the day from, beside the box; the time typed is kept.
        self.pick = QToolButton(self)
        self.pick.setText("Calendar")
        self.pick.setAccessibleName(f"Pick the day of {label}")
        self.pick.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.pick)
        self.calendar = QCalendarWidget(menu)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        self.pick.setMenu(menu)
        self.calendar.clicked.connect(self._on_day)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.removeWidget(self.input)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.input, 1)
        row.addWidget(self.pick)
        layout.addLayout(row)

    def _on_text(self, text: str) -> None:
        self.moment_edited.emit(parse_moment(text) or text.strip() or None)

    def _on_day(self, day: QDate) -> None:
        match = _MOMENT.fullmatch(format_moment(self._moment))
        clock = match["time"][:5] if match else "09:00"
        text = f"{day.toString('yyyy-MM-dd')} {clock}"
        super().set_value(text)
        if self.pick.menu() is not None:
            self.pick.menu().hide()
        self.moment_edited.emit(parse_moment(text))

    def set_moment(self, value: str | None, *, force: bool = False) -> None:
        self._moment = value
        typed = parse_moment(self.value()) or self.value().strip() or None
        if force or typed != value:
            super().set_value(format_moment(value))


def as_field(path: FieldPath | str) -> FieldPath | None:
    """A field given as a FieldPath or as a JSONPath string (either spelling): the deepest
    field the composer knows on the way to it."""
    return path if isinstance(path, FieldPath) else _nearest(path)


# Issues name their fields as strings, and every edit outlines the widgets of every issue
# again: each string is read once (a FieldPath is immutable).
_nearest = functools.lru_cache(maxsize=4096)(FieldPath.nearest)
_parse = functools.lru_cache(maxsize=4096)(FieldPath.parse)


@functools.lru_cache(maxsize=4096)
def _parent(field: FieldPath) -> FieldPath | None:
    return field.parent


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
        # Lists of items (cards, suggestions) that mark each row holding a problem.
        self.row_markers: list[Callable[[Sequence[Issue]], None]] = []
        self._batching = 0  # inside ``batch``: remark once, at its end
        self._remark_due = False

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many registrations, one remark: the editors refresh their parts on an edit and
        each part asks for a remark; the widgets are outlined once, when all are in."""
        self._batching += 1
        try:
            yield
        finally:
            self._batching -= 1
            if not self._batching and self._remark_due:
                self.remark()

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
            field = _parent(field)
        return ()

    def resolve(self, path: FieldPath | str) -> QWidget | None:
        found = self.resolve_all(path)
        return found[0] if found else None

    def mark(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        self.remark()

    def remark(self) -> None:
        """Outline every widget with the worst of its issues, and clear the others."""
        if self._batching:
            self._remark_due = True
            return
        self._remark_due = False
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
        for mark_rows in self.row_markers:
            mark_rows(self.issues)

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


MARK_ROLE = Qt.ItemDataRole.UserRole + 1  # the mark a row shows: (tooltip, is an error)


def mark_rows(rows: QListWidget, owner: FieldPath | None, issues: Sequence[Issue]) -> None:
    """Give each row of ``rows`` (item ``i`` of the list at ``owner``) the mark of its worst
    problem, so a problem on a card or suggestion not shown is seen in its row."""
    found: dict[int, list[Issue]] = {}
    if owner is not None:
        for issue in issues:
            field = _parse(issue.path)
            if field is not None and field.is_within(owner) and len(field.steps) > len(owner.steps):
                step = field.steps[len(owner.steps)]
                if isinstance(step, Index):
                    found.setdefault(step.number, []).append(issue)
    style = rows.style()
    side = rows.fontMetrics().height() - 2
    if rows.iconSize() != QSize(side, side):
        rows.setIconSize(QSize(side, side))
    for row in range(rows.count()):
        item = rows.item(row)
        here = found.get(row, [])
        tip = "\n".join(f"{'✖' if i.is_error else '⚠'} {i.message}" for i in here)
        error = any(issue.is_error for issue in here)
        mark = (tip, error)
        if item.data(MARK_ROLE) == mark:
            continue  # a row touched repaints the whole list: touch only the rows that change
        item.setData(MARK_ROLE, mark)
        if not here:
            item.setIcon(QIcon())
            item.setToolTip("")
            continue
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxCritical
            if error
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        item.setIcon(style.standardIcon(pixmap))
        item.setToolTip(tip)
