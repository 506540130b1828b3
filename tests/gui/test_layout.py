"""The window at 800x600, 1280x720 and 1920x1080: the editor gets most of the height, nothing
overlaps, and a page keeps its own height after another kind was shown.

Each size is grabbed to PNG (in $RCS_COMPOSER_GRAB_DIR when set, else the test's folder), light
and dark, for a person to look at."""

from __future__ import annotations

import dataclasses
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.main_window import MIN_SIZE, MainWindow, fitting_size
from rcs_composer.gui.theme import apply_color_scheme

Make = Callable[..., MainWindow]
SIZES = [QSize(800, 600), QSize(1280, 720), QSize(1920, 1080)]


@pytest.fixture(params=["light", "dark"])
def scheme(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dark = request.param == "dark"
    apply_color_scheme(app, Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    yield str(request.param)
    apply_color_scheme(app)


def grab_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("RCS_COMPOSER_GRAB_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settle(qtbot: QtBot, window: MainWindow, size: QSize) -> None:
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)
    window.revalidate()
    qtbot.wait(0)  # one pass of the event loop: the layouts follow the new size


@pytest.mark.parametrize("sample", ["standalone_card.json", "carousel_with_chips.json"])
def test_the_editor_gets_most_of_the_height_at_every_size(
    qtbot: QtBot, make_window: Make, tmp_path: Path, scheme: str, sample: str
) -> None:
    window = make_window(sample)
    for size in SIZES:
        settle(qtbot, window, size)
        window_color = window.palette().color(QPalette.ColorRole.Window)
        assert (window_color.lightness() < 80) == (scheme == "dark")
        name = f"{Path(sample).stem}-{size.width()}x{size.height()}-{scheme}.png"
        assert window.grab().save(str(grab_dir(tmp_path) / name))
        editor = window.editor_scroller.height()
        below = window.variables.height() + window.problems.height()
        assert editor > 0.6 * window.centralWidget().height(), (size, editor)
        assert below < editor / 3, (size, below)  # no problems: the panels keep to one line each


def test_problems_get_room_when_there_are_some_and_give_it_back(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window()
    settle(qtbot, window, SIZES[1])
    empty = window.problems.height()
    card = window.document.message.content
    assert isinstance(card, m.RichCard)
    window.document.set_message(
        dataclasses.replace(
            window.document.message,
            content=dataclasses.replace(card, content=m.CardContent(title="x" * 201)),
        ),
        "Too long",
    )
    window.revalidate()
    assert window.problems.tree.isVisible()
    assert window.problems.height() > empty + 60
    window.document.undo_stack.undo()
    window.revalidate()
    assert not window.problems.tree.isVisible()
    assert window.problems.height() == empty


def test_card_tiles_never_overlap_even_with_long_titles_and_marks(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window("carousel_with_chips.json")
    carousel = window.document.message.content
    assert isinstance(carousel, m.Carousel)
    long = dataclasses.replace(
        carousel.cards[0],
        title="Shoe 1 with a very long title that cannot fit",
        media=m.Media(file=m.FileRef(file_url="http://x.test/a.jpg")),
    )
    window.document.set_message(
        dataclasses.replace(
            window.document.message,
            content=dataclasses.replace(carousel, cards=(long, *carousel.cards[1:])),
        ),
        "Long",
    )
    window.revalidate()
    strip = window.editor.carousel.strip
    rects = [strip.visualItemRect(strip.item(row)) for row in range(strip.count())]
    assert not strip.item(0).icon().isNull()  # the card's problem is marked on its tile
    for left, right in itertools.pairwise(rects):
        assert left.right() < right.left(), (left, right)


def test_a_card_after_a_carousel_keeps_its_own_spacing(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    card = window.editor.card

    def gap() -> int:
        return card.description.y() - (card.title.y() + card.title.height())

    settle(qtbot, window, SIZES[1])
    fresh = gap()
    window.editor.switch_kind(m.MessageKind.CAROUSEL)
    qtbot.wait(0)
    window.editor.switch_kind(m.MessageKind.RICH_CARD)
    qtbot.wait(0)
    assert gap() == fresh


@pytest.mark.parametrize(
    ("screen", "expected"),
    [
        (QSize(1920, 1080), QSize(1728, 972)),
        (QSize(1280, 720), QSize(1152, 648)),
        (QSize(1024, 600), QSize(922, 600)),
        (QSize(640, 480), QSize(800, 600)),  # never smaller than the window is laid out for
    ],
)
def test_a_first_start_opens_at_most_of_the_screen(screen: QSize, expected: QSize) -> None:
    assert fitting_size(screen) == expected
    assert fitting_size(screen).width() >= MIN_SIZE.width()


def test_the_template_dialog_keeps_its_width_when_the_name_is_explained(
    qtbot: QtBot, make_window: Make
) -> None:
    from rcs_composer.gui.template_dialog import NAME_HINT, TemplateDialog

    window = make_window()
    dialog = TemplateDialog(window.context, window.document.draft, "sandbox", window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    width = dialog.width()
    hint = dialog.name.fontMetrics().horizontalAdvance(NAME_HINT)
    assert dialog.name.width() >= hint + 16  # the hint shows whole, inside the frame
    qtbot.keyClicks(dialog.name, "not a valid name: spaces, colons and far too long")
    assert dialog.name_note.text()  # the note explains what is wrong
    layout = dialog.layout()
    assert layout is not None
    layout.activate()
    dialog.adjustSize()  # what a window manager does when the contents ask for more room
    assert dialog.width() == width


@pytest.mark.parametrize("sample", ["standalone_card.json", "carousel_with_chips.json"])
def test_the_editor_never_scrolls_sideways_even_at_800x600(
    qtbot: QtBot, make_window: Make, sample: str
) -> None:
    window = make_window(sample)
    window.docks.toggle_library(True)
    settle(qtbot, window, SIZES[0])
    scroller = window.editor_scroller
    assert window.width() == 800
    assert scroller.viewport().width() >= window.editor.minimumSizeHint().width()
    assert scroller.horizontalScrollBar().maximum() == 0


def test_suggestion_lists_are_as_tall_as_their_rows(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    chips, on_card = window.editor.chips, window.editor.card.suggestions
    assert not chips.slots() and not chips.list.isVisible()  # none: "+ Add" alone
    assert chips.add_button.isVisible()
    rows = len(on_card.slots())
    assert rows == 2 and on_card.list.isVisible()
    row = on_card.list.sizeHintForRow(0)
    assert on_card.list.height() <= rows * row + 2 * on_card.list.frameWidth() + 2
    on_card.add("Reply")
    assert on_card.list.height() > rows * row  # grew by a row


def test_the_window_opens_at_the_screen_size_then_where_it_was_left(
    qtbot: QtBot, make_window: Make
) -> None:
    first = make_window()
    screen = first.screen().availableGeometry().size()
    assert first.size() == fitting_size(screen)
    first.resize(QSize(790, 580))
    qtbot.waitUntil(lambda: first.size() == QSize(790, 580))
    first.close()  # the window keeps its geometry in the settings
    second = make_window()
    assert second.size() == QSize(790, 580)
