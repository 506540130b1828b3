"""The Templates panel in the window, against the sandbox: watch a template become active, try
to update it, read why not, save it as a new one; refresh, open by id, history, send by id."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QSettings, Qt, QTimer, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QDockWidget, QMessageBox
from pytestqt.qtbot import QtBot

from rcs_composer.app import templates_account as account
from rcs_composer.app.services import Services
from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.send_dialog import SendDialog
from rcs_composer.gui.template_compare import TemplateCompareDialog
from rcs_composer.gui.template_dialog import TemplateDialog
from rcs_composer.gui.template_history import TemplateHistoryDialog
from rcs_composer.gui.templates_panel import (
    ENTRY_ROLE,
    NOTE_COLUMN,
    STATUS_COLUMN,
    VISIBLE_KEY,
    TemplatesPanel,
)
from rcs_composer.gui.widgets import find_menu
from rcs_composer.services.template_register import RegisteredTemplate
from tests.gui.test_accessibility import unnamed_controls
from tests.support.clocks import Clock
from tests.support.faulty_sandbox import FaultySandbox

Make = Callable[..., MainWindow]


@pytest.fixture
def window(make_window: Make, clock: Clock, qtbot: QtBot) -> MainWindow:
    def sandbox(**options: Any) -> FaultySandbox:
        return FaultySandbox(clock=clock, **{**options, "template_step_s": 5.0})

    return make_window("template_with_variables.json", services=Services(sandbox_factory=sandbox))


def templates_action(window: MainWindow) -> QAction:
    """View > Templates on the account, as a user reaches it (the panel is built on first
    use, then the entry is its dock's own toggle)."""
    menu = find_menu(window, "View")
    assert menu is not None
    return next(a for a in menu.actions() if a.text() == "&Templates on the account")


def templates_shown(window: MainWindow) -> bool:
    dock = window.findChild(QDockWidget, "templates-dock")
    return dock is not None and dock.isVisible()


def open_templates(window: MainWindow, qtbot: QtBot) -> QDockWidget:
    assert not templates_shown(window)
    templates_action(window).trigger()
    qtbot.waitUntil(lambda: templates_shown(window), timeout=5000)
    dock = window.findChild(QDockWidget, "templates-dock")
    assert dock is not None
    return dock


def show_panel(window: MainWindow, qtbot: QtBot) -> TemplatesPanel:
    open_templates(window, qtbot)
    panel = window.templates_panel
    panel.watch.setInterval(20)  # the sandbox's clock is driven by the test
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    return panel


def save_template(dialog: TemplateDialog, qtbot: QtBot, name: str | None = None) -> m.TemplateInfo:
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.status.count() > 0, timeout=5000)
    if name is not None:
        dialog.name.setText(name)
    assert dialog.save_button.isEnabled(), dialog.save_button.toolTip()
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save_button.click()
    info = saved.args[0]
    assert isinstance(info, m.TemplateInfo)
    return info


def status_cell(panel: TemplatesPanel, name: str) -> tuple[str, str]:
    for row in range(panel.proxy.rowCount()):
        entry = panel.proxy.index(row, 0).data(ENTRY_ROLE)
        if entry.name == name:
            index = panel.proxy.index(row, STATUS_COLUMN)
            background = index.data(Qt.ItemDataRole.BackgroundRole).color().name()
            return str(index.data()), background
    return "", ""


def retitled(window: MainWindow, title: str) -> None:
    message = window.document.message
    card = message.content
    assert isinstance(card, m.RichCard)
    content = dataclasses.replace(card.content, title=title)
    window.document.set_message(
        dataclasses.replace(message, content=dataclasses.replace(card, content=content)), "Title"
    )


