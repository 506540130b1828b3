"""Input fields with live counters, and the registry that maps fields to their widgets."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from PySide6.QtCore import QDate, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QTextOption, QValidator
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from rcs_composer.core.field_paths import FieldPath, Index
from rcs_composer.core.issues import Issue, Severity
from rcs_composer.core.rules import RULES
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.outline import (
    ERROR_COLOR,
    WARNING_COLOR,
    problem_icon,
    set_outline,
    set_tone,
)

NEAR_LIMIT = 0.9  # counters turn amber at 90% of the limit
COUNTER_TONES = {"ok": None, "near": WARNING_COLOR, "over": ERROR_COLOR}
MARK_COLORS = {Severity.ERROR.value: ERROR_COLOR, Severity.WARNING.value: WARNING_COLOR}
# Any line a draft can hold: QLineEdit's own cap (32,767) would cut a longer value at the first
# keystroke, silently. The counter and the problems say how far over the API's limit it is.
LONGEST_LINE = 20 * 1024 * 1024
# The longest text any rule allows (a URL in North America: 4,000 characters).
LONGEST_LIMIT = max(
    limit
    for rule in RULES.values()
    if rule.code.endswith(("too_long", ".long"))
    for limit in rule.limits.values()
)
# A text this far past every limit is shown capped and read-only (its first part), with a
# note: Qt lays out a long paragraph again on every key (190 ms a key at 1,000,000
# characters) and an unbroken one in quadratic time (15 s to show 300,000 "x"). The draft
# keeps every character, Problems says how long it is, and one click cuts it to the limit.
FAR_PAST_LIMITS = 25 * LONGEST_LIMIT
# No word is this long: a text holding such a run (a pasted URL or data: URI) wraps anywhere,
# as Qt's search for a word boundary in it is what takes quadratic time.
UNBROKEN_RUN = LONGEST_LIMIT


def has_unbroken_run(text: str) -> bool:
    return len(text) > UNBROKEN_RUN and max(map(len, text.split()), default=0) > UNBROKEN_RUN


class _PlainTextInput(QPlainTextEdit):
    """A multi-line input that wraps anywhere before a long unbroken paste is laid out."""

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt's name)
        if source.hasText() and has_unbroken_run(source.text()):
            self.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        super().insertFromMimeData(source)


class TextField(QWidget):
    """A labelled single- or multi-line text input with an optional "28/200" counter.

    ``edited`` fires only for the user's edits, never for ``set_value``. A text far past
    every limit is shown capped and read-only (see FAR_PAST_LIMITS); ``value`` is still the
    whole text.
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
            self.input = _PlainTextInput(self)
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
        # The whole text while it is shown capped; None when the box shows all of it.
        self._capped: str | None = None
        # The text a multi-line box was last given or edited to, so a refresh that brings
        # the same text compares strings and does not read the box (nor lay it out) again.
        self._plain: str | None = "" if multiline else None
        self.capped_note: QLabel | None = None
        self.cut_button: QPushButton | None = None
        self._update_counter(self.value())

    def value(self) -> str:
        if self._capped is not None:
            return self._capped
        if isinstance(self.input, QLineEdit):
            return self.input.text()
        if self._plain is None:
            self._plain = self.input.toPlainText()
        return self._plain

    @property
    def capped(self) -> bool:
        """The box shows the start of a text far past every limit, read-only."""
        return self._capped is not None

    def set_value(self, text: str) -> None:
        if text == self.value():
            return
        self._setting = True
        try:
            self._show(text)
        finally:
            self._setting = False
        self._update_counter(text)

    def _show(self, text: str) -> None:
        cap = len(text) > FAR_PAST_LIMITS
        self._capped = text if cap else None
        shown = text[:FAR_PAST_LIMITS] if cap else text
        self.input.setReadOnly(cap)
        if isinstance(self.input, QLineEdit):
            position = self.input.cursorPosition()
            self.input.setText(shown)
            self.input.setCursorPosition(0 if cap else min(position, len(text)))
        else:
            anywhere = cap or has_unbroken_run(text)
            self.input.setWordWrapMode(
                QTextOption.WrapMode.WrapAnywhere
                if anywhere
                else QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere
            )
            self.input.setPlainText(shown)
            self._plain = text
        self._note_capped(len(text) if cap else None)

    def _note_capped(self, length: int | None) -> None:
        """Say why a capped box cannot be typed in, and offer to cut the text to its limit."""
        if length is None:
            if self.capped_note is not None:
                self.capped_note.hide()
                assert self.cut_button is not None
                self.cut_button.hide()
            return
        if self.capped_note is None or self.cut_button is None:
            self.capped_note = QLabel(self)
            self.capped_note.setWordWrap(True)
            self.capped_note.setAccessibleName(f"{self.input.accessibleName()} is too long")
            self.cut_button = QPushButton(self)
            self.cut_button.clicked.connect(self._cut_to_limit)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.addWidget(self.capped_note)
            layout.addWidget(self.cut_button)
        limit = self.limit if self.limit is not None else LONGEST_LIMIT
        self.capped_note.setText(
            f"This text is {length:,} characters, far past the {limit:,} allowed: only its "
            f"first {FAR_PAST_LIMITS:,} are shown, and it cannot be typed in here. The draft "
            "keeps all of it."
        )
        self.cut_button.setText(f"Keep the first {limit:,} characters")
        self.cut_button.setToolTip("Ctrl+Z brings the rest back")
        self.capped_note.show()
        self.cut_button.show()

    def _cut_to_limit(self) -> None:
        text = self.value()
        limit = self.limit if self.limit is not None else LONGEST_LIMIT
        self.edited.emit(text[:limit])  # the model's refresh shows the shorter text

    def set_limit(self, limit: int | None) -> None:
        self.limit = limit
        self._update_counter(self.value())

    def _on_line_edited(self, text: str) -> None:
        self._update_counter(text)
        self.edited.emit(text)

    def _on_plain_changed(self) -> None:
        self._plain = None  # read again when asked
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
            if not (first and state == "ok"):  # a new counter in its plain state has its tone
                set_tone(self.counter, COUNTER_TONES[state], bold=state == "over")
        self.counter.show()

    def focus_input(self) -> None:
        self.input.setFocus()
        if isinstance(self.input, QLineEdit):
            self.input.selectAll()


