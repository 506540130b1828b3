"""The services one window uses, built once and lazily: start-up pays only for what it shows."""

from __future__ import annotations

import logging
from functools import cached_property
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from rcs_composer.gui.tasks import TaskRunner

if TYPE_CHECKING:
    from rcs_composer.services.drafts import DraftStore
    from rcs_composer.services.history import SendHistory
    from rcs_composer.services.kaleyra import KaleyraClient
    from rcs_composer.services.paths import AppPaths
    from rcs_composer.services.profiles import Profile, ProfileStore
    from rcs_composer.services.sandbox import SandboxServer
    from rcs_composer.services.secrets import KeyStore

log = logging.getLogger(__name__)


class AppSession(QObject):
    """Paths, profiles, keys, drafts, history, the sandbox and the task runner of one window."""

    sandbox_ready = Signal(str)

    def __init__(self, parent: QObject | None = None, *, start_sandbox: bool = True) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.start_sandbox = start_sandbox
        self._sandbox: SandboxServer | None = None
        self.session_id: str | None = None

    @cached_property
    def paths(self) -> AppPaths:
        from rcs_composer.services.logs import setup_logging
        from rcs_composer.services.paths import app_paths

        paths = app_paths().ensure()
        setup_logging(paths.log_dir)
        return paths

    @cached_property
    def keys(self) -> KeyStore:
        from rcs_composer.services.secrets import KeyStore

        return KeyStore()

    @cached_property
    def profiles(self) -> ProfileStore:
        from rcs_composer.services.profiles import ProfileStore

        return ProfileStore(self.paths.config_dir, self.keys)

    @cached_property
    def drafts(self) -> DraftStore:
        from rcs_composer.services.drafts import DraftStore

        return DraftStore(self.paths.data_dir)

    @cached_property
    def history(self) -> SendHistory:
        from rcs_composer.services.history import SendHistory

        return SendHistory(self.paths.data_dir)

    # ------------------------------------------------------------ sandbox

    @property
    def sandbox(self) -> SandboxServer | None:
        return self._sandbox

    def ensure_sandbox(self) -> str:
        """Start the built-in sandbox on a free loopback port (once); returns its URL."""
        if self._sandbox is None:
            from rcs_composer.services.sandbox import SandboxServer

            self._sandbox = SandboxServer().start()
            self.profiles.set_sandbox_url(self._sandbox.url)
            log.info("sandbox started on %s", self._sandbox.url)
            self.sandbox_ready.emit(self._sandbox.url)
        return self._sandbox.url

    def client_for(self, profile: Profile, *, templates: bool = False) -> KaleyraClient:
        """A client for ``profile``; call it on a worker thread (it may read the keyring)."""
        from rcs_composer.services.kaleyra import KaleyraClient
        from rcs_composer.services.secrets import resolve_api_key

        if profile.is_sandbox:
            base = self.ensure_sandbox()
        else:
            base = profile.templates_base_url if templates else profile.messages_base_url
        key = resolve_api_key(self.keys, profile.name, is_sandbox=profile.is_sandbox)
        return KaleyraClient(base, profile.sid, key)

    def shutdown(self, *, keep_autosave: bool = False) -> None:
        """Stop background work. ``keep_autosave`` leaves unsaved work for the next start."""
        self.runner.drain(5000)
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        if self.session_id is not None:
            if keep_autosave:
                self.drafts.release_session(self.session_id)
            else:
                self.drafts.end_session(self.session_id)
            self.session_id = None
