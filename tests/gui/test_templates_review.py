"""The template windows against a hostile stand-in over loopback: a lost create is never one
click from a second, a delete asks, server text is never markup, a refresh belongs to its
profile, and the watch's quiet re-read never keeps Refresh off."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Iterator

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from rcs_composer.app import templates_account as account
from rcs_composer.app.services import Services
from rcs_composer.core import codecs
from rcs_composer.core.model import Draft
from rcs_composer.gui.tasks import TaskRunner
from rcs_composer.gui.template_compare import TemplateCompareDialog
from rcs_composer.gui.template_dialog import DialogServices, TemplateDialog
from rcs_composer.gui.template_history import TemplateHistoryDialog
from rcs_composer.gui.templates_panel import NOTE_COLUMN, TemplatesPanel
from rcs_composer.services.profiles import Profile
from rcs_composer.services.template_register import RegisteredTemplate
from tests.support.hostile_templates import (
    KEY,
    TemplateServer,
    answer,
    template,
)

EVIL = (
    '<h2 style="color:red">ACCOUNT SUSPENDED</h2>'
    '<a href="https://phish.example/">Re-enter your API key here</a>'
)
EVIL_NAME = '<span style="font-size:40pt;color:red">FAKE</span>'


@pytest.fixture
def runner(server: TemplateServer) -> Iterator[TaskRunner]:
    pool = QThreadPool()
    yield TaskRunner(pool=pool)
    server.stopping.set()  # a read held open ends now
    pool.waitForDone(20_000)


def seen(label: QLabel) -> str:
    """The words a user reads on ``label``: its text, or what its markup renders to."""
    if label.textFormat() == Qt.TextFormat.PlainText:
        return label.text()
    if label.textFormat() == Qt.TextFormat.RichText or QtGui.Qt.mightBeRichText(label.text()):
        document = QTextDocument()
        document.setHtml(label.text())
        return document.toPlainText()
    return label.text()


def promo_draft(template_id: str | None = None) -> Draft:
    draft = codecs.import_document(template("x", name="promo_dec")).draft
    assert draft.template is not None
    return dataclasses.replace(
        draft,
        template=dataclasses.replace(
            draft.template,
            template_id=template_id,
            template_number=None,
            status="CREATED" if template_id else None,
        ),
    )


def answering(monkeypatch: pytest.MonkeyPatch, reply: QMessageBox.StandardButton) -> list[str]:
    """QMessageBox.question answers ``reply``; what it asked is kept, title and text."""
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_rest: object) -> object:
        asked.append(f"{title}\n{text}")
        return reply

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def dialog_for(
    qtbot: QtBot, services: Services, runner: TaskRunner, profile: Profile, draft: Draft
) -> TemplateDialog:
    dialog = TemplateDialog(DialogServices(services, runner), draft, profile.name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.profile is not None, timeout=5000)
    return dialog


# ---------------------------------------------------------------- 1: a create's lost answer


@pytest.mark.parametrize("again", [False, True], ids=["asked, kept", "asked, created again"])
def test_a_create_with_no_answer_is_not_one_click_from_a_second(
    qtbot: QtBot,
    services: Services,
    runner: TaskRunner,
    profile: Profile,
    server: TemplateServer,
    monkeypatch: pytest.MonkeyPatch,
    again: bool,
) -> None:
    server.behaviours["POST"] = lambda _p, _b: "drop"
    dialog = dialog_for(qtbot, services, runner, profile, promo_draft())
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Outcome unknown" in dialog.outcome.text(), timeout=10_000)
    said = seen(dialog.outcome)
    assert "console" in said and "Templates list" not in said
    assert dialog.save_button.text() == "Create again…"
    qtbot.waitUntil(  # the whole note is in sight, not cut off at the dialog's first height
        lambda: dialog.outcome.height() >= dialog.outcome.heightForWidth(dialog.outcome.width()),
        timeout=5000,
    )
    asked = answering(
        monkeypatch, QMessageBox.StandardButton.Yes if again else QMessageBox.StandardButton.No
    )
    server.behaviours["POST"] = lambda _p, _b: answer(200, template("t2", name="promo_dec"))
    dialog.save_button.click()
    assert len(asked) == 1 and "promo_dec" in asked[0] and "console" in asked[0]
    if again:
        qtbot.waitUntil(lambda: dialog.outcome.text().startswith("✔"), timeout=10_000)
        assert len(server.made("POST")) == 2
    else:
        qtbot.wait(50)
        assert not dialog.in_flight and len(server.made("POST")) == 1


# ---------------------------------------------------------------- 6: delete asks


@pytest.mark.parametrize("yes", [False, True], ids=["kept", "deleted"])
def test_delete_asks_naming_the_template_and_that_it_cannot_be_undone(
    qtbot: QtBot,
    services: Services,
    runner: TaskRunner,
    profile: Profile,
    server: TemplateServer,
    monkeypatch: pytest.MonkeyPatch,
    yes: bool,
) -> None:
    services.template_register.record(
        profile.name, RegisteredTemplate(template_id="tid-1", name="promo_dec")
    )
    server.behaviours["DELETE"] = lambda _p, _b: answer(200, {"code": "RCS1103"})
    dialog = dialog_for(qtbot, services, runner, profile, promo_draft("tid-1"))
    asked = answering(
        monkeypatch, QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No
    )
    assert dialog.delete_button.isVisible()
    dialog.delete_button.click()
    (question,) = asked
    assert "promo_dec" in question and "cannot be undone" in question and "acct" in question
    if yes:
        qtbot.waitUntil(lambda: dialog.outcome.text() == "Template deleted.", timeout=10_000)
        assert len(server.made("DELETE")) == 1
        assert services.template_register.get(profile.name, "tid-1") is None
    else:
        qtbot.wait(50)
        assert server.made("DELETE") == []
        assert services.template_register.get(profile.name, "tid-1") is not None


# ---------------------------------------------------------------- 5: server text, not markup


def test_server_text_is_shown_as_text_in_the_panel_history_compare_and_dialog(
    qtbot: QtBot,
    services: Services,
    runner: TaskRunner,
    profile: Profile,
    server: TemplateServer,
) -> None:
    refusal = {"code": "RCS1104", "message": "x", "error": {"error_message": EVIL}}

    def get(path: str, _body: bytes) -> object:
        if path.endswith("/bad"):
            return answer(400, refusal)
        if "history" in path:
            return answer(200, {"data": [{"status": "ACTIVE", "reason": EVIL}]})
        return answer(200, template("good", name=EVIL_NAME))

    server.behaviours["GET"] = get  # type: ignore[assignment]
    server.behaviours["PUT"] = lambda _p, _b: answer(400, refusal)
    panel = TemplatesPanel(services, runner, lambda: profile, lambda: (Draft(), None))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.profile_name is not None and not panel.busy, timeout=5000)
    panel.id_field.setText("bad")
    panel.open_by_id()
    qtbot.waitUntil(panel.notice.isVisible, timeout=10_000)
    assert "<h2" in seen(panel.notice) and "ACCOUNT SUSPENDED</h2>" in seen(panel.notice)

    opened = account.open_template(services, profile, "good")
    history = TemplateHistoryDialog(opened.entry, account.history(services, profile, "good"))
    qtbot.addWidget(history)
    assert EVIL_NAME in seen(history.heading)
    tip = history.timeline.topLevelItem(0).toolTip(3)  # type: ignore[union-attr]
    rendered = QTextDocument()
    rendered.setHtml(tip)
    assert "<h2" in rendered.toPlainText()

    comparison = account.compare(services, profile, promo_draft(), "good")
    compare = TemplateCompareDialog(comparison, promo_draft(), profile.name)
    qtbot.addWidget(compare)
    assert EVIL_NAME in seen(compare.heading)

    dialog = dialog_for(qtbot, services, runner, profile, promo_draft("good"))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("✖"), timeout=10_000)
    assert "<h2" in seen(dialog.outcome)


# ---------------------------------------------------------------- 10: the note of a row


def test_an_active_row_shows_no_old_rejection_reason(
    qtbot: QtBot, services: Services, runner: TaskRunner, profile: Profile
) -> None:
    services.template_register.record(
        profile.name,
        RegisteredTemplate(template_id="t1", name="promo", status="ACTIVE", reason="Blurry logo"),
    )
    services.template_register.record(
        profile.name,
        RegisteredTemplate(template_id="t2", name="sale", status="REJECTED", reason="No opt-out"),
    )
    panel = TemplatesPanel(services, runner, lambda: profile, lambda: (Draft(), None))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.model.entries) == 2, timeout=5000)
    notes = {
        panel.model.index(row, 0).data(): panel.model.index(row, NOTE_COLUMN).data()
        for row in range(2)
    }
    assert notes == {"promo": "", "sale": "No opt-out"}
    tip = panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Blurry" not in json.dumps(tip)


# ---------------------------------------------------------------- 2: a refresh and its profile


def test_a_refresh_of_the_profile_left_is_stopped_and_never_shown(
    qtbot: QtBot,
    services: Services,
    runner: TaskRunner,
    profile: Profile,
    server: TemplateServer,
) -> None:
    other = dataclasses.replace(profile, name="other")
    services.profiles.save(other)
    services.keys.set(other.name, KEY)
    for n in range(3):
        services.template_register.record(
            profile.name, RegisteredTemplate(template_id=f"A{n}", name=f"a_{n}", status="CREATED")
        )
    services.template_register.record(
        other.name, RegisteredTemplate(template_id="B0", name="b_only", status="ACTIVE")
    )
    gate = threading.Event()

    def get(path: str, _body: bytes) -> object:
        gate.wait(10)
        if "template_history" in path:
            return answer(200, {"data": []})
        template_id = path.rsplit("/", 1)[1]
        return answer(200, template(template_id, name=template_id.lower(), status="ACTIVE"))

    server.behaviours["GET"] = get  # type: ignore[assignment]
    current = [profile]
    panel = TemplatesPanel(services, runner, lambda: current[0], lambda: (Draft(), None))
    qtbot.addWidget(panel)
    panel.show()
    panel.watch.stop()
    qtbot.waitUntil(lambda: len(panel.model.entries) == 3, timeout=5000)
    panel.refresh_button.click()
    assert panel.progress.isVisible()
    current[0] = other
    panel.reload()  # what the window's profile_changed does
    qtbot.waitUntil(lambda: [e.template_id for e in panel.model.entries] == ["B0"], timeout=5000)
    assert panel.refresh_button.isEnabled() and not panel.progress.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: not panel.busy, timeout=20_000)
    assert [e.template_id for e in panel.model.entries] == ["B0"]
    assert panel.summary.text() == "1 template(s): 1 active"


# ---------------------------------------------------------------- 15: the quiet re-read


def test_refresh_takes_over_the_watchs_quiet_re_read(
    qtbot: QtBot,
    services: Services,
    runner: TaskRunner,
    profile: Profile,
    server: TemplateServer,
) -> None:
    for n in range(4):
        services.template_register.record(
            profile.name,
            RegisteredTemplate(template_id=f"id{n}", name=f"n{n}", status="SUBMITTEDFORAPPROVAL"),
        )
    gate = threading.Event()

    def get(path: str, _body: bytes) -> object:
        gate.wait(10)
        if "template_history" in path:
            return answer(200, {"data": []})
        return answer(200, template(path.rsplit("/", 1)[1], status="ACTIVE"))

    server.behaviours["GET"] = get  # type: ignore[assignment]
    panel = TemplatesPanel(services, runner, lambda: profile, lambda: (Draft(), None))
    qtbot.addWidget(panel)
    panel.show()
    panel.watch.stop()
    qtbot.waitUntil(lambda: len(panel.model.entries) == 4, timeout=5000)
    panel.refresh(quiet=True)  # what the watch timer starts
    assert panel.refreshing is not None and not panel.progress.isVisible()
    assert panel.refresh_button.isEnabled()
    with qtbot.waitSignal(panel.refreshed, timeout=20_000) as ended:
        panel.refresh_button.click()
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
        gate.set()
    assert ended.args[0].summary == "Checked 4 template(s)."
    assert all(e.status == "ACTIVE" for e in panel.model.entries)
