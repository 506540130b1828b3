"""validate --rows from the hostile review: which sheet of a workbook is read, --sheet."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from rcs_composer.entry import main

TEMPLATE = str(resources.files("rcs_composer.samples").joinpath("template_with_variables.json"))
BILL = ["customerName", "consumerNo", "billAmount", "dueDate", "mobile"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def instructions_first(path: Path) -> str:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Read me"
    book.active.append(["Fill in the Contacts sheet"])
    contacts = book.create_sheet("Contacts")
    contacts.append(BILL)
    contacts.append(["Asha", 1, 10, "1 Dec", "+919876543210"])
    book.save(path)
    return str(path)


def test_a_sheet_without_rows_names_the_sheet_with_them_and_sheet_reads_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = instructions_first(tmp_path / "book.xlsx")
    code, _out, err = run(capsys, "validate", TEMPLATE, "--rows", path)
    assert code == 1
    assert (
        "sheet “Read me” of book.xlsx has no data rows" in err
        and "sheet “Contacts” has rows: read it with --sheet Contacts" in err
    )
    code, out, err = run(capsys, "validate", TEMPLATE, "--rows", path, "--sheet", "contacts")
    assert code == 0, err
    assert out.strip().endswith("1 row: 1 ok, 0 warnings, 0 errors")
    assert "Rows are read from sheet “Contacts” (the one chosen)" in err


def test_an_unknown_sheet_lists_the_sheets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = instructions_first(tmp_path / "book.xlsx")
    code, _out, err = run(capsys, "validate", TEMPLATE, "--rows", path, "--sheet", "Sheet9")
    assert code == 2
    assert "book.xlsx has no sheet “Sheet9”: its sheets are “Read me”, “Contacts”." in err


def test_sheet_with_a_csv_file_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(",".join(BILL) + "\nAsha,1,10,1 Dec,+919876543210\n", encoding="utf-8")
    code, _out, err = run(capsys, "validate", TEMPLATE, "--rows", str(rows), "--sheet", "A")
    assert code == 2
    assert "rows.csv is CSV text, which has no sheets" in err
