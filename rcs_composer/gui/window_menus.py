"""The main window's menu bar and toolbar, built from the actions its controllers own."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QToolBar

from rcs_composer.core import codecs
from rcs_composer.gui.account_selector import AccountSelector
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.docks import Docks
from rcs_composer.gui.file_actions import FileActions
from rcs_composer.gui.message_actions import MessageActions
from rcs_composer.gui.preview.pane import PreviewPane
from rcs_composer.gui.samples import sample_names
from rcs_composer.gui.widgets import top_menu

SAMPLE_TITLES = {
    "standalone_card.json": "Vertical rich card",
    "horizontal_card.json": "Horizontal rich card",
    "carousel_with_chips.json": "Carousel with a chip list",
    "text_every_action.json": "Text with every action",
    "template_with_variables.json": "Template with variables",
}


@dataclass(frozen=True)
class EditActions:
    """The window's own actions: undo, redo, duplicate and the dark preview."""

    undo: QAction
    redo: QAction
    duplicate: QAction
    dark: QAction


def action(
    window: QMainWindow,
    text: str,
    handler: Callable[[], object],
    keys: str | QKeySequence.StandardKey | None = None,
    tip: str = "",
) -> QAction:
    made = QAction(text, window)
    if keys is not None:
        made.setShortcut(QKeySequence(keys))
    made.setStatusTip(tip)
    made.triggered.connect(lambda _checked=False: handler())
    return made


def install_toolbar(
    toolbar: QToolBar, account: AccountSelector, messages: MessageActions
) -> QAction:
    """Fill the main toolbar (the window's frame made it, with a stand-in of the same height):
    the profile box, Profiles…, Send, Save as template and the sandbox notice. Returns the
    Profiles… action."""
    window = toolbar.window()
    assert isinstance(window, QMainWindow)
    toolbar.clear()
    profiles = action(
        window, "&Profiles…", account.edit_profiles, None, "Kaleyra accounts and keys"
    )
    toolbar.addWidget(QLabel(" Profile ", toolbar))
    toolbar.addWidget(account.box)
    toolbar.addAction(profiles)
    toolbar.addSeparator()
    toolbar.addAction(messages.send_action)
    toolbar.addAction(messages.template_action)
    toolbar.addSeparator()
    toolbar.addAction(account.banner_bar)  # takes the rest of the row; cut short when narrow
    return profiles


def install_menus(
    window: QMainWindow,
    *,
    context: AppContext,
    files: FileActions,
    account: AccountSelector,
    messages: MessageActions,
    docks: Docks,
    edit_actions: EditActions,
    preview_pane: PreviewPane,
    profiles_action: QAction,
) -> None:
    file_menu = top_menu(window, "&File")
    file_menu.addAction(action(window, "&New", files.new, QKeySequence.StandardKey.New))
    file_menu.addAction(
        action(window, "&Open…", files.open_file_dialog, QKeySequence.StandardKey.Open)
    )
    samples = file_menu.addMenu("Open &Sample")
    for name in sample_names():
        samples.addAction(
            action(
                window, SAMPLE_TITLES.get(name, name), functools.partial(files.open_sample, name)
            )
        )
    file_menu.addAction(action(window, "&Save", files.save, QKeySequence.StandardKey.Save))
    file_menu.addAction(action(window, "Save &As…", files.save_as, "Ctrl+Shift+S"))
    file_menu.addAction(action(window, "Add &library folder…", docks.add_library_folder))
    file_menu.addSeparator()
    file_menu.addAction(
        action(window, "Export &message body…", lambda: files.export(codecs.Format.MESSAGE))
    )
    file_menu.addAction(
        action(
            window,
            "Export &template body…",
            lambda: files.export(codecs.Format.TEMPLATE, account.profile()),
        )
    )
    file_menu.addAction(
        action(
            window, "Copy as &curl", lambda: files.copy_as_curl(account.profile()), "Ctrl+Shift+C"
        )
    )
    file_menu.addSeparator()
    file_menu.addAction(profiles_action)
    file_menu.addAction(messages.history_action)
    file_menu.addSeparator()
    file_menu.addAction(action(window, "&Quit", window.close, QKeySequence.StandardKey.Quit))

    edit = top_menu(window, "&Edit")
    edit.addAction(edit_actions.undo)
    edit.addAction(edit_actions.redo)
    edit.addSeparator()
    edit.addAction(edit_actions.duplicate)
    edit.addSeparator()
    edit.addAction(
        action(window, "&Find drafts", docks.focus_search, QKeySequence.StandardKey.Find)
    )

    message = top_menu(window, "&Message")
    message.addAction(messages.send_action)
    message.addAction(messages.template_action)

    view = top_menu(window, "&View")
    view.addAction(edit_actions.dark)
    view.addActions(preview_pane.zoom_actions)
    view.addSeparator()
    view.addAction(docks.library_action)
    view.addAction(docks.media_action)
    view.addAction(
        action(
            window,
            "Show log &folder",
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(context.paths.log_dir))),
        )
    )

    help_menu = top_menu(window, "&Help")
    help_menu.addAction(
        action(
            window,
            "User &guide",
            lambda: _show_guide(window),
            QKeySequence.StandardKey.HelpContents,
        )
    )
    help_menu.addAction(action(window, "&About RCS Composer", lambda: _show_about(window, context)))


def _show_guide(window: QMainWindow) -> None:
    from rcs_composer.gui.help import show_guide  # built on first use

    show_guide(window)


def _show_about(window: QMainWindow, context: AppContext) -> None:
    from PySide6.QtWidgets import QMessageBox

    from rcs_composer.gui.help import about_text  # built on first use

    QMessageBox.about(window, "About RCS Composer", about_text(context.paths))
