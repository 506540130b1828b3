"""Work the first paint does not need, started once the window has painted."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from rcs_composer.gui.account_selector import AccountSelector
from rcs_composer.gui.after_paint import AfterPaint
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.docks import Docks
from rcs_composer.gui.file_actions import FileActions
from rcs_composer.gui.images import ImageLoader

if TYPE_CHECKING:
    from rcs_composer.services.media_cache import MediaCache


class AfterFirstPaint(QObject):
    """Off the GUI thread, after the first paint: the folders, the drafts session and its
    crash recovery, the profiles and the drafts library (and the sandbox when the context
    asks for it at the start; otherwise the first send or template call starts it).
    ``painted`` says the window has painted once; ``first_painted`` fires then, for work that
    waits for it."""

    first_painted = Signal()
    painted = False

    def __init__(
        self,
        window: QWidget,
        *,
        context: AppContext,
        files: FileActions,
        account: AccountSelector,
        docks: Docks,
        images: ImageLoader,
        status: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self.context, self.files, self.account = context, files, account
        self.docks, self.images, self.status = docks, images, status
        AfterPaint(window, self.start)

    def start(self) -> None:
        self.painted = True
        self.first_painted.emit()
        context = self.context
        services = context.services

        def prepare() -> tuple[MediaCache, str]:
            return services.media_cache, services.drafts.start_session()

        context.runner.op(prepare).on_success(self.on_prepared).on_failure(
            self.on_prepare_failed
        ).run()
        if context.start_sandbox:
            context.runner.op(services.ensure_sandbox).report_to(
                self.status, "The sandbox could not start: {error}"
            ).run()
        self.account.reload()
        if self.docks.library_wanted():
            self.docks.toggle_library(True)

    def on_prepared(self, prepared: tuple[MediaCache, str]) -> None:
        cache, self.context.session_id = prepared
        self.images.cache = cache  # the app's one media cache: fetched media survive restarts
        self.images.release()
        self.files.offer_restore()

    def on_prepare_failed(self, error: BaseException) -> None:
        self.images.release()  # previews still load, uncached
        self.status(f"Drafts folder unavailable: {error}")
