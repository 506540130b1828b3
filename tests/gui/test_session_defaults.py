"""What a start, New, Save and autosave leave the user with: honest defaults and status."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow

Make = Callable[..., MainWindow]


def started(make_window: Make, qtbot: QtBot, sample: str = "standalone_card.json") -> MainWindow:
    window = make_window(sample)
    qtbot.waitUntil(lambda: window.context.session_id is not None, timeout=5000)
    qtbot.waitUntil(lambda: not window.context.runner.busy, timeout=5000)
    return window


def app_window(qtbot: QtBot) -> MainWindow:
    """The window as the app opens it: shown, then completed after its first paint."""
    window = MainWindow.create_default()
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.parts_built, timeout=5000):
        window.show()
    return window


def name_asked(monkeypatch: pytest.MonkeyPatch, answer: str | None = None) -> list[str]:
    """Answer the Save dialog's name question; returns the names it suggested."""
    offered: list[str] = []

    def get_text(*_args: object, text: str = "", **_kw: object) -> tuple[str, bool]:
        offered.append(text)
        return (answer or text, True)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return offered


def test_ctrl_n_starts_an_empty_card_with_the_cursor_in_its_title(
    qtbot: QtBot, make_window: Make
) -> None:
    window = started(make_window, qtbot)
    window.docks.focus_search()  # the cursor was in the drafts search box
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor.card.title.input)
    assert window.document.draft.name == "Untitled"
    assert window.status_line.text() == "New draft, not saved yet"
    qtbot.keyClicks(QApplication.focusWidget(), "Typed at once")
    card = window.document.message.content
    assert isinstance(card, m.RichCard) and card.content.title == "Typed at once"


def test_save_offers_the_card_title_as_the_draft_name(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = started(make_window, qtbot)
    window.files.new()
    qtbot.keyClicks(window.editor.card.title.input, "Diwali sale: 20% off")
    offered = name_asked(monkeypatch)
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()
    assert offered == ["Diwali sale: 20% off"]
    assert window.document.draft.name == "Diwali sale: 20% off"


def test_after_an_explicit_save_the_status_never_claims_an_autosave(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = started(make_window, qtbot)
    qtbot.keyClicks(window.editor.card.title.input, " edited")
    assert window.files.autosave_timer.isActive()  # an autosave was due
    name_asked(monkeypatch, "Kept")
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()
    assert window.status_line.text().startswith("Saved “Kept” at ")
    assert not window.files.autosave_timer.isActive()
    window.files.autosave()  # even if it fired, there is nothing unsaved to keep
    qtbot.waitUntil(lambda: not window.context.runner.busy, timeout=5000)
    assert window.status_line.text().startswith("Saved “Kept” at ")


def test_an_autosave_says_the_changes_are_not_saved_yet(qtbot: QtBot, make_window: Make) -> None:
    window = started(make_window, qtbot)
    qtbot.keyClicks(window.editor.card.title.input, " edited")
    window.files.autosave_timer.stop()
    window.files.autosave()
    qtbot.waitUntil(lambda: "kept for recovery" in window.status_line.text(), timeout=5000)
    assert "Save to keep them" in window.status_line.text()


def test_opening_a_draft_says_so(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = started(make_window, qtbot)
    name_asked(monkeypatch, "Opened later")
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()
    draft_id = window.document.draft_id
    assert draft_id is not None
    window.files.new()
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        window.files.open_draft(draft_id)
    assert window.status_line.text() == "Opened “Opened later”"


def test_the_sample_opens_on_the_first_start_only_then_the_last_draft_comes_back(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = app_window(qtbot)
    assert first.document.draft.name != "Untitled"  # the sample
    sample_title = first.document.draft.name
    qtbot.waitUntil(lambda: first.context.session_id is not None, timeout=5000)
    name_asked(monkeypatch, "My real work")
    with qtbot.waitSignal(first.files.saved, timeout=5000):
        first.files.save()
    first.close()
    first.shutdown()

    second = app_window(qtbot)
    try:
        qtbot.waitUntil(lambda: second.document.draft.name == "My real work", timeout=5000)
        assert second.document.draft.name != sample_title
        assert second.document.undo_stack.isClean()
        assert second.status_line.text() == "Reopened “My real work”"
    finally:
        second.close()
        second.shutdown()


def test_a_last_draft_that_is_gone_leaves_an_empty_card_and_says_why(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = app_window(qtbot)
    first.settings.setValue("drafts/last", "no-such-draft")
    first.close()
    first.shutdown()
    second = app_window(qtbot)
    try:
        qtbot.waitUntil(lambda: "could not be reopened" in second.status_line.text(), timeout=5000)
        assert second.document.draft.name == "Untitled"
        assert second.settings.value("drafts/last") is None
    finally:
        second.close()
        second.shutdown()
