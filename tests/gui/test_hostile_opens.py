"""What a hostile walkthrough found: an Enter that chose for the user, a close that forgot
which version the edits were made on, opens that hung, landed late or cut a field, drops and
full disks that said nothing useful."""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui import file_actions
from rcs_composer.gui.compare_dialog import CompareDialog
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.services.paths import StorageError
from tests.gui.test_recovery import (
    answering,
    changed_elsewhere,
    edit_text,
    open_saved_draft,
    settled,
    started,
    text_in_store,
)
from tests.gui.test_team_library import dialog_of
from tests.support.drafts import text_draft

Make = Callable[..., MainWindow]
Button = QMessageBox.StandardButton


def text_of(window: MainWindow) -> str:
    content = window.document.message.content
    assert isinstance(content, m.TextContent)
    return content.text


def edited_then_changed_elsewhere(
    window: MainWindow, qtbot: QtBot, root: Path
) -> tuple[str, CompareDialog]:
    draft_id = open_saved_draft(window, qtbot, text_draft("Offer", "v1"))
    edit_text(window, "my unsaved words")
    changed_elsewhere(root, draft_id, "the teammate's save")
    return draft_id, dialog_of(window, qtbot)


def test_enter_as_the_changed_on_disk_question_appears_keeps_the_edits(
    qtbot: QtBot, make_window: Make, isolated_dirs: Path
) -> None:
    """It comes up while the user types: the keystroke meant for the field decides nothing."""
    window = started(make_window, qtbot)
    _draft_id, dialog = edited_then_changed_elsewhere(window, qtbot, isolated_dirs / "data")
    assert dialog.buttons["later"].isDefault()
    assert not dialog.buttons["theirs"].isDefault()
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.disk_changes.dialog is None, timeout=5000)
    assert text_of(window) == "my unsaved words"
    assert not window.document.undo_stack.isClean()
    assert "saving will ask again" in window.status_line.text()


def test_taking_the_version_on_disk_is_one_undo_step(
    qtbot: QtBot, make_window: Make, isolated_dirs: Path
) -> None:
    window = started(make_window, qtbot)
    _draft_id, dialog = edited_then_changed_elsewhere(window, qtbot, isolated_dirs / "data")
    dialog.buttons["theirs"].click()
    qtbot.waitUntil(lambda: text_of(window) == "the teammate's save", timeout=5000)
    assert window.document.undo_stack.isClean()
    assert "Undo brings your edits back" in window.status_line.text()
    window.document.undo_stack.undo()
    assert text_of(window) == "my unsaved words"
    assert not window.document.undo_stack.isClean()


