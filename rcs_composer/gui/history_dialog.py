"""The local send history: every test send with its ids and outcome, and events seen for it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.services.history import SendHistory

COLUMNS = ["Time", "Profile", "Draft", "Outcome", "Recipient", "Message id"]


class HistoryDialog(QDialog):
    def __init__(self, history: SendHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send history")
        self.history = history
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by number, profile, draft or message id")
        self.filter.setAccessibleName("Filter send history")
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Send history")
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        self.filter.textChanged.connect(self.refresh)
        self.resize(900, 480)
        self.refresh()

    def refresh(self) -> None:
        words = self.filter.text().lower().split()
        self.tree.clear()
        for record in self.history.records(500):
            rows = [(to, record.message_ids.get(to, "")) for to in record.recipients] or [("", "")]
            outcome = record.outcome + (f": {record.error}" if record.error else "")
            text = " ".join(
                [
                    record.profile,
                    record.draft_name,
                    outcome,
                    *record.recipients,
                    *record.message_ids.values(),
                ]
            ).lower()
            if not all(word in text for word in words):
                continue
            parent = QTreeWidgetItem(
                [record.time, record.profile, record.draft_name, outcome, "", ""]
            )
            parent.setToolTip(3, outcome)
            for to, message_id in rows:
                child = QTreeWidgetItem(["", "", "", "", to, message_id])
                for event in self.history.events(message_id) if message_id else []:
                    child.addChild(
                        QTreeWidgetItem(
                            [
                                "",
                                "",
                                "",
                                str(event.get("type", "")),
                                "",
                                str(event.get("sentAt", "")),
                            ]
                        )
                    )
                parent.addChild(child)
            self.tree.addTopLevelItem(parent)
            parent.setExpanded(True)
