"""The window's app context: the Services container, its task runner, and Qt signals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from rcs_composer.app.drafts import DraftEvent, DraftLibrary
from rcs_composer.app.services import Services
from rcs_composer.gui.tasks import TaskRunner

if TYPE_CHECKING:
    from rcs_composer.services.drafts import DraftStore
    from rcs_composer.services.history import SendHistory
    from rcs_composer.services.kaleyra import KaleyraClient
    from rcs_composer.services.paths import AppPaths
    from rcs_composer.services.profiles import Profile, ProfileStore
    from rcs_composer.services.sandbox import SandboxServer
    from rcs_composer.services.secrets import KeyStore


class AppContext(QObject):
    """The window's composition root: it owns the Services and relays their events to the GUI
    thread as signals (a library change made on a worker arrives here, queued)."""

    sandbox_ready = Signal(str)
    draft_changed = Signal(object)  # a DraftEvent: saved, renamed, trashed, restored, duplicated

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        start_sandbox: bool = False,
        services: Services | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        """``runner``: how background work runs (a test passes a ``SyncTaskRunner``).

        The built-in sandbox starts with the first send or template call that needs it
        (``services.client_for``), not with the window: a session that never sends never runs
        its server (~1 MB, a thread and a port). ``start_sandbox`` starts it just after the
        first paint instead (tests that set faults on it before a send)."""
        super().__init__(parent)
        self.runner = runner or TaskRunner(self)
        self.runner.setParent(self)
        self.start_sandbox = start_sandbox
        self.services = services or Services()
        self.services.on_sandbox_started = self.sandbox_ready.emit
        self.session_id: str | None = None
        self._library_heard = False

    @property
    def paths(self) -> AppPaths:
        return self.services.paths

    @property
    def keys(self) -> KeyStore:
        return self.services.keys

    @property
    def profiles(self) -> ProfileStore:
        return self.services.profiles

    @property
    def drafts(self) -> DraftStore:
        return self.services.drafts

    @property
    def history(self) -> SendHistory:
        return self.services.history

    @property
    def library(self) -> DraftLibrary:
        library = self.services.library
        if not self._library_heard:
            library.subscribe(self._on_library_event)
            self._library_heard = True
        return library

    def _on_library_event(self, event: DraftEvent) -> None:
        self.draft_changed.emit(event)  # from any thread: receivers on the GUI thread queue it

    @property
    def sandbox(self) -> SandboxServer | None:
        return self.services.sandbox

    def ensure_sandbox(self) -> str:
        return self.services.ensure_sandbox()

    def client_for(self, profile: Profile, *, templates: bool = False) -> KaleyraClient:
        """A client for ``profile``; call it on a worker thread (it may read the keyring)."""
        return self.services.client_for(profile, templates=templates)

    def shutdown(self, *, keep_autosave: bool = False) -> None:
        """Stop background work. ``keep_autosave`` leaves unsaved work for the next start."""
        self.runner.drain(5000)
        self.services.stop_sandbox()
        if self.session_id is not None:
            if keep_autosave:
                self.drafts.release_session(self.session_id)
            else:
                self.drafts.end_session(self.session_id)
            self.session_id = None
