"""The open draft's file changed under it (git checkout, a sync tool, another window): reload
it, or show both versions and let the user choose; offer merge conflicts and conflict copies."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer
from PySide6.QtWidgets import QWidget

from rcs_composer.app.drafts import (
    ConflictCopy,
    DiskReaction,
    DraftChange,
    DraftEvent,
    DraftLibrary,
    DraftMergeConflict,
    DraftVersion,
    LoadedDraft,
    library_key,
)
from rcs_composer.core.naming import quoted
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.file_actions import FileActions
from rcs_composer.gui.images import ImageLoader
from rcs_composer.services.drafts import DraftUnreadable

if TYPE_CHECKING:  # the compare dialog is built when a change needs a choice
    from rcs_composer.gui.compare_dialog import CompareDialog, Side

SETTLE_MS = 150  # a checkout or a sync writes several files: look once they are written
POLL_MS = 5000  # a network share may send no change notices: a library draft is also read


def probe(
    library: DraftLibrary, draft_id: str, known: DraftVersion | None
) -> LoadedDraft | DraftUnreadable | None:
    """What the draft's file holds now (on a worker): the draft (UNCHANGED while its time is
    the version's), why it cannot be read, or None when it is gone."""
    try:
        return library.version_on_disk(draft_id, known)
    except DraftUnreadable as exc:
        return exc


def _when(modified_ns: int) -> str:
    return time.strftime("%H:%M:%S", time.localtime(modified_ns / 1e9))


