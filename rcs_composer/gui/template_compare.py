"""Compare the open draft with the server's copy of its template, then update (when allowed)."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.app import templates_account as account
from rcs_composer.core.draft_diff import Change
from rcs_composer.core.model import Draft
from rcs_composer.core.naming import quoted
from rcs_composer.gui.plain_text import plain_label, plain_text
from rcs_composer.gui.tasks import Busy
from rcs_composer.services.template_register import RegisteredTemplate

CHANGE_WORDS = {Change.ADDED: "Added", Change.REMOVED: "Removed", Change.CHANGED: "Changed"}
CHANGE_COLOURS = {Change.ADDED: "#E6F4EA", Change.REMOVED: "#FCE8E6", Change.CHANGED: "#FEF7E0"}


class TemplateCompareDialog(QDialog):
    """Field by field: what Update would change on Kaleyra. Update is offered only while the
    template's status allows it; on an approved one the dialog says why and offers to save
    the draft as a new template instead."""

    update_requested = Signal()
    save_as_new_requested = Signal()

    def __init__(
        self,
        comparison: account.Comparison,
        draft: Draft,
        profile_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.comparison, self.draft = comparison, draft
        entry = comparison.server.entry
        self.setWindowTitle(f"Compare with template {entry.name}")
        self.resize(760, 460)
        status = account.status_words(entry.status)
        # Server text, escaped: the name is bold, never whatever markup it carries.
        self.heading = QLabel(
            f"The open draft {html.escape(quoted(draft.name))} against template "
            f"<b>{html.escape(entry.name)}</b> ({html.escape(status)}, "
            f"{html.escape(entry.template_id)}) on {html.escape(profile_name)}.",
            self,
        )
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Differences between the open draft and the template")
        self.tree.setHeaderLabels(["Field", "Change", "On Kaleyra now", "In the open draft"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        for change in comparison.changes:
            item = QTreeWidgetItem(
                [
                    change.label,
                    CHANGE_WORDS[change.change],
                    change.shown("before"),
                    change.shown("after"),
                ]
            )
            item.setToolTip(0, change.path)
            for column in range(4):
                item.setBackground(column, QBrush(QColor(CHANGE_COLOURS[change.change])))
                item.setForeground(column, QBrush(QColor("#202124")))
            self.tree.addTopLevelItem(item)
        for column, width in enumerate((200, 80, 220)):
            self.tree.setColumnWidth(column, width)
        self.summary = plain_label(QLabel(self))
        self.summary.setWordWrap(True)
        self.explanation = plain_label(QLabel(self))
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.setAccessibleName("Why the template cannot be updated")
        self.explanation.setStyleSheet(
            "QLabel { background: #FEF7E0; color: #7A4F01; padding: 8px; border-radius: 4px; }"
        )
        self.outcome = plain_label(QLabel(self))
        self.outcome.setWordWrap(True)
        self.update_button = QPushButton("Update template", self)
        self.update_button.setDefault(True)
        self.update_button.clicked.connect(self.on_update)
        self.save_new_button = QPushButton("Save as a new template…", self)
        self.save_new_button.clicked.connect(self.save_as_new_requested.emit)
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_new_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.update_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.explanation)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.updating = Busy(self)  # on while the update is out: Update is off meanwhile
        self.updating.changed.connect(lambda _on: self.update_state())
        self.blocked = comparison.blocked
        self.updated = False
        self.update_state()

    @property
    def in_flight(self) -> bool:
        return self.updating.active

    def update_state(self) -> None:
        changes = self.comparison.changes
        if changes and self.blocked:
            self.summary.setText(
                f"{len(changes)} difference(s), but they cannot be sent as an update: the "
                "template is approved, and Kaleyra keeps an approved template as it was approved."
            )
        elif changes:
            self.summary.setText(
                f"{len(changes)} difference(s). Update replaces the template on Kaleyra with the "
                "open draft."
            )
        else:
            self.summary.setText(
                "No differences: the template on Kaleyra is the same as the open draft."
            )
        self.explanation.setText(f"⚠ {self.blocked}" if self.blocked else "")
        self.explanation.setVisible(bool(self.blocked))
        self.save_new_button.setVisible(bool(self.blocked))
        can = bool(changes) and not self.blocked and not self.in_flight and not self.updated
        self.update_button.setEnabled(can)
        self.update_button.setToolTip(plain_text(self._update_tip(changes)))

    def _update_tip(self, changes: tuple[Any, ...]) -> str:
        return (
            "Updating…"
            if self.in_flight
            else f"Update is off: {self.blocked}"
            if self.blocked
            else "Update is off: nothing to change"
            if not changes
            else "Already updated"
            if self.updated
            else "Send the open draft to Kaleyra as this template's new content"
        )

    def on_update(self) -> None:
        if self.in_flight or self.blocked or not self.comparison.changes:
            return
        self.update_requested.emit()

    def show_progress(self, text: str) -> None:
        """What the update being sent is doing (the op that sends it holds ``updating``)."""
        self.outcome.setText(text)

    def show_updated(self, entry: RegisteredTemplate) -> None:
        self.updated = True
        self.outcome.setText(
            f"✔ Template {entry.name} updated on Kaleyra; its status is now "
            f"{account.status_words(entry.status).lower()}."
        )
        self.update_state()

    def show_blocked(self, explanation: str) -> None:
        """The server said the status changed meanwhile (approved since the compare)."""
        self.blocked = explanation
        self.outcome.setText("Nothing was sent.")
        self.update_state()

    def show_error(self, error: BaseException) -> None:
        from rcs_composer.services.kaleyra_replies import KaleyraError

        text = error.user_message() if isinstance(error, KaleyraError) else str(error)
        self.outcome.setText(f"✖ {text}")
        self.update_state()

    def changes_shown(self) -> list[tuple[str, ...]]:
        """The rows as the user reads them (field, change, on Kaleyra, in the draft)."""
        rows: list[tuple[str, ...]] = []
        for index in range(self.tree.topLevelItemCount()):
            item: Any = self.tree.topLevelItem(index)
            rows.append(tuple(item.text(column) for column in range(4)))
        return rows
