"""Menus, toolbar, profile selector, status bar, drafts library and dialogs of the main window."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QComboBox, QDockWidget, QLabel, QMessageBox, QToolBar

from rcs_composer.core import codecs
from rcs_composer.core.model import TemplateInfo
from rcs_composer.gui.samples import SANDBOX_BANNER, sample_names
from rcs_composer.services.profiles import Profile, sandbox_profile

if TYPE_CHECKING:
    from rcs_composer.gui.main_window import MainWindow

SANDBOX = "sandbox"
SAMPLE_TITLES = {
    "standalone_card.json": "Vertical rich card",
    "horizontal_card.json": "Horizontal rich card",
    "carousel_with_chips.json": "Carousel with a chip list",
    "text_every_action.json": "Text with every action",
    "template_with_variables.json": "Template with variables",
}


class Workspace(QObject):
    """Everything around the editor: which account sends, files, drafts, dialogs."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from rcs_composer.gui.file_actions import FileActions

        self.window = window
        self.session = window.session
        self.files = FileActions(self.session, window.document, window)
        self.files.status.connect(self.show_status)
        self.profile_name = str(window.settings.value("profile", SANDBOX))
        # The profiles as last read in the background; until then only the built-in sandbox.
        self.profiles: dict[str, Profile] = {SANDBOX: sandbox_profile()}
        self.profile_box = QComboBox(window)
        self.profile_box.setAccessibleName("Profile: which account sends")
        self.profile_box.setMinimumWidth(200)
        self.account = QLabel(window)
        self.account.setAccessibleName("Current account")
        self.save_state = QLabel(window)
        self.banner = QLabel(SANDBOX_BANNER, window)
        self.banner.setStyleSheet(
            "QLabel { background: #E8F0FE; color: #174EA6; padding: 6px 10px; }"
        )
        self.banner.setAccessibleName("Sandbox notice")
        self.library_dock: QDockWidget | None = None
        self._build_toolbar()
        self._build_menus()
        window.statusBar().addWidget(self.account)
        window.statusBar().addPermanentWidget(self.save_state)
        self.profile_box.currentIndexChanged.connect(self.on_profile_changed)
        window.issues_changed.connect(self.on_issues)
        window.images.image_ready.connect(self.on_image_ready)
        self.reload_profiles()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.after_first_paint)
        return False

    # ------------------------------------------------------------ building

    def _action(
        self,
        text: str,
        handler: Any,
        keys: str | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self.window)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
        action.setStatusTip(tip)
        action.triggered.connect(handler)
        return action

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main", self.window)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        self.send_action = self._action(
            "Send test…", self.send_test, "Ctrl+Return", "Send a test to your phone"
        )
        self.template_action = self._action("Save as template…", self.save_template, "Ctrl+Shift+T")
        self.profiles_action = self._action(
            "Profiles…", self.edit_profiles, None, "Kaleyra accounts and keys"
        )
        toolbar.addWidget(QLabel(" Profile ", toolbar))
        toolbar.addWidget(self.profile_box)
        toolbar.addAction(self.profiles_action)
        toolbar.addSeparator()
        toolbar.addAction(self.send_action)
        toolbar.addAction(self.template_action)
        self.window.addToolBar(toolbar)
        self.window.addToolBarBreak()
        banner_bar = QToolBar("Notice", self.window)
        banner_bar.setObjectName("notice-toolbar")
        banner_bar.setMovable(False)
        banner_bar.addWidget(self.banner)
        self.banner_bar = banner_bar
        self.window.addToolBar(banner_bar)

    def _build_menus(self) -> None:
        window, files = self.window, self.files
        menu = window.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self._action("&New", files.new, QKeySequence.StandardKey.New))
        file_menu.addAction(
            self._action("&Open…", files.open_file_dialog, QKeySequence.StandardKey.Open)
        )
        samples = file_menu.addMenu("Open &Sample")
        for name in sample_names():
            samples.addAction(
                self._action(
                    SAMPLE_TITLES.get(name, name), lambda _=False, n=name: files.open_sample(n)
                )
            )
        file_menu.addAction(self._action("&Save", files.save, QKeySequence.StandardKey.Save))
        file_menu.addAction(self._action("Save &As…", files.save_as, "Ctrl+Shift+S"))
        file_menu.addSeparator()
        file_menu.addAction(
            self._action("Export message body…", lambda: files.export(codecs.Format.MESSAGE))
        )
        file_menu.addAction(
            self._action(
                "Export template body…",
                lambda: files.export(codecs.Format.TEMPLATE, self.profile()),
            )
        )
        file_menu.addAction(
            self._action("Copy as curl", lambda: files.copy_as_curl(self.profile()), "Ctrl+Shift+C")
        )
        file_menu.addSeparator()
        file_menu.addAction(self.profiles_action)
        file_menu.addAction(self._action("Send &history…", self.show_history))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", window.close, QKeySequence.StandardKey.Quit))
        edit = menu.addMenu("&Edit")
        edit.addAction(window.undo_action)
        edit.addAction(window.redo_action)
        edit.addSeparator()
        edit.addAction(
            self._action("Find drafts", self.focus_search, QKeySequence.StandardKey.Find)
        )
        message = menu.addMenu("&Message")
        message.addAction(self.send_action)
        message.addAction(self.template_action)
        view = menu.addMenu("&View")
        view.addAction(window.dark_action)
        view.addActions(window.preview_pane.zoom_actions)
        view.addSeparator()
        self.library_action = self._action("Drafts library", self.toggle_library, "Ctrl+L")
        self.library_action.setCheckable(True)
        view.addAction(self.library_action)
        view.addAction(self._action("Media inspector", self.show_media_inspector, "Ctrl+I"))
        view.addAction(self._action("Show log folder", self.show_log_folder))
        help_menu = menu.addMenu("&Help")
        help_menu.addAction(
            self._action("User guide", self.show_guide, QKeySequence.StandardKey.HelpContents)
        )
        help_menu.addAction(self._action("About RCS Composer", self.show_about))

    # ------------------------------------------------------------ start-up

    def after_first_paint(self) -> None:
        """Work the first paint does not need, off the GUI thread: the folders, the drafts
        session and its crash recovery, the sandbox, the profiles and the drafts library."""
        services = self.session.services

        def prepare() -> tuple[Path, str]:
            return services.paths.cache_dir, services.drafts.start_session()

        self.session.runner.run(prepare, self.on_prepared, self.on_prepare_failed)
        if self.session.start_sandbox:
            self.session.runner.run(
                services.ensure_sandbox,
                lambda _url: self.reload_profiles(),
                lambda error: self.show_status(f"The sandbox could not start: {error}"),
            )
        self.reload_profiles()
        if self.window.settings.value("library/visible", True) in (True, "true"):
            self.toggle_library(True)

    def on_prepared(self, prepared: tuple[Path, str]) -> None:
        cache_dir, self.session.session_id = prepared
        loader = self.window.images
        loader.cache_dir = cache_dir  # fetched media survive restarts
        loader.release()
        self.files.offer_restore()

    def on_prepare_failed(self, error: BaseException) -> None:
        self.window.images.release()  # previews still load, uncached
        self.show_status(f"Drafts folder unavailable: {error}")

    # ------------------------------------------------------------ profiles

    def profile(self) -> Profile:
        """The chosen profile as last read (no disk or keyring: call it from any slot)."""
        return self.profiles.get(self.profile_name) or self.profiles[SANDBOX]

    def profile_label(self) -> str:
        return (
            "sandbox (simulated)"
            if self.profile_name == SANDBOX
            else f"{self.profile_name} (real account)"
        )

    def reload_profiles(self) -> None:
        """Read the profiles in the background, then show them in the selector."""
        self.session.runner.run(
            self.session.profiles.list,
            self.show_profiles,
            lambda error: self.show_status(f"Profiles unavailable: {error}"),
        )

    def show_profiles(self, profiles: list[Profile]) -> None:
        self.profiles = {profile.name: profile for profile in profiles}
        self.profile_box.blockSignals(True)
        self.profile_box.clear()
        for profile in profiles:
            label = (
                "sandbox · simulated sends"
                if profile.is_sandbox
                else f"{profile.name} · {profile.pod} · real"
            )
            self.profile_box.addItem(label, profile.name)
        index = self.profile_box.findData(self.profile_name)
        self.profile_box.setCurrentIndex(max(index, 0))
        self.profile_box.blockSignals(False)
        self.on_profile_changed()

    def on_profile_changed(self) -> None:
        self.profile_name = str(self.profile_box.currentData() or SANDBOX)
        self.window.settings.setValue("profile", self.profile_name)
        profile = self.profile()
        real = not profile.is_sandbox
        sandbox_down = profile.is_sandbox and self.session.sandbox is None
        where = "simulated on this computer" if sandbox_down else profile.messages_base_url
        self.account.setText(
            f"Sends go to: {profile.name} · "
            f"{'REAL Kaleyra account' if real else 'built-in sandbox'}"
            f" · {where}"
        )
        self.account.setStyleSheet("QLabel { color: #B3261E; font-weight: 600; }" if real else "")
        self.profile_box.setStyleSheet("QComboBox { border: 2px solid #B3261E; }" if real else "")
        self.banner_bar.setVisible(not real)
        self.show_agent(profile)
        self.window.set_region(profile.region)
        self.window.account_label = self.profile_label()
        self.window.update_title()

    def show_agent(self, profile: Profile) -> None:
        """The preview's header: the agent's name, colour, badge, and its logo once loaded."""
        preview = self.window.preview_pane.preview
        logo = self.window.images.image(profile.logo_url) if profile.logo_url else None
        preview.set_agent(profile.display_agent, profile.brand_color, profile.verified, logo)
        if profile.logo_url and logo is None:
            self.window.images.request(profile.logo_url)

    def on_image_ready(self, url: str) -> None:
        profile = self.profile()
        if url and url == profile.logo_url:
            self.show_agent(profile)

    def edit_profiles(self) -> None:
        from rcs_composer.gui.profiles_dialog import ProfilesDialog

        dialog = ProfilesDialog(self.session, self.window)
        dialog.changed.connect(self.reload_profiles)
        dialog.exec()

    # ------------------------------------------------------------ sending and templates

    def on_issues(self, issues: list[Any]) -> None:
        errors = sum(1 for issue in issues if issue.is_error)
        self.send_action.setEnabled(errors == 0)
        self.send_action.setToolTip(
            f"Send is off: {errors} error(s) in the message."
            if errors
            else f"Send a test through {self.profile_name} (Ctrl+Enter)"
        )

    def send_test(self) -> None:
        from rcs_composer.gui.send_dialog import SendDialog

        if any(issue.is_error for issue in self.window.issues):
            self.show_status("Send is off: fix the errors listed in Problems first.")
            return
        dialog = SendDialog(
            self.session, self.window.document.draft, self.profile_name, self.window
        )
        dialog.field_error.connect(self.window.focus_path)
        self.send_dialog = dialog
        dialog.show()

    def save_template(self) -> None:
        from rcs_composer.gui.template_dialog import TemplateDialog

        dialog = TemplateDialog(
            self.session, self.window.document.draft, self.profile_name, self.window
        )
        dialog.saved.connect(self.on_template_saved)
        dialog.field_error.connect(self.window.focus_path)
        self.template_dialog = dialog
        dialog.show()

    def on_template_saved(self, info: TemplateInfo) -> None:
        document = self.window.document
        document.set_draft(dataclasses.replace(document.draft, template=info), "Link template")
        if document.draft_id is not None:
            self.files.save()

    def show_history(self) -> None:
        from rcs_composer.gui.history_dialog import HistoryDialog

        self.history_dialog = HistoryDialog(self.session.history, self.session.runner, self.window)
        self.history_dialog.show()

    # ------------------------------------------------------------ library and help

    def toggle_library(self, visible: bool) -> None:
        if self.library_dock is None:
            from rcs_composer.gui.library import LibraryPanel

            self.library = LibraryPanel(self.session, self.window, self.window.images)
            self.library.open_requested.connect(self.files.open_draft)
            dock = QDockWidget("Drafts", self.window)
            dock.setObjectName("drafts-dock")
            dock.setWidget(self.library)
            self.window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
            dock.visibilityChanged.connect(self.library_action.setChecked)
            self.library_dock = dock
        self.library_dock.setVisible(visible)
        self.window.settings.setValue("library/visible", visible)
        if visible:
            self.library.reload()

    def show_media_inspector(self) -> None:
        from rcs_composer.gui.media_inspector import MediaInspector

        if getattr(self, "media_dock", None) is None:
            inspector = MediaInspector(self.window.document, self.window.images, self.window)
            dock = QDockWidget("Media", self.window)
            dock.setObjectName("media-dock")
            dock.setWidget(inspector)
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            self.media_dock = dock
        self.media_dock.setVisible(True)
        self.media_dock.raise_()

    def focus_search(self) -> None:
        self.toggle_library(True)
        self.library.search.setFocus()

    def show_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.paths.log_dir)))

    def show_guide(self) -> None:
        from rcs_composer.gui.help import show_guide

        show_guide(self.window)

    def show_about(self) -> None:
        from rcs_composer.gui.help import about_text

        QMessageBox.about(self.window, "About RCS Composer", about_text(self.session.paths))

    def show_status(self, text: str) -> None:
        self.save_state.setText(text)
