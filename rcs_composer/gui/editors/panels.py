"""The problems panel (errors, then warnings; click to go to the field) and the variables panel."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core.issues import Issue
from rcs_composer.core.variables import find_variables
from rcs_composer.gui.document import ComposerDocument


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


class ProblemsPanel(QWidget):
    """Lists issues; activating one emits ``issue_activated`` with its JSONPath."""

    issue_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setAccessibleName("Problems summary")
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Problems")
        self.tree.setHeaderLabels(["", "Problem", "Field", "Source"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.itemClicked.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree)
        self.issues: list[Issue] = []
        self.heading.setText(f"<b>Problems</b> — {summary([])}")

    def set_issues(self, issues: Sequence[Issue]) -> None:
        if list(issues) == self.issues and self.tree.topLevelItemCount() == len(issues):
            return
        self.issues = list(issues)
        self.heading.setText(f"<b>Problems</b> — {summary(issues)}")
        self.tree.clear()
        for issue in issues:
            item = QTreeWidgetItem(
                ["✖" if issue.is_error else "⚠", issue.message, issue.path, issue.source]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, issue.path)
            item.setToolTip(1, f"{issue.message}\n{issue.code} · {issue.source}")
            item.setForeground(
                0, Qt.GlobalColor.red if issue.is_error else Qt.GlobalColor.darkYellow
            )
            self.tree.addTopLevelItem(item)

    def _on_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.issue_activated.emit(str(item.data(0, Qt.ItemDataRole.UserRole)))


class VariablesPanel(QGroupBox):
    """One sample value per ``{{variable}}`` in the message, in order; empty ones are flagged."""

    def __init__(self, document: ComposerDocument, parent: QWidget | None = None) -> None:
        super().__init__("Variables (sample values for the preview)", parent)
        self.document = document
        self.form = QFormLayout(self)
        self.empty = QLabel(
            "No {{variables}} in this message. Type {{name}} in any text to add one.", self
        )
        self.form.addRow(self.empty)
        self.fields: dict[str, QLineEdit] = {}
        self.names: list[str] = []
        document.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        names = find_variables(self.document.message)
        values = self.document.variables
        if names != self.names:
            for name in self.names:
                self.form.removeRow(self.fields.pop(name))
            for name in names:
                field = QLineEdit(self)
                field.setAccessibleName(f"Sample value for {name}")
                field.textEdited.connect(lambda text, n=name: self.document.set_variable(n, text))
                self.form.addRow(f"{{{{{name}}}}}", field)
                self.fields[name] = field
            self.names = names
        self.form.setRowVisible(self.empty, not names)
        for name, field in self.fields.items():
            value = values.get(name, "")
            if field.text() != value:
                field.setText(value)
            missing = not value.strip()
            field.setPlaceholderText(
                "missing: the preview shows {{" + name + "}}" if missing else ""
            )
            field.setStyleSheet(
                "QLineEdit { border: 2px solid #C77700; border-radius: 4px; }" if missing else ""
            )
            field.setToolTip("No sample value yet" if missing else "")

    def missing(self) -> list[str]:
        return [name for name in self.names if not self.document.variables.get(name, "").strip()]