# A coordinate: 12.9716, -0.5, .5, +12 or 12,97 (a decimal comma is a decimal point), with
# spaces around it. Two of them with a point, or a comma and a space, between them are a
# latitude and longitude pair, as a maps app copies one: "12.9716, 77.5946".
_DECIMAL = r"[-+]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)"
_POINT = r"[-+]?[0-9]+(?:[.][0-9]+)?"
_ONE_NUMBER = re.compile(rf"\s*(?P<number>{_DECIMAL})\s*")
_PAIR = re.compile(rf"\s*\(?\s*(?P<first>{_POINT})\s*(?:[,;]\s*|\s+)(?P<second>{_POINT})\s*\)?\s*")
# A number being typed ("", "-", "12.", "12,"); a pair only comes whole, as it is pasted.
_TYPING_NUMBER = re.compile(r"\s*[-+]?[0-9]*(?:[.,][0-9]*)?\s*")
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


def read_number(text: str) -> float | None:
    """The number in ``text`` ("12.9716", " 12,97 "), or None when it is not one number."""
    match = _ONE_NUMBER.fullmatch(text)
    if match is None or not any(ch.isdigit() for ch in text):
        return None
    return float(match["number"].replace(",", "."))


def read_pair(text: str) -> tuple[float, float] | None:
    """The two numbers of a pasted pair ("12.9716, 77.5946"), or None."""
    match = _PAIR.fullmatch(text)
    return (float(match["first"]), float(match["second"])) if match else None


class _NumberKeys(QValidator):
    """Lets through a number as it is typed, or a whole pair; anything else is refused, and
    the field says so (a refused paste would otherwise leave the box as it was, silently)."""

    def __init__(self, field: NumberField) -> None:
        super().__init__(field.input)
        self.field = field

    def validate(self, text: str, _position: int) -> QValidator.State:
        if len(text) <= 64 and (_TYPING_NUMBER.fullmatch(text) or _PAIR.fullmatch(text)):
            return QValidator.State.Acceptable  # so that Enter and leaving the box are heard
        self.field.refused(text)
        return QValidator.State.Invalid


class NumberField(TextField):
    """A number typed as text: every key is kept as typed (the model never rewrites the box
    while it is being typed in), and each complete number is committed at once, so its marks
    follow the typing. Leaving the field writes the number the model holds.

    A pair pasted ("12.9716, 77.5946", as maps apps copy a place) is offered to the form with
    ``pair_entered``; a note under the box says what was done with what was typed."""

    number_edited = Signal(object)  # float, or None for an empty box
    pair_entered = Signal(float, float)

    def __init__(self, label: str, *, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(label, placeholder=placeholder, parent=parent)
        assert isinstance(self.input, QLineEdit)
        self.name = label.split(" (")[0]
        self.input.setValidator(_NumberKeys(self))
        self.edited.connect(self._on_text)
        self.input.editingFinished.connect(self._on_finished)
        self._number: float | None = None
        self._typed = ""  # the box's text before the last edit: a paste adds many keys at once
        # textEdited (an edit of the user's) comes before textChanged (any change)
        self.input.textChanged.connect(self._remember)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setAccessibleName(f"{self.name} note")
        self.note.hide()
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.note)

    def say(self, text: str) -> None:
        """Show ``text`` under the box (empty: hide the note)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def refused(self, text: str) -> None:
        shown = text.strip()
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        self.say(
            f"“{shown}” is not a number, so it was not taken. Type one such as 12.9716, "
            "or paste a pair such as “12.9716, 77.5946” to fill both boxes."
        )

    def _remember(self, text: str) -> None:
        self._typed = text

    def _on_text(self, text: str) -> None:
        before = self._typed
        self.say("")
        if not text.strip():
            self.number_edited.emit(None)
            return
        value = read_number(text)
        if value is not None:
            self.number_edited.emit(value)
            return
        pair = read_pair(text)
        if pair is not None and len(text) - len(before) > 1:  # pasted, not being typed
            self.pair_entered.emit(*pair)

    def _on_finished(self) -> None:
        text = self.value()
        pair = read_pair(text) if read_number(text) is None else None
        if pair is not None:
            self.pair_entered.emit(*pair)
            return
        if text.strip() and read_number(text) is None:
            self.say(
                f"“{text.strip()}” is not a number; the box is back to what it was. "
                "Type one such as 12.9716."
            )
        self.set_value(format_number(self._number))  # "12,97 " reads back as 12.97

    def set_number(self, value: float | None) -> None:
        """Show ``value``, unless the box already holds it as the user wrote it ("12.")."""
        self._number = value
        if read_number(self.value()) != value:
            self.set_value(format_number(value))


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
        from PySide6.QtWidgets import QCalendarWidget  # its type is built when first named

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
        set_outline(target, MARK_COLORS.get(severity or ""))


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
        item.setIcon(problem_icon(error))
        item.setToolTip(tip)