def test_closing_after_decide_later_keeps_the_version_the_edits_were_made_on(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    """Restored at the next start and saved, the edits must not replace the teammate's save
    without the question the dialog promised ("saving will ask again")."""
    data = isolated_dirs / "data"
    window = started(make_window, qtbot)
    draft_id, dialog = edited_then_changed_elsewhere(window, qtbot, data)
    dialog.buttons["later"].click()
    qtbot.waitUntil(lambda: window.disk_changes.dialog is None, timeout=5000)
    settled(window, qtbot)
    window.close()
    window.shutdown()
    asked = answering(monkeypatch, [Button.Yes, Button.Cancel])  # restore it; then cancel
    again = started(make_window, qtbot)
    qtbot.waitUntil(lambda: text_of(again) == "my unsaved words", timeout=5000)
    settled(again, qtbot)
    again.files.save()
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=5000)
    assert "changed on disk since it was opened" in asked[1]
    assert text_in_store(data, draft_id) == "the teammate's save"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_opening_a_pipe_or_a_device_is_refused_at_once(
    kind: str, qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A FIFO named like a draft would wait for a writer forever; /dev/zero never ends."""
    if kind == "fifo":
        path = tmp_path / "draft.json"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: shown.append(text))
    window = started(make_window, qtbot)
    before = window.document.draft
    window.files.import_file(path)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == [f"{path.name}: it is not a regular file (a pipe, device or folder)"]
    assert window.document.draft is before


def slow_share(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> threading.Event:
    """slow.json waits for the event before it is read (a share that takes its time);
    fast.json is read at once."""
    from rcs_composer.core import codecs

    release = threading.Event()
    real = file_actions.read_importable

    def read(path: Path) -> object:
        if path.name == "slow.json":
            release.wait(10)
        return real(path)

    monkeypatch.setattr(file_actions, "read_importable", read)
    for name, words in (("slow", "from the slow share"), ("fast", "opened second")):
        text = codecs.dumps(codecs.export_draft(text_draft(name, words)))
        (tmp_path / f"{name}.json").write_text(text)
    return release


def window_with_a_slow_share(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> tuple[MainWindow, threading.Event]:
    release = slow_share(monkeypatch, tmp_path)
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: window.has_parts, timeout=5000)
    return window, release


def test_a_slow_open_that_lands_after_a_later_one_is_dropped(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The user opens A, then B and types; A arriving must change nothing."""
    release = slow_share(monkeypatch, tmp_path)
    asked = answering(monkeypatch, [])
    window = started(make_window, qtbot)
    window.files.import_file(tmp_path / "slow.json")
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        window.files.import_file(tmp_path / "fast.json")
    edit_text(window, "typed after opening the second")
    release.set()
    settled(window, qtbot)
    qtbot.wait(100)
    assert text_of(window) == "typed after opening the second"
    assert asked == []  # no "Save the changes first?" out of nowhere


def test_a_sample_opened_meanwhile_is_not_replaced_by_the_slow_open(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window, release = window_with_a_slow_share(make_window, qtbot, monkeypatch, tmp_path)
    window.files.import_file(tmp_path / "slow.json")
    window.files.open_sample("text_every_action.json")
    sample = window.document.draft
    release.set()
    settled(window, qtbot)
    qtbot.wait(100)
    assert window.document.draft is sample


def test_a_new_draft_cancelled_leaves_the_slow_open_to_land(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window, release = window_with_a_slow_share(make_window, qtbot, monkeypatch, tmp_path)
    edit_text(window, "unsaved")
    window.files.import_file(tmp_path / "slow.json")
    answering(monkeypatch, [Button.Cancel, Button.Discard])  # New: Cancel; the open: Discard
    window.files.new()
    assert text_of(window) == "unsaved"
    release.set()
    qtbot.waitUntil(lambda: text_of(window) == "from the slow share", timeout=5000)


def test_a_title_longer_than_a_line_edit_holds_is_not_cut_by_a_keystroke(
    qtbot: QtBot, make_window: Make
) -> None:
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: window.has_parts, timeout=5000)
    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    long_title = "T" * 40_003
    card = dataclasses.replace(content.content, title=long_title)
    window.document.set_message(
        dataclasses.replace(
            window.document.message, content=dataclasses.replace(content, content=card)
        ),
        "Paste a long title",
    )
    field = window.editor.card.title.input
    field.setFocus()
    field.end(False)
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    now = window.document.message.content
    assert isinstance(now, m.RichCard)
    assert now.content.title == "T" * 40_002


def drop(window: MainWindow, urls: list[QUrl]) -> None:
    mime = QMimeData()
    mime.setUrls(urls)
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def test_a_drop_of_two_files_opens_one_and_says_so_and_a_web_address_is_named(
    qtbot: QtBot, make_window: Make, tmp_path: Path
) -> None:
    from rcs_composer.core import codecs

    paths = []
    for name in ("one", "two", "three"):
        path = tmp_path / f"{name}.json"
        path.write_text(codecs.dumps(codecs.export_draft(text_draft(name, name))))
        paths.append(path)
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: window.has_parts, timeout=5000)
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        drop(window, [QUrl.fromLocalFile(str(path)) for path in paths])
    assert text_of(window) == "one"
    assert "2 other dropped items not opened: one at a time" in window.status_line.text()
    drop(window, [QUrl("https://example.com/offer.json")])
    assert "only a file on this computer opens" in window.status_line.text()


@pytest.mark.parametrize("answer", [Button.Cancel, Button.Discard], ids=["cancel", "discard"])
def test_a_close_whose_unsaved_work_cannot_be_kept_offers_a_way_out(
    answer: Button, qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: window.has_parts, timeout=5000)
    edit_text(window, "unsaved")

    def full(*_a: object, **_k: object) -> None:
        raise StorageError(Path("autosave.json"), "the disk is full")

    monkeypatch.setattr(window.context.drafts, "save_autosave", full)
    asked: list[str] = []

    def warning(
        _parent: object, _title: str, text: str, buttons: object, default: object
    ) -> Button:
        asked.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "warning", warning)
    window.show()
    closed = window.close()
    assert asked and "the disk is full" in asked[0] and "Save As" in asked[0]
    assert closed is (answer == Button.Discard)
    assert window.isVisible() is (answer == Button.Cancel)


def test_a_name_of_twenty_thousand_characters_keeps_the_question_on_screen(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = answering(monkeypatch, [Button.Cancel])
    window = started(make_window, qtbot)
    qtbot.waitUntil(lambda: window.has_parts, timeout=5000)
    window.document.set_draft(
        dataclasses.replace(window.document.draft, name="Diwali " * 3_000), "Rename"
    )
    window.files.new()
    assert len(asked) == 1 and len(asked[0]) < 160
    assert "“Diwali Diwali" in asked[0] and "…" in asked[0]


def test_a_long_status_is_cut_with_its_whole_text_as_the_tooltip(
    qtbot: QtBot, make_window: Make
) -> None:
    """An autosave error ran off the window's edge; it must not widen the window either."""
    window = started(make_window, qtbot)
    window.resize(900, 640)
    window.show()
    qtbot.waitUntil(lambda: window.has_parts, timeout=5000)
    width = window.width()
    words = "Autosave failed: Could not save " + "/very/long/folder" * 20 + ": the disk is full."
    window.status_line.setText(words)
    qtbot.wait(10)
    assert window.width() == width
    assert window.status_line.text() == words and window.status_line.toolTip() == words
    window.status_line.setText("Saved")
    assert window.status_line.toolTip() == ""


def test_names_that_look_like_markup_are_shown_as_written_in_message_boxes(
    qtbot: QtBot, make_window: Make, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Qt draws a message box's text as HTML when a tag comes before its first line break: a
    file or draft named like markup must not become headings and links."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: shown.append(text))
    window = started(make_window, qtbot)
    path = tmp_path / "<h1 style='color:red'>PAY NOW.json"  # no '/': a name can hold none
    path.write_text("{ not json")
    window.files.import_file(path)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "<h1" not in shown[0] and "&lt;h1 style='color:red'&gt;PAY NOW" in shown[0]
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(shown[0])  # what the box draws: the name, tags and all, as text
    assert "<h1 style='color:red'>PAY NOW.json" in document.toPlainText()
