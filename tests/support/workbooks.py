"""Excel workbooks for the rows tests, written with openpyxl (skipped where it is missing)."""

from __future__ import annotations

from pathlib import Path

import pytest

Sheet = tuple[str, list[list[object]], str]  # title, rows, state ("visible", "hidden"...)


def workbook(path: Path, sheets: list[Sheet], active: int) -> Path:
    """``path``, a workbook of ``sheets`` in order that opens on sheet ``active``."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    book.active = active
    book.save(path)
    return path
