"""The window works from the keyboard: Tab follows the form, every label and menu has an
Alt+letter, Escape clears the search, and an empty search says so."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.gui.main_window import MainWindow

Make = Callable[..., MainWindow]


def active(window: MainWindow, qtbot: QtBot) -> MainWindow:
    """Focus moves only inside the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def tab_chain(window: MainWindow, start: QWidget, steps: int) -> list[QWidget]:
    start.setFocus()
    visited = [start]
    for _ in range(steps):
        window.focusNextChild()
        visited.append(QApplication.focusWidget())
    return visited


@pytest.mark.parametrize("sample", ["standalone_card.json", "carousel_with_chips.json"])
def test_tab_goes_down_the_form_from_kind_to_the_chip_list(
    qtbot: QtBot, make_window: Make, sample: str
) -> None:
    window = active(make_window(sample), qtbot)
    editor = window.editor
    kind = next(button for button in editor.kind_buttons.values() if button.isVisible())
    chain = tab_chain(window, kind, 60)
    in_editor = [widget for widget in chain if editor.isAncestorOf(widget)]
    chips = [w for w in in_editor if editor.chips.isAncestorOf(w)]
    assert chips, "Tab never reaches the chip list"
    before_chips = in_editor[: in_editor.index(chips[0])]
    tops = [widget.mapTo(editor, widget.rect().topLeft()).y() for widget in before_chips]
    assert tops == sorted(tops), [w.accessibleName() for w in before_chips]
    assert len(before_chips) > 5  # the card's fields come between Kind and the chip list


def test_every_field_label_has_a_mnemonic_that_reaches_its_field(
    qtbot: QtBot, make_window: Make
) -> None:
    window = active(make_window("carousel_with_chips.json"), qtbot)
    page = window.editor.page(window.document.message.kind)
    labels = [label for label in page.findChildren(QLabel) if label.buddy() is not None]
    assert len(labels) > 5
    assert [label.text() for label in labels if "&" not in label.text()] == []
    title = next(label for label in labels if label.text().replace("&", "") == "Title")
    letter = title.text()[title.text().index("&") + 1]
    qtbot.keyClick(window, letter.lower(), Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is title.buddy())


def test_every_menu_and_menu_entry_has_a_mnemonic(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    missing = []

    def walk(actions: list[QAction], where: str) -> None:
        for action in actions:
            if action.isSeparator() or not action.text():
                continue
            if "&" not in action.text():
                missing.append(f"{where} > {action.text()}")
            menu = action.menu()
            if isinstance(menu, QMenu):
                walk(menu.actions(), f"{where} > {action.text()}")

    walk(window.menuBar().actions(), "menu bar")
    # The samples submenu lists names; Alt+S opens it, arrows choose.
    assert [m for m in missing if "Open &Sample >" not in m] == []


def test_escape_clears_the_search_and_an_empty_search_says_no_drafts_match(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    window.docks.focus_search()
    panel = window.docks.library
    qtbot.waitUntil(lambda: panel.listed, timeout=5000)
    qtbot.keyClicks(panel.search, "zzz-nothing-like-this")
    assert panel.empty.isVisible()
    assert panel.empty.text().startswith("No drafts match “zzz-nothing-like-this”")
    qtbot.keyClick(panel.search, Qt.Key.Key_Escape)
    assert panel.search.text() == ""
    assert "No drafts match" not in panel.empty.text() or not panel.empty.isVisible()


def test_tab_never_traps_the_focus(qtbot: QtBot, make_window: Make) -> None:
    window = active(make_window(), qtbot)
    window.docks.toggle_library(True)
    qtbot.keyClicks(window.editor.card.title.input, "x" * 201)  # a problem to list
    window.revalidate()
    start = window.editor.card.title.input
    chain = tab_chain(window, start, 200)
    assert start in chain[1:], "Tab from the title never comes back to it"
    assert window.preview_pane.preview in chain
    assert window.problems.tree in chain
    assert any(window.docks.library.isAncestorOf(w) for w in chain)


def test_the_profiles_dialog_fields_have_alt_letters_of_their_own(
    qtbot: QtBot, make_window: Make
) -> None:
    from rcs_composer.gui.profiles_dialog import ProfilesDialog

    window = make_window()
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)
    labels = [label for label in dialog.findChildren(QLabel) if label.buddy() is not None]
    assert len(labels) >= 5
    assert [label.text() for label in labels if "&" not in label.text()] == []
    letters = [label.text()[label.text().index("&") + 1].lower() for label in labels]
    assert len(letters) == len(set(letters))  # no two fields answer to the same Alt+letter
