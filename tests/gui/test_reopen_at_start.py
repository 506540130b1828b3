"""A returning user's window shows the last draft from its first paint (gui/last_draft.py): not
an empty card, checked as "1 error", that the draft replaces a moment later. A read that is
slow or fails leaves the start as it was: an empty card, and the reopen after the first paint
says what went wrong."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from rcs_composer.app.drafts import DraftLibrary, LoadedDraft
from rcs_composer.app.services import Services
from rcs_composer.core import model as m
from rcs_composer.gui import last_draft
from rcs_composer.gui.main_window import STARTED_BEFORE_KEY, MainWindow
from tests.support.drafts import crashed_session, text_draft, text_of

Button = QMessageBox.StandardButton


@pytest.fixture
def services() -> Iterator[Services]:
    made = Services()
    yield made
    made.stop_sandbox()


def returning_with(services: Services, draft: m.Draft) -> str:
    """A user who has started the app before and last worked on ``draft``; its id."""
    saved = services.library.save(None, draft)
    settings = QSettings()
    settings.setValue(STARTED_BEFORE_KEY, True)
    settings.setValue(last_draft.LAST_DRAFT_KEY, saved.draft_id)
    return saved.draft_id


def opened(qtbot: QtBot) -> tuple[MainWindow, list[str | None]]:
    """The app's window, shown; with the id its document had when its parts were built."""
    window = MainWindow.create_default()
    qtbot.addWidget(window)
    at_parts: list[str | None] = []
    window.parts_built.connect(lambda: at_parts.append(window.document.draft_id))
    with qtbot.waitSignal(window.parts_built, timeout=5000):
        window.show()
    return window, at_parts


def shown_text(window: MainWindow) -> str:
    content = window.preview_pane.preview.message.content
    return content.text if isinstance(content, m.TextContent) else ""


def closed(window: MainWindow) -> None:
    window.close()
    window.shutdown()


def test_the_first_paint_shows_the_last_draft_and_the_window_edits_it(
    qtbot: QtBot, services: Services
) -> None:
    draft_id = returning_with(services, text_draft("Diwali", "Lamps at 20% off"))
    window = MainWindow.create_default()
    qtbot.addWidget(window)
    try:
        assert shown_text(window) == "Lamps at 20% off"  # in the frame, before any paint
        assert window.windowTitle().startswith("Diwali")
        at_parts: list[str | None] = []
        window.parts_built.connect(lambda: at_parts.append(window.document.draft_id))
        with qtbot.waitSignal(window.parts_built, timeout=5000):
            window.show()
        assert at_parts == [draft_id]  # the stored draft from the start, not an empty card
        assert window.document.undo_stack.isClean()
        assert window.document.stored.version is not None  # a save checks the file against it
        assert window.status_line.text() == "Reopened “Diwali”"
        qtbot.waitUntil(lambda: window.context.session_id is not None, timeout=5000)
        qtbot.waitUntil(lambda: not window.context.runner.busy, timeout=5000)
        assert text_of(window.document.draft) == "Lamps at 20% off"
        assert window.issues == []
    finally:
        closed(window)


def test_a_save_right_after_the_start_goes_to_the_same_draft(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft_id = returning_with(services, text_draft("Holi", "Colours"))
    asked: list[str] = []

    def no_name(*_args: object, **_kw: object) -> tuple[str, bool]:
        asked.append("name")
        return ("", False)

    monkeypatch.setattr(QInputDialog, "getText", no_name)
    window, _ = opened(qtbot)
    try:
        field = window.editor.text.input
        qtbot.keyClick(field, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(field, " and sweets")
        window.files.save()
        assert asked == []  # no name asked: the window edits the stored draft
        qtbot.waitUntil(lambda: window.document.undo_stack.isClean(), timeout=5000)
        assert window.document.draft_id == draft_id
        assert text_of(services.library.open(draft_id).draft) == "Colours and sweets"
    finally:
        closed(window)


def test_a_hung_read_does_not_hold_the_window(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    returning_with(services, text_draft("Eid", "Dates and sweets"))
    release = threading.Event()
    reads: list[str] = []
    real_open = DraftLibrary.open

    def hung_once(library: DraftLibrary, draft_id: str) -> LoadedDraft:
        reads.append(draft_id)
        if len(reads) == 1:
            release.wait(10)  # a network folder that does not answer
        return real_open(library, draft_id)

    monkeypatch.setattr(DraftLibrary, "open", hung_once)
    monkeypatch.setattr(last_draft, "READ_WAIT_S", 0.05)
    window = MainWindow.create_default()  # returns with the first read still hanging
    qtbot.addWidget(window)
    try:
        assert not release.is_set() and len(reads) == 1
        assert shown_text(window) == ""  # an empty card, as before this change
        with qtbot.waitSignal(window.parts_built, timeout=5000):
            window.show()
        # The reopen after the first paint reads it again and opens it.
        qtbot.waitUntil(lambda: window.document.draft.name == "Eid", timeout=5000)
        assert shown_text(window) == "Dates and sweets"
        assert window.status_line.text() == "Reopened “Eid”"
    finally:
        release.set()
        closed(window)


def test_an_unreadable_last_draft_is_reported_once_the_window_is_up(
    qtbot: QtBot, services: Services
) -> None:
    draft_id = returning_with(services, text_draft("Broken", "soon broken"))
    services.drafts.path_of(draft_id).write_text("{ not json", encoding="utf-8")
    window, at_parts = opened(qtbot)
    try:
        assert at_parts == [None]
        qtbot.waitUntil(lambda: "could not be reopened" in window.status_line.text(), timeout=5000)
        assert window.document.draft.name == "Untitled"
        assert shown_text(window) == ""
    finally:
        closed(window)


def test_unsaved_work_from_a_crash_still_comes_first(
    qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    draft_id = returning_with(services, text_draft("Offer", "saved text"))
    crashed_session(isolated_dirs / "data", text_draft("Offer", "unsaved text"), draft_id)
    asked: list[str] = []

    def answer_yes(box: QMessageBox) -> int:
        asked.append(box.windowTitle())
        return int(Button.Yes.value)

    monkeypatch.setattr(QMessageBox, "exec", answer_yes)
    window, at_parts = opened(qtbot)
    try:
        assert at_parts == [draft_id]  # the saved draft first...
        qtbot.waitUntil(lambda: text_of(window.document.draft) == "unsaved text", timeout=5000)
        assert asked == ["Restore unsaved work?"]  # ...then the question, then the work
        assert not window.document.undo_stack.isClean()
        assert window.document.draft_id == draft_id
        qtbot.waitUntil(lambda: not window.context.runner.busy, timeout=5000)
    finally:
        closed(window)


def test_read_last_draft_returns_none_for_a_draft_that_is_not_there(services: Services) -> None:
    assert last_draft.read_last_draft(services.library, "no-such-draft") is None


def test_the_last_draft_id_ignores_what_is_not_an_id() -> None:
    settings = QSettings()
    for junk in ("", 7, ["a", "b"]):
        settings.setValue(last_draft.LAST_DRAFT_KEY, junk)
        assert last_draft.last_draft_id(settings) is None
    settings.setValue(last_draft.LAST_DRAFT_KEY, "holi.rcs")
    assert last_draft.last_draft_id(settings) == "holi.rcs"
