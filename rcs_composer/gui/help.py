"""The user guide (shipped in the package) and the About text."""

from __future__ import annotations

from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from rcs_composer import __version__
from rcs_composer.gui.package_data import package_folder

GUIDE_PAGES = ("guide.md", "team.md")  # the user guide's pages, in reading order


def guide_text() -> str:
    pages = package_folder("rcs_composer.help")
    return "\n\n".join(pages.joinpath(page).read_text(encoding="utf-8") for page in GUIDE_PAGES)


def show_guide(parent: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle("RCS Composer user guide")
    browser = QTextBrowser(dialog)
    browser.setAccessibleName("User guide")
    browser.setMarkdown(guide_text())
    browser.setOpenExternalLinks(True)
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    dialog.resize(640, 640)
    dialog.show()
    return dialog


def about_text(paths: Any) -> str:
    return (
        f"<b>RCS Composer {__version__}</b><br>"
        "Design, preview, test-send and template RCS messages for Kaleyra.<br><br>"
        f"Qt {qVersion()} · PySide6 {pyside_version}<br><br>"
        f"Drafts and history: {paths.data_dir}<br>"
        f"Profiles (no keys): {paths.config_dir}<br>"
        f"Image cache: {paths.cache_dir}<br>"
        f"Logs: {paths.log_dir}<br>"
        "API keys: the system keyring only."
    )
