"""The Send test dialog: recipients in any form, the exact JSON, a background send, the timeline."""

from __future__ import annotations

import contextlib
import itertools
import logging
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
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
from rcs_composer.app.send_guard import Earlier, Key, SendInFlight, SentBefore, body_digest
from rcs_composer.app.sending import (
    COUNTRY_OF_REGION,
    RecipientEntry,
    SendOutcome,
    SendPlan,
    plan_send,
    read_recipients,
    send_test,
)
from rcs_composer.app.template_sends import TemplateSendPlan, send_by_template
from rcs_composer.core import codecs
from rcs_composer.core.local_time import local_time
from rcs_composer.core.model import Draft
from rcs_composer.core.naming import quoted
from rcs_composer.core.variables import variables_sent
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.plain_text import plain_label, plain_text
from rcs_composer.gui.tasks import Busy
from rcs_composer.gui.template_send_option import add_template_send_option
from rcs_composer.gui.widgets import dialog_buttons, mnemonic
from rcs_composer.services.delivery import event_reason, event_standing, latest_event
from rcs_composer.services.profiles import Profile

log = logging.getLogger(__name__)

POLL_MS = 700
POLL_FOR_S = 30
TERMINAL = {"READ", "ERROR", "TTL_EXPIRATION_REVOKED"}


RECIPIENT_COLUMNS = ["Typed", "Sent as", "Status", "Why"]
TIMELINE_COLUMNS = ["Recipient / event", "Message id", "Latest event / time", "Why it failed"]


