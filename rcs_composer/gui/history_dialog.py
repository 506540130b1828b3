"""The local send history: every test send with its ids and outcome, and events seen for it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core.local_time import local_time
from rcs_composer.gui.plain_text import plain_label
from rcs_composer.gui.tasks import TaskRunner
from rcs_composer.services.delivery import event_reason
from rcs_composer.services.history import SendHistory, SendRecord

Events = dict[str, list[dict[str, object]]]  # message id -> the delivery events seen for it

COLUMNS = ["Time", "Profile", "Draft", "Recipient", "Message id", "Outcome"]
OUTCOME = COLUMNS.index("Outcome")  # last: a failure's reason can be long


def read_history(history: SendHistory, limit: int = 500) -> tuple[list[SendRecord], Events]:
    """The newest records and their events, read once (on a worker thread)."""
    records = history.records(limit)
    events: Events = {}
    for record in records:
        for message_id in record.message_ids.values():
            events[message_id] = list(history.events(message_id))
    return records, events


class HistoryDialog(QDialog):
    """Reads the history off the GUI thread once it opens (``loaded`` says when); filtering
    then works on what was read."""

    loaded = Signal()

    def __init__(
        self, history: SendHistory, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Send history")
        self.history = history
        self.records: list[SendRecord] = []
        self.events: Events = {}
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by number, profile, draft or message id")
        self.filter.setAccessibleName("Filter send history")
        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Send history")
        self.tree.setHeaderLabels(COLUMNS)
        header = self.tree.header()
        for column in range(OUTCOME):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        # the chosen row's outcome or failure reason, whole: a server's words, as they are
        self.detail = plain_label(QLabel(self))
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAccessibleName("Outcome of the chosen row")
        self.tree.currentItemChanged.connect(
            lambda item, _old: self.detail.setText(item.toolTip(OUTCOME) if item else "")
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.tree)
        layout.addWidget(self.detail)
        self.filter.textChanged.connect(self.refresh)
        self.resize(900, 480)
        self.tree.setHeaderLabels([f"{COLUMNS[0]} (reading…)", *COLUMNS[1:]])
        runner.op(lambda: read_history(history)).on_success(self.on_read).on_failure(
            self.on_read_failed
        ).run()

    def on_read(self, read: tuple[list[SendRecord], Events]) -> None:
        self.records, self.events = read
        self.tree.setHeaderLabels(COLUMNS)
        self.refresh()
        self.loaded.emit()

    def on_read_failed(self, error: BaseException) -> None:
        self.tree.setHeaderLabels(COLUMNS)
        self.filter.setPlaceholderText(f"The send history could not be read: {error}")
        self.loaded.emit()

    def refresh(self) -> None:
        words = self.filter.text().lower().split()
        self.tree.clear()
        for record in self.records:
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
                [local_time(record.time), record.profile, record.draft_name, "", "", outcome]
            )
            parent.setToolTip(0, record.time)  # the stored UTC stamp, for developers
            parent.setToolTip(OUTCOME, outcome)
            for to, message_id in rows:
                child = QTreeWidgetItem(["", "", "", to, message_id, ""])
                for event in self.events.get(message_id, []) if message_id else []:
                    at = event.get("sentAt")  # a server's or a hand-edited file's: any value
                    stamp = "" if at is None else str(at)
                    kind = str(event.get("type", ""))
                    why = event_reason(event)
                    row = QTreeWidgetItem(
                        [local_time(stamp), "", "", "", "", f"{kind}: {why}" if why else kind]
                    )
                    row.setToolTip(0, stamp)
                    row.setToolTip(OUTCOME, row.text(OUTCOME))
                    child.addChild(row)
                parent.addChild(child)
            self.tree.addTopLevelItem(parent)
            parent.setExpanded(True)
