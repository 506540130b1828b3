"""The send dialog's "Send by template" option (India): templateId and messageParams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QCheckBox, QFormLayout

from rcs_composer.app.sending import SendOutcome
from rcs_composer.app.template_sends import (
    TemplateSendPlan,
    plan_template_send,
    send_by_template,
    template_send_possible,
)
from rcs_composer.core import codecs

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
        name = (info.name if info else None) or ""
        template_id = (info.template_id if info else None) or ""
        self.box = QCheckBox(f"Send by template “{name}” ({template_id[:8]}…)", dialog)
        self.box.setAccessibleName("Send by template instead of the content")
        self.box.setToolTip(
            "Kaleyra fills the approved template with the values above (messageParams); "
            "the content in the editor is not sent."
        )
        self.box.setVisible(False)
        self.box.toggled.connect(lambda _on: dialog.update_state())
        form.addRow("", self.box)

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
        plan = self.plan()
        reasons = list(plan.problems)
        dialog.json_view.setPlainText(codecs.dumps(plan.body))
        dialog.literal_variables.setVisible(False)
        dialog.send_button.setEnabled(not dialog.in_flight and not reasons)
        if dialog.in_flight:
            return
        if reasons:
            dialog.send_button.setToolTip(
                f"Send is off: {len(reasons)} problem(s).\n" + "\n".join(reasons[:8])
            )
            dialog.readiness.setText(
                "✖ Send by template is off:\n" + "\n".join(f"• {r}" for r in reasons[:8])
            )
        else:
            dialog.send_button.setToolTip(
                f"Send template {plan.template_name} to {len(plan.recipients)} recipient(s)"
            )
            dialog.readiness.clear()

    def handles_send(self) -> bool:
        """Called first by the dialog's Send: True when it sent by template (or refused)."""
        if not self.wanted():
            return False
        dialog = self.dialog
        if dialog.in_flight:
            return True
        dialog.plan()  # sorts the typed entries, as the dialog's own send does
        plan = self.plan()
        if not plan.ready:
            dialog.update_state()
            return True
        profile = dialog.profile()
        numbers = list(plan.recipients)
        if dialog.outcome_unknown and not dialog.confirm_resend():
            return True
        skipped = dialog.skipped
        if (skipped or not profile.is_sandbox) and not dialog.confirm_send(
            profile, len(numbers), skipped
        ):
            return True
        dialog.in_flight = True
        dialog.update_state()
        dialog.status.setText(
            f"Sending template {plan.template_name} to {len(numbers)} recipient(s) through "
            f"{profile.name}…"
        )
        dialog.details.setVisible(False)
        dialog.remember(numbers)
        services, draft_name = dialog.session.services, dialog.draft.name

        def work() -> SendOutcome:
            return send_by_template(services, profile, plan, draft_name)

        def sent(result: Any) -> None:
            dialog.on_sent(result, profile, numbers, skipped)

        def failed(error: BaseException) -> None:
            dialog.on_failed(error, profile, numbers, draft_name)

        dialog.session.runner.run(work, sent, failed)
        return True


def add_template_send_option(dialog: SendDialog, form: QFormLayout) -> TemplateSendOption:
    return TemplateSendOption(dialog, form)