def test_create_watch_it_become_active_try_update_and_save_as_new(
    window: MainWindow, qtbot: QtBot, clock: Clock
) -> None:
    panel = show_panel(window, qtbot)
    assert panel.model.rowCount() == 0
    window.messages.save_template()
    created = save_template(window.messages.dialogs["template"], qtbot, "bill_reminder")
    window.messages.dialogs["template"].close()
    qtbot.waitUntil(lambda: status_cell(panel, "bill_reminder")[0] == "Created", timeout=5000)
    assert window.document.draft.template is not None
    assert window.document.draft.template.template_id == created.template_id

    clock.now += 5  # the account takes it for approval...
    qtbot.waitUntil(
        lambda: status_cell(panel, "bill_reminder")[0] == "Submitted for approval", timeout=5000
    )
    clock.now += 5  # ...and approves it
    qtbot.waitUntil(lambda: status_cell(panel, "bill_reminder")[0] == "Active", timeout=5000)
    assert status_cell(panel, "bill_reminder")[1] == "#d2f4dc"  # active reads green
    qtbot.waitUntil(lambda: not panel.watch.isActive(), timeout=5000)  # nothing left to watch

    retitled(window, "Hello {{customerName}}, your new bill")
    panel.table.clearSelection()  # Compare takes the open draft's own template
    assert panel.compare_button.isEnabled()
    panel.compare_button.click()
    qtbot.waitUntil(lambda: any(isinstance(d, TemplateCompareDialog) for d in panel.dialogs))
    compare = next(d for d in panel.dialogs if isinstance(d, TemplateCompareDialog))
    qtbot.addWidget(compare)
    assert window.status_line.text() == "1 difference(s) between the open draft and bill_reminder."
    assert "Update replaces" not in compare.summary.text()
    assert "cannot be sent as an update: the template is approved" in compare.summary.text()
    assert (
        "Card > Title",
        "Changed",
        "Hello {{customerName}}, your bill is ready",
        "Hello {{customerName}}, your new bill",
    ) in compare.changes_shown()
    assert not compare.update_button.isEnabled()
    assert "approved template" in compare.update_button.toolTip()
    assert compare.explanation.isVisible()
    assert "Save your changes as a new template" in compare.explanation.text()
    assert compare.save_new_button.isVisible()
    assert unnamed_controls(compare) == [] and unnamed_controls(panel) == []

    compare.save_new_button.click()
    fresh = panel.save_as_new_dialog
    assert fresh.windowTitle() == "Save as a new template"
    assert fresh.name.text() == "bill_reminder_v2"
    new_info = save_template(fresh, qtbot)
    assert new_info.template_id != created.template_id
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    assert status_cell(panel, "bill_reminder_v2")[0] == "Created"
    linked = window.document.draft.template
    assert linked is not None and linked.template_id == new_info.template_id
    sandbox = window.context.sandbox
    assert sandbox is not None
    old = sandbox.templates[created.template_id].body["rich_card_standalone"]["content"]
    assert old["title"] == "Hello {{customerName}}, your bill is ready", "the approved one stayed"


def test_update_while_created_and_refused_when_approved_meanwhile(
    window: MainWindow, qtbot: QtBot, clock: Clock
) -> None:
    panel = show_panel(window, qtbot)
    window.messages.save_template()
    save_template(window.messages.dialogs["template"], qtbot, "bill_reminder")
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    retitled(window, "Changed once")
    panel.compare_button.click()
    qtbot.waitUntil(
        lambda: bool(panel.dialogs) and isinstance(panel.dialogs[-1], TemplateCompareDialog)
    )
    first = panel.dialogs[-1]
    assert isinstance(first, TemplateCompareDialog)
    qtbot.addWidget(first)
    assert first.update_button.isEnabled()
    first.update_button.click()
    qtbot.waitUntil(lambda: first.updated, timeout=5000)
    assert "✔" in first.outcome.text()
    retitled(window, "Changed twice")
    panel.compare_button.click()
    qtbot.waitUntil(lambda: panel.dialogs[-1] is not first)
    second = panel.dialogs[-1]
    assert isinstance(second, TemplateCompareDialog)
    qtbot.addWidget(second)
    clock.now += 60  # approved while the dialog is open
    second.update_button.click()
    qtbot.waitUntil(second.explanation.isVisible, timeout=5000)
    assert "Nothing was sent" in second.outcome.text()
    assert second.save_new_button.isVisible() and not second.update_button.isEnabled()


