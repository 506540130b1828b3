"""The open draft and the library never disagree, and no draft change blocks the window."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog
from pytestqt.qtbot import QtBot

from rcs_composer.app.services import Services
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.services.drafts import DraftStore
from tests.support.stall import SlowSpells, StallMeter

Make = Callable[..., MainWindow]


def saved_window(make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    window = make_window()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Festival card", True))
    window.docks.toggle_library(True)
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()
    qtbot.waitUntil(lambda: window.docks.library.model.rowCount() == 1, timeout=5000)
    return window


def save(window: MainWindow, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()


def edit_title(window: MainWindow, title: str) -> None:
    import dataclasses

    from rcs_composer.core import model as m

    content = window.document.message.content
    assert isinstance(content, m.RichCard)
    card = dataclasses.replace(content.content, title=title)
    window.document.set_message(
        dataclasses.replace(
            window.document.message, content=dataclasses.replace(content, content=card)
        ),
        "Edit title",
        merge_key="title",
    )


def trashed_open_draft(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, str]:
    """A window whose saved, open draft was just moved to the trash from the library."""
    window = saved_window(make_window, qtbot, monkeypatch)
    original = window.document.draft_id
    assert original is not None
    window.docks.library.delete(original)
    qtbot.waitUntil(lambda: window.document.draft_id is None, timeout=5000)
    return window, original


def names_in_store(window: MainWindow) -> list[str]:
    return sorted(entry.name for entry in window.context.drafts.entries())


def test_a_rename_in_the_library_survives_save_and_undo(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = saved_window(make_window, qtbot, monkeypatch)
    library = window.docks.library
    entry = library.model.index(0).data(0x0100)  # Qt.UserRole
    edit_title(window, "Edited before the rename")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Diwali 2026", True))
    library.rename(entry)
    qtbot.waitUntil(lambda: window.document.draft.name == "Diwali 2026", timeout=5000)
    assert "Diwali 2026" in window.windowTitle()
    window.document.undo_stack.undo()  # undoing the title edit must not bring the old name back
    assert window.document.draft.name == "Diwali 2026"
    save(window, qtbot)
    assert names_in_store(window) == ["Diwali 2026"]


def test_save_after_moving_the_open_draft_to_the_trash_keeps_both(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, original = trashed_open_draft(make_window, qtbot, monkeypatch)
    library = window.docks.library
    assert "trash" in window.status_line.text()
    edit_title(window, "Still being edited")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Rescued", True))
    save(window, qtbot)
    assert window.document.draft_id not in (None, original)
    assert window.context.drafts.trashed() == [original]  # not pulled out of the trash
    library.undo_delete()  # and the trash can still be undone
    qtbot.waitUntil(
        lambda: sorted(names_in_store(window)) == ["Festival card", "Rescued"], timeout=5000
    )


def test_undoing_the_trash_before_saving_saves_to_the_same_draft(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, original = trashed_open_draft(make_window, qtbot, monkeypatch)
    library = window.docks.library
    library.undo_delete()
    qtbot.waitUntil(lambda: window.document.draft_id == original, timeout=5000)
    edit_title(window, "Back from the trash")
    save(window, qtbot)
    assert window.document.draft_id == original
    assert names_in_store(window) == ["Festival card"]
    assert window.context.drafts.trashed() == []


def test_a_rename_of_another_draft_leaves_the_open_one_alone(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = saved_window(make_window, qtbot, monkeypatch)
    other = window.context.library.save(None, window.document.draft).draft_id
    window.context.library.rename(other, "Someone else's")
    qtbot.waitUntil(lambda: window.docks.library.model.rowCount() == 2, timeout=5000)
    assert window.document.draft.name == "Festival card"


class SlowStore(DraftStore):
    """A draft store on a slow disk: every change takes 300 ms, recorded in ``spells``."""

    DELAY_S = 0.3

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.spells = SlowSpells()

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.spells.sleeping(self.DELAY_S):
            return super().save(*args, **kwargs)

    def rename(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.spells.sleeping(self.DELAY_S):
            return super().rename(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.spells.sleeping(self.DELAY_S):
            return super().delete(*args, **kwargs)

    def load(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.spells.sleeping(self.DELAY_S):
            return super().load(*args, **kwargs)


@pytest.fixture
def slow_window(make_window: Make, isolated_dirs: Path) -> MainWindow:
    return make_window(services=Services(drafts=SlowStore(isolated_dirs / "data")))


def test_saving_renaming_and_trashing_never_block_the_window_on_a_slow_disk(
    slow_window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The event loop never waits 50 ms while the disk is slow: the meter counts the gaps
    between its ticks that overlap one of the store's sleeps (a store call made on the GUI
    thread would be one such gap, the whole 300 ms)."""
    window = slow_window
    files = window.files
    store = window.context.drafts
    assert isinstance(store, SlowStore)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Slow disk", True))
    window.docks.toggle_library(True)
    library = window.docks.library
    with StallMeter(during=store.spells) as meter:
        with qtbot.waitSignal(files.saved, timeout=5000):
            files.save()
        draft_id = window.document.draft_id
        assert draft_id is not None and window.document.draft.name == "Slow disk"
        qtbot.waitUntil(lambda: library.model.rowCount() == 1, timeout=5000)
        monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Renamed slowly", True))
        library.rename(library.model.index(0).data(0x0100))
        assert window.document.draft.name == "Slow disk"  # the rename is still on the disk
        qtbot.waitUntil(lambda: window.document.draft.name == "Renamed slowly", timeout=5000)
        with qtbot.waitSignal(files.opened, timeout=5000):
            files.open_draft(draft_id)
        library.delete(draft_id)
        qtbot.waitUntil(lambda: window.document.draft_id is None, timeout=5000)
    assert len(store.spells.spells) >= 3  # the save, the rename and the trash went to the disk
    assert threading.get_ident() not in store.spells.threads  # none of them on the GUI thread
    assert meter.longest < 50, f"the window froze for {meter.longest} ms"


def test_the_stall_meter_sees_a_store_call_made_on_the_gui_thread(
    slow_window: MainWindow, qtbot: QtBot
) -> None:
    """What the test above rules out, done on purpose: the meter measures all of it."""
    from PySide6.QtCore import QTimer

    store = slow_window.context.drafts
    assert isinstance(store, SlowStore)
    done: list[object] = []
    with StallMeter(during=store.spells) as meter:
        QTimer.singleShot(0, lambda: done.append(store.save(None, slow_window.document.draft)))
        qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert meter.longest >= SlowStore.DELAY_S * 1000 * 0.9


def test_an_undo_and_a_new_edit_while_a_save_is_out_keep_the_draft_unsaved(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The save wrote what was shown when it started. An undo and a different edit made
    while it was out leave the undo stack where it was, but not the draft: still unsaved."""
    from rcs_composer.app.drafts import DraftLibrary

    window = saved_window(make_window, qtbot, monkeypatch)
    edit_title(window, "Written by the save")
    release, real_save = threading.Event(), DraftLibrary.save

    def slow_save(library: DraftLibrary, *args: object, **kwargs: object) -> object:
        release.wait(10)  # a network folder taking its time
        return real_save(library, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(DraftLibrary, "save", slow_save)
    window.files.save()
    stack = window.document.undo_stack
    at_save = stack.index()
    stack.undo()
    edit_title(window, "Typed while it saved")  # a new step where the undone one was
    assert stack.index() == at_save
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        release.set()
    assert not stack.isClean(), "the window shows a title the file does not have"
    assert "•" in window.windowTitle()  # the title bar says unsaved