class SendDialog(QDialog):
    """Sends one test; never twice by accident (the button is off while a send is in flight).

    Each recipient gets its own line in the recipients list: as typed, as sent, and why it
    would be skipped. The profiles are read once, in the background, when the dialog opens;
    typing only recomputes the plan from them. History writes run in the background too."""

    field_error = Signal(str)  # the JSONPath Kaleyra named, for the editor to focus
    sent = Signal(dict)

    def __init__(
        self,
        context: AppContext,
        draft: Draft,
        profile_name: str,
        parent: QWidget | None = None,
        *,
        rows: RowSelection | None = None,
    ) -> None:
        """``rows``: send each of these rows of a rows file (at most 20) its own message, with
        its own values, to the number in its row, instead of one message to typed numbers."""
        super().__init__(parent)
        self.setWindowTitle("Send test")
        self.context, self.draft = context, draft
        self.rows = rows
        self.settings = QSettings()
        self.values: dict[str, str] = dict(draft.variables)
        self.sending = Busy(self)  # one send at a time: on while a send is out
        self.outcome_unknown = False  # the last send may have arrived: ask before another
        self.sent_rows: set[int] = set()  # rows sent from this dialog: never sent again
        self.row_note: str | None = None  # rows that cannot go, named
        self.message_ids: dict[str, str] = {}
        self.profiles: dict[str, Profile] = {}
        self.entries: list[RecipientEntry] = []
        # Recipients added by other means than typing (rows of variable values, each entry
        # with its own ``values``): listed and checked with the typed ones.
        self.extra_entries: list[RecipientEntry] = []
        # Mnemonic letters in use (the fixed labels and buttons below); a label added later
        # gets a free one through mnemonic(text, self.mnemonics_taken).
        self.mnemonics_taken = taken = set("precwjsdv")
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
        self.recipient_note = plain_label(QLabel(self))
        self.recipient_note.setWordWrap(True)
        self.recipient_list = QTableWidget(0, len(RECIPIENT_COLUMNS), self)
        self.recipient_list.setAccessibleName("Each recipient: as typed, as sent, and its status")
        self.recipient_list.setHorizontalHeaderLabels(RECIPIENT_COLUMNS)
        self.recipient_list.verticalHeader().setVisible(False)
        self.recipient_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.recipient_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recipient_list.setTabKeyNavigation(False)  # Tab leaves the list: no focus trap
        self.recipient_list.setWordWrap(True)  # a reason is read whole, not cut to "…"
        self.recipient_list.setMaximumHeight(130)
        header = self.recipient_list.horizontalHeader()
        header.setStretchLastSection(True)  # Why takes the width left and wraps in it
        header.sectionResized.connect(self.on_recipient_column_resized)
        self.row_sizer = QTimer(self)
        self.row_sizer.setSingleShot(True)
        self.row_sizer.setInterval(0)
        self.row_sizer.timeout.connect(self.recipient_list.resizeRowsToContents)
        self._shown_entries: list[RecipientEntry] | None = None
        self.recipient_list.setVisible(False)
        self.variable_fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        self.form = form
        self._row(form, "&Profile", self.profile_box)
        self._row(form, "&Recipients", self.recipients)
        self._row(form, "R&ecent", self.recent)
        self.recipient_label = self._row(form, "Re&cipient check", self.recipient_list)
        self.recipient_label.setVisible(False)
        form.addRow("", self.recipient_note)
        if rows is not None:
            self._show_rows(rows, form)
        sent = variables_sent(codecs.export_message(draft.message)) if rows is None else []
        for name in sent:  # the references' and unknown keys' variables too: all are filled
            field = QLineEdit(self.values.get(name, ""), self)
            field.setAccessibleName(f"Value for {name}")
            field.textEdited.connect(lambda text, n=name: self.on_value(n, text))
            self._row(form, mnemonic(f"{{{{{name}}}}}", taken), field)
            self.variable_fields[name] = field
        self.literal_variables = QCheckBox(
            "Send &variables left empty as they are, braces and all", self
        )
        self.literal_variables.setAccessibleName("Send unfilled variables literally")
        self.literal_variables.setVisible(False)
        self.literal_variables.toggled.connect(lambda _on: self.update_state())
        form.addRow("", self.literal_variables)
        self.template_option = add_template_send_option(self, form)  # India: send by template
        if rows is not None:  # a template send takes one set of values; each row has its own
            self.template_option.box.setChecked(False)
            self.template_option.box.setEnabled(False)
            self.template_option.box.setToolTip("Rows are sent as messages, each with its values")
        self.json_view = QPlainTextEdit(self)
        self.json_view.setReadOnly(True)
        self.json_view.setAccessibleName("Exact JSON that will be sent")
        self.json_view.setVisible(False)
        self.json_view.setTabChangesFocus(True)
        self.json_toggle = QPushButton("Show the &JSON that will be sent", self)
        self.json_toggle.setCheckable(True)
        self.json_toggle.toggled.connect(self.json_view.setVisible)
        self.readiness = plain_label(QLabel(self))  # reasons quote the draft's own text
        self.readiness.setWordWrap(True)
        self.readiness.setAccessibleName("Why Send is off")
        self.status = plain_label(QLabel(self))  # a server's answer
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setTabChangesFocus(True)
        self.timeline = QTreeWidget(self)
        self.timeline.setHeaderLabels(TIMELINE_COLUMNS)
        self.timeline.setAccessibleName("Delivery timeline")
        self.failures = plain_label(QLabel(self))
        self.failures.setWordWrap(True)
        self.failures.setAccessibleName("Why deliveries failed")
        self.failures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failures.setVisible(False)
        timeline_label = QLabel("&Delivery timeline", self)
        timeline_label.setBuddy(self.timeline)
        self.paste_button = QPushButton("Paste &webhook events…", self)
        self.paste_button.clicked.connect(self.paste_events)
        self.send_button = QPushButton("&Send", self)
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.on_send)
        buttons = dialog_buttons(self, self.paste_button, self.send_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.readiness)
        layout.addWidget(self.json_toggle)
        layout.addWidget(self.json_view)
        layout.addWidget(self.status)
        layout.addWidget(self.details)
        layout.addWidget(timeline_label)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.failures)
        layout.addLayout(buttons)
        self.resize(680, 660)
        # Ctrl+Enter sends from anywhere in the dialog, as it opens the dialog in the window.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.on_send)
        self.set_tab_order()
        self.recipients.setFocus(Qt.FocusReason.OtherFocusReason)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll_events)
        self.poll_started: datetime | None = None
        self.recorded_events: set[str] = set()
        self.recipients.textChanged.connect(self.update_state)
        self.update_state()
        profiles = context.profiles
        context.runner.op(profiles.list).on_success(
            lambda found: self.on_profiles(found, profile_name)
        ).report_to(self.status.setText, "✖ Could not read the profiles: {error}").run()

    def _row(self, form: QFormLayout, text: str, field: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(field)
        form.addRow(label, field)
        return label

    def set_tab_order(self) -> None:
        """Tab goes top to bottom as the dialog reads, then along the buttons, then round."""
        chain: list[QWidget] = [
            self.profile_box,
            self.recipients,
            self.recent,
            self.recipient_list,
            *self.variable_fields.values(),
            self.literal_variables,
            self.json_toggle,
            self.json_view,
            self.details,
            self.timeline,
            self.paste_button,
            *[
                button
                for button in self.findChildren(QPushButton)
                if button not in (self.paste_button, self.send_button, self.json_toggle)
            ],
            self.send_button,
        ]
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.recipients.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

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

    @property
    def in_flight(self) -> bool:
        """Whether a send is out (a second click or Ctrl+Enter then does nothing)."""
        return self.sending.active

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
        self.setWindowTitle(f"Send test of {_count(len(rows.numbers), 'row')}")
        note = QLabel(
            "This is for checking a design on real handsets, not for campaigns: each selected "
            f"row (at most {MAX_ROW_SENDS}) gets its own message with its own values, sent to "
            "the number in its row.",
            self,
        )
        note.setWordWrap(True)
        note.setAccessibleName("Row test send note")
        form.insertRow(0, note)
        self.recipients.setPlainText(", ".join(f"row {number}" for number in rows.numbers[:25]))
        self.recipients.setReadOnly(True)
        self.recent.setEnabled(False)

    def plan(self) -> SendPlan | RowSendBatch:
        """The send as it stands: the recipients that can be sent to, the filled-in body, and
        what stops it; ``self.entries`` gets every recipient with its own status."""
        profile = self.profile()
        if self.rows is not None:  # a plan per row, each with the row's own values
            batch = plan_row_sends(
                self.draft,
                profile,
                self.rows.table,
                self.rows.mapping,
                self.rows.numbers,
                country=COUNTRY_OF_REGION.get(profile.region),
                sent=self.sent_rows,
            )
            self.entries = list(batch.entries)
            self.row_note = batch.note
            return batch
        self.entries = self.recipient_entries(profile)
        numbers = [entry.number for entry in self.entries if entry.ok and entry.number]
        return plan_send(
            self.draft,
            profile,
            numbers,
            self.values,
            literal_variables=self.literal_variables.isChecked(),
        )

    def recipient_entries(self, profile: Profile) -> list[RecipientEntry]:
        """Every recipient with its own status: the typed ones, then ``extra_entries``."""
        typed = read_recipients(
            self.recipients.toPlainText(), COUNTRY_OF_REGION.get(profile.region)
        )
        return [*typed, *self.extra_entries]

    @property
    def skipped(self) -> list[RecipientEntry]:
        """Entries that get no message (a repeat's number does: it is not counted here)."""
        return [
            entry
            for entry in self.entries
            if not entry.ok and entry.repeat_of is None and not entry.sent
        ]

    @property
    def doubtful(self) -> list[RecipientEntry]:
        """Numbers that are sent to but look unlikely to be in use (their Why says so)."""
        return [entry for entry in self.entries if entry.ok and entry.warning]

    def show_entries(self) -> None:
        if self.entries != self._shown_entries:  # typing elsewhere leaves the list alone
            self._shown_entries = list(self.entries)
            self.fill_recipient_list()
        shown = bool(self.entries)
        self.recipient_list.setVisible(shown)
        self.recipient_label.setVisible(shown)
        sendable = sum(1 for entry in self.entries if entry.ok)
        skipped = len(self.skipped)
        repeats = len(self.entries) - sendable - skipped
        also = (
            f" {_count(repeats, 'repeat')} left out: each number gets one message."
            if repeats
            else ""
        )
        doubtful = len(self.doubtful)
        checks = f"{doubtful} to check" if doubtful else ""
        if not self.entries:
            self.recipient_note.clear()
        elif self.rows is not None and (skipped or self.sent_rows):
            done = sum(1 for entry in self.entries if entry.sent)
            parts = [self.row_note] if self.row_note else []
            if done:
                parts.append(f"{_count(done, 'row')} sent already (not sent again).")
            if skipped:  # a row batch goes whole or not at all
                parts.append(
                    f"{_count(skipped, 'row')} cannot be sent (see Why), so Send is off: select "
                    f"only the rows that can ({sendable})."
                )
            else:
                parts.append(f"{_count(sendable, 'row')} to send.")
            self.recipient_note.setText(" ".join(parts))
        elif skipped:
            will = f"{_count(sendable, 'number')} will be sent to" if sendable else "No number"
            self.recipient_note.setText(
                f"{will}{f' ({checks})' if checks else ''}; {skipped} "
                f"{'entry is' if skipped == 1 else 'entries are'} skipped (see Why).{also}"
            )
        else:
            verdict = f"{checks} (see Why)" if checks else "all fine"
            self.recipient_note.setText(f"{_count(sendable, 'recipient')}, {verdict}.{also}")

    def fill_recipient_list(self) -> None:
        """One row per entry; columns and rows sized once at the end (sizing them as each
        cell arrives costs a quarter of a second per keystroke at 100 numbers)."""
        table = self.recipient_list
        table.setUpdatesEnabled(False)
        try:
            table.setRowCount(len(self.entries))
            for row, entry in enumerate(self.entries):
                cells = [entry.typed, entry.e164, entry.status, entry.reason]
                for column, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setToolTip(text)
                    table.setItem(row, column, item)
            for column in range(3):
                table.resizeColumnToContents(column)
        finally:
            table.setUpdatesEnabled(True)
        self.row_sizer.start()

    def on_recipient_column_resized(self, column: int, _old: int, _new: int) -> None:
        if column == len(RECIPIENT_COLUMNS) - 1:
            self.row_sizer.start()  # Why re-wraps in its new width, once the layout settles

    def update_state(self) -> None:
        if not self.ready:
            self.send_button.setEnabled(False)
            self.send_button.setToolTip("Reading the profiles…")
            self.readiness.setText("Reading the profiles…")
            return
        plan = self.plan()
        self.literal_variables.setVisible(isinstance(plan, SendPlan) and plan.sends_braces)
        self.json_view.setPlainText(codecs.dumps(plan.body))
        self.show_entries()
        reasons = plan.reasons_besides(plan.RECIPIENTS)  # each number shows its own
        if not self.entries:
            reasons.insert(0, "Type at least one number in Recipients.")
        elif not plan.recipients:
            reasons.insert(0, "None of the entries can be sent to: see Why in the list.")
        sendable, skipped = len(plan.recipients), len(self.skipped)
        by_template = self.template_option.plan() if self.template_option.wanted() else None
        keys = self.guard_keys(plan, by_template)  # the plans just made, not made again
        guard = self.context.services.send_guard
        out_elsewhere = not self.in_flight and any(guard.is_out(key) for key in keys)
        if out_elsewhere:
            reasons.insert(0, SendInFlight().user_message())
        unknown = self.outcome_unknown or any(
            (earlier := guard.earlier(key)) is not None and earlier.unknown for key in keys
        )
        self.send_button.setEnabled(not self.in_flight and not reasons)
        if unknown:
            self.send_button.setText("&Send again…")
        elif skipped and sendable:
            self.send_button.setText(f"&Send to {sendable} of {sendable + skipped}…")
        else:
            self.send_button.setText("&Send")
        if self.in_flight:
            tip = "Sending… one send at a time."
        elif reasons:
            tip = f"Send is off: {_count(len(reasons), 'problem')}.\n" + "\n".join(reasons[:8])
        elif unknown:
            tip = "The last send may have arrived: check your phone before sending again."
        else:
            tip = f"Send to {_count(sendable, 'recipient')} through {self.profile().name}"
            if skipped:
                tip += f", skipping {skipped} (you are asked first)"
        self.send_button.setToolTip(tip)
        if self.in_flight or not reasons:
            self.readiness.clear()
        elif not self.entries and len(reasons) == 1:
            self.readiness.setText(reasons[0])  # a hint to start with, not an error yet
        else:
            self.readiness.setText(
                f"✖ Send is off: {_count(len(reasons), 'problem')}.\n"
                + "\n".join(f"• {reason}" for reason in reasons[:8])
            )
        self.template_option.update_state()

    # ------------------------------------------------------------ sending

    def guard_keys(
        self, plan: SendPlan | RowSendBatch, by_template: TemplateSendPlan | None
    ) -> list[Key]:
        """How the app's send guard knows what this Send would post: account and body."""
        if by_template is not None:
            bodies = [by_template.body]
        elif isinstance(plan, RowSendBatch):
            bodies = plan.bodies
        else:
            bodies = [plan.body]
        name = self.profile().name
        return [(name, body_digest(body)) for body in bodies]

    def earlier_send(self, keys: list[Key]) -> Earlier | None:
        """A send of the same message to the same numbers, from any window, that needs an
        explicit "again": one with no answer, or one a moment ago."""
        guard = self.context.services.send_guard
        found = [guard.earlier(key) for key in keys]
        return next((e for e in found if e is not None and e.unknown), None) or next(
            (e for e in found if e is not None), None
        )

    def on_send(self, again: bool = False) -> None:
        if self.in_flight or not self.ready:
            return  # a double click or a second Ctrl+Enter never sends twice
        plan = self.plan()  # what is checked here is exactly what is sent
        by_template = self.template_option.send_plan()  # None unless sending by template
        if by_template is not None:
            if not by_template.ready:
                self.update_state()
                return
            numbers = list(by_template.recipients)
        elif not self.entries or not plan.ready:
            self.update_state()
            return
        else:
            numbers = list(plan.recipients)
        profile = self.profile()
        guard = self.context.services.send_guard
        keys = self.guard_keys(plan, by_template)
        if any(guard.is_out(key) for key in keys):
            self.status.setText("✖ " + SendInFlight().user_message())
            return
        earlier = None if again else self.earlier_send(keys)
        if not again and (self.outcome_unknown or earlier is not None):
            if not self.confirm_resend(earlier):
                return
            again = True
        skipped = self.skipped
        warning = self.template_option.warning() if by_template is not None else None
        if (skipped or not profile.is_sandbox or warning) and not self.confirm_send(
            profile, len(numbers), skipped, warning
        ):
            return
        skip_note = f", skipping {len(skipped)}" if skipped else ""
        what = f"template {by_template.template_name} " if by_template is not None else ""
        self.status.setText(
            f"Sending {what}to {_count(len(numbers), 'recipient')} through "
            f"{profile.name}{skip_note}…"
        )
        self.details.setVisible(False)
        self.remember(numbers)
        services, draft_name = self.context.services, self.draft.name

        def work() -> SendOutcome | RowSendOutcome:
            if by_template is not None:
                return send_by_template(services, profile, by_template, draft_name, again=again)
            if isinstance(plan, RowSendBatch):
                return send_rows(services, profile, plan, draft_name, again=again)
            return send_test(services, profile, plan, draft_name, again=again)

        self.context.runner.op(work).on_success(
            lambda result: self.on_sent(result, profile, numbers, skipped)
        ).on_failure(lambda error: self.on_failed(error, profile, numbers, draft_name)).busy_while(
            self.sending
        ).run()
        if self.in_flight:  # its answer may already be back (a runner that answers at once)
            self.update_state()

    def confirm_send(
        self,
        profile: Profile,
        count: int,
        skipped: list[RecipientEntry],
        warning: str | None = None,
    ) -> bool:
        """One explicit yes before a send that goes through a real account (real messages),
        that leaves some entries out, or that goes by a template not approved (``warning``);
        the question names the account and the counts."""
        parts = [warning] if warning else []
        if not profile.is_sandbox:
            parts.append(
                f"This sends a real RCS message to {_count(count, 'number')} through the "
                f"Kaleyra account {quoted(profile.name)}."
            )
        doubtful = self.doubtful
        if doubtful and not profile.is_sandbox:  # a real message to a number nobody may have
            parts.append(
                f"{_count(len(doubtful), 'number')} may not be in use, and will be sent to:\n"
                + _listed(doubtful)
            )
        if skipped:
            parts.append(
                f"{_count(len(skipped), 'entry', 'entries')} cannot be sent to and will be "
                f"skipped:\n{_listed(skipped)}"
            )
            question = f"Send to the {_count(count, 'valid number')} only?"
        else:
            question = "Send it?"
        title = (
            "Send by a template that is not approved?"
            if warning
            else "Send through a real account?"
            if not profile.is_sandbox
            else (f"Skip {_count(len(skipped), 'entry', 'entries')}?")
        )
        answer = QMessageBox.question(
            self,
            title,
            plain_text("\n\n".join([*parts, question])),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def confirm_resend(self, earlier: Earlier | None = None) -> bool:
        """After an unknown outcome the message may be on the phone already, and a moment
        after a send a second one is a double click or a held key: ask first (No is the
        default, so a key still held answers No)."""
        said = (
            earlier.sentence()
            if earlier is not None
            else "The last send may have arrived even though no answer came back. Check your "
            "phone or the delivery report first."
        )
        anyway = " anyway" if earlier is None or earlier.unknown else ""
        answer = QMessageBox.question(
            self,
            "Send again?",
            plain_text(f"{said}\n\nSend it again{anyway}?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def on_sent(
        self,
        result: SendOutcome | RowSendOutcome,
        profile: Profile,
        numbers: list[str],
        skipped: list[RecipientEntry],
    ) -> None:
        self.outcome_unknown = False
        head = "✔ Sent"
        if isinstance(result, RowSendOutcome):
            # Rows that went out leave the batch; a row whose answer never came may have
            # arrived: Send again asks first.
            self.sent_rows.update(result.sent_rows)
            self.outcome_unknown = result.unknown_row is not None
            self.message_ids = {**self.message_ids, **result.message_ids}
            if result.failed is not None:
                head = "⚠ Partly sent (" + ", ".join(f"row {n}" for n in result.sent_rows) + ")"
        else:
            self.message_ids = dict(result.message_ids)
            if result.missing:
                head = "⚠ Sent, but not to every number for sure"
        note = f" ({result.history_problem})" if result.history_problem else ""
        if isinstance(result, SendOutcome) and result.missing_sentence:
            note += f"\n{result.missing_sentence}"
        skip_note = (
            f" Skipped {len(skipped)}: {', '.join(e.typed for e in skipped[:5])}."
            if (skipped)
            else ""
        )
        self.status.setText(
            f"{head} through {profile.name}: {_count(len(self.message_ids), 'message id')}."
            f"{skip_note}{note}"
        )
        self.timeline.clear()
        for recipient, message_id in self.message_ids.items():
            item = QTreeWidgetItem([recipient, message_id, "", ""])
            item.setData(0, Qt.ItemDataRole.UserRole, message_id)
            self.timeline.addTopLevelItem(item)
            item.setExpanded(True)
        self.fit_timeline()
        self.update_state()
        self.sent.emit(self.message_ids)
        if profile.is_sandbox:
            self.poll_started = datetime.now(UTC)
            self.poll_timer.start()

    def on_failed(
        self, error: BaseException, profile: Profile, numbers: list[str], draft_name: str
    ) -> None:
        from rcs_composer.services.kaleyra_replies import ApiError, KaleyraError, OutcomeUnknown

        if isinstance(error, SentBefore):  # known from the history: another session's send
            if self.confirm_resend(error.earlier):
                self.on_send(again=True)
            else:
                self.status.setText("Not sent again.")
            return
        self.outcome_unknown = isinstance(error, OutcomeUnknown)
        text = error.user_message() if isinstance(error, KaleyraError) else str(error)
        prefix = "⚠ Outcome unknown: " if self.outcome_unknown else "✖ Not sent: "
        self.status.setText(prefix + text)
        if isinstance(error, KaleyraError) and error.details():
            self.details.setPlainText(error.details())
            self.details.setVisible(True)
        if isinstance(error, ApiError) and error.json_path:
            self.field_error.emit(error.json_path)
        self.update_state()

    # ------------------------------------------------------------ timeline

    def poll_events(self) -> None:
        sandbox = self.context.sandbox
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
        history = self.context.history

        def work() -> None:
            for message_id, event in events:
                with contextlib.suppress(OSError):
                    history.add_event(message_id, event)

        self.context.runner.op(work).on_failure(
            lambda error: log.warning("history not written: %s", error)
        ).run()

    def show_events(self, events: list[dict[str, Any]]) -> None:
        """Each event under its recipient, at this computer's local time (the UTC stamp in
        the tooltip), an ERROR with the reason it carries (Kaleyra's code and words)."""
        for index in range(self.timeline.topLevelItemCount()):
            item = self.timeline.topLevelItem(index)
            if item is None:
                continue
            message_id = item.data(0, Qt.ItemDataRole.UserRole)
            mine = [event for event in events if event.get("messageId") == message_id]
            known = {child.text(0) for i in range(item.childCount()) if (child := item.child(i))}
            for event in sorted(mine, key=event_standing):  # in the order of its life
                kind = str(event["type"])
                if kind in known:
                    continue
                stamp = str(event.get("sentAt") or "")
                why = event_reason(event) or ("no reason given" if kind == "ERROR" else "")
                child = QTreeWidgetItem([kind, "", local_time(stamp), why])
                child.setToolTip(2, stamp)
                child.setToolTip(3, why)
                item.addChild(child)
                known.add(kind)
            if mine:  # where it is now, whatever order the events came in
                known_latest = item.data(2, Qt.ItemDataRole.UserRole)
                last = latest_event([*mine, *([known_latest] if known_latest else [])])
                assert last is not None
                item.setData(2, Qt.ItemDataRole.UserRole, dict(last))
                stamp = str(last.get("sentAt") or "")
                kind = str(last["type"])
                item.setText(2, f"{kind} · {local_time(stamp)}" if stamp else kind)
                item.setToolTip(2, stamp)
                failed = next((e for e in reversed(mine) if e.get("type") == "ERROR"), None)
                if failed is not None:
                    why = event_reason(failed) or "no reason given"
                    item.setText(3, why)
                    item.setToolTip(3, why)
        failures = [
            f"✖ {item.text(0)} failed: {item.text(3)}"
            for index in range(self.timeline.topLevelItemCount())
            if (item := self.timeline.topLevelItem(index)) is not None and item.text(3)
        ]
        self.failures.setText("\n".join(failures))
        self.failures.setVisible(bool(failures))
        self.fit_timeline()

    def fit_timeline(self) -> None:
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


def _count(number: int, word: str, plural: str | None = None) -> str:
    return f"{number} {word if number == 1 else plural or word + 's'}"


def _listed(entries: list[RecipientEntry], most: int = 6) -> str:
    """``entries`` as a question lists them: what was typed and why, the first ``most``."""
    listed = "\n".join(f"• {entry.typed}: {entry.reason}" for entry in entries[:most])
    more = f"\n… and {len(entries) - most} more" if len(entries) > most else ""
    return listed + more