def test_refresh_shows_progress_and_a_failed_row_does_not_stop_the_others(
    window: MainWindow, qtbot: QtBot, clock: Clock
) -> None:
    services = window.context.services
    profile = services.profiles.get("sandbox")
    draft = window.document.draft
    ids = []
    for index in range(6):
        info = m.TemplateInfo(name=f"offer_{index}", status="CREATED")
        result, _ = account.create(services, profile, draft, info)
        ids.append(result.template_id)
    sandbox = services.sandbox
    assert sandbox is not None
    del sandbox.templates[ids[3]]
    clock.now += 60
    panel = show_panel(window, qtbot)
    panel.watch.stop()
    panel.watch.setInterval(3_600_000)  # this test refreshes by hand
    qtbot.waitUntil(lambda: panel.model.rowCount() == 6, timeout=5000)
    with qtbot.waitSignal(panel.refreshed, timeout=10000) as done:
        panel.refresh_button.click()
        assert panel.progress.isVisible() and panel.progress.maximum() == 6
    outcome = done.args[0]
    assert set(outcome.failures) == {ids[3]}
    assert not panel.progress.isVisible()
    assert "1 template(s) could not be read" in panel.notice.text()
    statuses = {e.template_id: (e.status, e.problem) for e in panel.model.entries}
    assert statuses[ids[3]][1] and "no template with this id" in statuses[ids[3]][1]
    assert all(statuses[i] == ("ACTIVE", None) for i in ids if i != ids[3])
    panel.search.setText("offer_3")
    assert panel.proxy.rowCount() == 1
    panel.search.clear()
    panel.filter.setCurrentIndex(panel.filter.findData("active"))
    assert panel.proxy.rowCount() == 5


def test_open_by_pasted_id_and_its_history(window: MainWindow, qtbot: QtBot, clock: Clock) -> None:
    services = window.context.services
    profile = services.profiles.get("sandbox")
    result, _ = account.create(
        services, profile, window.document.draft, m.TemplateInfo(name="made_elsewhere")
    )
    services.template_register.forget("sandbox", result.template_id)  # known only by its id
    clock.now += 10
    panel = show_panel(window, qtbot)
    panel.id_field.setText(f"  {result.template_id} ")
    panel.open_id_button.click()
    qtbot.waitUntil(lambda: window.document.draft.name == "made_elsewhere", timeout=5000)
    linked = window.document.draft.template
    assert linked is not None and linked.template_id == result.template_id
    assert linked.status == "ACTIVE"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    panel.table.selectRow(0)
    panel.history_button.click()
    qtbot.waitUntil(lambda: any(isinstance(d, TemplateHistoryDialog) for d in panel.dialogs))
    history = next(d for d in panel.dialogs if isinstance(d, TemplateHistoryDialog))
    qtbot.addWidget(history)
    assert history.statuses() == ["Created", "Submitted for approval", "Active"]
    assert history.timeline.topLevelItem(0).text(2) == "5 s"  # type: ignore[union-attr]
    assert unnamed_controls(history) == []


