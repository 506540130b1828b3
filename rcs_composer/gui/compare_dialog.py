"""Two versions of one draft side by side (previews or JSON), and the user picks one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core import codecs
from rcs_composer.core.draft_diff import diff_messages
from rcs_composer.core.model import Draft
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.preview.widget import PhonePreview


@dataclass(frozen=True)
class Side:
    """One version: a heading (whose it is, when it was saved) and the draft."""

    heading: str
    draft: Draft | None  # None: this side is not a draft (its text is shown instead)
    text: str = ""


def _json_of(side: Side) -> str:
    if side.draft is None:
        return side.text
    return codecs.dumps(codecs.export_draft(side.draft))


MAX_LISTED = 8  # differences named one by one; the rest are counted


def differences_text(left: Side, right: Side) -> str:
    """What differs, field by field, in the editor's words ("Card 2 > Title: changed")."""
    if left.draft is None or right.draft is None:
        return ""
    changes = diff_messages(left.draft.message, right.draft.message)
    if not changes:
        return "The two messages are the same; only the file differs."
    lines = [f"{change.label}: {change.change.value}" for change in changes[:MAX_LISTED]]
    if len(changes) > MAX_LISTED:
        lines.append(f"and {len(changes) - MAX_LISTED} more")
    return f"What differs ({len(changes)}): " + "; ".join(lines)


class CompareDialog(QDialog):
    """Window-modal and non-blocking (``open``): ``chosen`` carries the key of the button the
    user pressed; closing the dialog chooses ``cancel_key``, and so does Enter: the dialog
    comes up while the user types, and a keystroke must not choose for them.

    Under the two versions, the fields that differ are named."""

    chosen = Signal(str)

    def __init__(
        self,
        title: str,
        explanation: str,
        left: Side,
        right: Side,
        choices: Sequence[tuple[str, str]],  # (key, button label); cancel_key's is the default
        *,
        cancel_key: str,
        loader: ImageLoader | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("compare-dialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.cancel_key = cancel_key
        self._answered = False
        layout = QVBoxLayout(self)
        text = QLabel(explanation, self)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.as_json = QCheckBox("Show the JSON", self)
        layout.addWidget(self.as_json)
        grid = QGridLayout()
        self.stacks: list[QStackedWidget] = []
        self.previews: list[PhonePreview] = []
        self.headings: list[QLabel] = []
        self.text_only = [left.draft is None, right.draft is None]
        for column, side in enumerate((left, right)):
            heading = QLabel(f"<b>{side.heading}</b>", self)
            heading.setWordWrap(True)
            self.headings.append(heading)
            grid.addWidget(heading, 0, column)
            stack = QStackedWidget(self)
            preview = PhonePreview(self, loader)
            preview.setAccessibleName(f"Preview: {side.heading}")
            if side.draft is not None:
                preview.set_message(side.draft.message, side.draft.variables)
            scroller = QScrollArea(self)
            scroller.setWidget(preview)
            scroller.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            source = QPlainTextEdit(_json_of(side), self)
            source.setReadOnly(True)
            source.setAccessibleName(f"JSON: {side.heading}")
            stack.addWidget(scroller)
            stack.addWidget(source)
            if side.draft is None:
                stack.setCurrentIndex(1)
            grid.addWidget(stack, 1, column)
            self.stacks.append(stack)
            self.previews.append(preview)
        layout.addLayout(grid, 1)
        self.differences = QLabel(differences_text(left, right), self)
        self.differences.setWordWrap(True)
        self.differences.setTextFormat(Qt.TextFormat.PlainText)
        self.differences.setAccessibleName("What differs")
        layout.addWidget(self.differences)
        self.as_json.toggled.connect(self.on_json_toggled)
        buttons = QDialogButtonBox(self)
        self.buttons: dict[str, QPushButton] = {}
        for key, label in choices:
            button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
            button.setDefault(key == cancel_key)
            button.clicked.connect(lambda _checked=False, k=key: self.answer(k))
            self.buttons[key] = button
        layout.addWidget(buttons)
        self.resize(900, 760)

    def on_json_toggled(self, on: bool) -> None:
        for stack, text_only in zip(self.stacks, self.text_only, strict=True):
            stack.setCurrentIndex(1 if on or text_only else 0)

    def answer(self, key: str) -> None:
        if self._answered:
            return
        self._answered = True
        self.chosen.emit(key)
        self.accept()

    def done(self, result: int) -> None:  # Escape, the close button, or accept() above
        if not self._answered:
            self._answered = True
            self.chosen.emit(self.cancel_key)
        super().done(result)
