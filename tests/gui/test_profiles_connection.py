"""Profiles > Test connection: the answer in words, in the background, and never the key."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.profiles_dialog import NEW, ProfilesDialog
from rcs_composer.services.profiles import Profile
from tests.support.faulty_sandbox import Faults, FaultySandbox
from tests.support.stall import StallMeter

Make = Callable[..., MainWindow]
KEY = "profiles-conn-key-3f9b-UNIQUE"
WRONG = "profiles-conn-wrong-8a2c-UNIQUE"
FROZEN_MS = 150  # as in test_dialogs_responsive: a blocking call on the GUI thread shows


def open_dialog(qtbot: QtBot, window: MainWindow, count: int) -> ProfilesDialog:
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.list.count() == count, timeout=5000)
    return dialog


def select(dialog: ProfilesDialog, name: str) -> None:
    dialog.list.setCurrentItem(dialog.list.findItems(name, Qt.MatchFlag.MatchExactly)[0])


def test_the_sandbox_profile_tests_fine_without_blocking_the_window(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window, 2)  # sandbox and (new profile)
    select(dialog, "sandbox")
    assert dialog.test_button.isEnabled()
    assert "&" in dialog.test_button.text()
    dialog.test_button.click()
    assert not dialog.test_button.isEnabled()  # one test at a time
    qtbot.waitUntil(lambda: "Key accepted" in dialog.connection.text(), timeout=8000)
    assert dialog.connection.text().startswith("✔ Key accepted by the built-in sandbox")
    assert "HTTP 404" in dialog.connection.toolTip()  # the request and answer, one hover away
    assert dialog.test_button.isEnabled()


def test_a_real_account_key_refused_then_a_typed_key_accepted(
    qtbot: QtBot, make_window: Make
) -> None:
    with FaultySandbox(api_key=KEY) as account:
        window = make_window()
        window.context.profiles.save(
            Profile(name="acme", pod="custom", base_url=account.url, sid="S1", sender="acme-rcs")
        )
        window.context.keys.set("acme", WRONG)
        dialog = open_dialog(qtbot, window, 3)
        select(dialog, "acme")
        dialog.test_button.click()
        qtbot.waitUntil(lambda: "Key refused" in dialog.connection.text(), timeout=8000)
        assert "HTTP 401" in dialog.connection.text()
        assert "Check the API key and the SID (S1)" in dialog.connection.text()
        dialog.key.setText(KEY)  # typed, not saved yet: the test uses it
        account.set_faults(Faults(latency=0.6, remaining=1))  # a slow pod
        with StallMeter() as meter:
            dialog.test_button.click()
            qtbot.waitUntil(lambda: "Key accepted" in dialog.connection.text(), timeout=8000)
        assert meter.longest < FROZEN_MS, f"the window froze for {meter.longest} ms"
        assert account.send_count == 0 and not account.templates
        for text in (dialog.connection.text(), dialog.connection.toolTip(), dialog.message.text()):
            assert KEY not in text and WRONG not in text
        assert window.context.keys.get("acme") == WRONG  # testing saved nothing


def test_a_new_profile_with_a_mistyped_address_says_so(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    dialog = open_dialog(qtbot, window, 2)
    select(dialog, NEW)
    dialog.name.setText("globex")
    dialog.pod.setCurrentText("custom")
    dialog.base_url.setText("https://rcs-composer-test.invalid")
    dialog.sid.setText("S2")
    dialog.test_button.click()  # no key typed, none stored: said at once, nothing is asked
    assert "Paste the API key first" in dialog.connection.text()
    assert dialog.test_button.isEnabled()
    dialog.key.setText(KEY)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.connection.text().startswith("✖"), timeout=8000)
    assert "rcs-composer-test.invalid could not be found (DNS)" in dialog.connection.text()
    assert KEY not in dialog.connection.text() + dialog.connection.toolTip()
