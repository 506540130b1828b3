"""The app's window paints its frame first (the phone with the draft, the menu titles, the
toolbar row) and builds its parts in the turn after: the user sees the window at once, and
nothing they see moves when the editor arrives."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QRect, QSettings
from PySide6.QtWidgets import QLineEdit, QToolBar
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.main_window import MENU_TITLES, PROBLEMS_HEIGHT, TOOLBAR_NAME, MainWindow
from rcs_composer.gui.samples import starting_draft


def card(title: str) -> m.Draft:
    return m.Draft(
        name=title, message=m.Message(content=m.RichCard(content=m.CardContent(title=title)))
    )


class AtFirstPaint(QObject):
    """Records what the window shows when it first paints."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.seen: dict[str, object] | None = None
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Paint and self.seen is None:
            self.seen = what_shows(self.window)
        return False


def what_shows(window: MainWindow) -> dict[str, object]:
    toolbar = window.findChild(QToolBar, TOOLBAR_NAME)
    assert toolbar is not None
    preview = window.preview_pane
    return {
        "parts": window.has_parts,
        "menus": [action.text() for action in window.menuBar().actions()],
        "phone": QRect(preview.mapTo(window, preview.rect().topLeft()), preview.size()),
        "toolbar height": toolbar.height(),
        "status bar": window.statusBar().geometry(),
        "problems": window.rows.widget(1).geometry(),  # type: ignore[union-attr]
    }


def opened(qtbot: QtBot, draft: m.Draft, settings: QSettings) -> tuple[MainWindow, AtFirstPaint]:
    context = AppContext(start_sandbox=False)
    window = MainWindow(draft, settings, context, parts_after_first_paint=True)
    qtbot.addWidget(window)
    watch = AtFirstPaint(window)
    with qtbot.waitSignal(window.parts_built, timeout=5000):
        window.show()
    qtbot.waitUntil(lambda: window.startup.painted, timeout=5000)  # laid out with its parts
    return window, watch


def close(window: MainWindow) -> None:
    window.close()
    window.shutdown()


def test_the_first_paint_shows_the_draft_and_the_parts_follow(qtbot: QtBot) -> None:
    window, watch = opened(qtbot, card("Diwali offers"), QSettings())
    try:
        assert watch.seen is not None
        assert watch.seen["parts"] is False  # painted before the editor was built
        assert watch.seen["menus"] == list(MENU_TITLES)
        assert window.has_parts
        assert window.document.draft.name == "Diwali offers"
        assert window.preview_pane.preview.message == window.document.message
        shown = [field.text() for field in window.editor.findChildren(QLineEdit)]
        assert "Diwali offers" in shown  # the editor holds what the frame drew
        # The parts fill the frame's menus: still five, none empty.
        menus = [action.menu() for action in window.menuBar().actions()]
        assert [action.text() for action in window.menuBar().actions()] == list(MENU_TITLES)
        assert all(menu is not None and menu.actions() for menu in menus)  # type: ignore[union-attr]
    finally:
        close(window)


def test_nothing_moves_when_the_parts_arrive_for_a_returning_user(qtbot: QtBot) -> None:
    settings = QSettings()
    first, _ = opened(qtbot, card("First start"), settings)
    close(first)  # the window remembers its splitters and docks
    window, watch = opened(qtbot, card("Second start"), settings)
    try:
        assert watch.seen is not None
        now = what_shows(window)
        assert now["phone"] == watch.seen["phone"]
        assert now["toolbar height"] == watch.seen["toolbar height"]
        assert now["status bar"] == watch.seen["status bar"]
    finally:
        close(window)


def test_nothing_moves_when_the_parts_arrive_on_the_very_first_start(qtbot: QtBot) -> None:
    # Nothing saved yet: the split is the window's own guess. The editor's column must fit it
    # (a long "Variables: none…" title once set that column's width) and the problems area
    # starts as the heading a draft with no problems keeps.
    window, watch = opened(qtbot, starting_draft(), QSettings())
    try:
        qtbot.waitUntil(lambda: window.problems.checked, timeout=5000)
        assert window.issues == []
        assert watch.seen is not None
        now = what_shows(window)
        assert now["phone"] == watch.seen["phone"]
        assert now["status bar"] == watch.seen["status bar"]
        assert watch.seen["problems"] == now["problems"]
    finally:
        close(window)


def test_problems_found_at_the_start_get_their_list(qtbot: QtBot) -> None:
    empty = m.Draft(name="Empty", message=m.Message(content=m.RichCard()))  # one error
    window, watch = opened(qtbot, empty, QSettings())
    try:
        qtbot.waitUntil(lambda: window.problems.tree.isVisible(), timeout=5000)
        assert watch.seen is not None
        heading = watch.seen["problems"]
        assert isinstance(heading, QRect)
        assert window.rows.sizes()[1] >= PROBLEMS_HEIGHT > heading.height()
        assert window.problems.tree.topLevelItemCount() == 1
    finally:
        close(window)


def test_a_window_closed_before_its_parts_closes_cleanly(qtbot: QtBot) -> None:
    window = MainWindow(card("Closed at once"), QSettings(), parts_after_first_paint=True)
    qtbot.addWidget(window)
    assert window.close()
    window.shutdown()
    assert not window.has_parts


def test_problems_claim_nothing_until_the_first_check(qtbot: QtBot) -> None:
    empty = m.Draft(name="Empty", message=m.Message(content=m.RichCard()))  # one error
    context = AppContext(start_sandbox=False)
    window = MainWindow(empty, QSettings(), context, parts_after_first_paint=True)
    qtbot.addWidget(window)
    headings: list[str] = []
    window.parts_built.connect(lambda: headings.append(window.problems.heading.text()))
    with qtbot.waitSignal(window.issues_changed, timeout=5000):
        window.show()
    try:
        assert headings == ["<b>Problems</b> — checking…"]
        assert window.problems.heading.text() == "<b>Problems</b> — 1 error"
    finally:
        close(window)


def test_a_part_asked_for_before_the_first_paint_is_built_at_once(qtbot: QtBot) -> None:
    """A script driving the app's window right away finds it whole, as before."""
    window = MainWindow(card("At once"), QSettings(), parts_after_first_paint=True)
    qtbot.addWidget(window)
    assert not window.has_parts
    assert window.document.draft.name == "At once"  # built here, on the spot
    assert window.has_parts and window.editor is not None
    with pytest.raises(AttributeError):
        window.no_such_part  # noqa: B018 (only the parts are built on demand)
    with qtbot.waitSignal(window.parts_built, timeout=1000, raising=False) as again:
        window.show()
        qtbot.waitUntil(lambda: window.startup.painted, timeout=5000)
    assert not again.signal_triggered  # the turn after the first paint builds nothing twice
    close(window)
