"""The send dialog never sends braces by accident: unfilled {{variables}} stop it, by name."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.send_dialog import SendDialog

Make = Callable[..., MainWindow]


def test_unfilled_variables_stop_the_send_until_filled_or_sent_literally(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window("template_with_variables.json", sandbox=True)
    qtbot.waitUntil(lambda: window.context.sandbox is not None, timeout=5000)
    draft = window.document.draft
    draft = dataclasses.replace(draft, variables={**draft.variables, "customerName": ""})
    draft = dataclasses.replace(
        draft, variables={k: v for k, v in draft.variables.items() if k != "dueDate"}
    )
    dialog = SendDialog(window.context, draft, "sandbox", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)  # the profiles are read
    dialog.recipients.setPlainText("+91 98765 43210")
    dialog.update_state()
    assert not dialog.send_button.isEnabled()
    assert "{{dueDate}} has no value" in dialog.send_button.toolTip()
    assert "customerName" not in dialog.send_button.toolTip()  # an empty value is a choice
    assert dialog.literal_variables.isVisible()
    dialog.literal_variables.setChecked(True)
    assert dialog.send_button.isEnabled()
    dialog.literal_variables.setChecked(False)
    dialog.variable_fields["dueDate"].setText("30 Nov")
    dialog.on_value("dueDate", "30 Nov")
    assert dialog.send_button.isEnabled()
    assert not dialog.literal_variables.isVisible()
    sent_json = dialog.json_view.toPlainText()
    assert "30 Nov" in sent_json and "{{" not in sent_json
    with qtbot.waitSignal(dialog.sent, timeout=5000):
        dialog.send_button.click()
    assert list(dialog.message_ids) == ["919876543210"]
    assert isinstance(draft.message.content, m.RichCard)


def test_a_variable_in_a_reference_gets_a_field_and_is_never_sent_with_braces(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window("template_with_variables.json", sandbox=True)
    qtbot.waitUntil(lambda: window.context.sandbox is not None, timeout=5000)
    draft = window.document.draft
    message = dataclasses.replace(draft.message, ref="order-{{orderId}}")
    draft = dataclasses.replace(draft, message=message, variables={})
    dialog = SendDialog(window.context, draft, "sandbox", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    dialog.recipients.setPlainText("+91 98765 43210")
    dialog.update_state()
    assert "orderId" in dialog.variable_fields  # the reference's variable can be filled here
    assert "{{orderId}} has no value (Reference" in dialog.send_button.toolTip()
    for name, field in dialog.variable_fields.items():
        field.setText("A7")
        dialog.on_value(name, "A7")
    assert dialog.send_button.isEnabled(), dialog.send_button.toolTip()
    sent_json = dialog.json_view.toPlainText()
    assert '"ref": "order-A7"' in sent_json and "{{" not in sent_json
