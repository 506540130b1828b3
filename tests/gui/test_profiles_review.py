"""The Profiles dialog refuses a custom base URL whose host only looks like Kaleyra's, with the
sentence that names the character and gives the host's ASCII (xn--) form; nothing is saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rcs_composer.gui.main_window import MainWindow
from tests.services.test_profiles_review import ASCII_FORM, HOMOGRAPH, NAMED

Make = Callable[..., MainWindow]


def test_the_profiles_dialog_shows_the_sentence_and_saves_nothing(
    qtbot: QtBot, make_window: Make
) -> None:
    from rcs_composer.gui.profiles_dialog import NEW, ProfilesDialog

    window = make_window()
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.list.count() > 1, timeout=5000)
    dialog.list.setCurrentItem(dialog.list.findItems(NEW, Qt.MatchFlag.MatchExactly)[0])
    dialog.name.setText("acme")
    dialog.pod.setCurrentText("custom")
    dialog.base_url.setText(HOMOGRAPH)
    dialog.sid.setText("HXAP16")
    dialog.sender_field.setText("acme-rcs")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.saving and "✖" in dialog.message.text(), timeout=5000)
    shown = dialog.message.text()
    assert NAMED in shown
    assert f"write its ASCII form: {ASCII_FORM}" in shown
    assert [p.name for p in window.context.profiles.list()] == ["sandbox"]
