"""The problems panel (errors, then warnings; click to go to the field) and the variables panel."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core import model as m
from rcs_composer.core.field_paths import IssueGroup, group_issues
from rcs_composer.core.issues import Issue
from rcs_composer.core.variables import variables_in
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.editors.fields import LONGEST_LINE
from rcs_composer.gui.outline import WARNING_COLOR, set_outline
from rcs_composer.gui.problems_heading import PROBLEMS_CHECKING, PROBLEMS_MARGINS


def summary(issues: Sequence[Issue]) -> str:
    errors = sum(1 for issue in issues if issue.is_error)
    warnings = len(issues) - errors
    if not issues:
        return "No problems: the message meets every documented limit."
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)


def details(group: IssueGroup) -> str:
    """What a developer wants behind a row: the JSONPaths, the rule and where it comes from."""
    first = group.first
    paths = group.paths
    where = paths[0] if len(paths) == 1 else "\n".join(f"  {path}" for path in paths[:12])
    more = f"\n  … and {len(paths) - 12} more" if len(paths) > 12 else ""
    lines = [first.message, "", f"JSON path{'s' if len(paths) > 1 else ''}: {where}{more}"]
    lines.append(f"Rule: {first.code}")
    lines.append(f"Source: {first.source}")
    others = sorted({issue.message for issue in group.issues} - {first.message})
    if others:
        lines += ["", *others[:5]]
    return "\n".join(lines)


class ProblemsPanel(QWidget):
    """Lists problems by the field a person knows ("Card 2 > Title"), the same problem on many
    cards as one row with a count; activating a row emits ``issue_activated`` with the
    JSONPath of its (first) field. The JSONPath and the rule's source are in the tooltip."""

    issue_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setAccessibleName("Problems summary")
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Problems")
        self.tree.setHeaderLabels(["", "Field", "Problem"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        # The mark and field columns are fitted after each check and the problem column takes
        # the rest (a tree's last column stretches). Not through header(): naming QHeaderView
        # builds its Python type, ~0.2 MB held for the session.
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.itemClicked.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PROBLEMS_MARGINS)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree)
        self.issues: list[Issue] = []
        self.groups: list[IssueGroup] = []
        self.checked = False  # until the first check, the heading claims nothing
        self.heading.setText(PROBLEMS_CHECKING)
        self.tree.hide()  # with nothing to list, the heading alone says so and the editor grows

    def set_issues(self, issues: Sequence[Issue]) -> None:
        unchanged = list(issues) == self.issues
        if self.checked and unchanged and self.tree.topLevelItemCount() == len(self.groups):
            return
        self.checked = True
        self.issues = list(issues)
        self.groups = group_issues(issues)
        self.heading.setText(f"<b>Problems</b> — {summary(issues)}")
        self.tree.clear()
        for group in self.groups:
            first = group.first
            text = first.message if group.count == 1 else f"{first.message} ({group.count})"
            item = QTreeWidgetItem(["✖" if first.is_error else "⚠", group.label, text])
            item.setData(0, Qt.ItemDataRole.UserRole, first.path)
            tip = details(group)
            for column in range(3):
                item.setToolTip(column, tip)
            item.setForeground(
                0, Qt.GlobalColor.red if first.is_error else Qt.GlobalColor.darkYellow
            )
            self.tree.addTopLevelItem(item)
        for column in (0, 1):
            self.tree.resizeColumnToContents(column)
        self.tree.setVisible(bool(self.groups))

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.issue_activated.emit(str(item.data(0, Qt.ItemDataRole.UserRole)))


UNBOUNDED = 16_777_215  # Qt's QWIDGETSIZE_MAX
SHOWN_VARIABLES = 100  # sample-value fields at most; 4,000 took the panel 25 s to build
VARIABLES_TITLE = "Variables (sample values for the preview)"
NO_VARIABLES = "none in this message. Type {{name}} in any text to add one."
TITLE_MIN_WIDTH = 120  # room for "Variables: none…" when the column is at its narrowest


