"""Reading rows files, from the hostile review: pipes that stall, sheets, cell formats,
stray bytes, quoted lines and the sentences for damaged files."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from rcs_composer.services.row_files import LoadCancelled, RowFileError, read_rows
from tests.support.workbooks import workbook

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def write(tmp_path: Path, data: bytes, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- a read that blocks


@needs_fifo
def test_a_pipe_whose_writer_says_nothing_stops_when_the_user_cancels(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)  # a writer that keeps the pipe open and writes nothing
    stop = threading.Event()
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            read_rows(fifo, cancelled=stop.is_set)
        except BaseException as exc:  # what the load ended in is the point
            outcome.append(exc)

    reader = threading.Thread(target=load, daemon=True)
    try:
        reader.start()
        stop.set()
        reader.join(30)  # a guard against a hang, not a timing: it ends once it asks
        assert not reader.is_alive(), "the read went on waiting for the pipe"
    finally:
        os.close(writer)  # the old reader ends here, at the pipe's end
        reader.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], LoadCancelled)


@needs_fifo
def test_a_pipe_is_still_read_to_its_end(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)
    keeper = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the pipe lives until the reader opens
    os.write(writer, b"name,phone\nAsha,+919876543210\n")
    done: list[object] = []
    reader = threading.Thread(target=lambda: done.append(read_rows(fifo)), daemon=True)
    reader.start()
    os.write(writer, b"Ravi,+919876543211\n")  # more after a pause, then the end
    os.close(writer)
    reader.join(30)
    os.close(keeper)
    assert [row.cells[0] for row in done[0].rows] == ["Asha", "Ravi"]  # type: ignore[attr-defined]


@needs_fifo
def test_a_pipe_nobody_writes_to_reads_as_empty(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(RowFileError, match=r"pipe\.csv is empty"):
        read_rows(fifo)


# ---------------------------------------------------------------- which sheet


NAMES = [["name", "phone"], ["Asha", "+919876543210"]]
OLD = [["name", "phone"], ["Stale", "+919876543299"]]


def test_a_hidden_first_sheet_is_passed_over_for_the_active_visible_one(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "b.xlsx", [("Old", OLD, "hidden"), ("Contacts", NAMES, "visible")], 1
    )
    table = read_rows(path)
    assert table.sheet == "Contacts"
    assert [row.cells[0] for row in table.rows] == ["Asha"]
    assert [(sheet.name, sheet.hidden) for sheet in table.sheets] == [
        ("Old", True),
        ("Contacts", False),
    ]
    notes = [problem.message for problem in table.problems]
    assert notes == [
        "Rows are read from sheet “Contacts” (the one the workbook opens on); the workbook "
        "also has “Old” (hidden): choose a sheet to read another."
    ]


def test_a_hidden_active_sheet_gives_way_to_the_first_visible_one(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "b.xlsx",
        [("Old", OLD, "visible"), ("Notes", OLD, "hidden"), ("Contacts", NAMES, "visible")],
        0,
    )
    # The active sheet hidden afterwards (Excel keeps the tab it was on): the first visible.
    openpyxl = pytest.importorskip("openpyxl")
    edited = openpyxl.load_workbook(path)
    edited.active = 1
    edited.worksheets[0].sheet_state = "hidden"
    edited.save(path)
    table = read_rows(path)
    assert table.sheet == "Contacts"
    assert "(the first visible one, of 3 sheets)" in table.description


def test_a_sheet_is_read_by_its_name_and_an_empty_one_names_the_sheet_with_rows(
    tmp_path: Path,
) -> None:
    path = workbook(
        tmp_path / "b.xlsx", [("Blank", [], "visible"), ("Contacts", NAMES, "visible")], 0
    )
    with pytest.raises(
        RowFileError, match=r"b\.xlsx: sheet “Blank” is empty\. Sheet “Contacts” has rows"
    ):
        read_rows(path)
    assert read_rows(path, sheet="CONTACTS").sheet == "Contacts"


# ---------------------------------------------------------------- cells as a person reads them


def test_excel_cells_read_as_their_number_format_shows_them(tmp_path: Path) -> None:
    import datetime

    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header = ["due", "due_iso", "when", "at", "share", "price", "third", "count", "code", "us"]
    values: list[object] = [
        datetime.date(2026, 12, 5),
        datetime.date(2026, 12, 5),
        datetime.datetime(2026, 12, 5, 14, 5),
        datetime.time(9, 5),
        0.15,
        1234.5,
        1 / 3,
        1234567,
        7,
        5551234567,
    ]
    formats = [
        "DD/MM/YYYY",
        "yyyy-mm-dd",
        "d mmm yyyy, h:mm AM/PM",
        "h:mm",
        "0%",
        '"₹"#,##0.00',
        "0.00",
        "#,##0",
        "000",
        "000-000-0000",
    ]
    sheet.append(header)
    sheet.append(values)
    for column, number_format in enumerate(formats, start=1):
        sheet.cell(row=2, column=column).number_format = number_format
    sheet.append([datetime.datetime(2026, 12, 5), None, None, None, -0.5, -3, 0.1 + 0.2])
    sheet["A3"].number_format = "mm-dd-yy"  # Excel's short date: the computer's own order
    sheet["E3"].number_format = "0.0%"
    sheet["F3"].number_format = "#,##0.00;(#,##0.00)"
    path = tmp_path / "types.xlsx"
    workbook.save(path)
    table = read_rows(path)
    assert table.rows[0].cells == (
        "05/12/2026",
        "2026-12-05",
        "5 Dec 2026, 2:05 PM",
        "9:05",
        "15%",
        "₹1,234.50",
        "0.33",
        "1,234,567",
        "007",
        "555-123-4567",
    )
    assert table.rows[1].cells[:7] == ("2026-12-05", "", "", "", "-50.0%", "(3.00)", "0.3")


# ---------------------------------------------------------------- a stray byte


def test_a_stray_windows_1252_byte_leaves_the_utf8_rows_alone_and_names_its_row(
    tmp_path: Path,
) -> None:
    data = (
        b"name,city\n"
        + "José,Pune\n".encode()
        + 'नमस्ते,"Goa\nNorth"\n'.encode()  # a quoted line break: rows are not lines
        + b"Ren\xe9,Paris\n"
        + "Zoë,Oslo\n".encode()
    )
    table = read_rows(write(tmp_path, data))
    assert [row.cells[0] for row in table.rows] == ["José", "नमस्ते", "René", "Zoë"]
    assert table.description == "CSV, UTF-8 but for 1 row, comma-separated"
    (note,) = [problem for problem in table.problems if "UTF-8" in problem.message]
    assert note.row == 4  # the fifth line: the quoted line break is inside row 3
    assert note.message == (
        "Row 4 is not UTF-8 like the rest of the file: its byte 0xE9 was read as "
        "Windows-1252 (“é”, in “René”). Check the row, or save the file again as CSV UTF-8."
    )


def test_rows_with_stray_bytes_are_listed_after_excels_sep_line(tmp_path: Path) -> None:
    data = b"sep=;\nname;city\n" + "José;Pune\n".encode() + b"Ren\xe9;x\nA;\x93B\x94\n"
    table = read_rows(write(tmp_path, data))
    assert [row.cells for row in table.rows] == [("José", "Pune"), ("René", "x"), ("A", "“B”")]
    assert table.problems[0].message.startswith(
        "Rows 3, 4 are not UTF-8 like the rest of the file: their bytes (the first, 0xE9, "
        "in row 3) were read as Windows-1252"
    )


def test_a_windows_1252_file_is_still_read_as_one(tmp_path: Path) -> None:
    table = read_rows(write(tmp_path, "name\nRené “x”\n".encode("cp1252")))
    assert table.rows[0].cells == ("René “x”",)
    assert table.description == "CSV, Windows-1252, comma-separated"
    assert not table.problems


# ---------------------------------------------------------------- quoted lines


def test_a_correctly_quoted_address_on_several_lines_is_no_open_quote(tmp_path: Path) -> None:
    data = (
        b"First Name,address,phone\n"
        b'Asha,"12, MG Road, Bandra\nMumbai, MH, 400050",+919876543210\n'
        b'Bob,"Flat 1, Link Rd, Andheri\r\nMumbai, MH, 400053",+919876543211\n'
    )
    table = read_rows(write(tmp_path, data))
    assert [row.cells[1] for row in table.rows] == [
        "12, MG Road, Bandra\nMumbai, MH, 400050",
        "Flat 1, Link Rd, Andheri\r\nMumbai, MH, 400053",
    ]
    assert table.problems == ()


def test_a_quote_left_open_that_ends_at_a_later_quote_is_still_named(tmp_path: Path) -> None:
    data = (
        b"name,city,phone\n"
        b'Asha,"Pune,+919876543210\n'
        b"Ravi,Goa,+919876543211\n"
        b'Cara,"Mumbai, MH",+919876543212\n'
    )
    table = read_rows(write(tmp_path, data))
    (note,) = [problem for problem in table.problems if "The quote" in problem.message]
    assert note.message.startswith(
        "The quote that opens in row 2, column B (“city”), is not closed at the end of its value"
    )


# ---------------------------------------------------------------- sentences for damaged files


def test_a_huge_cell_without_a_quote_is_named_as_too_long_not_as_a_quote(tmp_path: Path) -> None:
    data = b"name,note\nAsha," + b"x" * 200_000 + b"\n"
    with pytest.raises(RowFileError) as refused:
        read_rows(write(tmp_path, data))
    assert str(refused.value) == (
        "rows.csv, row 2: a cell is longer than 32,767 characters, more than a spreadsheet "
        "cell holds. Is this the right file?"
    )


def test_a_quote_left_open_for_a_huge_stretch_says_so(tmp_path: Path) -> None:
    data = b'name,note\nAsha,"open\n' + b"Ravi,fine\n" * 20_000
    with pytest.raises(RowFileError, match=r"rows\.csv, row 2: a quote opens in this row"):
        read_rows(write(tmp_path, data))


def test_one_zero_byte_in_a_text_file_names_its_row_and_the_rest_is_read(tmp_path: Path) -> None:
    lines = [b"name,phone"] + [b"Asha%d,+9198765%05d" % (i, i) for i in range(400)]
    lines[301] = b"Bo\x00b,+919876500300"  # row 302
    table = read_rows(write(tmp_path, b"\n".join(lines) + b"\n"))
    assert len(table.rows) == 400
    assert table.problems[0].row == 302
    assert table.problems[0].message.startswith(
        "Row 302 holds a zero byte (NUL), which no text has: the file may be damaged there."
    )


def test_text_that_turns_to_binary_says_from_which_line(tmp_path: Path) -> None:
    data = b"name,phone\n" + b"Asha,+919876543210\n" * 300 + bytes(range(256)) * 40
    with pytest.raises(RowFileError, match=r"binary data \(zero bytes\) from line 302 on"):
        read_rows(write(tmp_path, data))


def test_utf16_without_a_mark_in_a_non_latin_script_is_read(tmp_path: Path) -> None:
    text = "नाम,शहर,कोड\nआशा,पुणे,१\nरवि,गोवा,२\n"  # few ASCII characters: few NUL bytes
    for encoding in ("utf-16-le", "utf-16-be"):
        table = read_rows(write(tmp_path, text.encode(encoding)))
        assert table.columns == ("नाम", "शहर", "कोड")
        assert [row.cells[0] for row in table.rows] == ["आशा", "रवि"]
        assert table.description == "CSV, UTF-16, comma-separated"
