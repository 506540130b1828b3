"""The built-in sandbox starts with the first send that needs it, not with the window: the
toolbar says sends are simulated here, the first send starts it and goes out, and the
toolbar then names its address."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.send_dialog import SendDialog

Make = Callable[..., MainWindow]


def test_the_first_send_starts_the_sandbox_and_the_toolbar_then_names_it(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()  # the context the app makes: no sandbox at the start
    account = window.account
    qtbot.waitUntil(lambda: window.context.session_id is not None, timeout=5000)
    assert window.context.runner.drain(5000)
    assert window.context.sandbox is None
    assert account.label.text().endswith("built-in sandbox · simulated on this computer")

    dialog = SendDialog(window.context, window.document.draft, "sandbox", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    dialog.recipients.setPlainText("+91 98765 43210")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: len(dialog.message_ids) == 1, timeout=8000)
    sandbox = window.context.sandbox
    assert sandbox is not None and sandbox.send_count == 1
    qtbot.waitUntil(lambda: sandbox.url in account.label.text(), timeout=5000)
    qtbot.waitUntil(lambda: "DELIVERED" in timeline_text(dialog), timeout=8000)


def timeline_text(dialog: SendDialog) -> str:
    tree = dialog.timeline
    texts = []
    for index in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(index)
        if item is not None:
            texts.extend(item.child(row).text(0) for row in range(item.childCount()))
    return " ".join(texts)
