"""Never lose work in the window (issue 20): every crashed session's autosave is offered and
kept until the user answered for it (item 5); a save over a file another window changed asks
what to do (item 8)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.services.drafts import DraftStore
from tests.support.drafts import crashed_session, text_draft

Make = Callable[..., MainWindow]
Button = QMessageBox.StandardButton


def autosave_of(root: Path, session: str) -> Path:
    return root / "autosave" / f"{session}.json"


def answering(
    monkeypatch: pytest.MonkeyPatch, answers: list[Button], check: Callable[[], None] = lambda: None
) -> list[str]:
    """Answer each question in turn; ``check`` runs while a question is on screen."""
    asked: list[str] = []

    def question(_parent: object, title: str, text: str, *_a: object, **_k: object) -> Button:
        asked.append(f"{title}: {text}")
        check()
        return answers[len(asked) - 1]

    def run_box(box: QMessageBox) -> int:
        return int(question(None, box.windowTitle(), f"{box.text()} {box.informativeText()}"))

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "exec", run_box)
    return asked


def started(make_window: Make, qtbot: QtBot) -> MainWindow:
    window = make_window()
    qtbot.waitUntil(lambda: window.context.session_id is not None, timeout=5000)
    return window


def settled(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not window.context.runner.busy, timeout=5000)


# ---------------------------------------------------------------- item 5


def test_two_crashed_windows_both_come_back(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    data = isolated_dirs / "data"
    older = crashed_session(data, text_draft("Older work", "first window"))
    newer = crashed_session(data, text_draft("Newer work", "second window"), "saved-id")
    autosaves = [autosave_of(data, older), autosave_of(data, newer)]

    def nothing_deleted_while_asking() -> None:
        assert all(path.exists() for path in autosaves)

    asked = answering(monkeypatch, [Button.Yes, Button.Yes], nothing_deleted_while_asking)
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    settled(window, qtbot)

    # One question per draft, newest first: the newest opens here, unsaved, on its draft id.
    assert "“Newer work”" in asked[0] and "(1 of 2)" in asked[0]
    assert "“Older work”" in asked[1] and "library" in asked[1]
    assert window.document.draft.name == "Newer work"
    assert window.document.draft_id == "saved-id"
    assert not window.document.undo_stack.isClean()
    # The other one is a new draft in the library; neither crashed autosave is left.
    assert [entry.name for entry in window.context.drafts.entries()] == ["Older work (recovered)"]
    assert not any(path.exists() for path in autosaves)
    # The restored work is this session's autosave now: another crash, before any edit, keeps it.
    current = autosave_of(data, window.context.session_id or "")
    assert "Newer work" in current.read_text()


def test_no_discards_and_cancel_keeps_the_rest_for_the_next_start(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    data = isolated_dirs / "data"
    first = crashed_session(data, text_draft("First"))
    second = crashed_session(data, text_draft("Second"))
    third = crashed_session(data, text_draft("Third"))
    asked = answering(monkeypatch, [Button.No, Button.Cancel])
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    settled(window, qtbot)
    assert "“Third”" in asked[0] and "“Second”" in asked[1]
    assert not autosave_of(data, third).exists()  # No: discarded
    assert autosave_of(data, second).exists()  # Cancel: kept
    assert autosave_of(data, first).exists()  # never asked: kept
    assert window.document.draft.name != "Second"
    pending = DraftStore(data).pending_autosaves(window.context.session_id)
    assert [item.draft.name for item in pending] == ["First", "Second"]


def test_closing_the_question_keeps_the_work(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    data = isolated_dirs / "data"
    only = crashed_session(data, text_draft("Lost work"))
    asked = answering(monkeypatch, [Button.Cancel])  # Escape or the title bar's close
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    settled(window, qtbot)
    assert autosave_of(data, only).exists()


# ---------------------------------------------------------------- item 8


def open_saved_draft(window: MainWindow, qtbot: QtBot, draft: m.Draft) -> str:
    draft_id = window.context.library.save(None, draft).draft_id
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        window.files.open_draft(draft_id)
    return draft_id


def edit_text(window: MainWindow, text: str) -> None:
    window.document.set_message(
        dataclasses.replace(window.document.message, content=m.TextContent(text)), "Edit text"
    )


def changed_elsewhere(root: Path, draft_id: str, text: str) -> None:
    other = DraftStore(root)  # another window, in another process
    edited = dataclasses.replace(
        other.load(draft_id), message=m.Message(content=m.TextContent(text))
    )
    other.save(draft_id, edited)


def text_in_store(root: Path, draft_id: str) -> str:
    content = DraftStore(root).load(draft_id).message.content
    assert isinstance(content, m.TextContent)
    return content.text


@pytest.mark.parametrize(
    "answer", [Button.Yes, Button.No, Button.Cancel], ids=["keep-both", "overwrite", "cancel"]
)
def test_saving_over_a_draft_changed_elsewhere_asks_first(
    qtbot: QtBot,
    make_window: Make,
    monkeypatch: pytest.MonkeyPatch,
    isolated_dirs: Path,
    answer: Button,
) -> None:
    data = isolated_dirs / "data"
    window = started(make_window, qtbot)
    draft_id = open_saved_draft(window, qtbot, text_draft("Offer", "v1"))
    edit_text(window, "mine")
    changed_elsewhere(data, draft_id, "theirs")

    asked = answering(monkeypatch, [answer])
    files = window.files
    if answer == Button.Cancel:
        files.save()
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=5000)
    else:
        with qtbot.waitSignal(files.saved, timeout=5000):
            files.save()
    assert "changed on disk since it was opened" in asked[0]
    names = sorted(entry.name for entry in window.context.drafts.entries())
    if answer == Button.Yes:  # keep both: mine becomes a new draft, theirs stays
        assert names == ["Offer", "Offer (my version)"]
        assert text_in_store(data, draft_id) == "theirs"
        assert window.document.draft_id != draft_id
        assert text_in_store(data, window.document.draft_id or "") == "mine"
    elif answer == Button.No:  # overwrite theirs
        assert names == ["Offer"] and text_in_store(data, draft_id) == "mine"
    else:  # nothing written, the edit still unsaved
        assert text_in_store(data, draft_id) == "theirs"
        assert not window.document.undo_stack.isClean()
        assert not files.saving


def test_saving_twice_in_a_row_is_no_conflict(
    qtbot: QtBot, make_window: Make, isolated_dirs: Path
) -> None:
    window = started(make_window, qtbot)
    draft_id = open_saved_draft(window, qtbot, text_draft("Offer", "v1"))
    files = window.files
    for text in ("one", "two"):
        edit_text(window, text)
        with qtbot.waitSignal(files.saved, timeout=5000):
            files.save()
    assert text_in_store(isolated_dirs / "data", draft_id) == "two"


def test_restored_work_is_saved_on_the_file_it_was_an_edit_of(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    """A window edits a saved draft and is killed; before the restart another window saves
    that draft. Saving the restored work must not silently undo the other window's save."""
    data = isolated_dirs / "data"
    draft_id = DraftStore(data).save(None, text_draft("Offer", "v1")).draft_id
    crashed_session(data, text_draft("Offer", "crashed window's edit"), draft_id)
    changed_elsewhere(data, draft_id, "the other window's save")

    asked = answering(monkeypatch, [Button.Yes, Button.Cancel])
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: window.document.draft_id == draft_id, timeout=5000)
    settled(window, qtbot)
    window.files.save()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    assert "changed on disk since it was opened" in asked[1]
    assert text_in_store(data, draft_id) == "the other window's save"
