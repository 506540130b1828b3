"""Work the first paint does not need, started once the window has painted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from rcs_composer.gui.account_selector import AccountSelector
from rcs_composer.gui.docks import Docks
from rcs_composer.gui.file_actions import FileActions
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.session import AppSession


class AfterFirstPaint(QObject):
    """Off the GUI thread, after the first paint: the folders, the drafts session and its
    crash recovery, the sandbox, the profiles and the drafts library. ``painted`` says the
    window has painted once; ``first_painted`` fires then, for work that waits for it."""

    first_painted = Signal()
    painted = False

    def __init__(
        self,
        window: QWidget,
        *,
        context: AppSession,
        files: FileActions,
        account: AccountSelector,
        docks: Docks,
        images: ImageLoader,
        status: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.context, self.files, self.account = context, files, account
        self.docks, self.images, self.status = docks, images, status
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.start)
        return False

    def start(self) -> None:
        self.painted = True
        self.first_painted.emit()
        context = self.context
        services = context.services

        def prepare() -> tuple[Path, str]:
            return services.paths.cache_dir, services.drafts.start_session()

        context.runner.run(prepare, self.on_prepared, self.on_prepare_failed)
        if context.start_sandbox:
            context.runner.run(
                services.ensure_sandbox,
                lambda _url: self.account.reload(),
                lambda error: self.status(f"The sandbox could not start: {error}"),
            )
        self.account.reload()
        if self.docks.library_wanted():
            self.docks.toggle_library(True)

    def on_prepared(self, prepared: tuple[Path, str]) -> None:
        cache_dir, self.context.session_id = prepared
        self.images.cache_dir = cache_dir  # fetched media survive restarts
        self.images.release()
        self.files.offer_restore()

    def on_prepare_failed(self, error: BaseException) -> None:
        self.images.release()  # previews still load, uncached
        self.status(f"Drafts folder unavailable: {error}")
