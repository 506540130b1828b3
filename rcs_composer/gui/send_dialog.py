"""The Send test dialog: recipients in any form, the exact JSON, a background send, the timeline."""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.app.rows import (
    MAX_ROW_SENDS,
    RowSelection,
    RowSendBatch,
    RowSendOutcome,
    plan_row_sends,
    send_rows,
)
from rcs_composer.app.sending import (
    COUNTRY_OF_REGION,
    SendOutcome,
    SendPlan,
    parse_recipients,
    plan_send,
    send_test,
)
from rcs_composer.core import codecs
from rcs_composer.core.model import Draft
from rcs_composer.core.variables import find_variables
from rcs_composer.gui.session import AppSession
from rcs_composer.gui.widgets import dialog_buttons
from rcs_composer.services.profiles import Profile

log = logging.getLogger(__name__)

POLL_MS = 700
POLL_FOR_S = 30
TERMINAL = {"READ", "ERROR", "TTL_EXPIRATION_REVOKED"}


class SendDialog(QDialog):
    """Sends one test; never twice by accident (the button is off while a send is in flight).

    The profiles are read once, in the background, when the dialog opens; typing only
    recomputes the plan from them. History writes run in the background too."""

    field_error = Signal(str)  # the JSONPath Kaleyra named, for the editor to focus
    sent = Signal(dict)

    def __init__(
        self,
        session: AppSession,
        draft: Draft,
        profile_name: str,
        parent: QWidget | None = None,
        *,
        rows: RowSelection | None = None,
    ) -> None:
        """``rows``: send each of these rows (at most 20) its own filled message, to its own
        number, instead of one message to the numbers typed."""
        super().__init__(parent)
        self.setWindowTitle("Send test")
        self.session, self.draft = session, draft
        self.rows = rows
        self.settings = QSettings()
        self.values: dict[str, str] = dict(draft.variables)
        self.in_flight = False
        self.message_ids: dict[str, str] = {}
        self.profiles: dict[str, Profile] = {}
        self.profile_box = QComboBox(self)
        self.profile_box.setAccessibleName("Send through profile")
        self.profile_box.addItem("Reading the profiles…")
        self.profile_box.setEnabled(False)
        self.recipients = QPlainTextEdit(self)
        self.recipients.setAccessibleName("Recipients")
        self.recipients.setPlaceholderText(
            "+91 98765 43210, 0091 98765 43211 … one per line or comma-separated"
        )
        self.recipients.setFixedHeight(70)
        self.recipients.setTabChangesFocus(True)
        self.recent = QComboBox(self)
        self.recent.setAccessibleName("Recent test numbers")
        self.recent.activated.connect(self.on_recent)
        self.recipient_note = QLabel(self)
        self.recipient_note.setWordWrap(True)
        self.variable_fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.addRow("Profile", self.profile_box)
        form.addRow("Recipients", self.recipients)
        form.addRow("Recent", self.recent)
        form.addRow("", self.recipient_note)
        if rows is not None:
            self._show_rows(rows, form)
        for name in find_variables(draft.message) if rows is None else ():
            field = QLineEdit(self.values.get(name, ""), self)
            field.setAccessibleName(f"Value for {name}")
            field.textEdited.connect(lambda text, n=name: self.on_value(n, text))
            form.addRow(f"{{{{{name}}}}}", field)
            self.variable_fields[name] = field
        self.recipient_problems: list[str] = []
        self.literal_variables = QCheckBox("Send variables left empty as they are, braces and all")
        self.literal_variables.setAccessibleName("Send unfilled variables literally")
        self.literal_variables.setVisible(False)
        self.literal_variables.toggled.connect(lambda _on: self.update_state())
        form.addRow("", self.literal_variables)
        self.json_view = QPlainTextEdit(self)
        self.json_view.setReadOnly(True)
        self.json_view.setAccessibleName("Exact JSON that will be sent")
        self.json_view.setVisible(False)
        self.json_toggle = QPushButton("Show the JSON that will be sent", self)
        self.json_toggle.setCheckable(True)
        self.json_toggle.toggled.connect(self.json_view.setVisible)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.timeline = QTreeWidget(self)
        self.timeline.setHeaderLabels(["Recipient / event", "Message id", "Latest event / time"])
        self.timeline.setAccessibleName("Delivery timeline")
        self.paste_button = QPushButton("Paste webhook events…", self)
        self.paste_button.clicked.connect(self.paste_events)
        self.send_button = QPushButton("Send", self)
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.on_send)
        buttons = dialog_buttons(self, self.paste_button, self.send_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.json_toggle)
        layout.addWidget(self.json_view)
        layout.addWidget(self.status)
        layout.addWidget(self.details)
        layout.addWidget(self.timeline, 1)
        layout.addLayout(buttons)
        self.resize(640, 620)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll_events)
        self.poll_started: datetime | None = None
        self.recorded_events: set[str] = set()
        self.recipients.textChanged.connect(self.update_state)
        self.update_state()
        profiles = session.profiles
        session.runner.run(
            profiles.list,
            lambda found: self.on_profiles(found, profile_name),
            lambda error: self.status.setText(f"✖ Could not read the profiles: {error}"),
        )

    # ------------------------------------------------------------ state

    def on_profiles(self, profiles: list[Profile], chosen: str) -> None:
        self.profiles = {profile.name: profile for profile in profiles}
        self.profile_box.clear()
        for profile in profiles:
            self.profile_box.addItem(
                f"{profile.name} ({'simulated' if profile.is_sandbox else profile.pod})",
                profile.name,
            )
        self.profile_box.setCurrentIndex(max(0, self.profile_box.findData(chosen)))
        self.profile_box.setEnabled(True)
        self.profile_box.currentIndexChanged.connect(self.on_profile_changed)
        self.on_profile_changed()

    @property
    def ready(self) -> bool:
        """Whether the profiles have been read, so the dialog can plan a send."""
        return bool(self.profiles)

    def profile(self) -> Profile:
        return self.profiles[str(self.profile_box.currentData())]

    def on_profile_changed(self) -> None:
        self.recent.clear()
        recent = self.recent_numbers()
        self.recent.addItem("(choose a recent number)" if recent else "(no recent numbers yet)")
        for number in recent:
            self.recent.addItem(number)
        self.update_state()

    def recent_numbers(self) -> list[str]:
        value = self.settings.value(f"recent/{self.profile_box.currentData()}", [])
        return (
            [str(v) for v in value] if isinstance(value, list) else ([str(value)] if value else [])
        )

    def remember(self, numbers: list[str]) -> None:
        merged = list(dict.fromkeys([*numbers, *self.recent_numbers()]))[:10]
        self.settings.setValue(f"recent/{self.profile_box.currentData()}", merged)

    def on_recent(self, index: int) -> None:
        if index > 0:
            current = self.recipients.toPlainText().strip()
            self.recipients.setPlainText(f"{current}\n{self.recent.itemText(index)}".strip())

    def on_value(self, name: str, text: str) -> None:
        self.values[name] = text
        self.update_state()

    def _show_rows(self, rows: RowSelection, form: QFormLayout) -> None:
        self.setWindowTitle(f"Send test of {len(rows.numbers)} row(s)")
        note = QLabel(
            "This is for checking a design on real handsets, not for campaigns: each selected "
            f"row (at most {MAX_ROW_SENDS}) gets its own message with its own values, sent to "
            "the number in its row.",
            self,
        )
        note.setWordWrap(True)
        note.setAccessibleName("Row test send note")
        form.addRow("", note)
        self.recipients.setReadOnly(True)
        self.recipients.setPlainText(
            ", ".join(f"row {number}" for number in rows.numbers[: MAX_ROW_SENDS + 5])
        )

    def _row_plan(self, rows: RowSelection) -> RowSendBatch:
        profile = self.profile()
        self.recipient_problems = []
        return plan_row_sends(
            self.draft,
            profile,
            rows.table,
            rows.mapping,
            rows.numbers,
            country=COUNTRY_OF_REGION.get(profile.region),
        )

    def plan(self) -> SendPlan | RowSendBatch:
        if self.rows is not None:
            return self._row_plan(self.rows)
        profile = self.profile()
        numbers, problems = parse_recipients(
            self.recipients.toPlainText(), COUNTRY_OF_REGION.get(profile.region)
        )
        plan = plan_send(
            self.draft,
            profile,
            numbers,
            self.values,
            literal_variables=self.literal_variables.isChecked(),
        )
        self.recipient_problems = problems
        return plan

    def outgoing(self) -> tuple[dict[str, Any], list[str], list[str]]:
        plan = self.plan()
        self.literal_variables.setVisible(bool(plan.unfilled))
        return plan.body, list(plan.recipients), self.recipient_problems + plan.reasons

    def update_state(self) -> None:
        if not self.ready:
            self.send_button.setEnabled(False)
            self.send_button.setToolTip("Reading the profiles…")
            return
        body, numbers, reasons = self.outgoing()
        self.json_view.setPlainText(codecs.dumps(body))
        self.recipient_note.setText(
            f"{len(numbers)} recipient(s): {', '.join(numbers[:5])}"
            + ("…" if len(numbers) > 5 else "")
            if numbers
            else ""
        )
        blocked = self.in_flight or bool(reasons)
        self.send_button.setEnabled(not blocked)
        if self.in_flight:
            self.send_button.setToolTip("Sending… one send at a time.")
        elif reasons:
            self.send_button.setToolTip(
                f"Send is off: {len(reasons)} problem(s).\n" + "\n".join(reasons[:8])
            )
        else:
            self.send_button.setToolTip(
                f"Send to {len(numbers)} recipient(s) through {self.profile().name}"
            )

    # ------------------------------------------------------------ sending

    def on_send(self) -> None:
        if self.in_flight or not self.ready:
            return  # a double click never sends twice
        plan = self.plan()  # what is checked here is exactly what is sent
        numbers = list(plan.recipients)
        if self.recipient_problems or plan.reasons:
            return
        profile = self.profile()
        if not profile.is_sandbox and not self.confirm_real_send(profile.name, len(numbers)):
            return
        self.in_flight = True
        self.update_state()
        self.status.setText(f"Sending to {len(numbers)} recipient(s) through {profile.name}…")
        self.details.setVisible(False)
        self.remember(numbers)
        services, draft_name = self.session.services, self.draft.name

        def work() -> SendOutcome | RowSendOutcome:
            if isinstance(plan, RowSendBatch):
                return send_rows(services, profile, plan, draft_name)
            return send_test(services, profile, plan, draft_name)

        self.session.runner.run(
            work,
            lambda result: self.on_sent(result, profile, numbers, draft_name),
            lambda error: self.on_failed(error, profile, numbers, draft_name),
        )

    def confirm_real_send(self, profile_name: str, count: int) -> bool:
        """A real account sends real messages: one explicit yes before each send."""
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            "Send through a real account?",
            f"This sends a real RCS message to {count} number(s) through the Kaleyra account "
            f"“{profile_name}”. Send it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def on_sent(
        self,
        result: SendOutcome | RowSendOutcome,
        profile: Any,
        numbers: list[str],
        draft_name: str,
    ) -> None:
        self.in_flight = False
        self.message_ids = dict(result.message_ids)
        note = f" ({result.history_problem})" if result.history_problem else ""
        self.status.setText(
            f"✔ Sent through {profile.name}: {len(self.message_ids)} message id(s).{note}"
        )
        self.timeline.clear()
        for recipient, message_id in self.message_ids.items():
            item = QTreeWidgetItem([recipient, message_id, ""])
            item.setData(0, Qt.ItemDataRole.UserRole, message_id)
            self.timeline.addTopLevelItem(item)
            item.setExpanded(True)
        for column in range(3):
            self.timeline.resizeColumnToContents(column)
        self.update_state()
        self.sent.emit(self.message_ids)
        if profile.is_sandbox:
            self.poll_started = datetime.now(UTC)
            self.poll_timer.start()

    def on_failed(
        self, error: BaseException, profile: Any, numbers: list[str], draft_name: str
    ) -> None:
        from rcs_composer.services.kaleyra_replies import ApiError, KaleyraError, OutcomeUnknown

        self.in_flight = False
        outcome = "unknown" if isinstance(error, OutcomeUnknown) else "failed"
        text = error.user_message() if isinstance(error, KaleyraError) else str(error)
        prefix = "⚠ Outcome unknown: " if outcome == "unknown" else "✖ Not sent: "
        self.status.setText(prefix + text)
        if isinstance(error, KaleyraError) and error.details():
            self.details.setPlainText(error.details())
            self.details.setVisible(True)
        if isinstance(error, ApiError) and error.json_path:
            self.field_error.emit(error.json_path)
        self.update_state()
        if outcome == "unknown":
            self.send_button.setText("Send again…")
            self.send_button.setToolTip(
                "The last send may have arrived: check your phone before sending again."
            )

    # ------------------------------------------------------------ timeline

    def poll_events(self) -> None:
        sandbox = self.session.sandbox
        if sandbox is None or self.poll_started is None:
            self.poll_timer.stop()
            return
        events = [
            event
            for message_id in self.message_ids.values()
            for event in sandbox.events(message_id)
        ]
        new = [event for event in events if event["eventId"] not in self.recorded_events]
        self.recorded_events.update(event["eventId"] for event in new)
        if new:
            self.record_events([(event["messageId"], event) for event in new])
        self.show_events(events)
        done = all(
            any(e["type"] in TERMINAL and e["messageId"] == mid for e in events)
            for mid in self.message_ids.values()
        )
        if done or (datetime.now(UTC) - self.poll_started).total_seconds() > POLL_FOR_S:
            self.poll_timer.stop()

    def record_events(self, events: list[tuple[str, dict[str, Any]]]) -> None:
        """Append delivery events to the send history in the background; a failed write costs
        only the history, which the timeline does not need."""
        history = self.session.history

        def work() -> None:
            for message_id, event in events:
                with contextlib.suppress(OSError):
                    history.add_event(message_id, event)

        self.session.runner.run(
            work, lambda _none: None, lambda error: log.warning("history not written: %s", error)
        )

    def show_events(self, events: list[dict[str, Any]]) -> None:
        for index in range(self.timeline.topLevelItemCount()):
            item = self.timeline.topLevelItem(index)
            if item is None:
                continue
            message_id = item.data(0, Qt.ItemDataRole.UserRole)
            mine = [event for event in events if event.get("messageId") == message_id]
            known = {child.text(0) for i in range(item.childCount()) if (child := item.child(i))}
            for event in mine:
                if event["type"] not in known:
                    item.addChild(
                        QTreeWidgetItem([event["type"], "", str(event.get("sentAt", ""))])
                    )
                    known.add(event["type"])
            if mine:
                item.setText(2, mine[-1]["type"])
        for column in range(3):
            self.timeline.resizeColumnToContents(column)

    def paste_events(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from rcs_composer.services.delivery import EventError, parse_events

        text, ok = QInputDialog.getMultiLineText(
            self, "Paste webhook events", "Delivery events from your webhook (JSON, one or many):"
        )
        if not ok:
            return
        try:
            events = parse_events(text)
        except EventError as exc:
            self.status.setText(f"✖ {exc}")
            return
        self.record_events([(event.message_id, dict(event.raw or {})) for event in events])
        raw = [
            dict(event.raw or {}, type=event.type, messageId=event.message_id) for event in events
        ]
        matched = sum(1 for e in raw if e["messageId"] in self.message_ids.values())
        self.show_events(raw)
        self.status.setText(f"{len(events)} event(s) read; {matched} match this send.")
