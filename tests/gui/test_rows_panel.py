"""The rows table in the window: load a file, step through rows, the preview follows."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDockWidget

from rcs_composer.app.rows import Status
from rcs_composer.gui.widgets import find_menu
from tests.support.real_account import add_real_account


def title_shown(window: object) -> str:
    preview = window.preview_pane.preview  # type: ignore[attr-defined]
    return next(item.text for item in preview.layout_.items if item.kind == "title")


def write_rows(path: Path, count: int) -> Path:
    lines = ["customerName,consumerNo,billAmount,dueDate,phone"]
    for index in range(count):
        lines.append(
            f'Customer {index},{1000 + index},"₹{index},000",{index % 28 + 1} Dec,+91 98765 {index:05d}'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_rows(qtbot: object, window: object, path: Path) -> object:
    panel = window.rows_panel  # type: ignore[attr-defined]
    window.rows_panel.dock.show()  # type: ignore[attr-defined]
    with qtbot.waitSignal(panel.validated, timeout=20_000):  # type: ignore[attr-defined]
        panel.open_file(path)
    return panel


def test_view_rows_opens_the_panel_built_on_first_use_and_closes_it(
    qtbot: object, make_window: object
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    assert window.findChild(QDockWidget, "rows-dock") is None  # the first paint did without it

    def entries() -> list[object]:
        menu = find_menu(window, "View")
        assert menu is not None
        return [a for a in menu.actions() if a.text() == "&Rows from a file"]

    assert [a.shortcut().toString() for a in entries()] == ["Ctrl+Shift+R"]
    entries()[0].trigger()  # type: ignore[attr-defined]
    dock = window.findChild(QDockWidget, "rows-dock")
    assert dock is not None
    qtbot.waitUntil(dock.isVisible)  # type: ignore[attr-defined]
    assert entries() == [dock.toggleViewAction()]  # one entry, one shortcut, now the dock's
    assert [a.shortcut().toString() for a in entries()] == ["Ctrl+Shift+R"]
    assert window.rows_panel.summary.isVisible()
    entries()[0].trigger()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dock.isVisible())  # type: ignore[attr-defined]


def test_a_thousand_rows_step_by_keyboard_and_the_preview_follows(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, write_rows(tmp_path / "customers.csv", 1000))
    assert panel.model.rowCount() == 1000
    assert "1,000 rows: 1,000 ok, 0 warnings, 0 errors" in panel.summary.text()
    assert title_shown(window) == "Hello Customer 0, your bill is ready"
    panel.view.setFocus()
    before = window.preview_pane.preview.grab().toImage()
    for expected in range(1, 6):
        QTest.keyClick(panel.view, Qt.Key.Key_Down)
        assert title_shown(window) == f"Hello Customer {expected}, your bill is ready"
        assert panel.current_row().number == expected + 2  # the header is row 1
    qtbot.waitUntil(lambda: window.preview_pane.preview.grab().toImage() != before)  # type: ignore[attr-defined]
    QTest.keyClick(panel.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert title_shown(window) == "Hello Customer 999, your bill is ready"


def test_rows_with_problems_are_filtered_and_an_empty_cell_shows_its_braces(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    path = tmp_path / "rows.csv"
    long_name = "N" * 190
    path.write_text(
        "customerName,consumerNo,billAmount,dueDate\n"
        "Asha,1,₹5,1 Dec\n"
        ",2,₹6,2 Dec\n"
        f"{long_name},3,₹7,3 Dec\n",
        encoding="utf-8",
    )
    panel = open_rows(qtbot, window, path)
    assert panel.report.results[0].status is Status.OK
    assert panel.report.results[1].status is Status.ERROR
    assert panel.report.results[2].status is Status.ERROR
    panel.only_problems.setChecked(True)
    assert panel.model.rowCount() == 2
    panel.view.setCurrentIndex(panel.model.index(0, 0))
    assert panel.current_row().number == 3
    assert title_shown(window) == "Hello {{customerName}}, your bill is ready"
    assert "empty" in panel.model.index(0, 2).data()


def test_editing_the_message_revalidates_the_rows(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:

    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, write_rows(tmp_path / "rows.csv", 10))
    assert not panel.report.has_errors
    message = window.document.message
    card = message.content
    content = dataclasses.replace(card.content, title="{{customerName}} " + "x" * 195)
    with qtbot.waitSignal(panel.validated, timeout=20_000):
        window.document.set_message(
            dataclasses.replace(message, content=dataclasses.replace(card, content=content)),
            "Edit title",
        )
    assert panel.report.count(Status.ERROR) == 10
    assert title_shown(window).startswith("Customer 0 xxx")


def test_an_unreadable_file_is_a_sentence_not_a_crash(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = window.rows_panel
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    panel.open_file(path)
    qtbot.waitUntil(lambda: "not a text file" in panel.summary.text(), timeout=10_000)
    assert panel.open_button.isEnabled()


@pytest.mark.parametrize("count", [3])
def test_problems_export_and_contact_sheet_are_written(
    qtbot: object, make_window: object, tmp_path: Path, count: int
) -> None:
    from PySide6.QtGui import QImage

    window = make_window("template_with_variables.json")  # type: ignore[operator]
    path = tmp_path / "rows.csv"
    path.write_text(
        'customerName,consumerNo,billAmount,dueDate\n=HYPERLINK("http://x"),1,₹5,\n',
        encoding="utf-8",
    )
    panel = open_rows(qtbot, window, path)
    out = tmp_path / "problems.csv"
    panel.write_problems(out)
    qtbot.waitUntil(out.exists, timeout=10_000)
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("row,field,message,severity,code")
    assert ",=" not in text and "\n=" not in text
    panel.select_numbers([2])
    sheet = tmp_path / "sheet.png"
    pages = panel.write_sheets(sheet, [2])
    assert pages == [sheet]
    qtbot.waitUntil(sheet.exists, timeout=10_000)
    image = QImage(str(sheet))
    assert image.width() > 300 and image.height() > 400


def test_selected_rows_are_test_sent_each_with_its_own_values(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json", sandbox=True)  # type: ignore[operator]
    qtbot.waitUntil(lambda: window.context.sandbox is not None, timeout=5000)
    panel = open_rows(qtbot, window, write_rows(tmp_path / "rows.csv", 30))
    panel.select_numbers([2, 5])
    assert panel.send_button.isEnabled()
    panel.send_selected()
    dialog = panel.dialogs["send"]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    assert "not for campaigns" in " ".join(
        label.text() for label in dialog.findChildren(type(panel.summary))
    )
    assert not dialog.variable_fields  # each row brings its own values
    sent_json = dialog.json_view.toPlainText()
    assert "Hello Customer 0," in sent_json and "Hello Customer 3," in sent_json
    assert dialog.send_button.isEnabled(), dialog.send_button.toolTip()
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        dialog.send_button.click()
        dialog.send_button.click()  # a double click sends once
    assert sorted(dialog.message_ids) == ["919876500000", "919876500003"]
    assert window.context.sandbox.send_count == 2


def test_twenty_one_rows_are_refused_in_the_dialog(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json", sandbox=True)  # type: ignore[operator]
    panel = open_rows(qtbot, window, write_rows(tmp_path / "rows.csv", 30))
    panel.select_numbers(list(range(2, 23)))
    panel.send_selected()
    dialog = panel.dialogs["send"]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    assert not dialog.send_button.isEnabled()
    assert "at most 20" in dialog.send_button.toolTip()


def test_a_carousel_card_the_row_makes_too_tall_is_a_warning(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    from rcs_composer.core import model as m

    window = make_window("carousel_with_chips.json")  # type: ignore[operator]
    message = window.document.message
    carousel = message.content
    assert isinstance(carousel, m.Carousel)
    first = dataclasses.replace(carousel.cards[0], description="{{note}}")
    content = dataclasses.replace(carousel, cards=(first, *carousel.cards[1:]))
    window.document.set_message(dataclasses.replace(message, content=content), "Note")
    path = tmp_path / "rows.csv"
    path.write_text(f"note\nShort\n{'A long line of text. ' * 80}\n", encoding="utf-8")
    panel = open_rows(qtbot, window, path)
    codes = [[p.code for p in result.problems] for result in panel.report.results]
    assert "row.card.cut" not in codes[0]
    assert "row.card.cut" in codes[1]
    panel.view.setCurrentIndex(panel.model.index(1, 0))
    assert window.preview_pane.preview.layout_.cut_cards == [0]  # the preview shows the cut


def test_the_mapping_editor_fills_a_variable_from_another_column(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    path = tmp_path / "rows.csv"
    path.write_text("Customer Name,consumerNo,billAmount,due\nAsha,1,₹5,1 Dec\n", encoding="utf-8")
    panel = open_rows(qtbot, window, path)
    assert panel.report.count(Status.ERROR) == 1  # no column is named dueDate
    assert "No column for {{dueDate}}" in panel.summary.text()
    panel.edit_mapping()
    dialog = panel.dialogs["mapping"]
    box = dialog.choices["dueDate"]
    box.setCurrentIndex(box.findText("D: due"))
    with qtbot.waitSignal(panel.validated, timeout=10_000):
        dialog.accept()
    assert panel.report.count(Status.OK) == 1
    assert "30 Nov" not in str(window.preview_pane.preview.layout_.items)
    assert any("1 Dec" in item.text for item in window.preview_pane.preview.layout_.items)


def test_cancel_stops_a_load_and_the_window_says_so(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = window.rows_panel
    path = write_rows(tmp_path / "rows.csv", 50_000)
    panel.open_file(path)
    assert panel.cancel_button.isVisibleTo(panel)
    panel.cancel()
    qtbot.waitUntil(lambda: "Stopped" in panel.summary.text(), timeout=20_000)
    assert panel.open_button.isEnabled()


def test_closing_the_rows_puts_the_sample_values_back_in_the_preview(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, write_rows(tmp_path / "rows.csv", 3))
    assert title_shown(window) == "Hello Customer 0, your bill is ready"
    panel.close_button.click()
    assert title_shown(window) == "Hello Asha, your bill is ready"
    assert panel.model.rowCount() == 0 and not panel.close_button.isEnabled()


def test_the_contact_sheet_waits_for_each_rows_own_image(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    from PySide6.QtGui import QColor, QImage

    from rcs_composer.core import model as m
    from tests.gui.imageserver import ImageServer

    window = make_window("standalone_card.json")  # type: ignore[operator]
    message = window.document.message
    card = message.content
    assert isinstance(card, m.RichCard)
    media = m.Media(height=m.MediaHeight.MEDIUM, file=m.FileRef(file_url="{{image}}"))
    content = dataclasses.replace(card.content, media=media)
    window.document.set_message(
        dataclasses.replace(message, content=dataclasses.replace(card, content=content)), "Media"
    )
    with ImageServer(delay=0.2) as images:
        path = tmp_path / "rows.csv"
        path.write_text(
            f"image\n{images.url('/red.png')}\n{images.url('/green.png')}\n", encoding="utf-8"
        )
        panel = open_rows(qtbot, window, path)
        sheet = tmp_path / "sheet.png"
        assert panel.write_sheets(sheet, [2, 3]) == [sheet]
        qtbot.waitUntil(sheet.exists, timeout=20_000)
    image = QImage(str(sheet))
    colours = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 7)
    }
    assert "#dc1e1e" in colours and "#1ec83c" in colours  # each row's own picture


def test_an_excel_workbook_loads_like_a_csv(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (
        ["customerName", "consumerNo", "billAmount", "dueDate", "mobile"],
        ["Zoë", 1029, "₹5", "1 Dec", 919876543210],
    ):
        sheet.append(row)
    path = tmp_path / "contacts.xlsx"
    book.save(path)
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, path)
    assert "Excel sheet" in panel.summary.text()
    assert "1 row: 1 ok" in panel.summary.text()
    assert title_shown(window) == "Hello Zoë, your bill is ready"


def test_rows_through_a_real_account_ask_once_and_no_sends_nothing(
    qtbot: object, make_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.support.faulty_sandbox import FaultySandbox

    key = "rows-send-key-7a1f-UNIQUE"
    asked: list[str] = []
    answers = [False, True]

    def question(_parent: object, title: str, text: str, *_a: object) -> object:
        asked.append(f"{title}: {text}")
        yes = answers.pop(0)
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    with FaultySandbox(api_key=key) as server:
        window = make_window("template_with_variables.json")  # type: ignore[operator]
        add_real_account(window.context, server.url, key)
        panel = open_rows(qtbot, window, write_rows(tmp_path / "rows.csv", 5))
        panel.profile_name = lambda: "acme"
        panel.select_numbers([2, 3, 4])
        panel.send_selected()
        dialog = panel.dialogs["send"]
        qtbot.addWidget(dialog)
        qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
        dialog.send_button.click()
        assert window.context.runner.drain(5000)
        assert server.send_count == 0  # "no" to the real account sent nothing
        assert "real RCS message to 3 numbers" in asked[0] and "“acme”" in asked[0]
        dialog.send_button.click()
        dialog.send_button.click()  # clicked again while it is out: nothing more
        qtbot.waitUntil(lambda: len(dialog.message_ids) == 3, timeout=10_000)
        assert window.context.runner.drain(5000)
        assert server.send_count == 3  # one message per row, each once
        assert len(asked) == 2


def test_after_a_dropped_connection_send_again_sends_only_the_rows_not_yet_sent(
    qtbot: object, make_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from rcs_composer.app.services import Services
    from tests.support.faulty_sandbox import Faults, FaultySandbox

    class DropsTheSecondSend(FaultySandbox):
        """Handles the second request, then closes the connection without answering."""

        answered = 0

        def answer_instead(self, handler: object) -> bool:
            self.answered += 1
            if self.answered == 2:
                self.set_faults(Faults(drop=True, remaining=1))
            return super().answer_instead(handler)

    asked: list[str] = []
    answers = [False, True]

    def question(_parent: object, title: str, text: str, *_a: object) -> object:
        asked.append(title)
        return QMessageBox.StandardButton.Yes if answers.pop(0) else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    services = Services(sandbox_factory=DropsTheSecondSend)
    window = make_window("template_with_variables.json", sandbox=True, services=services)  # type: ignore[operator]
    qtbot.waitUntil(lambda: window.context.sandbox is not None, timeout=5000)
    panel = open_rows(qtbot, window, write_rows(tmp_path / "rows.csv", 5))
    panel.select_numbers([2, 3, 4])
    panel.send_selected()
    dialog = panel.dialogs["send"]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    sandbox = window.context.sandbox
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        dialog.send_button.click()
    assert sandbox.send_count == 2  # row 2 answered, row 3 handled but never answered
    status = dialog.status.text()
    assert status.startswith("⚠") and "✔" not in status
    assert "row 3" in status and "may have arrived" in status
    assert dialog.outcome_unknown
    assert dialog.send_button.text().replace("&", "") == "Send again…"
    listed = {
        dialog.recipient_list.item(i, 0).text(): dialog.recipient_list.item(i, 2).text()
        for i in range(dialog.recipient_list.rowCount())
    }
    assert listed["row 2: +91 98765 00000"] == "✔ sent"
    assert "row 2" not in dialog.json_view.toPlainText()  # it left the batch
    dialog.send_button.click()  # asked "Send again?": no
    assert asked == ["Send again?"]
    assert window.context.runner.drain(5000)
    assert sandbox.send_count == 2
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        dialog.send_button.click()  # yes: rows 3 and 4, never row 2 again
    assert asked == ["Send again?", "Send again?"]
    assert sandbox.send_count == 4
    assert not dialog.outcome_unknown
    assert sorted(dialog.message_ids) == ["919876500000", "919876500001", "919876500002"]
    assert not dialog.send_button.isEnabled()  # every row went out: nothing left to send
    assert "Every selected row has been sent" in dialog.send_button.toolTip()


def test_the_contact_sheet_is_capped_drawn_page_by_page_and_encoded_off_the_gui_thread(
    qtbot: object, make_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from PySide6.QtCore import QTimer

    from rcs_composer.gui import rows_sheet

    monkeypatch.setattr(rows_sheet, "MAX_SHEET_ROWS", 24)  # 2 pages, as 240 would be 20
    encoded_on: list[str] = []
    drawn_at: list[int] = []
    png_bytes, contact_sheet = rows_sheet.png_bytes, rows_sheet.contact_sheet

    def recording_png(image: object) -> bytes:
        encoded_on.append(threading.current_thread().name)
        return png_bytes(image)  # type: ignore[arg-type]

    ticks = [0]

    def recording_sheet(*args: object) -> object:
        drawn_at.append(ticks[0])
        return contact_sheet(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(rows_sheet, "png_bytes", recording_png)
    monkeypatch.setattr(rows_sheet, "contact_sheet", recording_sheet)
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, write_rows(tmp_path / "rows.csv", 40))
    timer = QTimer(panel)
    timer.setInterval(0)
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start()
    with qtbot.waitSignal(panel.sheet_written, timeout=20_000) as done:
        pages = panel.write_sheets(tmp_path / "sheet.png", list(range(2, 42)))
        assert panel.progress.isVisible()
    timer.stop()
    assert [page.name for page in pages] == ["sheet-1.png", "sheet-2.png"]
    assert all(page.exists() for page in pages)
    assert "40 rows were selected" in done.args[0] and "the first 24" in done.args[0]
    assert threading.main_thread().name not in encoded_on and len(encoded_on) == 2
    assert drawn_at[1] > drawn_at[0]  # the window's event loop ran between the pages
    assert not panel.progress.isVisible()


def test_problems_name_fields_as_people_do_and_the_preview_says_which_row_it_shows(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    path = tmp_path / "rows.csv"
    path.write_text(
        f"customerName,consumerNo,billAmount,dueDate\nAsha,1,₹5,1 Dec\n{'N' * 195},2,₹6,2 Dec\n",
        encoding="utf-8",
    )
    panel = open_rows(qtbot, window, path)
    tip = panel.model.index(1, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Card > Title: ") and "$." not in tip
    assert panel.showing.text() == "The preview shows row 2 (data row 1 of 2) of rows.csv."
    QTest.keyClick(panel.view, Qt.Key.Key_Down)
    assert "row 3 (data row 2 of 2)" in panel.showing.text()
    box = panel.variables_box
    assert box is not None and "the preview shows row 3" in box.title()
    panel.close_rows()
    assert "sample values" in box.title() and not panel.showing.isVisible()


def test_a_design_wide_warning_is_said_once_and_rows_stay_ok(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    from rcs_composer.core import model as m

    window = make_window("template_with_variables.json")  # type: ignore[operator]
    message = window.document.message
    aligned = dataclasses.replace(message.content, thumbnail_alignment=m.ThumbnailAlignment.LEFT)
    window.document.set_message(dataclasses.replace(message, content=aligned), "Align")
    panel = open_rows(qtbot, window, write_rows(tmp_path / "rows.csv", 3))
    text = panel.summary.text()
    assert "3 rows: 3 ok, 0 warnings, 0 errors" in text
    assert "The design itself (every row): 1 warning: Card > Thumbnail" in text


def test_rows_without_a_number_are_named_in_the_send_dialog(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json", sandbox=True)  # type: ignore[operator]
    path = tmp_path / "rows.csv"
    lines = ["customerName,consumerNo,billAmount,dueDate,phone"]
    for index in range(8):
        phone = "" if index in (2, 5, 7) else f"+91 98765 {index:05d}"
        lines.append(f"Person {index},{index},₹5,1 Dec,{phone}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    panel = open_rows(qtbot, window, path)
    panel.select_numbers([2, 3, 4, 7, 9])
    panel.send_selected()
    dialog = panel.dialogs["send"]
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)
    note = dialog.recipient_note.text()
    assert note.startswith("Rows 4, 7 and 9 have no recipient number.")
    assert "3 rows cannot be sent (see Why), so Send is off" in note and "No number" not in note
    assert not dialog.send_button.isEnabled()
