"""Small pieces several dialogs share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog  # named only: its type is built when a dialog opens


def dialog_buttons(dialog: QDialog, left: QWidget, primary: QPushButton) -> QHBoxLayout:
    """``left`` on its own, then Close and the primary action on the right, as desktops expect."""
    close = QPushButton("Close", dialog)
    close.clicked.connect(dialog.reject)
    row = QHBoxLayout()
    row.addWidget(left)
    row.addStretch(1)
    row.addWidget(close)
    row.addWidget(primary)
    return row


def mnemonic(text: str, taken: set[str]) -> str:
    """``text`` with an '&' before its first letter not yet taken (and that letter taken)."""
    for index, char in enumerate(text):
        if char.isalnum() and char.isascii() and char.lower() not in taken:
            taken.add(char.lower())
            return f"{text[:index]}&{text[index:]}"
    return text


def give_labels_mnemonics(container: QWidget, taken: set[str]) -> None:
    """Every label of a field inside ``container`` gets an Alt+letter that reaches its field,
    in the order the fields were built; letters in ``taken`` (the menus'), and those the
    container's buttons and labels already use, are left alone."""
    for widget in container.findChildren(QAbstractButton) + container.findChildren(QLabel):
        text = widget.text()
        at = text.find("&")
        if 0 <= at < len(text) - 1 and text[at + 1] != "&":
            taken.add(text[at + 1].lower())
    for label in container.findChildren(QLabel):
        if label.buddy() is not None and "&" not in label.text():
            label.setText(mnemonic(label.text(), taken))


class FormScrollArea(QScrollArea):
    """Scrolls a form up and down, never sideways: it asks for the form's minimum width plus
    its scroll bar, so a splitter gives the room to it rather than clipping the fields."""

    def __init__(self, form: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidget(form)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not the frame
        form.installEventFilter(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        form = self.widget()
        if form is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()  # not style(): see gui/outline.py
        width = form.minimumSizeHint().width() + bar + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()  # a page built later may need more width
        return False


def row_button(text: str, parent: QWidget) -> QToolButton:
    """A button in a row of list actions: as wide as its text (a push button is at least 80
    px in most styles, and five of them set a form's minimum width)."""
    button = QToolButton(parent)
    button.setText(text)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # tool buttons take no Tab by default
    # As tall as the row: its arrow buttons' icons are a little taller than a line of text.
    button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
    return button


ARROWS = {
    "Up": Qt.ArrowType.UpArrow,
    "Down": Qt.ArrowType.DownArrow,
    "Left": Qt.ArrowType.LeftArrow,
    "Right": Qt.ArrowType.RightArrow,
}


def move_button(direction: str, item: str, parent: QWidget) -> QToolButton:
    """A row button that moves the selected ``item`` towards ``direction`` ("Up", "Left"...).

    Its arrow is drawn by the style: an arrow character would need a font that has it, and on
    a machine with no fonts but the bundled ones it is an empty box or a colour emoji."""
    button = row_button(f"Move {direction.lower()}", parent)
    button.setArrowType(ARROWS[direction])
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    button.setAccessibleName(f"Move {item} {direction.lower()}")
    return button


def find_menu(window: QMainWindow, title: str) -> QMenu | None:
    """The menu bar's menu called ``title`` ("View" finds "&View"), or None."""
    for entry in window.menuBar().actions():
        menu = entry.menu()
        if isinstance(menu, QMenu) and menu.title().replace("&", "") == title.replace("&", ""):
            return menu
    return None


def top_menu(window: QMainWindow, title: str) -> QMenu:
    """The menu bar's menu called ``title``, added if it is not there."""
    return find_menu(window, title) or window.menuBar().addMenu(title)


def focus_chain_of(container: QWidget) -> list[QWidget]:
    """The widgets inside ``container`` that Tab can reach, in the order they were built
    (each editor builds its fields top to bottom)."""
    return [
        widget
        for widget in container.findChildren(QWidget)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.window() is container.window()
    ]
