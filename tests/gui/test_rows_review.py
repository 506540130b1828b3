"""The rows panel, from the hostile review: a read that blocks, the preview after an edit,
the selection with the filter on, the sheet of a workbook."""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from rcs_composer.gui import rows_panel
from tests.gui.test_rows_panel import open_rows, title_shown
from tests.support.workbooks import workbook

ROWS = (
    "customerName,consumerNo,billAmount,dueDate,city,phone\n"
    "Asha,1,10,1 Dec,Pune,+919876543210\n"
    "Bob,2,20,2 Dec,Goa,+919876543211\n"
)


def rows_file(tmp_path: Path, text: str = ROWS, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def edit_title(window: object, title: str) -> None:
    document = window.document  # type: ignore[attr-defined]
    message = document.message
    card = message.content
    content = dataclasses.replace(card.content, title=title)
    document.set_message(
        dataclasses.replace(message, content=dataclasses.replace(card, content=content)),
        "Edit title",
    )


# ---------------------------------------------------------------- a read that blocks


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_cancel_frees_the_panel_from_a_pipe_whose_writer_says_nothing(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)  # open for writing, silent
    try:
        window = make_window("template_with_variables.json")  # type: ignore[operator]
        panel = window.rows_panel
        panel.dock.show()
        panel.open_file(fifo)
        assert panel.summary.text() == "Reading pipe.csv…"
        assert not panel.open_button.isEnabled()
        panel.cancel_button.click()
        qtbot.waitUntil(panel.open_button.isEnabled)  # type: ignore[attr-defined]
        assert panel.summary.text() == "Stopped reading pipe.csv."
        assert not panel.cancel_button.isVisible()
        assert window.context.runner.drain(10_000)  # the reader itself stopped, too
        open_rows(qtbot, window, rows_file(tmp_path))
        assert "2 rows: 2 ok" in panel.summary.text()
    finally:
        os.close(writer)


def test_cancel_lets_go_of_a_read_the_system_blocks_and_drops_what_it_brings_later(
    qtbot: object, make_window: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file on a share that stopped answering: its read cannot be interrupted, so Cancel
    stops waiting for it, and the rows it brings back later are not shown over the next file."""
    stalled = threading.Event()
    real_load = rows_panel.load_row_file
    late = rows_file(tmp_path, ROWS.replace("Asha", "Late"), "late.csv")

    def load(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "share.csv":
            stalled.wait(60)  # the system's read, which no cancel reaches
            path = late
        return real_load(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(rows_panel, "load_row_file", load)
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = window.rows_panel
    panel.dock.show()
    try:
        panel.open_file(tmp_path / "share.csv")
        panel.cancel_button.click()
        assert panel.open_button.isEnabled()
        assert panel.summary.text() == "Stopped reading share.csv."
        open_rows(qtbot, window, rows_file(tmp_path))
    finally:
        stalled.set()
    assert window.context.runner.drain(10_000)
    QCoreApplication.processEvents()  # the late result arrives: it must be dropped
    assert [row.cells[0] for row in panel.table.rows] == ["Asha", "Bob"]
    assert panel.table.source == "rows.csv"
    assert title_shown(window) == "Hello Asha, your bill is ready"


# ---------------------------------------------------------------- the preview after an edit


def test_a_variable_the_edit_adds_shows_the_rows_value_in_the_preview(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, rows_file(tmp_path))
    with qtbot.waitSignal(panel.validated, timeout=20_000):  # type: ignore[attr-defined]
        edit_title(window, "Hello {{city}} friend")
        assert title_shown(window) == "Hello Pune friend"  # at once, before the checks end
    assert panel.report.results[0].status.value == "ok"
    assert title_shown(window) == "Hello Pune friend"
    panel.mapping = panel.mapping.with_variable("city", None)  # as if the checks unmapped it
    with qtbot.waitSignal(panel.validated, timeout=20_000):  # type: ignore[attr-defined]
        panel.revalidate()
    assert title_shown(window) == "Hello {{city}} friend"  # the preview follows the results


# ---------------------------------------------------------------- the sheet of a workbook


BILL = ["customerName", "consumerNo", "billAmount", "dueDate", "phone"]


def test_the_visible_sheet_is_read_not_a_hidden_first_one_and_another_can_be_chosen(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "contacts.xlsx",
        [
            ("Old", [BILL, ["Stale", 9, 99, "1 Jan", "+919876543299"]], "hidden"),
            ("Contacts", [BILL, ["Asha", 1, 10, "1 Dec", "+919876543210"]], "visible"),
        ],
        active=1,
    )
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, path)
    assert title_shown(window) == "Hello Asha, your bill is ready"
    summary = panel.summary.text()
    assert "Excel sheet “Contacts” (the one the workbook opens on, of 2 sheets)" in summary
    assert "the workbook also has “Old” (hidden)" in summary
    assert panel.sheet_box.isVisible()
    items = [panel.sheet_box.itemText(i) for i in range(panel.sheet_box.count())]
    assert items == ["Old (hidden)", "Contacts"]
    assert panel.sheet_box.currentText() == "Contacts"
    with qtbot.waitSignal(panel.validated, timeout=20_000):  # type: ignore[attr-defined]
        panel.sheet_box.activated.emit(0)  # as a user's choice in the list
    assert title_shown(window) == "Hello Stale, your bill is ready"
    assert panel.sheet_box.currentText() == "Old (hidden)"
    assert "Excel sheet “Old” (the one chosen, of 2 sheets)" in panel.summary.text()


def test_an_instructions_sheet_without_rows_names_the_sheet_that_has_them(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    path = workbook(
        tmp_path / "contacts.xlsx",
        [
            ("Instructions", [["Fill in the Contacts sheet"]], "visible"),
            ("Contacts", [BILL, ["Asha", 1, 10, "1 Dec", "+919876543210"]], "visible"),
        ],
        active=0,
    )
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, path)
    assert (
        "Sheet “Instructions” has a header but no data rows: row 1 names the columns. "
        "Sheet “Contacts” has rows: choose it to read them." in panel.summary.text()
    )
    with qtbot.waitSignal(panel.validated, timeout=20_000):  # type: ignore[attr-defined]
        panel.sheet_box.activated.emit(1)
    assert title_shown(window) == "Hello Asha, your bill is ready"


def test_a_csv_file_shows_no_sheet_list(qtbot: object, make_window: object, tmp_path: Path) -> None:
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, rows_file(tmp_path))
    assert not panel.sheet_box.isVisible()


# ---------------------------------------------------------------- a batch refused at once


def test_the_send_dialog_names_the_row_a_refused_batch_stopped_at(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    from tests.support.faulty_sandbox import Faults

    window = make_window("template_with_variables.json", sandbox=True)  # type: ignore[operator]
    qtbot.waitUntil(lambda: window.context.sandbox is not None, timeout=5000)  # type: ignore[attr-defined]
    panel = open_rows(qtbot, window, rows_file(tmp_path))
    panel.select_numbers([2, 3])
    panel.send_selected()
    dialog = panel.dialogs["send"]
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    qtbot.waitUntil(dialog.profile_box.isEnabled, timeout=5000)  # type: ignore[attr-defined]
    window.context.sandbox.set_faults(Faults(status=400, remaining=1))
    dialog.send_button.click()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("✖"), timeout=10_000)  # type: ignore[attr-defined]
    assert dialog.status.text().startswith(
        "✖ Not sent: row 2 (919876543210): Kaleyra refused the request (HTTP 400)"
    )
    assert "Not tried after it: row 3." in dialog.status.text()


# ---------------------------------------------------------------- the selection


def test_the_selection_stays_across_a_recheck_with_only_rows_with_problems_shown(
    qtbot: object, make_window: object, tmp_path: Path
) -> None:
    lines = ["customerName,consumerNo,billAmount,dueDate,phone"]
    for index in range(10):  # odd rows have no number: a warning each
        phone = "" if index % 2 else f"+91987654320{index}"
        lines.append(f"C{index},{index},10,1 Dec,{phone}")
    window = make_window("template_with_variables.json")  # type: ignore[operator]
    panel = open_rows(qtbot, window, rows_file(tmp_path, "\n".join(lines) + "\n"))
    panel.only_problems.setChecked(True)
    panel.select_numbers([3, 5, 7])
    assert panel.selected_numbers() == [3, 5, 7]
    with qtbot.waitSignal(panel.validated, timeout=20_000):  # type: ignore[attr-defined]
        edit_title(window, "Hi {{customerName}}!")
    assert panel.selected_numbers() == [3, 5, 7]
    assert panel.sheet_button.isEnabled()
    panel.only_problems.setChecked(False)  # every row again: the same rows selected
    assert panel.selected_numbers() == [3, 5, 7]
    panel.select_numbers([2, 3, 4, 5])
    panel.only_problems.setChecked(True)  # rows 2 and 4 are ok: the filter hides them
    assert panel.selected_numbers() == [3, 5]
