"""Profiles and Send test on a slow keyring and a slow disk: the window never freezes."""

from __future__ import annotations

import time
from collections.abc import Callable

import keyring
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rcs_composer.app.services import Services
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.profiles_dialog import NEW, ProfilesDialog
from rcs_composer.gui.send_dialog import SendDialog
from rcs_composer.services.profiles import Profile, ProfileStore
from tests.support.memory_keyring import MemoryKeyring
from tests.support.stall import StallMeter

DELAY_S = 0.3
# Half the slow disk's 300 ms: a call on the GUI thread shows, while filling a dialog's widgets
# on a busy 2-core machine does not.
FROZEN_MS = 150
KEY = "slow-keyring-key-77c1-UNIQUE"


class SlowKeyring(MemoryKeyring):
    """A keyring that takes 300 ms to answer anything, like a locked one being unlocked."""

    def get_password(self, service: str, username: str) -> str | None:
        time.sleep(DELAY_S)
        return super().get_password(service, username)

    def set_password(self, service: str, username: str, password: str) -> None:
        time.sleep(DELAY_S)
        super().set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        time.sleep(DELAY_S)
        super().delete_password(service, username)


class SlowProfiles(ProfileStore):
    """profiles.json on a slow disk: every read and write takes 300 ms."""

    def _read(self) -> list[Profile]:
        time.sleep(DELAY_S)
        return super()._read()

    def _write(self, profiles: list[Profile]) -> None:
        time.sleep(DELAY_S)
        super()._write(profiles)


@pytest.fixture
def slow_window(make_window: Callable[..., MainWindow], qtbot: QtBot) -> MainWindow:
    keyring.set_keyring(SlowKeyring())  # the conftest fixture puts the memory keyring back
    real = Services()
    ProfileStore(real.paths.config_dir, real.keys).save(
        Profile(name="acme", sid="S1", sender="acme-rcs")
    )
    window = make_window(services=Services(profiles=SlowProfiles(real.paths.config_dir, real.keys)))
    qtbot.waitUntil(lambda: window.context.session_id is not None, timeout=5000)
    return window


def test_saving_a_profile_and_its_key_never_blocks_the_window(
    slow_window: MainWindow, qtbot: QtBot
) -> None:
    window = slow_window
    with StallMeter() as meter:
        dialog = ProfilesDialog(window.context, window)
        qtbot.addWidget(dialog)
        dialog.changed.connect(window.account.reload)  # as the Profiles… action does
        dialog.show()
        qtbot.waitUntil(lambda: dialog.list.count() == 3, timeout=5000)  # sandbox, acme, new
        dialog.list.setCurrentRow(1)
        qtbot.waitUntil(lambda: "No key stored" in dialog.key_state.text(), timeout=5000)
        dialog.list.setCurrentItem(dialog.list.findItems(NEW, Qt.MatchFlag.MatchExactly)[0])
        dialog.name.setText("globex")
        dialog.sid.setText("HXAP16")
        dialog.sender_field.setText("globex-rcs")
        dialog.key.setText(KEY)
        dialog.save_button.click()
        qtbot.waitUntil(lambda: "Saved globex" in dialog.message.text(), timeout=5000)
        qtbot.waitUntil(lambda: "A key is stored" in dialog.key_state.text(), timeout=5000)
        qtbot.waitUntil(lambda: window.account.box.count() == 3, timeout=5000)
    assert meter.longest < FROZEN_MS, f"the window froze for {meter.longest} ms"
    assert keyring.get_keyring().get_password("rcs-composer", "globex") == KEY


def test_typing_recipients_never_reads_the_profiles_again(
    slow_window: MainWindow, qtbot: QtBot
) -> None:
    window = slow_window
    dialog = SendDialog(window.context, window.document.draft, "sandbox", window)
    qtbot.addWidget(dialog)
    dialog.show()
    # Building and showing the dialog is widget work, not I/O: the profiles load after it.
    with StallMeter() as meter:
        qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
        for number in ("919876543210", "919876543211", "919876543212"):
            qtbot.keyClicks(dialog.recipients, number)
            qtbot.keyClick(dialog.recipients, Qt.Key.Key_Return)
        assert "3 recipients" in dialog.recipient_note.text()
        assert dialog.send_button.isEnabled()
    assert meter.longest < FROZEN_MS, f"the window froze for {meter.longest} ms"
