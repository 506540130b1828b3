"""The one container of concrete services a front end builds; each is made on first use."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rcs_composer.app.drafts import DraftLibrary

if TYPE_CHECKING:
    from rcs_composer.app.send_guard import SendGuard
    from rcs_composer.services.drafts import DraftStore
    from rcs_composer.services.history import SendHistory
    from rcs_composer.services.kaleyra import KaleyraClient
    from rcs_composer.services.library_folders import LibraryFolders
    from rcs_composer.services.media_cache import MediaCache
    from rcs_composer.services.paths import AppPaths
    from rcs_composer.services.profiles import Profile, ProfileStore
    from rcs_composer.services.sandbox import SandboxServer
    from rcs_composer.services.secrets import KeyStore
    from rcs_composer.services.template_register import TemplateRegister

log = logging.getLogger(__name__)
SANDBOX_STEP_ENV = "RCS_COMPOSER_SANDBOX_TEMPLATE_STEP_S"  # seconds between lifecycle steps


class Services:
    """Paths, keys, profiles, drafts, history and the sandbox, built lazily (start-up pays only
    for what it uses) and once: no front end builds a service of its own. Blocking calls: use
    them off the GUI thread."""

    def __init__(
        self,
        *,
        on_sandbox_started: Callable[[str], None] | None = None,
        sandbox_factory: Callable[..., SandboxServer] | None = None,
        **given: object,
    ) -> None:
        """``given`` replaces a service by name (``drafts=SlowStore(...)`` in a test): the
        composition root is where a test swaps one in, never a patch of the code using it."""
        for name, service in given.items():
            if not isinstance(getattr(type(self), name, None), cached_property):
                raise TypeError(f"Services has no service named {name!r}")
            self.__dict__[name] = service  # what the cached property would have built
        self._sandbox: SandboxServer | None = None
        self.sandbox_factory = sandbox_factory  # None: the built-in sandbox
        self._sandbox_lock = threading.Lock()
        self.on_sandbox_started = on_sandbox_started

    @cached_property
    def folders(self) -> AppPaths:
        """Where the folders are, nothing created yet (a render only reads its cache)."""
        from rcs_composer.services.paths import app_paths

        return app_paths()

    @cached_property
    def paths(self) -> AppPaths:
        """The folders, created, with the log file in its own."""
        from rcs_composer.services.logs import setup_logging

        paths = self.folders.ensure()
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
    def library_folders(self) -> LibraryFolders:
        from rcs_composer.services.library_folders import LibraryFolders

        return LibraryFolders(
            self.paths.config_dir / "libraries.json",
            self.paths.data_dir / "libraries",
            private_folder=self.drafts.folder,
        )

    @cached_property
    def library(self) -> DraftLibrary:
        return DraftLibrary(self.drafts, self.library_folders)

    @cached_property
    def media_cache(self) -> MediaCache:
        """Fetched media on disk, shared by every image the app loads."""
        from rcs_composer.services.media_cache import MediaCache

        return MediaCache(self.paths.cache_dir / "media")

    @cached_property
    def send_guard(self) -> SendGuard:
        """Every send of this process by account and body: none goes twice by accident."""
        from rcs_composer.app.send_guard import SendGuard

        return SendGuard()

    @cached_property
    def history(self) -> SendHistory:
        from rcs_composer.services.history import SendHistory

        return SendHistory(self.paths.data_dir)

    @cached_property
    def template_register(self) -> TemplateRegister:
        from rcs_composer.services.template_register import TemplateRegister

        return TemplateRegister(self.paths.data_dir)

    # ------------------------------------------------------------ sandbox and clients

    @property
    def sandbox(self) -> SandboxServer | None:
        return self._sandbox

    def ensure_sandbox(self) -> str:
        """Start the built-in sandbox on a free loopback port (once); returns its URL."""
        with self._sandbox_lock:
            started = self._sandbox is None
            if self._sandbox is None:
                from rcs_composer.services.sandbox import SandboxServer

                make = self.sandbox_factory or SandboxServer
                self._sandbox = make(**sandbox_options(self.paths.data_dir)).start()
                self.profiles.set_sandbox_url(self._sandbox.url)
                log.info("sandbox started on %s", self._sandbox.url)
            url = self._sandbox.url
        if started and self.on_sandbox_started is not None:
            self.on_sandbox_started(url)
        return url

    def client_for(self, profile: Profile, *, templates: bool = False) -> KaleyraClient:
        """A client for ``profile`` (it may read the keyring and start the sandbox)."""
        from rcs_composer.services.kaleyra import KaleyraClient
        from rcs_composer.services.secrets import resolve_api_key

        if profile.is_sandbox:
            base = self.ensure_sandbox()
        else:
            base = profile.templates_base_url if templates else profile.messages_base_url
        key = resolve_api_key(self.keys, profile.name, is_sandbox=profile.is_sandbox)
        return KaleyraClient(base, profile.sid, key)

    def stop_sandbox(self) -> None:
        with self._sandbox_lock:
            if self._sandbox is not None:
                self._sandbox.stop()
                self._sandbox = None


def sandbox_options(data_dir: Path) -> dict[str, Any]:
    """The sandbox keeps its templates in the data folder, like an account would, so one
    command after another (or the app and a command) see the same ones; the pace of their
    lifecycle comes from RCS_COMPOSER_SANDBOX_TEMPLATE_STEP_S when it is set."""
    from rcs_composer.services.sandbox import DEFAULT_TEMPLATE_STEP_S, TEMPLATES_FILE

    step = DEFAULT_TEMPLATE_STEP_S
    text = os.environ.get(SANDBOX_STEP_ENV, "").strip()
    if text:
        try:
            step = max(0.0, float(text))
        except ValueError:
            log.warning("%s=%r is not a number of seconds; using %s", SANDBOX_STEP_ENV, text, step)
    return {"templates_file": data_dir / "sandbox" / TEMPLATES_FILE, "template_step_s": step}
