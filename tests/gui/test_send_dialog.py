"""The send dialog as a user meets it: each recipient's own status, sending to the valid ones
after a yes, error reasons and local times in the timeline, and a keyboard-only send."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.gui.history_dialog import HistoryDialog
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.send_dialog import SendDialog
from rcs_composer.services.history import SendRecord
from tests.support.faulty_sandbox import FaultySandbox
from tests.support.real_account import add_real_account

Make = Callable[..., MainWindow]
KEY = "send-dialog-key-5c1e-UNIQUE"


class Answers:
    """Stands in for QMessageBox.question: records each question and gives the next answer."""

    def __init__(self, *answers: bool) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str]] = []

    def __call__(self, _parent: object, title: str, text: str, *_a: object) -> object:
        self.asked.append((title, text))
        yes = self.answers.pop(0) if self.answers else False
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No


def open_dialog(qtbot: QtBot, window: MainWindow, profile: str = "sandbox") -> SendDialog:
    dialog = SendDialog(window.context, window.document.draft, profile, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    return dialog


def sandbox_window(
    make_window: Make, qtbot: QtBot, sample: str = "standalone_card.json"
) -> MainWindow:
    window = make_window(sample, sandbox=True)
    qtbot.waitUntil(lambda: window.context.sandbox is not None, timeout=5000)
    return window


def real_account_dialog(
    qtbot: QtBot, make_window: Make, server: FaultySandbox, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, SendDialog, Answers]:
    """A send dialog on the real account "acme" (``server`` plays Kaleyra); its questions are
    recorded and answered "no" unless the test sets ``answers.answers``."""
    window = sandbox_window(make_window, qtbot)
    add_real_account(window.context, server.url, KEY)
    answers = Answers()
    monkeypatch.setattr(QMessageBox, "question", answers)
    return window, open_dialog(qtbot, window, "acme"), answers


def rows(dialog: SendDialog) -> list[list[str]]:
    table = dialog.recipient_list
    return [
        [table.item(row, column).text() for column in range(4)]  # type: ignore[union-attr]
        for row in range(table.rowCount())
    ]


def test_one_bad_number_is_listed_with_its_reason_and_the_good_one_goes_alone(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sandbox_window(make_window, qtbot)
    sandbox = window.context.sandbox
    assert sandbox is not None
    answers = Answers(False, True)  # first "no, don't skip", then "yes, send to the valid one"
    monkeypatch.setattr(QMessageBox, "question", answers)
    dialog = open_dialog(qtbot, window)
    dialog.recipients.setPlainText("+91 98765 43210\n12345\n0091 98765 43210")
    assert rows(dialog) == [
        ["+91 98765 43210", "+919876543210", "✔ ok", "will be sent"],
        [
            "12345",
            "",
            "✖ skipped",
            "Not a possible phone number: include the country code, for example +91 98765 43210.",
        ],
        [
            "0091 98765 43210",
            "+919876543210",
            "= repeat",
            "Same number as entry 1: it gets one message.",
        ],
    ]
    assert dialog.recipient_list.isVisible()
    assert "1 number will be sent to; 1 entry is skipped" in dialog.recipient_note.text()
    assert "1 repeat left out" in dialog.recipient_note.text()
    assert dialog.send_button.isEnabled()  # the valid number can go on its own
    assert dialog.send_button.text().replace("&", "") == "Send to 1 of 2…"
    dialog.send_button.click()
    assert answers.asked[0][0] == "Skip 1 entry?"
    assert "• 12345: Not a possible phone number" in answers.asked[0][1]
    assert "Send to the 1 valid number only?" in answers.asked[0][1]
    assert window.context.runner.drain(5000)
    assert sandbox.send_count == 0  # "no" sent nothing
    dialog.send_button.click()
    qtbot.waitUntil(lambda: bool(dialog.message_ids), timeout=5000)
    assert list(dialog.message_ids) == ["919876543210"]
    assert sandbox.send_count == 1
    assert "Skipped 1: 12345" in dialog.status.text()


def test_when_nothing_can_be_sent_the_reason_is_on_screen_not_only_in_a_tooltip(
    qtbot: QtBot, make_window: Make
) -> None:
    window = sandbox_window(make_window, qtbot)
    dialog = open_dialog(qtbot, window)
    assert "Type at least one number" in dialog.readiness.text()
    dialog.recipients.setPlainText("hello")
    assert not dialog.send_button.isEnabled()
    assert dialog.readiness.isVisible()
    assert "None of the entries can be sent to" in dialog.readiness.text()
    assert rows(dialog)[0][3].startswith("Not a phone number")


def test_a_real_account_asks_once_naming_it_and_the_counts_and_sends_once(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FaultySandbox(api_key=KEY) as server:
        window, dialog, answers = real_account_dialog(qtbot, make_window, server, monkeypatch)
        answers.answers = [False, True]
        dialog.recipients.setPlainText("+91 98765 43210, +91 98765 43211, nope")
        dialog.send_button.click()
        assert window.context.runner.drain(5000)
        assert server.send_count == 0  # "no" to the real account sent nothing
        title, text = answers.asked[0]
        assert title == "Send through a real account?"
        assert "real RCS message to 2 numbers" in text and "“acme”" in text
        assert "1 entry cannot be sent to" in text
        dialog.send_button.click()
        dialog.send_button.click()  # clicked twice while the first is out: one send
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: len(dialog.message_ids) == 2, timeout=5000)
        assert window.context.runner.drain(5000)
        assert server.send_count == 1
        assert len(answers.asked) == 2  # one question for each send, never two for one


UNLIKELY = "98765 4321"  # nine digits: +91 987654321, possible but in no range in use


def test_numbers_to_check_are_counted_not_called_fine(qtbot: QtBot, make_window: Make) -> None:
    window = sandbox_window(make_window, qtbot)
    dialog = open_dialog(qtbot, window)
    dialog.recipients.setPlainText("+91 98765 43210")
    assert dialog.recipient_note.text() == "1 recipient, all fine."
    dialog.recipients.setPlainText(f"+91 98765 43210, {UNLIKELY}, +44 7700 900123")
    assert [row[2] for row in rows(dialog)] == ["✔ ok", "⚠ check", "⚠ check"]
    assert dialog.recipient_note.text() == "3 recipients, 2 to check (see Why)."
    dialog.recipients.setPlainText(f"{UNLIKELY}, 12345")
    assert dialog.recipient_note.text() == (
        "1 number will be sent to (1 to check); 1 entry is skipped (see Why)."
    )


def test_a_real_send_to_numbers_to_check_names_them_in_its_question(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    with FaultySandbox(api_key=KEY) as server:
        window, dialog, answers = real_account_dialog(qtbot, make_window, server, monkeypatch)
        dialog.recipients.setPlainText(f"+91 98765 43210, {UNLIKELY}")
        dialog.send_button.click()
        assert window.context.runner.drain(5000)
        assert server.send_count == 0
        text = answers.asked[0][1]
        assert "1 number may not be in use, and will be sent to:" in text
        assert f"• {UNLIKELY}: Not a number range in use" in text
        assert "+91 98765 43210" not in text  # the good number is not listed


def unknown_outcome(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, FaultySandbox, SendDialog, Answers]:
    """A sandbox send to 919876543210 whose connection drops after the request was handled:
    the outcome is unknown. Questions from then on are recorded and answered No."""
    from tests.support.faulty_sandbox import Faults

    window = sandbox_window(make_window, qtbot)
    sandbox = window.context.sandbox
    assert isinstance(sandbox, FaultySandbox)
    sandbox.set_faults(Faults(drop=True, remaining=1))
    answers = Answers(False)
    monkeypatch.setattr(QMessageBox, "question", answers)
    dialog = open_dialog(qtbot, window)
    dialog.recipients.setPlainText("919876543210")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: "Outcome unknown" in dialog.status.text(), timeout=8000)
    return window, sandbox, dialog, answers


def test_an_unknown_outcome_asks_before_sending_again(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, sandbox, dialog, answers = unknown_outcome(qtbot, make_window, monkeypatch)
    dialog.send_button.click()
    assert answers.asked[0][0] == "Send again?"
    assert window.context.runner.drain(5000)
    assert sandbox.send_count == 1


def test_an_error_event_says_why_and_times_are_local(
    qtbot: QtBot, make_window: Make, india_time: None
) -> None:
    window = sandbox_window(make_window, qtbot)
    dialog = open_dialog(qtbot, window)
    dialog.recipients.setPlainText("+91 99900 00001, +91 98765 43210")  # 91999…: always fails
    dialog.send_button.click()
    qtbot.waitUntil(lambda: len(dialog.message_ids) == 2, timeout=5000)
    failing = dialog.timeline.topLevelItem(0)
    assert failing is not None and failing.text(0) == "919990000001"
    qtbot.waitUntil(lambda: failing.childCount() == 1, timeout=5000)
    error = failing.child(0)
    assert error is not None and error.text(0) == "ERROR"
    assert "RCS is not supported for this recipient" in error.text(3)
    assert "(1423, CHANNEL_UNSUPPORTED)" in error.text(3)
    assert "sandbox fails every number starting 91999" in error.text(3)
    assert "1423" in failing.text(3)  # the reason shows without expanding the row
    assert dialog.failures.isVisible()  # and whole, wrapped, under the timeline
    assert dialog.failures.text().startswith("✖ 919990000001 failed: Kaleyra says RCS")
    stamp = error.toolTip(2)  # the event's own UTC stamp stays one hover away
    assert stamp.endswith("Z")
    shown = error.text(2)
    assert "T" not in shown and "Z" not in shown
    utc_clock = stamp[11:19]
    hours, minutes = int(utc_clock[:2]), int(utc_clock[3:5])
    local_minutes = (hours * 60 + minutes + 330) % (24 * 60)
    assert shown.endswith(f"{local_minutes // 60:02d}:{local_minutes % 60:02d}:{utc_clock[6:]}")


def test_history_shows_local_times_with_the_date_and_error_reasons(
    qtbot: QtBot, make_window: Make, india_time: None
) -> None:
    window = make_window()
    history = window.context.history
    history.append(
        SendRecord(
            time="2025-11-24T11:02:15+00:00",
            profile="sandbox",
            endpoint="POST /v1/sandbox/rcs/messages",
            draft_name="Diwali offer",
            recipients=("919990000001",),
            outcome="sent",
            message_ids={"919990000001": "m-1"},
        )
    )
    history.add_event(
        "m-1",
        {
            "type": "ERROR",
            "messageId": "m-1",
            "sentAt": "2025-11-24T11:02:16.703Z",
            "error": {"error_code": "1423", "error_message": "No RCS on this phone"},
        },
    )
    dialog = HistoryDialog(history, window.context.runner, window)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        pass
    qtbot.waitUntil(lambda: dialog.tree.topLevelItemCount() == 1, timeout=5000)
    record = dialog.tree.topLevelItem(0)
    assert record is not None
    assert record.text(0) == "24 Nov 2025, 16:32:15"  # another day: the date is shown
    assert record.toolTip(0) == "2025-11-24T11:02:15+00:00"
    event = record.child(0).child(0)  # type: ignore[union-attr]
    assert event is not None
    assert event.text(0) == "24 Nov 2025, 16:32:16"
    assert event.text(5).startswith("ERROR: Kaleyra says RCS is not supported")
    assert "No RCS on this phone (1423)" in event.text(5)
    dialog.tree.setCurrentItem(event)  # the whole reason, wrapped, below the list
    assert dialog.detail.text() == event.text(5)


# ---------------------------------------------------------------- keyboard


def focus_chain(qtbot: QtBot, dialog: SendDialog, start: QWidget, count: int) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(start.hasFocus, timeout=2000)
    seen: list[QWidget] = []
    for _ in range(count):
        widget = QApplication.focusWidget()
        assert widget is not None
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    return seen


@pytest.mark.parametrize("sample", ["standalone_card.json", "template_with_variables.json"])
def test_keyboard_only_send_focus_mnemonics_and_tab_order(
    qtbot: QtBot, make_window: Make, sample: str
) -> None:
    window = sandbox_window(make_window, qtbot, sample)
    sandbox = window.context.sandbox
    assert sandbox is not None
    dialog = open_dialog(qtbot, window)
    qtbot.waitUntil(dialog.recipients.hasFocus, timeout=2000)  # not Profile: Recipients
    qtbot.keyClicks(dialog.recipients, "+91 98765 43210")
    # Every field label has a mnemonic of its own, and it reaches its field.
    labels = [
        item.widget()
        for row in range(dialog.form.rowCount())
        if (item := dialog.form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        and isinstance(item.widget(), QLabel)
        and item.widget().text()
    ]
    assert len(labels) == 4 + len(dialog.variable_fields)
    letters = []
    for label in labels:
        assert isinstance(label, QLabel)
        assert "&" in label.text(), label.text()
        assert label.buddy() is not None, label.text()
        letters.append(label.text()[label.text().index("&") + 1].lower())
    buttons = [dialog.send_button, dialog.paste_button, dialog.json_toggle]
    letters += [b.text()[b.text().index("&") + 1].lower() for b in buttons]
    assert len(letters) == len(set(letters)), letters
    qtbot.keyClick(dialog.recipients, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.profile_box.hasFocus, timeout=2000)
    qtbot.keyClick(dialog.profile_box, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.recipients.hasFocus, timeout=2000)
    # Tab follows the order on screen, top to bottom and left to right, and comes round.
    focusable = [
        widget
        for widget in dialog.findChildren(QWidget)
        if widget.isVisible()
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and widget.parentWidget() is not None
        and not isinstance(widget.parentWidget().parentWidget(), type(dialog.timeline))
        and widget.parent() is dialog
    ]

    def place(widget: QWidget) -> tuple[int, int]:
        corner = widget.mapTo(dialog, widget.rect().topLeft())
        return corner.y(), corner.x()

    expected = sorted(focusable, key=place)
    chain = focus_chain(qtbot, dialog, dialog.profile_box, len(expected) + 1)
    assert chain[: len(expected)] == expected
    assert chain[-1] is dialog.profile_box  # round again: no focus trap
    # Ctrl+Enter sends from inside the dialog, with the cursor still in Recipients.
    dialog.recipients.setFocus()
    qtbot.waitUntil(dialog.recipients.hasFocus, timeout=2000)
    qtbot.keyClick(dialog.recipients, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(dialog.message_ids), timeout=5000)
    assert sandbox.send_count == 1
    assert dialog.recipients.toPlainText() == "+91 98765 43210"  # no newline was typed


def test_ctrl_enter_in_the_window_still_opens_the_dialog(qtbot: QtBot, make_window: Make) -> None:
    window = sandbox_window(make_window, qtbot)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "send" in window.messages.dialogs)
    dialog = window.messages.dialogs["send"]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    qtbot.waitUntil(dialog.recipients.hasFocus, timeout=2000)


def sent_on_the_sandbox(qtbot: QtBot, make_window: Make) -> tuple[SendDialog, str]:
    """A send to +91 98765 43210 on the sandbox, its own events no longer polled (only the
    ones a test pastes from then on); the dialog and the message id."""
    window = sandbox_window(make_window, qtbot)
    dialog = open_dialog(qtbot, window)
    dialog.recipients.setPlainText("+91 98765 43210")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: bool(dialog.message_ids), timeout=5000)
    dialog.poll_timer.stop()
    return dialog, dialog.message_ids["919876543210"]


def test_a_pasted_webhook_error_shows_kaleyras_code_and_words(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from PySide6.QtWidgets import QInputDialog

    dialog, message_id = sent_on_the_sandbox(qtbot, make_window)
    pasted = {
        "code": "4000",
        "message": "Delivery report",
        "data": {
            "type": "ERROR",
            "eventId": "e-9",
            "from": "919876543210",
            "sentAt": "2026-11-24T11:02:15.703Z",
            "messageId": message_id,
            "error": {"error_code": "1417", "error_message": "Number not on the network"},
        },
    }
    monkeypatch.setattr(
        QInputDialog, "getMultiLineText", lambda *a, **k: (json.dumps(pasted), True)
    )
    dialog.paste_button.click()
    row = dialog.timeline.topLevelItem(0)
    assert row is not None
    errors = [row.child(i) for i in range(row.childCount()) if row.child(i).text(0) == "ERROR"]  # type: ignore[union-attr]
    assert errors, "the pasted ERROR is in the timeline"
    assert errors[0].text(3) == (  # type: ignore[union-attr]
        "Kaleyra says a recipient number is not valid: Number not on the network (1417)"
    )
    assert "1 match this send" in dialog.status.text()


def test_the_first_send_starts_the_sandbox_and_the_toolbar_then_names_it(
    qtbot: QtBot, make_window: Make
) -> None:
    """The built-in sandbox starts with the first send that needs it, not with the window."""
    window = make_window()  # the context the app makes: no sandbox at the start
    account = window.account
    qtbot.waitUntil(lambda: window.context.session_id is not None, timeout=5000)
    assert window.context.runner.drain(5000)
    assert window.context.sandbox is None
    assert account.label.text().endswith("built-in sandbox · simulated on this computer")
    dialog = open_dialog(qtbot, window)
    dialog.recipients.setPlainText("+91 98765 43210")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: len(dialog.message_ids) == 1, timeout=8000)
    sandbox = window.context.sandbox
    assert sandbox is not None and sandbox.send_count == 1
    qtbot.waitUntil(lambda: sandbox.url in account.label.text(), timeout=5000)
    qtbot.waitUntil(lambda: "DELIVERED" in timeline_events(dialog), timeout=8000)


def timeline_events(dialog: SendDialog) -> list[str]:
    """Every event row under every recipient in the dialog's delivery timeline."""
    tree = dialog.timeline
    items = [tree.topLevelItem(index) for index in range(tree.topLevelItemCount())]
    return [item.child(row).text(0) for item in items if item for row in range(item.childCount())]


