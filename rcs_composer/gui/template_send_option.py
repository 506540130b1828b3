"""The send dialog's "Send by template" option (India): templateId and messageParams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout

from rcs_composer.app import templates_account as account
from rcs_composer.app.template_sends import (
    TemplateSendPlan,
    plan_template_send,
    template_send_possible,
)
from rcs_composer.core import codecs
from rcs_composer.core.naming import quoted
from rcs_composer.gui.plain_text import plain_text
from rcs_composer.gui.tasks import Busy

if TYPE_CHECKING:
    from rcs_composer.gui.send_dialog import SendDialog


class TemplateSendOption(QObject):
    """A checkbox shown when the open draft is linked to a template and the profile is in
    India; checked, the dialog's Send posts the template id with the variables' values (the
    dialog's own fields, pre-filled with the draft's sample values) instead of the content."""

    def __init__(self, dialog: SendDialog, form: QFormLayout) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        info = dialog.draft.template
        self.status = info.status if info else None  # last known; read again when checked
        self.checks = Busy(self)  # on while the status is being read; the box says so
        self.checks.changed.connect(lambda _on: self.show_label())
        self.checked_for: str | None = None  # the profile the status was last read through
        self.box = QCheckBox(dialog)
        self.show_label()
        self.box.setAccessibleName("Send by template instead of the content")
        self.box.setToolTip(
            "Kaleyra fills the approved template with the values above (messageParams); "
            "the content in the editor is not sent."
        )
        self.box.setVisible(False)
        self.box.toggled.connect(self.on_toggled)
        form.addRow("", self.box)

    @property
    def checking(self) -> bool:
        return self.checks.active

    def available(self) -> bool:
        if not self.dialog.ready:
            return False
        return template_send_possible(self.dialog.draft, self.dialog.profile()) is None

    def wanted(self) -> bool:
        return self.available() and self.box.isChecked()

    def plan(self) -> TemplateSendPlan:
        """The template send to the recipients the dialog could read (its own plan() has just
        sorted them into sendable and skipped entries)."""
        dialog = self.dialog
        numbers = [entry.number for entry in dialog.entries if entry.ok and entry.number]
        return plan_template_send(dialog.draft, dialog.profile(), numbers, dialog.values)

    def update_state(self) -> None:
        """After the dialog's own update: show the option, and when it is on, the body and
        the reasons of the template send instead of the content's."""
        self.box.setVisible(self.available())
        if not self.wanted():
            return
        dialog = self.dialog
        if not self.checking and self.checked_for != dialog.profile().name:
            self.check_status()  # ticked, or another profile chosen: its status there
        plan = self.plan()
        reasons = list(plan.problems)
        dialog.json_view.setPlainText(codecs.dumps(plan.body))
        dialog.literal_variables.setVisible(False)
        dialog.send_button.setEnabled(not dialog.in_flight and not reasons)
        if dialog.in_flight:
            return
        if reasons:
            # The reasons quote the template's name, which may come from the server.
            dialog.readiness.setTextFormat(Qt.TextFormat.PlainText)
            dialog.send_button.setToolTip(
                plain_text(f"Send is off: {len(reasons)} problem(s).\n" + "\n".join(reasons[:8]))
            )
            dialog.readiness.setText(
                "✖ Send by template is off:\n" + "\n".join(f"• {r}" for r in reasons[:8])
            )
        else:
            warning = self.warning()
            dialog.send_button.setToolTip(
                plain_text(
                    f"Send template {plan.template_name} to {len(plan.recipients)} recipient(s)"
                    + (f"\n{warning} You are asked first." if warning else "")
                )
            )
            dialog.readiness.clear()

    def send_plan(self) -> TemplateSendPlan | None:
        """What the dialog's Send posts instead of the content, when sending by template.
        The dialog's send path does the rest (its one in-flight guard, its one question, the
        one post-and-record); this only says what is sent."""
        if not self.wanted():
            return None
        self.dialog.plan()  # sorts the typed entries, as the dialog's own send does
        return self.plan()

    def warning(self) -> str | None:
        """A sentence for the confirmation when the template is not known to be approved:
        Kaleyra only delivers approved (active) templates."""
        if (self.status or "").upper() in account.LOCKED_STATUSES:
            return None
        info = self.dialog.draft.template
        name = (info.name if info else None) or "This template"
        state = (
            f"is {account.status_words(self.status).lower()}"
            if self.status
            else "has not been checked yet"
        )
        return (
            f"Template {quoted(name)} {state}, not active: Kaleyra only delivers approved "
            "templates, so this message will most likely not arrive."
        )

    # ------------------------------------------------------------ its status

    def on_toggled(self, _on: bool) -> None:
        self.dialog.update_state()  # which reads the status when it is wanted

    def check_status(self) -> None:
        """Read the template's status from Kaleyra now (and record it), in the background:
        the box says it, and the send warns while it is not active."""
        info = self.dialog.draft.template
        template_id = (info.template_id if info else None) or ""
        services, profile = self.dialog.context.services, self.dialog.profile()
        self.checked_for = profile.name

        def done(result: Any) -> None:
            self.status = result.status or self.status
            self.show_label()
            self.dialog.update_state()

        # A failure: the last known status stands; the send still warns.
        self.dialog.context.runner.op(
            lambda: account.read(services, profile, template_id)
        ).on_success(done).ignore_failure().busy_while(self.checks).run()

    def show_label(self) -> None:
        info = self.dialog.draft.template
        name = (info.name if info else None) or ""
        template_id = (info.template_id if info else None) or ""
        state = (
            "checking its status…"
            if self.checking
            else account.status_words(self.status)
            if self.status
            else "status not checked"
        )
        self.box.setText(f"Send by template {quoted(name)} ({template_id[:8]}…) · {state}")


def add_template_send_option(dialog: SendDialog, form: QFormLayout) -> TemplateSendOption:
    return TemplateSendOption(dialog, form)
