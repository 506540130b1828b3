"""Drafts and files from the window: new, open, save, import, export, copy as curl, autosave."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox, QWidget

from rcs_composer.core import codecs
from rcs_composer.core.model import Draft, Message, RichCard, TemplateInfo
from rcs_composer.core.outgoing import curl_command, messages_url
from rcs_composer.core.schema import DecodeError
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.session import AppSession

if TYPE_CHECKING:
    from rcs_composer.services.profiles import Profile

AUTOSAVE_DELAY_MS = 1500
JSON_FILTER = "JSON files (*.json);;All files (*)"


class FileActions(QObject):
    """Owns where the open draft lives (its id in the store) and keeps it saved."""

    status = Signal(str)  # a short line for the status bar
    saved = Signal()

    def __init__(self, session: AppSession, document: ComposerDocument, window: QWidget) -> None:
        super().__init__(window)
        self.session, self.document, self.window = session, document, window
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        document.changed.connect(self.on_changed)
        self.last_saved: str | None = None

    # ------------------------------------------------------------ opening

    def confirm_discard(self) -> bool:
        """Autosave keeps unsaved work, so replacing the draft only asks when it is unsaved."""
        if self.document.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self.window,
            "Unsaved changes",
            f"Save the changes to “{self.document.draft.name}” first?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new(self) -> None:
        if self.confirm_discard():
            self.document.load(Draft(name="Untitled", message=Message(content=RichCard())))

    def open_sample(self, name: str) -> None:
        from rcs_composer.gui.first_run import load_sample

        if self.confirm_discard():
            self.document.load(load_sample(name))

    def open_draft(self, draft_id: str) -> None:
        from rcs_composer.services.drafts import DraftUnreadable

        if not self.confirm_discard():
            return
        try:
            draft = self.session.drafts.load(draft_id)
        except DraftUnreadable as exc:
            QMessageBox.warning(
                self.window, "Cannot open draft", f"{exc}\n\nThe file is kept as it is: {exc.path}"
            )
            return
        self.document.load(draft, draft_id)
        self.status.emit(f"Opened “{draft.name}”")

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open a draft, message or template", "", JSON_FILTER
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Open any supported JSON; errors are sentences with the path inside the file."""
        try:
            if path.stat().st_size > codecs.MAX_DOCUMENT_BYTES:
                QMessageBox.warning(
                    self.window,
                    "Cannot open",
                    f"{path.name} is too large to be a message or a draft.",
                )
                return False
            document = codecs.loads(path.read_bytes())
        except OSError as exc:
            QMessageBox.warning(self.window, "Cannot open", f"{path.name}: {exc.strerror or exc}")
            return False
        except DecodeError as exc:
            QMessageBox.warning(
                self.window,
                "Cannot open",
                f"{path.name} is not something rcs-composer can open.\n\n{exc.path}: {exc.reason}",
            )
            return False
        if not self.confirm_discard():
            return False
        draft = document.draft
        if document.format is not codecs.Format.DRAFT and draft.name == "Untitled":
            draft = dataclasses.replace(draft, name=path.stem)
        self.document.load(draft, None)
        self.status.emit(f"Imported {path.name} ({document.format.value} format)")
        return True

    # ------------------------------------------------------------ saving

    def save(self) -> bool:
        if self.document.draft_id is None:
            return self.save_as()
        return self._write(self.document.draft_id, self.document.draft)

    def save_as(self) -> bool:
        name, ok = QInputDialog.getText(
            self.window, "Save draft", "Draft name:", text=self.document.draft.name
        )
        if not ok or not name.strip():
            return False
        draft = dataclasses.replace(self.document.draft, name=name.strip(), created=None)
        return self._write(None, draft)

    def _write(self, draft_id: str | None, draft: Draft) -> bool:
        from rcs_composer.services.drafts import DraftUnreadable
        from rcs_composer.services.paths import StorageError

        try:
            new_id, stored = self.session.drafts.save(draft_id, draft)
        except (StorageError, DraftUnreadable, OSError) as exc:
            QMessageBox.warning(self.window, "Not saved", f"{exc}")
            return False
        self.document.draft_id = new_id
        if stored.name != self.document.draft.name:
            self.document.set_draft(
                dataclasses.replace(self.document.draft, name=stored.name), "Rename draft"
            )
        self.document.undo_stack.setClean()
        self.last_saved = stored.modified
        self.status.emit(f"Saved “{stored.name}”")
        self.saved.emit()
        return True

    def on_changed(self) -> None:
        if not self.document.undo_stack.isClean():
            self.autosave_timer.start()

    def autosave(self) -> None:
        """A moment after the last edit, the draft goes to the autosave slot, off the GUI thread."""
        if self.session.session_id is None:
            return
        drafts, session_id = self.session.drafts, self.session.session_id
        draft, draft_id = self.document.draft, self.document.draft_id
        self.session.runner.run(
            lambda: drafts.save_autosave(session_id, draft, draft_id),
            lambda _r: self.status.emit("Autosaved"),
            lambda error: self.status.emit(f"Autosave failed: {error}"),
        )

    def offer_restore(self) -> None:
        """After a crash, offer the unsaved work the previous session left behind."""
        pending = self.session.drafts.pending_autosaves(self.session.session_id)
        if not pending:
            return
        _, draft, draft_id = pending[-1]
        answer = QMessageBox.question(
            self.window,
            "Restore unsaved work?",
            "There is unsaved work from the last session (the app was closed or stopped "
            f"before it was saved). Restore the draft “{draft.name}”?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.document.load(draft, draft_id)
            self.document.undo_stack.resetClean()  # restored work is unsaved until saved
            self.status.emit(f"Restored “{draft.name}”: save it to keep it")
        for old_session, _, _ in pending:
            self.session.drafts.discard_autosave(old_session)

    # ------------------------------------------------------------ export

    def export(self, fmt: codecs.Format, profile: Profile | None = None) -> None:
        draft = self.document.draft
        if fmt is codecs.Format.TEMPLATE and profile is not None:
            info = draft.template or TemplateInfo()
            info = dataclasses.replace(
                info, agent_number=info.agent_number or profile.agent_number or None
            )
            draft = dataclasses.replace(draft, template=info)
        text = codecs.dumps(codecs.export_as(fmt, draft))
        suggested = f"{draft.name}.{fmt.value}.json".replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(
            self.window, f"Export the {fmt.value} body", suggested, JSON_FILTER
        )
        if path:
            self.write_export(Path(path), text)

    def write_export(self, path: Path, text: str) -> bool:
        from rcs_composer.services.paths import StorageError, atomic_write_text

        try:
            atomic_write_text(path, text)
        except (StorageError, OSError) as exc:
            QMessageBox.warning(self.window, "Not exported", str(exc))
            return False
        self.status.emit(f"Exported {path.name}")
        return True

    def copy_as_curl(self, profile: Profile, recipients: list[str] | None = None) -> str:
        """A runnable curl command on the clipboard; the key stays in $KALEYRA_API_KEY."""
        from rcs_composer.core.outgoing import prepare_send

        message = prepare_send(
            self.document.message,
            sender=self.document.message.sender or profile.sender,
            recipients=recipients or list(self.document.message.recipients or ["91XXXXXXXXXX"]),
            values=self.document.variables,
        )
        base = self.session.ensure_sandbox() if profile.is_sandbox else profile.messages_base_url
        command = curl_command(messages_url(base, profile.sid), codecs.export_message(message))
        clipboard = QApplication.clipboard()
        clipboard.setText(command)
        self.status.emit("Copied a curl command (the key is read from $KALEYRA_API_KEY)")
        return command


def drop_paths(mime: Any) -> list[Path]:
    return (
        [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if mime.hasUrls()
        else []
    )
