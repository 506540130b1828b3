"""The Profiles dialog warns of a keyring that is only a file, and stores there only on a yes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from rcs_composer.gui.main_window import MainWindow
from tests.services.test_secrets_keyring import PlaintextKeyringLike

Make = Callable[..., MainWindow]
KEY = "dialog-plain-key-5a1c-UNIQUE"


def fill_new_profile(dialog: object) -> None:
    from rcs_composer.gui.profiles_dialog import NEW

    dialog.list.setCurrentItem(dialog.list.findItems(NEW, Qt.MatchFlag.MatchExactly)[0])  # type: ignore[attr-defined]
    dialog.name.setText("acme")  # type: ignore[attr-defined]
    dialog.sid.setText("HXAP16")  # type: ignore[attr-defined]
    dialog.sender_field.setText("acme-rcs")  # type: ignore[attr-defined]
    dialog.key.setText(KEY)  # type: ignore[attr-defined]


@pytest.mark.parametrize("yes", [False, True])
def test_a_file_keyring_is_named_and_needs_an_explicit_yes(
    qtbot: QtBot, make_window: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, yes: bool
) -> None:
    from rcs_composer.gui.profiles_dialog import ProfilesDialog

    backend = PlaintextKeyringLike()
    backend.location = tmp_path
    keyring.set_keyring(backend)  # the conftest fixture puts the memory keyring back afterwards
    asked: list[str] = []

    def answer(_parent: object, _title: str, text: str, *_a: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", answer)
    window = make_window()
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "keyring_pass.cfg" in dialog.where.text(), timeout=5000)
    assert "⚠" in dialog.where.text()
    fill_new_profile(dialog)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.busy and not dialog.saving, timeout=5000)
    assert len(asked) == 1 and "keyring_pass.cfg" in asked[0]
    stored = backend.get_password("rcs-composer", "acme")
    if yes:
        assert stored == KEY
        assert "Saved acme" in dialog.message.text()
    else:
        assert stored is None
        assert "the key was not" in dialog.message.text()
    assert dialog.key.text() == ""


def test_what_reading_profiles_json_found_is_shown_in_the_dialog(
    qtbot: QtBot, make_window: Make
) -> None:
    import json

    from rcs_composer.gui.profiles_dialog import ProfilesDialog

    window = make_window()
    # The window's own first reads of the profiles are done before the file changes under it.
    qtbot.waitUntil(lambda: window.startup.painted and not window.context.runner.busy)
    config = window.context.paths.config_dir
    config.mkdir(parents=True, exist_ok=True)
    acme = {"name": "acme", "sid": "HXAP16", "sender": "acme-rcs", "pod": "IN", "region": "IN"}
    (config / "profiles.json").write_text(
        json.dumps({"version": 2, "profiles": [acme]}), encoding="utf-8"
    )
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: "newer rcs-composer" in dialog.message.text(), timeout=5000)
    assert dialog.message.text().startswith("⚠")
    assert dialog.list.findItems("acme", Qt.MatchFlag.MatchExactly)  # the entry is still listed


def test_a_pasted_key_with_a_zero_width_space_is_named_and_nothing_is_saved(
    qtbot: QtBot, make_window: Make, memory_keyring: object
) -> None:
    """Every request with it would fail in the header; the user is told which character."""
    from rcs_composer.gui.profiles_dialog import ProfilesDialog

    window = make_window()
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=5000)  # sandbox, new
    fill_new_profile(dialog)
    dialog.key.setText(KEY + "\u200b")
    dialog.save_button.click()
    assert "U+200B ZERO WIDTH SPACE" in dialog.message.text()
    assert "Not saved" in dialog.message.text()
    qtbot.wait(50)
    assert [p.name for p in window.context.profiles.list()] == ["sandbox"]
    assert memory_keyring.secrets == {}  # type: ignore[attr-defined]
    assert dialog.key.text() == KEY + "\u200b"  # kept, to be pasted again
