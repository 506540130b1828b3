"""Drafts and files from the window: new, open, save, import, export, copy as curl, autosave."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Dialogs are named as QtWidgets.QMessageBox and so on, when one opens: PySide6 builds a class's
# Python type, enums and all, the first time it is named (the dialogs cost ~0.2 MB).
from PySide6 import QtWidgets
from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from rcs_composer.app.drafts import library_key
from rcs_composer.core import codecs
from rcs_composer.core.field_paths import located
from rcs_composer.core.local_time import local_time, now_text
from rcs_composer.core.model import Draft, Message, RichCard, TemplateInfo
from rcs_composer.core.naming import UNTITLED, quoted, suggested_name
from rcs_composer.core.outgoing import curl_command, messages_url
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.last_draft import LAST_DRAFT_KEY, ReadDraft, last_draft_id
from rcs_composer.gui.plain_text import plain_text
from rcs_composer.gui.tasks import Busy

if TYPE_CHECKING:
    from rcs_composer.app.drafts import DraftVersion, LoadedDraft
    from rcs_composer.services.drafts import PendingAutosave, SavedDraft
    from rcs_composer.services.profiles import Profile

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 1500
JSON_FILTER = "JSON files (*.json);;All files (*)"


class FileActions(QObject):
    """Owns where the open draft lives (its id in the store) and keeps it saved."""

    status = Signal(str)  # a short line for the status bar
    saved = Signal()
    opened = Signal()  # a draft or file was read and is now the open draft
    created = Signal()  # File > New made an empty draft: the editor takes the keyboard
    open_conflicted = Signal(str, object)  # a draft id and its DraftMergeConflict (both sides)
    exported = Signal(object)  # the Path an export was written to
    curl_copied = Signal(str)  # the curl command now on the clipboard

    def __init__(
        self,
        context: AppContext,
        document: ComposerDocument,
        window: QWidget,
        *,
        settings: QSettings | None = None,
        images: ImageLoader | None = None,
    ) -> None:
        super().__init__(window)
        self.context, self.document, self.window = context, document, window
        self.settings = settings or QSettings()
        self.images = images  # for the thumbnail in the restore question
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        document.changed.connect(self.on_changed)
        document.moved_to_trash.connect(self.on_moved_to_trash)
        context.draft_changed.connect(document.follow)  # queued: events come from workers
        self.last_saved: str | None = None
        self.saving = Busy(self)  # a save of the open draft is out (at most one at a time)
        self.new_drafts_into: str | None = None  # the library a new draft is saved into

    # ------------------------------------------------------------ opening

    def confirm_discard(self, then: Callable[[], None]) -> None:
        """Run ``then`` once the open draft may be replaced: at once when it is saved, after a
        save when the user asks for one. Autosave keeps unsaved work, so only unsaved work asks."""
        if self.document.undo_stack.isClean():
            then()
            return
        answer = QtWidgets.QMessageBox.question(
            self.window,
            "Unsaved changes",
            plain_text(f"Save the changes to {quoted(self.document.draft.name)} first?"),
            QtWidgets.QMessageBox.StandardButton.Save
            | QtWidgets.QMessageBox.StandardButton.Discard
            | QtWidgets.QMessageBox.StandardButton.Cancel,
        )
        if answer == QtWidgets.QMessageBox.StandardButton.Save:
            self.save(then=then)
        elif answer == QtWidgets.QMessageBox.StandardButton.Discard:
            then()

    def latest_open(self) -> Callable[[], bool]:
        """Start an open. The check returned is true while no other draft has been shown in
        the window since (a New, a sample, another open): a slow share must not land on the
        draft the user went on to."""
        loads = self.document.loads
        return lambda: self.document.loads == loads

    def new(self) -> None:
        def make_new() -> None:
            self.autosave_timer.stop()
            self.document.load(Draft(name=UNTITLED, message=Message(content=RichCard())))
            self.remember_last(None)
            self.status.emit("New draft, not saved yet")
            self.created.emit()

        self.confirm_discard(make_new)

    def remember_last(self, draft_id: str | None) -> None:
        """The draft the next start reopens: the one last opened or saved (none after New)."""
        if draft_id is None:
            self.settings.remove(LAST_DRAFT_KEY)
        else:
            self.settings.setValue(LAST_DRAFT_KEY, draft_id)

    def last_draft_id(self) -> str | None:
        return last_draft_id(self.settings)

    def busy_with_a_draft(self) -> bool:
        """A stored draft is open, or was until it went to the trash a moment ago."""
        return self.document.draft_id is not None or self.document.stored.trashed_id is not None

    def reopen_last(self) -> None:
        """At start-up, when no unsaved work was restored: open the draft last worked on."""
        draft_id = self.last_draft_id()
        if draft_id is None or self.busy_with_a_draft():
            return
        library = self.context.library

        def show(loaded: LoadedDraft) -> None:
            if self.busy_with_a_draft() or not self.document.undo_stack.isClean():
                return  # the user has started on something else meanwhile
            self.show_reopened(ReadDraft(draft_id, loaded))

        def gone(error: BaseException) -> None:
            from rcs_composer.services.drafts import DraftMergeConflict

            if isinstance(error, DraftMergeConflict) and not self.busy_with_a_draft():
                self.open_conflicted.emit(draft_id, error)  # a merge left it: pick a side
                return
            self.remember_last(None)
            if not self.busy_with_a_draft():
                self.status.emit(f"Your last draft could not be reopened: {error}")

        self.context.runner.op(lambda: library.open(draft_id)).on_success(show).on_failure(
            gone
        ).run()

    def show_reopened(self, read: ReadDraft) -> None:
        """Make the last draft, as read at the start, the draft this window edits."""
        draft = read.loaded.draft
        self._show_opened(draft, read.draft_id, f"Reopened {quoted(draft.name)}")
        self.document.stored.version = read.loaded.version

    def open_sample(self, name: str) -> None:
        from rcs_composer.gui.samples import load_sample

        self.confirm_discard(lambda: self.document.load(load_sample(name)))

    def set_new_drafts_into(self, key: str | None) -> None:
        self.new_drafts_into = key

    def open_draft(self, draft_id: str) -> None:
        """Read the draft off the GUI thread, then show it (``opened`` says when). The version
        it was read at stays with the open draft: saving over a newer file is refused."""
        library, latest = self.context.library, self.latest_open()

        def show(loaded: LoadedDraft) -> None:
            def open_it() -> None:
                self._show_opened(loaded.draft, draft_id)
                self.document.stored.version = loaded.version

            if latest():
                self.confirm_discard(open_it)

        self.context.runner.op(lambda: library.open(draft_id)).on_success(show).on_failure(
            lambda e: self._on_open_failed(e, draft_id) if latest() else None
        ).run()

    def _show_opened(self, draft: Draft, draft_id: str | None, note: str = "") -> None:
        self.autosave_timer.stop()
        self.document.load(draft, draft_id)
        if draft_id is not None:
            self.remember_last(draft_id)
        self.status.emit(note or f"Opened {quoted(draft.name)}")
        self.opened.emit()

    def _on_open_failed(self, error: BaseException, draft_id: str | None = None) -> None:
        from rcs_composer.services.drafts import (
            DraftMergeConflict,
            DraftNotFound,
            DraftUnreadable,
        )

        if isinstance(error, DraftMergeConflict) and draft_id is not None:
            self.open_conflicted.emit(draft_id, error)  # both sides are shown to pick one
            return
        if isinstance(error, DraftUnreadable) and not isinstance(error, DraftNotFound):
            text = f"{error}\n\nThe file is kept as it is: {error.path}"
        else:
            text = f"{error}"
        QtWidgets.QMessageBox.warning(self.window, "Cannot open draft", plain_text(text))

    def open_file_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self.window, "Open a draft, message or template", "", JSON_FILTER
        )
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, also: str = "") -> None:
        """Open any supported JSON, read off the GUI thread; errors are sentences with the path
        inside the file. ``also`` ends the status line that says it opened."""
        latest = self.latest_open()
        self.context.runner.op(lambda: read_importable(path)).on_success(
            lambda document: self._on_imported(path, document, also) if latest() else None
        ).on_failure(lambda error: self._on_import_failed(path, error) if latest() else None).run()

    def _on_imported(self, path: Path, document: codecs.Document, also: str = "") -> None:
        draft = document.draft
        if document.format is not codecs.Format.DRAFT and draft.name == "Untitled":
            draft = dataclasses.replace(draft, name=path.stem)
        note = f"Imported {path.name} ({document.format.value} format){also}"
        self.confirm_discard(lambda: self._show_opened(draft, None, note))

    def _on_import_failed(self, path: Path, error: BaseException) -> None:
        if isinstance(error, DecodeError):
            text = (
                f"{path.name} is not something rcs-composer can open.\n\n"
                f"{located(error.path, error.reason)}\n\n(In the file: {error.path})"
            )
        elif isinstance(error, OSError):
            text = f"{path.name}: {error.strerror or error}"
        else:
            text = f"{path.name}: {error}"
        QtWidgets.QMessageBox.warning(self.window, "Cannot open", plain_text(text))

    # ------------------------------------------------------------ saving

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save off the GUI thread (``saved`` says when); a draft never saved asks for a name."""
        if self.document.draft_id is None:
            self.save_as(then)
            return
        self._write(self.document.draft_id, self.document.draft, then)

    def save_as(self, then: Callable[[], None] | None = None) -> None:
        name, ok = QtWidgets.QInputDialog.getText(
            self.window, "Save draft", "Draft &name:", text=suggested_name(self.document.draft)
        )
        if not ok or not name.strip():
            return
        draft = dataclasses.replace(self.document.draft, name=name.strip(), created=None)
        self._write(None, draft, then)

    def _write(
        self,
        draft_id: str | None,
        draft: Draft,
        then: Callable[[], None] | None,
        loaded: DraftVersion | None = None,
    ) -> None:
        """Save off the GUI thread, based on ``loaded`` (by default the version the open draft
        was read or last saved at): a file changed meanwhile is reported, not overwritten."""
        if self.saving:
            self.status.emit("Still saving the last change…")
            return
        # What the window shows now: an edit, undo or redo made while saving shows another
        # draft object (an undo shows the one before), so the draft stays unsaved. The undo
        # stack's index cannot tell: an undo and a new edit bring it back where it was.
        shown = self.document.draft
        library = self.context.library
        if loaded is None and draft_id is not None and draft_id == self.document.draft_id:
            loaded = self.document.stored.version
        # A copy of a draft stays in its library; a new draft goes where the dock shows.
        open_id = self.document.draft_id
        into = library_key(open_id) if open_id is not None else self.new_drafts_into

        def done(stored: SavedDraft) -> None:
            self.document.stored.version = stored.version  # the base of the next save
            self._on_saved(stored, shown, then)

        self.context.runner.op(
            lambda: library.save(draft_id, draft, loaded=loaded, into=into)
        ).on_success(done).on_failure(
            lambda error: self._on_save_failed(error, draft, then)
        ).busy_while(self.saving).run()

    def _on_saved(self, stored: SavedDraft, shown: Draft, then: Callable[[], None] | None) -> None:
        unchanged = self.document.draft is shown  # still what was written (before the rename)
        self.document.mark_saved(stored.draft_id, stored.draft)
        if unchanged:
            self.document.undo_stack.setClean()
            self.autosave_timer.stop()  # nothing unsaved is left to autosave
        self.last_saved = stored.draft.modified
        self.remember_last(stored.draft_id)
        self.status.emit(f"Saved {quoted(stored.draft.name)} at {now_text()}")
        self.saved.emit()
        if then is not None:
            then()

    def _on_save_failed(
        self,
        error: BaseException,
        draft: Draft | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        from rcs_composer.app.drafts import DraftConflict

        if not isinstance(error, DraftConflict) or draft is None:
            QtWidgets.QMessageBox.warning(self.window, "Not saved", plain_text(f"{error}"))
            return
        copy_name = f"{draft.name} (my version)"
        answer = QtWidgets.QMessageBox.question(
            self.window,
            "Changed on disk",
            plain_text(
                f"{error}\n\nYes: save your version as a new draft, {quoted(copy_name)}, and "
                "keep theirs.\nNo: overwrite their version with yours.\nCancel: save nothing now."
            ),
            QtWidgets.QMessageBox.StandardButton.Yes
            | QtWidgets.QMessageBox.StandardButton.No
            | QtWidgets.QMessageBox.StandardButton.Cancel,
            QtWidgets.QMessageBox.StandardButton.Yes,
        )
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self._write(None, dataclasses.replace(draft, name=copy_name, created=None), then)
        elif answer == QtWidgets.QMessageBox.StandardButton.No:
            # Exactly the version just shown: a third change meanwhile is reported again.
            self._write(error.draft_id, draft, then, loaded=error.version)
        else:
            self.status.emit("Not saved: the draft changed on disk since you opened it")

    def on_moved_to_trash(self) -> None:
        self.status.emit(
            "The open draft was moved to the trash; saving keeps your work as a new draft"
        )

    def on_changed(self) -> None:
        if not self.document.undo_stack.isClean():
            self.autosave_timer.start()

    def autosave(self) -> None:
        """A moment after the last edit, the draft goes to the autosave slot, off the GUI thread."""
        if self.context.session_id is None or self.document.undo_stack.isClean():
            return  # saved meanwhile: there is nothing unsaved to keep
        drafts, session_id = self.context.drafts, self.context.session_id
        draft, draft_id = self.document.draft, self.document.draft_id
        base = self.document.stored.version  # restored work then knows which file it edits
        self.context.runner.op(
            lambda: drafts.save_autosave(session_id, draft, draft_id, base=base)
        ).on_success(
            lambda _r: self.status.emit(
                f"Unsaved changes kept for recovery at {now_text()}; Save to keep them"
            )
        ).report_to(self.status.emit, "Autosave failed: {error}").run()

    def offer_restore(self) -> None:
        """After a crash, offer back the unsaved work every earlier session left behind (read
        off the GUI thread)."""
        drafts, session_id = self.context.drafts, self.context.session_id

        def unreadable(error: BaseException) -> None:
            self.status.emit(f"Unsaved work could not be read: {error}")
            self.reopen_last()

        self.context.runner.op(lambda: drafts.pending_autosaves(session_id)).on_success(
            self._ask_restore
        ).on_failure(unreadable).run()

    def _ask_restore(self, pending: list[PendingAutosave]) -> None:
        """One question per unsaved draft, newest first. Yes restores it: the first into this
        window (still unsaved), any further one into the library as a new draft, since a
        window holds one draft. No discards it. Cancel, or closing the question, keeps it and
        every draft not yet asked about for the next start. An autosave is deleted only once
        its answer is in, and restored work is kept somewhere first."""
        from rcs_composer.app.drafts import RECOVERED_SUFFIX

        if not pending:
            self.reopen_last()
            return
        into_window: PendingAutosave | None = None
        to_library: list[PendingAutosave] = []
        to_discard: list[PendingAutosave] = []
        for number, item in enumerate(reversed(pending), start=1):
            count = f" ({number} of {len(pending)})" if len(pending) > 1 else ""
            where = (
                "It opens in this window, unsaved."
                if into_window is None
                else f"It is saved in the library as {quoted(item.draft.name + RECOVERED_SUFFIX)}."
            )
            answer = self._restore_question(item, count, where)
            if answer == QtWidgets.QMessageBox.StandardButton.Yes:
                if into_window is None:
                    into_window = item
                else:
                    to_library.append(item)
            elif answer == QtWidgets.QMessageBox.StandardButton.No:
                to_discard.append(item)
            else:
                break  # this one and the rest wait for the next start
        if into_window is not None:
            self.document.load(into_window.draft, into_window.draft_id)
            # Saved on the file it was an edit of: a change made since is reported.
            self.document.stored.version = into_window.base
            self.document.undo_stack.resetClean()  # restored work is unsaved until saved
            self.status.emit(f"Restored {quoted(into_window.draft.name)}: save it to keep it")
        else:
            self.reopen_last()
        self._settle_autosaves(into_window, to_library, to_discard)

    def _restore_question(
        self, item: PendingAutosave, count: str, where: str
    ) -> QtWidgets.QMessageBox.StandardButton:
        """Which draft, what it looks like, and when it was last changed."""
        from rcs_composer.gui.draft_thumbnail import preview_thumbnail  # only after a crash

        changed = (
            local_time(item.changed_ns / 1e9, seconds=False)
            if item.changed_ns
            else "at an unknown time"
        )
        box = QtWidgets.QMessageBox(
            QtWidgets.QMessageBox.Icon.Question,
            f"Restore unsaved work?{count}",
            f"Restore {quoted(suggested_name(item.draft))}, last changed {changed}?",
            QtWidgets.QMessageBox.StandardButton.Yes
            | QtWidgets.QMessageBox.StandardButton.No
            | QtWidgets.QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText(
            "The app was closed or stopped before this work was saved. "
            f"{where}\n\nNo discards it; Cancel keeps it for the next start."
        )
        box.setIconPixmap(preview_thumbnail(item.draft, self.images))
        box.setDefaultButton(QtWidgets.QMessageBox.StandardButton.Yes)
        return QtWidgets.QMessageBox.StandardButton(box.exec())

    def _settle_autosaves(
        self,
        into_window: PendingAutosave | None,
        to_library: list[PendingAutosave],
        to_discard: list[PendingAutosave],
    ) -> None:
        drafts, library, session_id = (
            self.context.drafts,
            self.context.library,
            self.context.session_id,
        )

        def settle() -> list[str]:
            names = []
            if into_window is not None and session_id is not None:
                drafts.adopt_autosave(into_window, session_id)  # this session keeps it now
            for item in to_library:
                names.append(library.recover(item).draft.name)
            for item in to_discard:
                drafts.discard_autosave(item.session)
            return names

        def done(names: list[str]) -> None:
            if names:
                self.status.emit("Restored into the library: " + ", ".join(map(quoted, names)))

        self.context.runner.op(settle).on_success(done).report_to(
            self.status.emit, "Unsaved work could not be settled: {error}"
        ).run()

    # ------------------------------------------------------------ export

    def export(self, fmt: codecs.Format, profile: Profile | None = None) -> None:
        draft = self.document.draft
        if fmt is codecs.Format.TEMPLATE and profile is not None:
            # Loaded on use: it brings the validation rules, which start-up does not need.
            from rcs_composer.app.templates import template_info

            info = template_info(draft, profile, status=(draft.template or TemplateInfo()).status)
            draft = dataclasses.replace(draft, template=info)
        text = codecs.dumps(codecs.export_as(fmt, draft))
        suggested = f"{draft.name}.{fmt.value}.json".replace("/", "-")
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self.window, f"Export the {fmt.value} body", suggested, JSON_FILTER
        )
        if path:
            self.write_export(Path(path), text)

    def write_export(self, path: Path, text: str) -> None:
        """Write the export off the GUI thread; ``exported`` says when it is on disk."""
        from rcs_composer.services.paths import atomic_write_text

        def failed(error: BaseException) -> None:
            QtWidgets.QMessageBox.warning(self.window, "Not exported", plain_text(str(error)))

        def written(_none: None) -> None:
            self.status.emit(f"Exported {path.name}")
            self.exported.emit(path)

        self.context.runner.op(lambda: atomic_write_text(path, text)).on_success(
            written
        ).on_failure(failed).run()

    def copy_as_curl(self, profile: Profile, recipients: list[str] | None = None) -> None:
        """A runnable curl command on the clipboard; the key stays in $KALEYRA_API_KEY. The
        sandbox's address may need the sandbox started: that runs off the GUI thread, and the
        clipboard is set when it is back (``curl_copied`` says when)."""
        from rcs_composer.core.outgoing import prepare_send

        message = prepare_send(
            self.document.message,
            sender=self.document.message.sender or profile.sender,
            recipients=recipients or list(self.document.message.recipients or ["91XXXXXXXXXX"]),
            values=self.document.variables,
        )
        body = codecs.export_message(message)
        context = self.context

        def command() -> str:
            base = context.ensure_sandbox() if profile.is_sandbox else profile.messages_base_url
            return curl_command(messages_url(base, profile.sid), body)

        def copy(text: str) -> None:
            QApplication.clipboard().setText(text)
            self.status.emit("Copied a curl command (the key is read from $KALEYRA_API_KEY)")
            self.curl_copied.emit(text)

        context.runner.op(command).on_success(copy).report_to(
            self.status.emit, "No curl command copied: {error}"
        ).run()


def read_importable(path: Path) -> codecs.Document:
    """A JSON file in any of the three formats, refused unread when it is too large to be one
    or not a regular file (a pipe would never end, a device never stop)."""
    from rcs_composer.services.regular_files import read_regular_file

    data, _stat = read_regular_file(path, codecs.MAX_DOCUMENT_BYTES)
    return codecs.loads(data)


def drop_paths(mime: Any) -> list[Path]:
    return (
        [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if mime.hasUrls()
        else []
    )