class DiskChanges(QObject):
    """Watches the open draft's file; the open draft (``document.stored``) decides what a
    change means, this shows it."""

    def __init__(
        self,
        context: AppContext,
        document: ComposerDocument,
        files: FileActions,
        status: Callable[[str], None],
        window: QWidget,
        images: ImageLoader | None = None,
    ) -> None:
        super().__init__(window)
        self.context, self.document, self.files = context, document, files
        self.status, self.window, self.images = status, window, images
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self.on_file_changed)
        self.watcher.directoryChanged.connect(self.on_file_changed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.check)
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self.check)
        self.watched: Path | None = None
        self.target: str | None = None  # the draft id whose file is watched
        self.dialog: CompareDialog | None = None
        document.loaded.connect(self.retarget)  # opened, reopened, restored after a crash
        files.opened.connect(self.look_for_copies)
        files.saved.connect(self.retarget)
        files.open_conflicted.connect(self.offer_merge_conflict)
        context.draft_changed.connect(self.on_draft_changed)

    # ------------------------------------------------------------ watching

    def retarget(self) -> None:
        """Watch the open draft's file (and its folder: an atomic replace or a checkout makes
        a new file, which a watch on the old one never hears of)."""
        draft_id = self.document.draft_id
        if draft_id is not None and draft_id == self.target and self.watched is not None:
            self._rewatch_file()  # the same file, saved again: a new inode to watch
            return
        self.target = draft_id
        if draft_id is None:
            self._watch(None)
            return
        if library_key(draft_id) is None:
            self.poll.stop()
        else:
            self.poll.start()
        library = self.context.library

        def where() -> tuple[Path, bool] | None:  # on a worker: a share may be slow
            path = library.path_of(draft_id)
            return (path, path.exists()) if path.parent.is_dir() else None

        self.context.runner.op(where).on_success(self._watch).on_failure(
            lambda _e: self._watch(None)
        ).run()

    def on_draft_changed(self, event: DraftEvent) -> None:
        """A rename in a library folder renames the open draft's file: watch the new one, once
        the open draft has followed the rename (the slots of this signal run in turn)."""
        if event.change is DraftChange.RENAMED and event.new_id and event.draft_id == self.target:
            QTimer.singleShot(0, self, self.retarget)

    def _watch(self, where: tuple[Path, bool] | None) -> None:
        old = self.watcher.files() + self.watcher.directories()
        if old:
            self.watcher.removePaths(old)
        self.watched = where[0] if where is not None else None
        if where is None:
            self.poll.stop()
            return
        path, exists = where
        self.watcher.addPaths([str(path.parent)] + ([str(path)] if exists else []))
        self.timer.start()  # a change made before the watch began is seen too

    def on_file_changed(self, _path: str) -> None:
        self.timer.start()

    def check(self) -> None:
        draft_id = self.document.draft_id
        if draft_id is None or self.dialog is not None:
            return
        if self.files.saving:
            self.timer.start()  # our own save: its version becomes the open draft's first
            return
        library, known = self.context.library, self.document.stored.version
        self.context.runner.op(lambda: probe(library, draft_id, known)).on_success(
            lambda now: self.react(draft_id, now)
        ).report_to(self.status, "Could not read the draft's file: {error}").run()

    def react(self, draft_id: str, now: LoadedDraft | DraftUnreadable | None) -> None:
        if draft_id != self.document.draft_id or self.dialog is not None:
            return  # another draft is open now, or the user is choosing already
        if self.files.saving:
            self.timer.start()
            return
        dirty = not self.document.undo_stack.isClean()
        reaction = self.document.stored.on_disk(now, dirty=dirty)
        name = self.document.draft.name
        if reaction is DiskReaction.RELOAD and isinstance(now, LoadedDraft):
            self._show(draft_id, now)
            self.status(f"Reloaded {quoted(now.draft.name)}: its file changed on disk")
        elif reaction is DiskReaction.COMPARE and isinstance(now, LoadedDraft):
            self._compare(draft_id, now)
        elif reaction is DiskReaction.GONE:
            self.status(f"The file of {quoted(name)} is gone from disk; saving writes it again")
        elif reaction is DiskReaction.FOLDER_GONE and isinstance(now, DraftUnreadable):
            self.status(
                f"The library folder of {quoted(name)} is gone ({now.path}: moved, or "
                "unmounted): your edits are kept; reconnect it to save, or use Save As"
            )
        elif reaction is DiskReaction.CONFLICT and isinstance(now, DraftMergeConflict):
            self.offer_merge_conflict(draft_id, now)
        if now is not None:
            self._rewatch_file()

    def _rewatch_file(self) -> None:
        """An atomic save or a checkout replaces the file, which drops out of the watch."""
        if self.watched is not None and str(self.watched) not in self.watcher.files():
            self.watcher.addPath(str(self.watched))

    def _show(self, draft_id: str, loaded: LoadedDraft) -> None:
        self.document.load(loaded.draft, draft_id)
        self.document.stored.version = loaded.version

    # ------------------------------------------------------------ choosing

    def _ask(
        self,
        title: str,
        explanation: str,
        left: Side,
        right: Side,
        choices: list[tuple[str, str]],
        then: Callable[[str], None],
    ) -> None:
        from rcs_composer.gui.compare_dialog import CompareDialog

        dialog = CompareDialog(
            title, explanation, left, right, [*choices, ("later", "Decide later")],
            cancel_key="later", loader=self.images, parent=self.window,
        )  # fmt: skip
        self.dialog = dialog

        def chosen(key: str) -> None:
            self.dialog = None
            dialog.deleteLater()
            then(key)

        dialog.chosen.connect(chosen)
        dialog.open()

    def _compare(self, draft_id: str, theirs: LoadedDraft) -> None:
        mine = self.document.draft
        when = _when(theirs.version.modified_ns)

        def then(key: str) -> None:
            if key == "theirs":  # one undo step: Undo brings the unsaved edits back
                self.document.set_draft(theirs.draft, "Take the version on disk")
                self.document.stored.version = theirs.version
                self.document.undo_stack.setClean()
                self.status(
                    f"Took the version of {quoted(theirs.draft.name)} saved on disk at {when} "
                    "(Undo brings your edits back)"
                )
            elif key == "mine":
                # Chosen knowingly: the next save replaces exactly the version just shown.
                self.document.stored.version = theirs.version
                self.status("Your edits are kept; saving replaces the version on disk")
            else:
                self.status("Not decided yet: saving will ask again")

        from rcs_composer.gui.compare_dialog import Side

        self._ask(
            "Changed on disk",
            f"{quoted(mine.name)} changed on disk (saved at {when}) while you have unsaved edits. "
            "Which version do you want to keep?",
            Side("Your version (unsaved edits)", mine),
            Side(f"On disk now (saved at {when})", theirs.draft),
            [("theirs", "Take the version on disk"), ("mine", "Keep my edits")],
            then,
        )

    def offer_merge_conflict(self, draft_id: str, conflict: DraftMergeConflict) -> None:
        """Git left conflict markers in the draft's file: show both sides, write the chosen."""
        if self.dialog is not None:
            return
        sides = conflict.sides
        ours_label = sides.ours_label or "ours"
        theirs_label = sides.theirs_label or "theirs"
        choices = [
            (key, f"Keep {label}")
            for key, label, side in (
                ("ours", ours_label, conflict.ours),
                ("theirs", theirs_label, conflict.theirs),
            )
            if side is not None
        ]

        def then(key: str) -> None:
            side = conflict.ours if key == "ours" else conflict.theirs
            if key not in ("ours", "theirs") or side is None:
                self.status(f"{conflict.path.name} still has a merge conflict")
                return
            library = self.context.library
            self.context.runner.op(
                lambda: library.resolve(draft_id, side, conflict.version)
            ).on_success(lambda _saved: self.files.open_draft(draft_id)).report_to(
                self.status, "The conflict was not resolved: {error}"
            ).run()

        from rcs_composer.gui.compare_dialog import Side

        self._ask(
            "Merge conflict",
            f"{conflict.path.name} has {sides.conflicts} git merge conflict(s). Pick the side "
            "to keep; it is written to the file (commit it to finish the merge).",
            Side(f"Ours: {ours_label}", conflict.ours, sides.ours),
            Side(f"Theirs: {theirs_label}", conflict.theirs, sides.theirs),
            choices,
            then,
        )

    def look_for_copies(self) -> None:
        """After opening: a copy a sync tool or merge tool left beside the file is offered."""
        draft_id = self.document.draft_id
        if draft_id is None or library_key(draft_id) is None:
            return  # sync tools' copies are looked for in library folders
        library = self.context.library

        def first_copy() -> tuple[ConflictCopy, LoadedDraft | DraftUnreadable] | None:
            for copy in library.conflict_copies(draft_id):
                try:
                    return copy, library.open_copy(draft_id, copy.file_name)
                except DraftUnreadable as exc:
                    return copy, exc
            return None

        self.context.runner.op(first_copy).on_success(
            lambda found: self._offer_copy(draft_id, found)
        ).ignore_failure().run()

    def _offer_copy(
        self,
        draft_id: str,
        found: tuple[ConflictCopy, LoadedDraft | DraftUnreadable] | None,
    ) -> None:
        if found is None or draft_id != self.document.draft_id or self.dialog is not None:
            return
        copy, loaded = found
        if not isinstance(loaded, LoadedDraft):
            self.status(f"{copy.file_name} is a conflict copy that cannot be read: {loaded.reason}")
            return
        library = self.context.library
        base = self.document.stored.version

        def then(key: str) -> None:
            if key not in ("keep", "copy"):
                self.status(f"The conflict copy {copy.file_name} is still there")
                return
            keep_copy = key == "copy"
            self.context.runner.op(
                lambda: library.settle_copy(
                    draft_id, copy.file_name, keep_copy=keep_copy, loaded=base
                )
            ).on_success(lambda _saved: self._copy_settled(draft_id, copy, keep_copy)).report_to(
                self.status, "Not settled: {error}"
            ).run()

        when = _when(loaded.version.modified_ns)
        from rcs_composer.gui.compare_dialog import Side

        self._ask(
            "Conflict copy",
            f"{copy.made_by.capitalize()} left a conflict copy beside this draft: "
            f"{copy.file_name}. Compare them and keep one; the other goes to the library's "
            "trash.",
            Side("This draft", self.document.draft),
            Side(f"The copy (saved at {when})", loaded.draft),
            [("keep", "Keep this draft"), ("copy", "Take the copy")],
            then,
        )

    def _copy_settled(self, draft_id: str, copy: ConflictCopy, took_copy: bool) -> None:
        if took_copy:
            self.files.open_draft(draft_id)
            self.status(f"Took the conflict copy; {copy.file_name} is in the trash")
        else:
            self.status(f"Kept this draft; {copy.file_name} is in the trash")
