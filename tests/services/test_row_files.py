"""Reading rows files: every encoding and delimiter a spreadsheet writes, and hostile files."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from rcs_composer.services import row_files
from rcs_composer.services.row_files import (
    MAX_FILE_BYTES,
    LoadCancelled,
    RowFileError,
    neutralise,
    read_rows,
    write_problems_csv,
)

ROWS = [["first_name", "offer_url"], ["Asha", "https://e.in/a"], ["Zoë", "https://e.in/b"]]


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def write(tmp_path: Path, data: bytes, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),  # Excel's "CSV UTF-8"
        ("utf-16-le", b"\xff\xfe"),  # Excel's "Unicode text"
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),  # Excel's "CSV" on Windows
    ],
)
def test_every_encoding_and_delimiter_reads_the_same_rows(
    tmp_path: Path, delimiter: str, encoding: str, prefix: bytes
) -> None:
    path = write(tmp_path, prefix + csv_bytes(ROWS, delimiter, encoding))
    table = read_rows(path)
    assert table.columns == ("first_name", "offer_url")
    assert [row.cells for row in table.rows] == [tuple(ROWS[1]), tuple(ROWS[2])]
    assert [row.number for row in table.rows] == [2, 3]  # the header is row 1


def test_utf16_without_a_mark_is_recognised(tmp_path: Path) -> None:
    table = read_rows(write(tmp_path, csv_bytes(ROWS, "\t", "utf-16-le")))
    assert table.rows[1].cells[0] == "Zoë"


def test_quoted_newlines_and_delimiters_stay_in_one_cell_and_rows_count_as_records(
    tmp_path: Path,
) -> None:
    data = b'name,note\n"Asha","line one\nline two, with a comma"\nRavi,plain\n'
    table = read_rows(write(tmp_path, data))
    assert table.rows[0].cells == ("Asha", "line one\nline two, with a comma")
    assert [row.number for row in table.rows] == [2, 3]


def test_excel_sep_hint_sets_the_delimiter_and_is_not_a_row(tmp_path: Path) -> None:
    table = read_rows(write(tmp_path, b"sep=;\nname;city\nAsha;Pune, MH\n"))
    assert table.columns == ("name", "city")
    assert table.rows[0].cells == ("Asha", "Pune, MH")
    assert table.rows[0].number == 2


def test_blank_lines_keep_the_numbering_a_spreadsheet_shows(tmp_path: Path) -> None:
    table = read_rows(write(tmp_path, b"name,city\nAsha,Pune\n\nRavi,Goa\n"))
    assert [row.number for row in table.rows] == [2, 4]


def test_a_binary_file_named_csv_is_refused_with_a_sentence(tmp_path: Path) -> None:
    path = write(tmp_path, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "photo.csv")
    with pytest.raises(RowFileError, match=r"photo\.csv is not a text file"):
        read_rows(path)


def test_a_workbook_named_csv_says_to_rename_it(tmp_path: Path) -> None:
    path = write(tmp_path, b"PK\x03\x04" + b"\x00" * 100, "book.csv")
    with pytest.raises(RowFileError, match=r"rename it to \.xlsx"):
        read_rows(path)


def test_a_1_gb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as stream:  # sparse: takes no room on disk
        stream.truncate(1024 * 1024 * 1024)
    with pytest.raises(RowFileError, match=r"huge\.csv is 1\.0 GB: rows files up to 100 MB"):
        read_rows(path)


def test_an_endless_stream_stops_at_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(row_files, "MAX_FILE_BYTES", 1024 * 1024)
    fifo = tmp_path / "endless.csv"
    os.mkfifo(fifo)
    import threading

    opened = threading.Event()

    def feed() -> None:
        try:
            with fifo.open("wb") as stream:
                opened.set()
                for _ in range(64):
                    stream.write(b"name\n" + b"x" * 65536)
        except BrokenPipeError:
            pass

    keeper = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so the writer opens at once
    writer = threading.Thread(target=feed)
    writer.start()
    assert opened.wait(10)
    try:
        with pytest.raises(RowFileError, match="larger than that"):
            read_rows(fifo)
    finally:
        os.close(keeper)
        writer.join(timeout=10)


def test_ragged_rows_are_padded_or_cut_and_said(tmp_path: Path) -> None:
    table = read_rows(write(tmp_path, b"a,b,c\n1,2\n1,2,3,4\n1,2,3\n"))
    assert [row.cells for row in table.rows] == [("1", "2", ""), ("1", "2", "3"), ("1", "2", "3")]
    messages = " ".join(problem.message for problem in table.problems)
    assert "1 row(s) have more cells than row 1 names (first: row 3)" in messages
    assert "fewer cells" in messages


def test_duplicate_and_empty_headers_get_distinct_names_and_a_note(tmp_path: Path) -> None:
    table = read_rows(write(tmp_path, b"name,,Name,city\nAsha,x,Ravi,Pune\n"))
    assert table.columns == ("name", "Column B", "Name (C)", "city")
    messages = [problem.message for problem in table.problems]
    assert any("Column B has no name in row 1" in text for text in messages)
    assert any("Columns A and C are both named" in text for text in messages)


def test_an_empty_header_row_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RowFileError, match="row 1 is empty"):
        read_rows(write(tmp_path, b",,\nAsha,1,2\n"))


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RowFileError, match="is empty"):
        read_rows(write(tmp_path, b""))


def test_formula_cells_are_read_as_the_text_written(tmp_path: Path) -> None:
    data = b'name,offer_url\nAsha,"=HYPERLINK(""http://evil.example"",""Click"")"\n'
    table = read_rows(write(tmp_path, data))
    assert table.rows[0].cells[1] == '=HYPERLINK("http://evil.example","Click")'
    assert any("formula" in problem.message for problem in table.problems)


def test_an_unclosed_quote_names_the_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'name,note\nAsha,"open quote\n' + b"x" * 200_000 + b"\n"
    with pytest.raises(RowFileError, match=r"row 2: .*(field larger|longer than)"):
        read_rows(write(tmp_path, data))


def test_a_missing_file_and_a_folder_are_sentences(tmp_path: Path) -> None:
    with pytest.raises(RowFileError, match="no such file"):
        read_rows(tmp_path / "nope.csv")
    with pytest.raises(RowFileError, match="is a folder"):
        read_rows(tmp_path)


def test_loading_reports_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    rows = [["name"]] + [[f"n{i}"] for i in range(10_000)]
    path = write(tmp_path, csv_bytes(rows))
    seen: list[tuple[int, int]] = []
    table = read_rows(path, lambda done, total: seen.append((done, total)))
    assert len(table.rows) == 10_000
    assert seen[-1][0] == seen[-1][1] and len(seen) > 2
    with pytest.raises(LoadCancelled):
        read_rows(path, None, lambda: True)


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Asha", "Asha"),
    ],
)
def test_written_cells_are_neutralised_against_formula_injection(cell: str, written: str) -> None:
    assert neutralise(cell) == written


def test_problems_csv_opens_as_utf8_and_holds_no_formula(tmp_path: Path) -> None:
    path = tmp_path / "problems.csv"
    write_problems_csv(path, ("row", "field", "message"), [("2", "{{name}}", "=cmd|' /C calc'!A0")])
    text = path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows == [["row", "field", "message"], ["2", "{{name}}", "'=cmd|' /C calc'!A0"]]
    assert not list(tmp_path.glob(".*part"))


def test_too_many_rows_or_columns_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(row_files, "MAX_ROWS", 5)
    with pytest.raises(RowFileError, match="more than 5 rows"):
        read_rows(write(tmp_path, b"a\n" + b"x\n" * 6))
    wide = ",".join(f"c{i}" for i in range(row_files.MAX_COLUMNS + 1)).encode()
    with pytest.raises(RowFileError, match="columns in row 1"):
        read_rows(write(tmp_path, wide + b"\n"))


def test_the_cap_is_a_hundred_megabytes() -> None:
    assert MAX_FILE_BYTES == 100 * 1024 * 1024


# ---------------------------------------------------------------- Excel

openpyxl = pytest.importorskip("openpyxl")


def workbook(tmp_path: Path, rows: list[list[object]], name: str = "rows.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Contacts"
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_an_xlsx_sheet_reads_numbers_as_people_see_them(tmp_path: Path) -> None:
    import datetime

    path = workbook(
        tmp_path,
        [
            ["first_name", "phone", "amount", "due", "vip"],
            ["Asha", 919876543210, 1250.0, datetime.date(2026, 12, 1), True],
            ["Zoë", "+91 98765 43211", 12.5, None, False],
        ],
    )
    table = read_rows(path)
    assert table.columns == ("first_name", "phone", "amount", "due", "vip")
    assert table.rows[0].cells == ("Asha", "919876543210", "1250", "2026-12-01", "TRUE")
    assert table.rows[1].cells == ("Zoë", "+91 98765 43211", "12.5", "", "FALSE")
    assert table.rows[0].number == 2
    assert "Contacts" in table.description


def test_an_xlsx_formula_is_read_as_its_text_never_calculated(tmp_path: Path) -> None:
    path = workbook(tmp_path, [["name", "link"], ["Asha", '=HYPERLINK("http://x","y")']])
    table = read_rows(path)
    assert table.rows[0].cells[1] == '=HYPERLINK("http://x","y")'


def test_a_damaged_or_old_workbook_is_a_sentence(tmp_path: Path) -> None:
    with pytest.raises(RowFileError, match="not an Excel workbook"):
        read_rows(write(tmp_path, b"name\nAsha\n", "text.xlsx"))
    old = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    with pytest.raises(RowFileError, match="97-2003"):
        read_rows(write(tmp_path, old, "old.xlsx"))


def test_a_sheet_that_claims_a_huge_size_reads_only_its_cells(tmp_path: Path) -> None:
    import zipfile

    path = workbook(tmp_path, [["name"], ["Asha"]])
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(lying, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(
                    b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>'
                )
            target.writestr(item, data)
    table = read_rows(lying)
    assert [row.cells for row in table.rows] == [("Asha",)]


def test_without_openpyxl_the_message_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    path = workbook(tmp_path, [["name"], ["Asha"]])
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(RowFileError, match=r"pip install 'rcs-composer\[xlsx\]'"):
        read_rows(path)


def test_a_workbook_that_unpacks_to_gigabytes_is_not_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = workbook(tmp_path, [["name"], *[["x" * 100] for _ in range(200)]], "bomb.xlsx")
    monkeypatch.setattr(row_files, "MAX_WORKBOOK_XML_BYTES", 10_000)  # a bomb, scaled down
    with pytest.raises(RowFileError, match=r"bomb\.xlsx unpacks to .*not read"):
        read_rows(path)


def test_a_1_gb_workbook_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as stream:
        stream.truncate(1024 * 1024 * 1024)
    with pytest.raises(RowFileError, match=r"huge\.xlsx is 1\.0 GB"):
        read_rows(path)


def test_a_quote_left_open_says_which_row_it_opened_in(tmp_path: Path) -> None:
    data = b'name,note\nAsha,ok\nRavi,"open quote\nZoe,fine\nBen,also fine\n'
    table = read_rows(write(tmp_path, data))
    assert [row.number for row in table.rows] == [2, 3]  # Zoe and Ben went into Ravi's cell
    note = next(problem for problem in table.problems if "quote" in problem.message)
    assert note.row == 3
    assert "The quote that opens in row 3, column B (“note”), is not closed" in note.message
    assert "'Zoe,fine'" in note.message


def test_a_quoted_line_break_inside_a_value_is_not_taken_for_an_open_quote(
    tmp_path: Path,
) -> None:
    data = b'name,address\nAsha,"12 Main St\nFlat 3"\nRavi,"1 Hill Rd"\n'
    table = read_rows(write(tmp_path, data))
    assert table.rows[0].cells[1] == "12 Main St\nFlat 3"
    assert not any("quote" in problem.message for problem in table.problems)


def test_a_csv_named_xlsx_says_it_may_be_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    path.write_bytes(b"name,phone\nAsha,+91 98765 43210\n")
    with pytest.raises(RowFileError, match=r"may be a CSV file named \.xlsx"):
        read_rows(path)


def test_a_header_only_file_says_it_has_no_data_rows(tmp_path: Path) -> None:
    table = read_rows(write(tmp_path, b"name,phone\n"))
    assert table.rows == ()
    assert any("no data rows" in problem.message for problem in table.problems)


def test_the_fewer_cells_note_names_the_first_rows(tmp_path: Path) -> None:
    data = b"a,b,c\n1,2,3\n1\n1,2\n1,2,3\n" + b"1\n" * 6
    table = read_rows(write(tmp_path, data))
    note = next(problem for problem in table.problems if "fewer cells" in problem.message)
    assert "8 row(s)" in note.message and "(rows 3, 4, 6, 7, 8, …)" in note.message
    assert note.row == 3