class VariablesPanel(QGroupBox):
    """One sample value per ``{{variable}}`` in the message, in order; empty ones are flagged."""

    def __init__(self, document: ComposerDocument, parent: QWidget | None = None) -> None:
        super().__init__(VARIABLES_TITLE, parent)
        self.document = document
        self.form = QFormLayout(self)
        self.fields: dict[str, QLineEdit] = {}
        self.names: list[str] = []
        self.more: QLabel | None = None  # "…and N more": names past SHOWN_VARIABLES
        # The names in each part of the message last seen (a carousel's cards, the chips),
        # by identity: an edit replaces one part, and only that part is read again.
        self._parts: dict[int, tuple[object, list[str]]] = {}
        document.changed.connect(self.refresh)
        self.refresh()

    def _find_variables(self) -> list[str]:
        message = self.document.message
        content = message.content
        parts = content.cards if isinstance(content, m.Carousel) else (content,)
        known, self._parts = self._parts, {}
        seen: dict[str, None] = {}
        for part in (*parts, message.chips):
            hit = known.get(id(part))
            names = hit[1] if hit is not None and hit[0] is part else variables_in(part)
            self._parts[id(part)] = (part, names)
            seen.update(dict.fromkeys(names))
        return list(seen)

    def refresh(self) -> None:
        names = self._find_variables()
        values = self.document.variables
        if names != self.names:
            for field in self.fields.values():
                self.form.removeRow(field)
            self.fields = {}
            if self.more is not None:
                self.form.removeRow(self.more)
                self.more = None
            for name in names[:SHOWN_VARIABLES]:
                field = QLineEdit(self)
                field.setMaxLength(LONGEST_LINE)
                field.setAccessibleName(f"Sample value for {name}")
                field.textEdited.connect(lambda text, n=name: self.document.set_variable(n, text))
                self.form.addRow(f"{{{{{name}}}}}", field)
                self.fields[name] = field
            if len(names) > SHOWN_VARIABLES:
                self.more = QLabel(
                    f"…and {len(names) - SHOWN_VARIABLES} more, not listed: a rows file "
                    "(View > Rows from a file) gives each a value",
                    self,
                )
                self.more.setWordWrap(True)
                self.form.addRow(self.more)
            self.names = names
        # With no variables, one line (the title) says how to add one: the editor keeps the room.
        self.full_title = f"Variables: {NO_VARIABLES}" if not names else VARIABLES_TITLE
        self.setToolTip(self.full_title)
        self.setAccessibleName(self.full_title)  # the whole title, however it is elided
        self._fit_title()
        self.setFlat(not names)
        self.setMaximumHeight(self.fontMetrics().height() + 8 if not names else UNBOUNDED)
        for name, field in self.fields.items():
            value = values.get(name, "")
            if field.text() != value:
                field.setText(value)
            missing = not value.strip()
            if field.property("missing") is missing:
                continue  # restyling every field on every keystroke was most of the cost
            field.setProperty("missing", missing)
            field.setPlaceholderText(
                "missing: the preview shows {{" + name + "}}" if missing else ""
            )
            set_outline(field, WARNING_COLOR if missing else None)
            field.setToolTip("No sample value yet" if missing else "")

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """As narrow as the fields allow: the title is elided to fit, so its length no longer
        sets the width of the editor's column (it was the widest thing in it)."""
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        fields = self.form.minimumSize().width() + margins.left() + margins.right()
        return QSize(min(hint.width(), max(fields, TITLE_MIN_WIDTH)), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_title()

    def _fit_title(self) -> None:
        room = self.width() - 2 * self.fontMetrics().averageCharWidth()
        self.setTitle(
            self.fontMetrics().elidedText(self.full_title, Qt.TextElideMode.ElideRight, room)
        )

    def missing(self) -> list[str]:
        return [name for name in self.names if not self.document.variables.get(name, "").strip()]