class FileManager(QObject):
    """Stands in for the system's file manager: the file URLs the app asked it to show."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    @Slot(QUrl)
    def show(self, url: QUrl) -> None:
        self.shown.append(url.toLocalFile())


@pytest.fixture
def file_manager() -> Any:
    manager = FileManager()
    QDesktopServices.setUrlHandler("file", manager, "show")
    yield manager
    QDesktopServices.unsetUrlHandler("file")


def test_a_damaged_register_is_reported_in_the_panel_in_plain_words(
    window: MainWindow, qtbot: QtBot, isolated_dirs: Path, file_manager: FileManager
) -> None:
    folder = isolated_dirs / "data" / "templates"
    folder.mkdir(parents=True)
    good = RegisteredTemplate(template_id="kept-1", name="kept_one", status="ACTIVE").to_json()
    edited = {"template_id": "T1", "name": "bill_reminder", "status": "ACTIVE", "history": "oops"}
    (folder / "sandbox.json").write_text(
        json.dumps({"format": "rcs-composer-templates", "templates": [good, edited, {"oops": 1}]})
    )
    panel = show_panel(window, qtbot)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    assert status_cell(panel, "bill_reminder")[0] == "Active", "the edited entry is kept"
    assert panel.notice.isVisible()
    assert panel.notice.text() == (
        "⚠ The entry for ‘bill_reminder’ had an unreadable status history; it was left out. "
        "Entry 3 of the template list has no readable template id; it was left out. "
        "The list as it was is kept aside."
    )
    assert panel.show_file_button.isVisible()
    (aside,) = folder.glob("sandbox.unreadable-*.json")
    panel.show_file_button.click()
    assert file_manager.shown == [str(folder)]
    assert "oops" in aside.read_text(encoding="utf-8")


def test_a_template_that_could_not_be_read_says_so_with_its_reason_in_sight(
    window: MainWindow, qtbot: QtBot, clock: Clock
) -> None:
    services = window.context.services
    profile = services.profiles.get("sandbox")
    result, _ = account.create(
        services, profile, window.document.draft, m.TemplateInfo(name="bill_reminder")
    )
    sandbox = services.sandbox
    assert sandbox is not None
    del sandbox.templates[result.template_id]  # deleted on the account meanwhile
    panel = show_panel(window, qtbot)
    panel.watch.stop()
    panel.watch.setInterval(3_600_000)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        panel.refresh_button.click()
    status, background = status_cell(panel, "bill_reminder")
    assert status == "Could not be read"
    assert background == "#fde7e4", "a problem's colour, not a status's"
    cell = panel.proxy.index(0, STATUS_COLUMN)
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Could not be read: Kaleyra has no template with this id")
    assert "Last known status: Created" in tip
    note = panel.proxy.index(0, NOTE_COLUMN).data()
    assert "no template with this id" in note
    # At the dock's default width the note starts in sight, with room to read its start.
    table = panel.table
    left = table.columnViewportPosition(NOTE_COLUMN)
    assert left >= 0 and left + 80 <= table.viewport().width(), (left, table.viewport().width())
    panel.filter.setCurrentIndex(panel.filter.findData("problem"))
    assert panel.proxy.rowCount() == 1
    assert "1 could not be read" in panel.summary.text()


def test_the_panel_opens_again_at_the_next_start_when_it_was_left_open(
    make_window: Make, qtbot: QtBot
) -> None:
    first = make_window("template_with_variables.json")
    open_templates(first, qtbot)
    again = make_window("template_with_variables.json")
    qtbot.waitUntil(lambda: templates_shown(again), timeout=5000)
    reopened = again.findChild(QDockWidget, "templates-dock")
    assert reopened is not None
    qtbot.waitUntil(lambda: not again.templates_panel.busy, timeout=5000)
    reopened.close()  # closed by its own button this time
    assert QSettings().value(VISIBLE_KEY) in (False, "false")
    third = make_window("template_with_variables.json")
    qtbot.waitUntil(lambda: third.startup.painted, timeout=5000)
    for _ in range(3):  # past anything the window queued once it had painted
        after_start = QTimer(third)
        after_start.setSingleShot(True)
        with qtbot.waitSignal(after_start.timeout, timeout=5000):
            after_start.start(0)
    assert not templates_shown(third)


def test_send_by_template_from_the_send_dialog(
    window: MainWindow, qtbot: QtBot, clock: Clock
) -> None:
    services = window.context.services
    profile = services.profiles.get("sandbox")
    draft = window.document.draft
    result, _ = account.create(services, profile, draft, m.TemplateInfo(name="bill_reminder"))
    clock.now += 10
    linked = dataclasses.replace(
        draft.template or m.TemplateInfo(), name="bill_reminder", template_id=result.template_id
    )
    window.document.set_draft(dataclasses.replace(draft, template=linked), "Link")
    dialog = SendDialog(window.context, window.document.draft, "sandbox", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    option = dialog.template_option.box
    assert option.isVisible() and "bill_reminder" in option.text()
    option.setChecked(True)  # its status is read now: approved since it was created
    qtbot.waitUntil(lambda: option.text().endswith("· Active"), timeout=5000)
    dialog.recipients.setPlainText("+91 98765 43210")
    body = json.loads(dialog.json_view.toPlainText())
    assert body["templateId"] == result.template_id
    assert body["messageParams"] == [dict(draft.variables)]  # the sample values, pre-filled
    assert dialog.send_button.isEnabled()
    dialog.send_button.click()  # the sandbox and an active template: no question
    qtbot.waitUntil(lambda: len(dialog.message_ids) == 1, timeout=5000)
    assert "Sent" in dialog.status.text()
    dialog.variable_fields["dueDate"].clear()
    dialog.on_value("dueDate", "")
    assert not dialog.send_button.isEnabled()
    assert "{{dueDate}}" in dialog.send_button.toolTip()


class Answers:
    """Stands in for QMessageBox.question: records each question, gives the next answer."""

    def __init__(self, *answers: bool) -> None:
        self.answers, self.asked = list(answers), []  # type: list[bool], list[tuple[str, str]]

    def __call__(self, _parent: object, title: str, text: str, *_rest: object) -> object:
        self.asked.append((title, text))
        yes = self.answers.pop(0) if self.answers else False
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No


def test_send_by_a_template_not_yet_active_warns_once_and_sends_once(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = window.context.services
    profile = services.profiles.get("sandbox")
    draft = window.document.draft
    result, _ = account.create(services, profile, draft, m.TemplateInfo(name="bill_reminder"))
    linked = dataclasses.replace(
        draft.template or m.TemplateInfo(), name="bill_reminder", template_id=result.template_id
    )
    window.document.set_draft(dataclasses.replace(draft, template=linked), "Link")
    answers = Answers(False, True)  # first "no, not by a template that is not approved", then yes
    monkeypatch.setattr(QMessageBox, "question", answers)
    dialog = SendDialog(window.context, window.document.draft, "sandbox", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    option = dialog.template_option.box
    option.setChecked(True)
    qtbot.waitUntil(lambda: option.text().endswith("· Created"), timeout=5000)
    dialog.recipients.setPlainText("+91 98765 43210")
    assert "not active" in dialog.send_button.toolTip()
    assert "You are asked first." in dialog.send_button.toolTip()
    history = window.context.history
    before = len(history.records())

    dialog.send_button.click()
    ((title, text),) = answers.asked
    assert title == "Send by a template that is not approved?"
    assert "“bill_reminder” is created, not active" in text
    assert "Kaleyra only delivers approved templates" in text
    assert dialog.message_ids == {} and not dialog.in_flight
    assert len(history.records()) == before, "a No sends nothing and records nothing"

    dialog.send_button.click()  # yes, this time
    dialog.on_send()  # a second Send while the first is on its way does nothing
    assert len(answers.asked) == 2, "one question per send"
    qtbot.waitUntil(lambda: not dialog.in_flight, timeout=5000)
    assert (
        "✖ Not sent" in dialog.status.text() and "only an ACTIVE template" in dialog.status.text()
    )
    records = history.records()
    assert len(records) == before + 1, "one post, one record"
    assert "(template bill_reminder)" in records[0].endpoint
    assert (records[0].recipients, records[0].outcome) == (("919876543210",), "failed")


def test_the_template_dialog_explains_an_approved_template_and_saves_a_new_one(
    window: MainWindow, qtbot: QtBot, clock: Clock
) -> None:
    window.messages.save_template()
    first = window.messages.dialogs["template"]
    created = save_template(first, qtbot, "bill_reminder")
    first.close()
    clock.now += 60  # approved on the account; the draft still remembers "CREATED"
    retitled(window, "A better title")
    window.messages.save_template()
    dialog = window.messages.dialogs["template"]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.status.count() > 0, timeout=5000)
    assert dialog.save_button.text() == "Update template"
    assert not dialog.as_new_button.isVisible()
    dialog.save_button.click()  # the use case reads the status first: nothing is sent
    qtbot.waitUntil(dialog.as_new_button.isVisible, timeout=5000)
    assert "Nothing was sent" in dialog.outcome.text()
    assert "approved template" in dialog.outcome.text()
    assert not dialog.save_button.isEnabled()
    dialog.as_new_button.click()
    assert dialog.name.text() == "bill_reminder_v2"
    assert dialog.save_button.text() == "Create template"
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save_button.click()
    assert saved.args[0].template_id != created.template_id
    entries = window.context.services.template_register.entries("sandbox")
    assert {e.name for e in entries} == {"bill_reminder", "bill_reminder_v2"}
    assert all(e.draft_name == window.document.draft.name for e in entries)


def test_import_a_saved_template_answer(
    window: MainWindow, qtbot: QtBot, fixtures_dir: Path
) -> None:
    panel = show_panel(window, qtbot)
    panel.import_path(str(fixtures_dir / "seed003_template_response.json"))
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    (entry,) = panel.model.entries
    assert (entry.name, entry.origin, entry.template_number) == (
        "doc_test_demo_for_dy",
        "imported",
        "MM0000000036",
    )
    panel.import_path(str(fixtures_dir / "seed000_standalone_card.json"))
    qtbot.waitUntil(panel.notice.isVisible, timeout=5000)
    assert "has no template id" in panel.notice.text()
