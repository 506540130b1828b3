"""Save as template: name checked as typed, status per region, placeholders, create/update."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.app import templates_account as account
from rcs_composer.app.services import Services
from rcs_composer.app.templates import template_errors, template_info
from rcs_composer.core.issues import Region
from rcs_composer.core.model import TEMPLATE_TYPE_BY_KIND, Draft, TemplateInfo
from rcs_composer.core.naming import quoted
from rcs_composer.core.validation import validate_template_name
from rcs_composer.core.variables import find_variables
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.plain_text import plain_label, plain_text
from rcs_composer.gui.tasks import Busy, TaskRunner
from rcs_composer.gui.widgets import dialog_buttons
from rcs_composer.services.profiles import Profile

STATUSES = {
    Region.IN: ["CREATED", "ACTIVE", "DRAFT", "SUBMITTEDFORAPPROVAL"],
    Region.NA: ["CREATED", "ACTIVE"],
}
KIND_NAMES = {
    "1": "1 · Text",
    "3": "3 · File",
    "4": "4 · Rich card (standalone)",
    "5": "5 · Rich card carousel",
}


NAME_HINT = "letters, digits and _ ; at most 20"
DIALOG_WIDTH = 480  # pixels: room for the longest note without growing


class DialogServices:
    """What the dialog needs of a window's context, for callers that hold the parts: the
    Services container and the task runner."""

    def __init__(self, services: Services, runner: TaskRunner) -> None:
        self.services, self.runner = services, runner

    @property
    def profiles(self) -> Any:
        return self.services.profiles


class TemplateDialog(QDialog):
    """The profile is read in the background when the dialog opens; calls to Kaleyra too."""

    saved = Signal(object)  # the TemplateInfo to keep with the draft
    field_error = Signal(str)

    def __init__(
        self,
        context: AppContext | DialogServices,
        draft: Draft,
        profile_name: str,
        parent: QWidget | None = None,
        *,
        draft_id: str | None = None,
        title: str = "Save as template",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.context, self.draft, self.draft_id = context, draft, draft_id
        self.profile: Profile | None = None
        info = draft.template or TemplateInfo()
        self.name = QLineEdit(info.name or "", self)
        self.name.setAccessibleName("Template name")
        self.name.setPlaceholderText(NAME_HINT)
        # Wide enough for its hint; the note under it wraps, so the dialog never jumps wider.
        self.name.setMinimumWidth(self.name.fontMetrics().horizontalAdvance(NAME_HINT) + 24)
        self.name_note = plain_label(QLabel(self))
        self.name_note.setWordWrap(True)
        self.status = QComboBox(self)
        self.status.setAccessibleName("Template status")
        self.agent = QLineEdit(info.agent_number or "", self)
        self.agent.setAccessibleName("Agent number")
        self.profile_label = plain_label(QLabel("Reading the profile…", self))
        kind = TEMPLATE_TYPE_BY_KIND[draft.message.kind]
        placeholders = find_variables(draft.message)
        form = QFormLayout()
        form.addRow("Profile", self.profile_label)
        form.addRow("&Name", self.name)
        form.addRow("", self.name_note)
        form.addRow("Type", QLabel(KIND_NAMES[kind], self))
        form.addRow("S&tatus", self.status)
        form.addRow("A&gent number", self.agent)
        form.addRow(
            "Placeholders",
            plain_label(QLabel(", ".join(f"{{{{{p}}}}}" for p in placeholders) or "none", self)),
        )
        self.outcome = plain_label(QLabel(self))  # it quotes what the server said
        self.outcome.setWordWrap(True)
        # A long outcome (a lost create's note) makes the dialog taller, never cut off.
        self.outcome.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.save_button = QPushButton(
            "Update template" if info.template_id else "Create template", self
        )
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.on_save)
        self.delete_button = QPushButton("Delete template", self)
        self.delete_button.setVisible(bool(info.template_id) and info.status != "ACTIVE")
        self.delete_button.clicked.connect(self.on_delete)
        buttons = dialog_buttons(self, self.delete_button, self.save_button)
        # An approved template cannot change: say why, and offer to create a new one instead.
        self.blocked = account.update_blocked(info.status, info.name) if info.template_id else None
        self.as_new_button = QPushButton("Save as a new template instead", self)
        self.as_new_button.setAccessibleName("Save as a new template instead")
        self.as_new_button.clicked.connect(self.on_save_as_new)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(self.as_new_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(buttons)
        self.setMinimumWidth(DIALOG_WIDTH)
        self.calls = Busy(self)  # a save or delete is out: one at a time
        # The last create got no answer that names a template: it may be on the account
        # already, so another create is asked about first.
        self.create_unknown = False
        self.name.textChanged.connect(self.update_state)
        self.agent.textChanged.connect(self.update_state)
        if self.blocked:
            self.outcome.setText(f"⚠ {self.blocked}")
        self.update_state()
        profiles = context.profiles
        context.runner.op(lambda: profiles.get(profile_name)).on_success(self.on_profile).report_to(
            self.outcome.setText, "✖ {error}"
        ).run()

    @property
    def in_flight(self) -> bool:
        """Whether a save or a delete is out (Save then does nothing)."""
        return self.calls.active

    def on_profile(self, profile: Profile) -> None:
        self.profile = profile
        info = self.draft.template or TemplateInfo()
        self.profile_label.setText(f"{profile.name} ({profile.region.value})")
        self.status.addItems(STATUSES[profile.region])
        if info.status in STATUSES[profile.region]:
            self.status.setCurrentText(info.status)
        if not self.agent.text():
            self.agent.setText(profile.agent_number)
        self.update_state()

    def info(self) -> TemplateInfo:
        assert self.profile is not None
        return template_info(
            self.draft,
            self.profile,
            name=self.name.text().strip(),
            status=self.status.currentText(),
            agent_number=self.agent.text().strip(),
        )

    def problems(self) -> list[str]:
        if self.profile is None:
            return ["Reading the profile…"]
        return [issue.message for issue in template_errors(self.draft, self.info(), self.profile)]

    def update_state(self) -> None:
        name_issues = validate_template_name(self.name.text().strip())
        self.name_note.setText(
            "✔ Name is valid" if not name_issues else f"✖ {name_issues[0].message}"
        )
        problems = self.problems()
        self.as_new_button.setVisible(bool(self.blocked))
        self.save_button.setEnabled(not problems and not self.in_flight and not self.blocked)
        creating = not (self.draft.template and self.draft.template.template_id)
        if creating:
            self.save_button.setText("Create again…" if self.create_unknown else "Create template")
        self.save_button.setToolTip(
            plain_text(
                f"Update is off: {self.blocked}"
                if self.blocked
                else "\n".join(problems[:6])
                if problems
                else "The last create may have worked: you are asked before creating again."
                if creating and self.create_unknown
                else ""
            )
        )

    def on_save_as_new(self) -> None:
        """Turn this into a new template: the same design under a new name, unlinked."""
        self.draft = account.as_new_template(self.draft)
        info = self.draft.template or TemplateInfo()
        self.blocked = None
        self.create_unknown = False  # another name: a template of its own
        self.setWindowTitle("Save as a new template")
        self.save_button.setText("Create template")
        self.delete_button.setVisible(False)
        self.name.setText(info.name or "")
        self.outcome.setText("A new template with the same design; choose its name.")
        self.name.setFocus()
        self.update_state()

    def on_save(self) -> None:
        if self.in_flight or self.problems():
            return
        info = self.info()
        services, profile, template_id = self.context.services, self.profile, info.template_id
        draft = dataclasses.replace(self.draft, template=info)
        draft_id = self.draft_id
        assert profile is not None  # problems() says so while it is not read yet
        if not template_id and self.create_unknown and not self.confirm_create_again(info):
            return

        def work() -> Any:
            # Through the use cases, so the register records it and an update checks the
            # template's status on the server first.
            if template_id:
                return account.update(services, profile, draft, template_id)[0]
            return account.create(services, profile, draft, info, draft_id=draft_id)[0]

        self.outcome.setText("Saving the template…")
        self.context.runner.op(work).on_success(
            lambda result: self.on_saved(result, info)
        ).on_failure(self.on_failed).busy_while(self.calls).run()
        if self.in_flight:  # its answer may already be back (a runner that answers at once)
            self.update_state()

    def confirm_create_again(self, info: TemplateInfo) -> bool:
        """After a create with no answer, the template may be on the account already: ask."""
        answer = QMessageBox.question(
            self,
            "Create the template again?",
            f"The last create of {quoted(info.name or 'this template')} got no answer that "
            "names a template, so it may be on the account already, without an id here. Kaleyra "
            "has no list to check it by: look for it in Kaleyra's web console first (if it is "
            "there, paste its id into Templates > Open id).\n\nCreating it again may make a "
            "second template, or be refused because the name is taken.\n\nCreate it again "
            "anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def on_saved(self, result: Any, info: TemplateInfo) -> None:
        saved = dataclasses.replace(
            info,
            template_id=result.template_id,
            template_number=result.template_number,
            status=result.status or info.status,
        )
        self.draft = dataclasses.replace(self.draft, template=saved)
        self.create_unknown = False
        self.outcome.setText(
            f"✔ Template {saved.name}: id {saved.template_id}, number {saved.template_number}, "
            f"status {saved.status}."
        )
        self.save_button.setText("Update template")
        self.delete_button.setVisible(saved.status != "ACTIVE")
        self.blocked = account.update_blocked(saved.status, saved.name)
        self.saved.emit(saved)
        self.update_state()

    def on_failed(self, error: BaseException) -> None:
        from rcs_composer.services.kaleyra_replies import ApiError, KaleyraError, OutcomeUnknown

        if isinstance(error, account.UpdateBlocked):  # approved since the draft last looked
            self.blocked = str(error)
            self.outcome.setText(f"⚠ Nothing was sent. {error}")
            self.update_state()
            return
        text = error.user_message() if isinstance(error, KaleyraError) else str(error)
        creating = not (self.draft.template and self.draft.template.template_id)
        if isinstance(error, OutcomeUnknown):
            self.create_unknown = self.create_unknown or creating
            self.outcome.setText(f"⚠ Outcome unknown: {text}")
        else:
            self.outcome.setText(f"✖ {text}")
        if isinstance(error, ApiError) and error.json_path:
            self.field_error.emit(error.json_path)
        self.update_state()

    def on_delete(self) -> None:
        info = self.draft.template
        profile = self.profile
        if info is None or not info.template_id or self.in_flight or profile is None:
            return
        if not self.confirm_delete(info, profile):
            return
        services, template_id = self.context.services, info.template_id
        self.outcome.setText("Deleting the template…")
        self.context.runner.op(lambda: account.delete(services, profile, template_id)).on_success(
            self.on_deleted
        ).on_failure(self.on_failed).busy_while(self.calls).run()

    def confirm_delete(self, info: TemplateInfo, profile: Profile) -> bool:
        """A delete cannot be taken back: name what goes, and where, and ask; No is the
        default, so Enter keeps the template."""
        name = quoted(info.name or str(info.template_id))
        answer = QMessageBox.question(
            self,
            f"Delete template {name}?",
            f"Template {name} (id {info.template_id}) will be deleted from the Kaleyra account "
            f"of profile {profile.name}. This cannot be undone: messages can no longer be sent "
            "with it, and to use this design again it must be created and approved anew.\n\n"
            "The open draft stays as it is.\n\nDelete it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def on_deleted(self, deleted: Any = True) -> None:
        cleared = dataclasses.replace(
            self.draft.template or TemplateInfo(), template_id=None, template_number=None
        )
        self.draft = dataclasses.replace(self.draft, template=cleared)
        self.outcome.setText(
            "Template deleted."
            if deleted is not False
            else "The template was not on the account any more; it is no longer listed here."
        )
        self.delete_button.setVisible(False)
        self.save_button.setText("Create template")
        self.saved.emit(cleared)
        self.update_state()
