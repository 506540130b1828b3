"""Marks on fields as the user sees them: coloured outlines and counters, in both schemes,
put on and taken off, and drawn without a style sheet (which cost 1.5 MB once one field was
marked, and restyled the whole editor)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot

from rcs_composer.core import model as m
from rcs_composer.gui.account_selector import BANNER_DARK, BANNER_LIGHT
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.outline import (
    ERROR_COLOR,
    WARNING_COLOR,
    problem_icon,
    set_outline,
    set_tone,
)
from rcs_composer.gui.theme import apply_color_scheme
from rcs_composer.services.profiles import Profile, sandbox_profile


def edge_color(widget: QWidget) -> str:
    """The colour of the field's left edge, halfway down, as it is drawn."""
    image = widget.grab().toImage()
    return image.pixelColor(0, image.height() // 2).name().upper()


def load_card(qtbot: QtBot, window: MainWindow, card: m.CardContent) -> None:
    message = m.Message(content=m.RichCard(content=card))
    window.document.load(m.Draft(name="Offer", message=message))
    qtbot.waitUntil(lambda: window.document.message == message)


def test_an_error_is_outlined_red_and_the_outline_goes_when_it_is_fixed(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window("standalone_card.json")
    title = window.editor.card.title
    plain = edge_color(title.input)
    load_card(qtbot, window, m.CardContent(title="x" * 201, description="d"))
    qtbot.waitUntil(lambda: title.input.property("severity") == "error")
    assert edge_color(title.input) == ERROR_COLOR
    title.input.selectAll()
    qtbot.keyClicks(title.input, "Short")
    qtbot.waitUntil(lambda: title.input.property("severity") is None)
    assert edge_color(title.input) == plain


def test_the_outline_follows_the_field_as_the_window_resizes_and_lets_clicks_through(
    qtbot: QtBot,
) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.resize(200, 30)
    field.show()
    set_outline(field, WARNING_COLOR)
    field.resize(420, 40)
    qtbot.waitUntil(lambda: field.grab().toImage().width() == 420)
    image = field.grab().toImage()
    assert image.pixelColor(419, 20).name().upper() == WARNING_COLOR  # the new right edge
    assert image.pixelColor(210, 0).name().upper() == WARNING_COLOR  # the top, all along
    assert field.childAt(QPoint(2, 20)) is None  # a click on the border reaches the field


def test_an_outline_stays_above_what_the_field_makes_later(qtbot: QtBot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.resize(200, 30)
    field.show()
    set_outline(field, ERROR_COLOR)
    cover = QWidget(field)  # as a clear button or a scroll bar would be
    cover.setAutoFillBackground(True)
    cover.setGeometry(field.rect())
    cover.show()
    assert edge_color(field) == ERROR_COLOR
    set_outline(field, None)
    assert edge_color(field) != ERROR_COLOR


def test_counters_turn_amber_then_red_and_bold_then_plain_again(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window("standalone_card.json")
    title = window.editor.card.title
    plain = QLabel()
    title.input.selectAll()
    qtbot.keyClicks(title.input, "x" * 185)
    counter = title.counter
    assert counter.palette().color(QPalette.ColorRole.WindowText) == QColor(WARNING_COLOR)
    qtbot.keyClicks(title.input, "x" * 20)
    assert counter.palette().color(QPalette.ColorRole.WindowText) == QColor(ERROR_COLOR)
    assert counter.font().weight() == QFont.Weight.DemiBold
    title.input.selectAll()
    qtbot.keyClicks(title.input, "Short")
    assert counter.palette().color(QPalette.ColorRole.WindowText) == plain.palette().color(
        QPalette.ColorRole.WindowText
    )
    assert counter.font().weight() == plain.font().weight()


def test_a_toned_counter_keeps_its_tone_and_follows_the_scheme_for_the_rest(
    qtbot: QtBot,
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    field = QWidget()
    qtbot.addWidget(field)
    counter, plain = QLabel("205/200", field), QLabel("Title", field)
    field.show()
    set_tone(counter, ERROR_COLOR, bold=True)
    try:
        apply_color_scheme(app, Qt.ColorScheme.Dark)
        dark_window = plain.palette().color(QPalette.ColorRole.Window)
        assert counter.palette().color(QPalette.ColorRole.WindowText) == QColor(ERROR_COLOR)
        assert counter.palette().color(QPalette.ColorRole.Window) == dark_window
        set_tone(counter, None)
        assert counter.palette().color(QPalette.ColorRole.WindowText) == plain.palette().color(
            QPalette.ColorRole.WindowText
        )
    finally:
        apply_color_scheme(app, Qt.ColorScheme.Light)


def test_marking_every_kind_of_field_sets_no_style_sheet(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window("standalone_card.json")
    card = m.CardContent(
        title="x" * 201,
        description="{{name}} " + "d" * 1900,
        suggestions=(m.SuggestionSlot(m.Reply(text="Interested", postback_data="")),),
    )
    load_card(qtbot, window, card)
    qtbot.waitUntil(lambda: len(window.issues) >= 2)
    widgets = window.findChildren(QWidget)
    assert [w for w in widgets if w.property("severity")], "nothing was marked"
    assert [w.objectName() or type(w).__name__ for w in widgets if w.styleSheet()] == []


def test_the_sandbox_notice_is_blue_in_light_and_dark_windows(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window("standalone_card.json")
    notice = window.account.banner_bar.defaultWidget()
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    def background() -> str:
        return notice.grab().toImage().pixelColor(2, 2).name().upper()

    assert background() == BANNER_LIGHT[0]
    assert window.account.banner.palette().color(QPalette.ColorRole.WindowText) == QColor(
        BANNER_LIGHT[1]
    )
    try:
        apply_color_scheme(app, Qt.ColorScheme.Dark)
        qtbot.waitUntil(lambda: background() == BANNER_DARK[0])
        window.account.banner_bar.setVisible(False)  # a real account chosen meanwhile
        apply_color_scheme(app, Qt.ColorScheme.Light)
        window.account.banner_bar.setVisible(True)  # back on the sandbox
        qtbot.waitUntil(lambda: background() == BANNER_LIGHT[0])
    finally:
        apply_color_scheme(app, Qt.ColorScheme.Light)


def test_a_real_account_is_named_in_red_with_the_selector_outlined(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window("standalone_card.json")
    account = window.account
    real = Profile(name="acme", sid="SID1", sender="acme-agent", agent_name="Acme")
    account.show_profiles([sandbox_profile(), real])
    account.box.setCurrentIndex(account.box.findData("acme"))
    assert "REAL Kaleyra account" in account.label.text()
    assert account.label.palette().color(QPalette.ColorRole.WindowText) == QColor(ERROR_COLOR)
    assert account.label.font().weight() == QFont.Weight.DemiBold
    assert edge_color(account.box) == ERROR_COLOR
    account.box.setCurrentIndex(account.box.findData("sandbox"))
    assert edge_color(account.box) != ERROR_COLOR
    assert account.label.font().weight() == QLabel().font().weight()


def test_a_suggestion_row_with_a_problem_shows_a_red_or_amber_mark(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window("standalone_card.json")
    card = m.CardContent(
        title="Offer",
        description="d",
        suggestions=(
            m.SuggestionSlot(m.Reply(text="Interested", postback_data="")),
            m.SuggestionSlot(m.Reply(text="Fine", postback_data="ok")),
        ),
    )
    load_card(qtbot, window, card)
    rows = window.editor.card.suggestions.list
    qtbot.waitUntil(lambda: not rows.item(0).icon().isNull())
    assert rows.item(1).icon().isNull()
    for error, color in ((True, ERROR_COLOR), (False, WARNING_COLOR)):
        image = problem_icon(error).pixmap(32, 32).toImage()
        middle_left = image.pixelColor(6, 22).name().upper()  # beside the white "!"
        assert middle_left == color, (error, middle_left)


def test_the_problems_columns_fit_their_fields_and_the_problem_takes_the_rest(
    qtbot: QtBot, make_window: Callable[..., MainWindow]
) -> None:
    window = make_window("standalone_card.json")
    window.resize(1100, 760)
    tree = window.problems.tree
    load_card(qtbot, window, m.CardContent(title="x" * 201, description="d"))
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1)
    short = tree.columnWidth(1)
    card = m.CardContent(
        title="Offer",
        description="d",
        suggestions=(m.SuggestionSlot(m.Reply(text="Interested", postback_data="")),),
    )
    load_card(qtbot, window, card)
    qtbot.waitUntil(lambda: tree.topLevelItemCount() == 1 and "Suggestion" in field_of(tree))
    label = field_of(tree)
    assert tree.columnWidth(1) > short  # fitted again to the longer field
    assert tree.columnWidth(1) >= tree.fontMetrics().horizontalAdvance(label)
    qtbot.waitUntil(lambda: tree.viewport().width() > 0)
    widths = sum(tree.columnWidth(column) for column in range(3))
    assert widths >= tree.viewport().width() - 1  # the problem column reaches the edge


def field_of(tree: QTreeWidget) -> str:
    item = tree.topLevelItem(0)
    return item.text(1) if item is not None else ""