def test_a_second_send_window_knows_the_first_ones_send_with_no_answer(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the Send window and opening another must not forget that the message may
    have arrived: the new one asks before it goes again."""
    window, sandbox, first, answers = unknown_outcome(qtbot, make_window, monkeypatch)
    first.close()
    second = open_dialog(qtbot, window)
    second.recipients.setPlainText("+91 98765 43210")  # the same number, written otherwise
    second.update_state()
    assert second.send_button.text() == "&Send again…"
    second.send_button.click()
    assert answers.asked and answers.asked[0][0] == "Send again?"
    assert "may have arrived" in answers.asked[0][1]
    assert window.context.runner.drain(5000)
    assert sandbox.send_count == 1  # "No" sends nothing


def test_a_double_click_or_a_held_enter_on_the_sandbox_sends_once(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = sandbox_window(make_window, qtbot)
    sandbox = window.context.sandbox
    assert isinstance(sandbox, FaultySandbox)
    answers = Answers(False)  # a held key lands on the question's default, No
    monkeypatch.setattr(QMessageBox, "question", answers)
    dialog = open_dialog(qtbot, window)
    dialog.recipients.setPlainText("919876543210")
    dialog.send_button.click()
    qtbot.waitUntil(lambda: "✔ Sent" in dialog.status.text(), timeout=8000)
    for _ in range(5):  # the rest of a double click, then a key's auto-repeat
        dialog.send_button.click()
    assert window.context.runner.drain(5000)
    assert sandbox.send_count == 1
    assert answers.asked and "a moment ago" in answers.asked[0][1]


def test_a_send_still_out_from_a_closed_window_holds_a_new_windows_send(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    window = sandbox_window(make_window, qtbot)
    sandbox = window.context.sandbox
    assert isinstance(sandbox, FaultySandbox)
    release = threading.Event()
    original = sandbox.after_handling

    def held(handler: object) -> bool:
        release.wait(20)
        return original(handler)

    sandbox.after_handling = held  # type: ignore[method-assign]
    first = open_dialog(qtbot, window)
    first.recipients.setPlainText("919876543210")
    first.send_button.click()
    qtbot.waitUntil(lambda: sandbox.send_count == 1, timeout=8000)
    first.close()
    second = open_dialog(qtbot, window)
    second.recipients.setPlainText("919876543210")
    second.update_state()
    assert not second.send_button.isEnabled()
    assert "being sent now" in second.readiness.text()
    release.set()
    assert window.context.runner.drain(8000)
    assert sandbox.send_count == 1


def test_the_timeline_says_where_a_message_is_whatever_order_events_come_in(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from PySide6.QtWidgets import QInputDialog

    dialog, message_id = sent_on_the_sandbox(qtbot, make_window)
    row = dialog.timeline.topLevelItem(0)
    assert row is not None
    while row.childCount():
        row.removeChild(row.child(0))

    def paste(*events: tuple[str, str]) -> None:
        text = json.dumps(
            [
                {"type": kind, "messageId": message_id, "sentAt": f"2026-11-24T10:00:0{s}Z"}
                for kind, s in events
            ]
        )
        monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: (text, True))
        dialog.paste_button.click()

    paste(("READ", "3"), ("DELIVERED", "2"), ("SENT", "1"))  # a webhook log, newest first
    assert row.text(2).startswith("READ")
    assert [row.child(i).text(0) for i in range(row.childCount())] == ["SENT", "DELIVERED", "READ"]  # type: ignore[union-attr]
    paste(("DELIVERED", "4"))  # a late duplicate must not undo the read
    assert row.text(2).startswith("READ")
