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

    def load(path: Path, *args: object) -> object:
        if path.name == "share.csv":
            stalled.wait(60)  # the system's read, which no cancel reaches
            return real_load(late, *args)  # type: ignore[arg-type]
        return real_load(path, *args)  # type: ignore[arg-type]

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
