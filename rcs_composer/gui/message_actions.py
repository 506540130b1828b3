"""The actions on the open message that reach an account: send a test, save as a template,
and the record of sends."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from rcs_composer.core.issues import Issue
from rcs_composer.core.model import TemplateInfo
from rcs_composer.gui.account_selector import AccountSelector
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.file_actions import FileActions


class MessageActions(QObject):
    """Send and template actions, enabled only while the message has no errors."""

    def __init__(
        self,
        context: AppContext,
        document: ComposerDocument,
        account: AccountSelector,
        files: FileActions,
        focus_path: Callable[[str], None],
        status: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.context, self.document, self.account, self.files = context, document, account, files
        self.focus_path, self.status, self.parent_widget = focus_path, status, parent
        self.issues: list[Issue] = []
        self.send_action = QAction("&Send test…", parent)
        self.send_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.send_action.setStatusTip("Send a test to your phone")
        self.send_action.triggered.connect(self.send_test)
        self.template_action = QAction("Save as &template…", parent)
        self.template_action.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.template_action.triggered.connect(self.save_template)
        self.history_action = QAction("Send &history…", parent)
        self.history_action.triggered.connect(self.show_history)
        self.dialogs: dict[str, Any] = {}  # the open dialog of each kind, kept alive while shown

    def on_issues(self, issues: list[Issue]) -> None:
        self.issues = issues
        errors = sum(1 for issue in issues if issue.is_error)
        self.send_action.setEnabled(errors == 0)
        self.send_action.setToolTip(
            f"Send is off: {errors} error(s) in the message."
            if errors
            else f"Send a test through {self.account.profile_name} (Ctrl+Enter)"
        )

    def send_test(self) -> None:
        from rcs_composer.gui.send_dialog import SendDialog  # built on first use

        if any(issue.is_error for issue in self.issues):
            self.status("Send is off: fix the errors listed in Problems first.")
            return
        dialog = SendDialog(
            self.context, self.document.draft, self.account.profile_name, self.parent_widget
        )
        dialog.field_error.connect(self.focus_path)
        self.dialogs["send"] = dialog
        dialog.show()

    def save_template(self) -> None:
        from rcs_composer.gui.template_dialog import TemplateDialog  # built on first use

        dialog = TemplateDialog(
            self.context,
            self.document.draft,
            self.account.profile_name,
            self.parent_widget,
            draft_id=self.document.draft_id,
        )
        dialog.saved.connect(self.on_template_saved)
        dialog.field_error.connect(self.focus_path)
        self.dialogs["template"] = dialog
        dialog.show()

    def on_template_saved(self, info: TemplateInfo) -> None:
        document = self.document
        document.set_draft(dataclasses.replace(document.draft, template=info), "Link template")
        if document.draft_id is not None:
            self.files.save()

    def show_history(self) -> None:
        from rcs_composer.gui.history_dialog import HistoryDialog  # built on first use

        dialog = HistoryDialog(self.context.history, self.context.runner, self.parent_widget)
        self.dialogs["history"] = dialog
        dialog.show()
