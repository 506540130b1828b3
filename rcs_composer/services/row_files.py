"""Reading variable rows from a CSV or ``.xlsx`` file, with caps that keep a hostile file harmless.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row row 2.
Every cell is read as text: a formula is the text written in the cell, never evaluated.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import gc
import io
import os
import select
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

# Our caps (a contact list of a million short rows is about 60 MB): a larger file is refused
# before it is read, so a 1 GB file, /dev/zero or a FIFO never hangs or fills the memory.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ROWS = 1_000_000  # Excel's sheet holds 1,048,576
MAX_COLUMNS = 500
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell
MAX_LISTED_PROBLEMS = 200  # file problems listed one by one; the rest are counted
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")  # Excel by locale, Sheets, "Unicode text", pipes
SNIFF_RECORDS = 50
PROGRESS_EVERY = 2000  # rows between progress reports
FREEZE_AFTER_OBJECTS = 100_000  # objects built with collections held off: freeze them

Progress = Callable[[int, int], None]  # (done, total): bytes read, or rows for a workbook
Cancelled = Callable[[], bool]


@contextlib.contextmanager
def without_collections() -> Iterator[None]:
    """No cyclic garbage collection while a file's rows are built: each of the collections
    that a million new objects set off rescans all of them, pausing every thread (the window's
    too) for up to a third of a second. The rows hold no cycles: reference counting frees them
    when they go, frozen or not."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # A big table lives long: collections from now on skip it (frozen) rather than rescan
        # it all at the next allocation, a pause of a third of a second on any thread.
        if gc.get_count()[0] > FREEZE_AFTER_OBJECTS:
            gc.freeze()
        if collecting:
            gc.enable()


class RowFileError(Exception):
    """A rows file that cannot be used: the message names the file and says what to do."""


class LoadCancelled(Exception):
    """The user stopped the load."""


@dataclass(frozen=True)
class FileProblem:
    """Something about the file a user should know: the row (spreadsheet numbering) and a
    sentence. ``row`` 0 is the file as a whole."""

    row: int
    message: str


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: tuple[str, ...]  # one per column, "" where the row is short


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook, as its tabs show it."""

    name: str
    hidden: bool = False  # hidden or "very hidden": no tab shows it

    @property
    def label(self) -> str:
        """How a list of sheets shows it: ``Old (hidden)``."""
        return f"{self.name} (hidden)" if self.hidden else self.name

    @property
    def quoted(self) -> str:
        """How a sentence names it: ``“Old” (hidden)``."""
        return f"“{self.name}” (hidden)" if self.hidden else f"“{self.name}”"


@dataclass(frozen=True)
class RowTable:
    """The rows of one file: unique column names and every data row as text."""

    source: str  # the file's name, for messages
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    problems: tuple[FileProblem, ...] = ()
    more_problems: int = 0  # problems beyond the ones listed
    description: str = ""  # how it was read: "CSV, UTF-8, ';'" or "Excel sheet 'Contacts'"
    letters: tuple[str, ...] = field(default=())  # each column's letter in the sheet
    sheets: tuple[Sheet, ...] = ()  # a workbook's sheets, in its order (none for CSV)
    sheet: str = ""  # the sheet read
    data_elsewhere: str = ""  # another sheet with rows, when the one read has none

    def column_letter(self, index: int) -> str:
        return self.letters[index] if index < len(self.letters) else column_letter(index)


def column_letter(index: int) -> str:
    """The spreadsheet letter of column ``index`` (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _size_text(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    return f"{size / 1024**2:.0f} MB"


def _too_large(name: str, size: int | None) -> RowFileError:
    shown = f" is {_size_text(size)}:" if size is not None else " is larger than that:"
    return RowFileError(
        f"{name}{shown} rows files up to {MAX_FILE_BYTES // 1024 // 1024} MB are read. "
        "Split it, or keep only the columns the message uses."
    )


def read_bytes(
    path: Path, progress: Progress | None = None, cancelled: Cancelled | None = None
) -> bytes:
    """The file's bytes, refused above ``MAX_FILE_BYTES`` before reading (by its size when it
    has one, by reading one byte past the cap when it is a pipe or a device).

    A pipe or a device is read without blocking: between waits for data ``cancelled`` is
    asked, so a FIFO whose writer keeps it open and says nothing is stopped by the user
    (LoadCancelled), not waited on for ever. A regular file is asked between chunks."""
    name = path.name
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise RowFileError(f"{name} is a folder, not a CSV or Excel file.")
        regular = stat.S_ISREG(info.st_mode)
        if regular and info.st_size > MAX_FILE_BYTES:
            raise _too_large(name, info.st_size)
        nonblocking = getattr(os, "O_NONBLOCK", 0)  # a FIFO without a writer: no hang at open
        descriptor = os.open(path, os.O_RDONLY | nonblocking)
        with os.fdopen(descriptor, "rb", buffering=0) as stream:
            if nonblocking and regular:
                os.set_blocking(descriptor, True)
            waits = bool(nonblocking) and not regular
            total = info.st_size if regular else MAX_FILE_BYTES
            chunks: list[bytes] = []
            done = 0
            while True:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                chunk = _read_chunk(stream, descriptor, waits)
                if chunk is None:
                    continue  # nothing yet: ask again whether the user gave up
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
                if done > MAX_FILE_BYTES:
                    raise _too_large(name, None)
                if progress is not None:
                    progress(done, max(total, done))
            return b"".join(chunks)
    except FileNotFoundError:
        raise RowFileError(f"{name}: no such file.") from None
    except PermissionError:
        raise RowFileError(f"{name} cannot be read: permission denied.") from None
    except IsADirectoryError:
        raise RowFileError(f"{name} is a folder, not a CSV or Excel file.") from None
    except OSError as exc:
        raise RowFileError(f"{name} cannot be read ({exc.strerror or exc}).") from None


READ_CHUNK_BYTES = 4 * 1024 * 1024
PIPE_WAIT_S = 0.1  # how often a silent pipe's reader asks whether the user gave up


def _read_chunk(stream: Any, descriptor: int, waits: bool) -> bytes | None:
    """The next chunk (b"" at the end), or None when a pipe has nothing for now (a read
    that would block waits a moment for data instead). A FIFO nobody has opened for writing
    reads as its end at once, as a blocking read would."""
    if not waits:
        return bytes(stream.read(READ_CHUNK_BYTES) or b"")
    try:
        return os.read(descriptor, READ_CHUNK_BYTES)
    except BlockingIOError:
        select.select([descriptor], [], [], PIPE_WAIT_S)
        return None


# ---------------------------------------------------------------- what kind of file

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, or an encrypted .xlsx


def is_workbook_name(path: Path) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm")


def read_rows(
    path: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    sheet: str | None = None,
) -> RowTable:
    """The rows of a CSV or Excel file (``sheet``: the workbook's sheet of that name; by
    default the one Excel opens on). Blocking: call it off the GUI thread.

    Raises RowFileError with a sentence naming the file, or LoadCancelled.
    """
    with without_collections():
        return _read_rows(path, progress, cancelled, sheet)


def _read_rows(
    path: Path, progress: Progress | None, cancelled: Cancelled | None, sheet: str | None
) -> RowTable:
    if is_workbook_name(path):
        return read_workbook(path, progress, cancelled, sheet=sheet)
    if sheet is not None:
        raise RowFileError(
            f"{path.name} is CSV text, which has no sheets: a sheet is chosen in an Excel "
            "workbook (.xlsx)."
        )
    data = read_bytes(path, cancelled=cancelled)
    if data.startswith(_ZIP):
        raise RowFileError(
            f"{path.name} is an Excel workbook (or another zip file), not CSV text: "
            "rename it to .xlsx, or save it from the spreadsheet as CSV."
        )
    if data.startswith(_OLE):
        raise RowFileError(
            f"{path.name} is an Excel 97-2003 workbook or a password-protected one, not CSV "
            "text: save it from the spreadsheet as CSV or .xlsx."
        )
    return parse_csv(data, path.name, progress, cancelled)


# ---------------------------------------------------------------- CSV


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in: a byte order mark (UTF-8, UTF-16,
    as Excel writes them) first, then strict UTF-8, then UTF-16 without a mark, then cp1252
    (Excel's "CSV" on Windows in Western Europe and the Americas)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8", name), "UTF-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", name), "UTF-16"
    if b"\x00" in data[:4096]:
        guessed = _utf16_without_bom(data)
        if guessed is None:
            raise _binary(name)
        return _decode(data, guessed, name), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:  # five bytes cp1252 leaves undefined: Latin-1 has them all
        return data.decode("latin-1"), "Latin-1"


def _binary(name: str) -> RowFileError:
    return RowFileError(
        f"{name} is not a text file (it holds binary data): choose a CSV file, or an Excel "
        "workbook named .xlsx."
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a mark has a NUL in every other byte of ASCII; binary does not."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if odd and odd.count(0) > 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even and even.count(0) > 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RowFileError(
            f"{name} is not valid {encoding.upper()} text (at byte {exc.start}): save it from "
            "the spreadsheet again as CSV UTF-8."
        ) from None


def sniff_delimiter(text: str) -> tuple[str, bool]:
    """The delimiter, and whether the first line was Excel's ``sep=`` hint (to be skipped)."""
    first = text.split("\n", 1)[0].strip("\r\ufeff")
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], True
    best, best_score = ",", (0, 0, 0)
    sample = text[: 64 * 1024]
    for candidate in CANDIDATE_DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=candidate)
        widths = []
        try:
            for record in reader:
                if record:
                    widths.append(len(record))
                if len(widths) >= SNIFF_RECORDS:
                    break
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        header = widths[0]
        # The last record may be cut by the sample: it does not count against consistency.
        consistent = sum(1 for width in widths[:-1] if width == header) if len(widths) > 1 else 1
        score = (consistent, header, -CANDIDATE_DELIMITERS.index(candidate))
        if score > best_score:
            best, best_score = candidate, score
    return best, False


class _Collector:
    """Builds the RowTable from records: names the columns, pads and counts every row."""

    def __init__(self, name: str, delimiter: str | None = None) -> None:
        self.name = name
        self.delimiter = delimiter  # a CSV's: a quoted cell holding whole rows is suspect
        self.columns: tuple[str, ...] = ()
        self.letters: tuple[str, ...] = ()
        self.width = 0
        self.rows: list[Row] = []
        self.problems: list[FileProblem] = []
        self.more_problems = 0
        self.ragged_long = 0
        self.first_long: int | None = None
        self.ragged_short = 0
        self.formulas = 0
        self.first_formula: tuple[int, str] | None = None
        self.ragged_short_rows: list[int] = []

    def problem(self, row: int, message: str) -> None:
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(FileProblem(row, message))
        else:
            self.more_problems += 1

    def header(self, cells: list[str]) -> None:
        while cells and not cells[-1].strip():
            cells.pop()
        if not cells:
            raise RowFileError(
                f"{self.name}: row 1 is empty. The first row must name the columns "
                "(first_name, phone, ...)."
            )
        if len(cells) > MAX_COLUMNS:
            raise RowFileError(
                f"{self.name} has {len(cells)} columns in row 1; at most {MAX_COLUMNS} are read. "
                "Keep only the columns the message uses."
            )
        names: list[str] = []
        seen: dict[str, str] = {}
        for index, raw in enumerate(cells):
            letter = column_letter(index)
            label = raw.strip()
            if not label:
                label = f"Column {letter}"
                self.problem(
                    1,
                    f"Column {letter} has no name in row 1: it is shown as “{label}”. "
                    "Name it to map it to a variable by name.",
                )
            elif label.lower() in seen:
                first = seen[label.lower()]
                self.problem(
                    1,
                    f"Columns {first} and {letter} are both named “{label}”: column {first} is "
                    f"the one matched by name; column {letter} is shown as “{label} ({letter})”.",
                )
                label = f"{label} ({letter})"
            seen.setdefault(label.lower(), letter)
            names.append(label)
        self.columns = tuple(names)
        self.letters = tuple(column_letter(i) for i in range(len(names)))
        self.width = len(names)

    def record(self, number: int, cells: list[str]) -> None:
        if not any(cell.strip() for cell in cells):
            return  # a blank line: a row number of its own, and nothing to send
        if len(self.rows) >= MAX_ROWS:
            raise RowFileError(
                f"{self.name} has more than {MAX_ROWS:,} rows: split it into smaller files."
            )
        for cell in cells:
            if len(cell) > MAX_CELL_CHARACTERS:
                raise RowFileError(
                    f"{self.name}, row {number}: a cell is longer than {MAX_CELL_CHARACTERS:,} "
                    "characters, more than a spreadsheet cell holds. Is this the right file?"
                )
            if cell.startswith("=") and self.first_formula is None:
                self.first_formula = (number, cell)
        if self.delimiter is not None and self.width > 1:
            self._check_open_quote(number, cells)
        if len(cells) > self.width:
            extra = cells[self.width :]
            if any(cell.strip() for cell in extra):
                self.ragged_long += 1
                if self.first_long is None:
                    self.first_long = number
            cells = cells[: self.width]
        elif len(cells) < self.width:
            self.ragged_short += 1
            if len(self.ragged_short_rows) < 5:
                self.ragged_short_rows.append(number)
            cells = cells + [""] * (self.width - len(cells))
        self.rows.append(Row(number, tuple(cells)))

    def _check_open_quote(self, number: int, cells: list[str]) -> None:
        """A quote opened and not closed where the cell ends reads the next lines, whole rows
        with their delimiters, into that one cell: say where it opened."""
        delimiter = self.delimiter
        assert delimiter is not None
        for index, cell in enumerate(cells[: self.width]):
            if "\n" not in cell and "\r" not in cell:
                continue
            lines = cell.splitlines()[1:]
            rowlike = [line for line in lines if line.count(delimiter) >= self.width - 1]
            if not rowlike:
                continue
            letter = column_letter(index)
            self.problem(
                number,
                f"The quote that opens in row {number}, column {letter} "
                f"(“{self.columns[index]}”), is not closed at the end of its value, so the "
                f"{len(lines):,} line(s) after it "
                f"(such as {rowlike[0][:40]!r}) were read into that one cell, not as rows. "
                'Close the quote, or write a quote inside a value as two (""), and open the '
                "file again.",
            )
            return

    def table(
        self,
        description: str,
        sheets: tuple[Sheet, ...] = (),
        sheet: str = "",
        data_elsewhere: str = "",
    ) -> RowTable:
        if self.ragged_long:
            self.problem(
                self.first_long or 0,
                f"{self.ragged_long:,} row(s) have more cells than row 1 names (first: row "
                f"{self.first_long}): the cells past column {column_letter(self.width - 1)} "
                "are not used. Check for a delimiter inside an unquoted value.",
            )
        if self.ragged_short:
            shown = ", ".join(str(row) for row in self.ragged_short_rows)
            more = ", …" if self.ragged_short > len(self.ragged_short_rows) else ""
            self.problem(
                self.ragged_short_rows[0],
                f"{self.ragged_short:,} row(s) have fewer cells than row 1 names (rows "
                f"{shown}{more}): the missing cells are read as empty.",
            )
        if self.first_formula is not None:
            row, text = self.first_formula
            self.problem(
                row,
                f"Row {row} holds a formula ({text[:40]!r}): cells are read as the text written "
                "in them, never calculated.",
            )
        if not self.rows:
            what = f"Sheet “{sheet}”" if sheet else "The file"
            elsewhere = (
                f" Sheet “{data_elsewhere}” has rows: choose it to read them."
                if data_elsewhere
                else ""
            )
            self.problem(
                0, f"{what} has a header but no data rows: row 1 names the columns.{elsewhere}"
            )
        return RowTable(
            self.name,
            self.columns,
            tuple(self.rows),
            tuple(self.problems),
            self.more_problems,
            description,
            self.letters,
            sheets,
            sheet,
            data_elsewhere,
        )


def parse_csv(
    data: bytes,
    name: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RowTable:
    """Rows from CSV bytes: any encoding ``decode`` knows, any delimiter Excel or Sheets
    writes, quoted values with delimiters and newlines inside."""
    text, encoding = decode(data, name)
    if "\x00" in text:
        raise _binary(name)
    delimiter, hinted = sniff_delimiter(text)
    stream = io.StringIO(text, newline="")
    if hinted:
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    collector = _Collector(name, delimiter)
    total = len(text)
    number = 0
    try:
        for record in reader:
            number += 1
            if number == 1:
                collector.header(list(record))
                continue
            collector.record(number, record)
            if number % PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                if progress is not None:
                    progress(stream.tell(), total)
    except csv.Error as exc:
        raise RowFileError(
            f"{name}, row {number + 1}: cannot be read as CSV ({exc}). "
            "A quote left open swallows the rows after it."
        ) from None
    if number == 0:
        raise RowFileError(f"{name} is empty: the first row must name the columns.")
    if progress is not None:
        progress(total, total)
    shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(delimiter, delimiter)
    return collector.table(f"CSV, {encoding}, {shown}-separated")


# ---------------------------------------------------------------- Excel

XLSX_MISSING = (
    "Reading Excel files needs the optional openpyxl package: install it with "
    "pip install 'rcs-composer[xlsx]', or save the sheet as CSV."
)
MAX_WORKBOOK_XML_BYTES = 1024 * 1024 * 1024  # uncompressed: a zip bomb stops here, unopened


def cell_text(value: Any) -> str:
    """A workbook cell as the text a person reads in it (a whole number without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        with path.open("rb") as stream:
            start = stream.read(8)
        if start.startswith(_OLE):
            raise RowFileError(
                f"{path.name} is an Excel 97-2003 workbook or a password-protected one: save it "
                "from the spreadsheet as .xlsx (without a password) or as CSV."
            ) from None
        if _looks_like_text(_head(path)):
            raise RowFileError(
                f"{path.name} is not an Excel workbook but text: it may be a CSV file named "
                ".xlsx. Rename it to .csv and open it again."
            ) from None
        raise RowFileError(
            f"{path.name} is not an Excel workbook (.xlsx is a zip file; this is not one)."
        ) from None
    if expanded > MAX_WORKBOOK_XML_BYTES:
        raise RowFileError(
            f"{path.name} unpacks to {_size_text(expanded)}, far more than a list of rows: "
            "it is not read. Save the sheet as CSV."
        )


def _head(path: Path, size: int = 4096) -> bytes:
    with path.open("rb") as stream:
        return stream.read(size)


def _looks_like_text(data: bytes) -> bool:
    """Whether the start of a file reads as text with a delimiter in its first line."""
    try:
        text, _encoding = decode(data, "")
    except RowFileError:
        return False
    first = text.split("\n", 1)[0]
    printable = sum(1 for char in text if char.isprintable() or char in "\r\n\t")
    return printable >= 0.95 * max(len(text), 1) and any(d in first for d in CANDIDATE_DELIMITERS)


def read_workbook(
    path: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    sheet: str | None = None,
) -> RowTable:
    """Rows from one sheet of an ``.xlsx`` workbook, read in openpyxl's streaming mode:
    ``sheet`` when given, else the sheet Excel opens on (the active one) when it is visible,
    else the first visible one. The table says which it is and names the others.

    Formulas are read as the text written in the cell (``=HYPERLINK(...)``), never evaluated.
    """
    try:
        import openpyxl
    except ImportError:
        raise RowFileError(XLSX_MISSING) from None
    read_bytes_size(path)
    _check_zip(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise RowFileError(f"{path.name} cannot be read as an Excel workbook ({exc}).") from None
    try:
        worksheets = list(book.worksheets)
        if not worksheets:
            raise RowFileError(f"{path.name} has no sheets.")
        sheets = tuple(
            Sheet(str(ws.title), getattr(ws, "sheet_state", "visible") != "visible")
            for ws in worksheets
        )
        chosen, why = _chosen_sheet(path.name, book, worksheets, sheets, sheet)
        read = worksheets[chosen]
        collector = _Collector(path.name)
        number = 0
        try:
            for values in _sheet_rows(read):
                number += 1
                cells = _workbook_cells(values, number, path.name)
                if number == 1:
                    collector.header(cells)
                else:
                    collector.record(number, cells)
                if number % PROGRESS_EVERY == 0:
                    if cancelled is not None and cancelled():
                        raise LoadCancelled()
                    if progress is not None:
                        progress(number, max(number, getattr(read, "max_row", 0) or number))
        except (RowFileError, LoadCancelled):
            raise
        except Exception as exc:
            raise RowFileError(f"{path.name}, row {number + 1}: cannot be read ({exc}).") from None
        title = sheets[chosen].name
        elsewhere = ""
        if not collector.rows:  # an instructions sheet first, the data on another
            elsewhere = next(
                (
                    sheets[index].name
                    for index, other in enumerate(worksheets)
                    if index != chosen and _has_data_rows(other)
                ),
                "",
            )
        if number == 0:
            hint = f" Sheet “{elsewhere}” has rows: choose it." if elsewhere else ""
            raise RowFileError(f"{path.name}: sheet “{title}” is empty.{hint}")
        if progress is not None:
            progress(number, number)
        of = f" ({why}, of {len(sheets)} sheets)" if len(sheets) > 1 else ""
        table = collector.table(f"Excel sheet “{title}”{of}", sheets, title, elsewhere)
        if len(sheets) == 1:
            return table
        others = [other.quoted for index, other in enumerate(sheets) if index != chosen]
        more = f" and {len(others) - 8} more" if len(others) > 8 else ""
        note = FileProblem(
            0,
            f"Rows are read from sheet “{title}” ({why}); the workbook also has "
            f"{', '.join(others[:8])}{more}: choose a sheet to read another.",
        )
        return dataclasses.replace(table, problems=(*table.problems, note))
    finally:
        book.close()


def _chosen_sheet(
    name: str, book: Any, worksheets: list[Any], sheets: tuple[Sheet, ...], wanted: str | None
) -> tuple[int, str]:
    """The index of the sheet to read and why it is that one."""
    if wanted is not None:
        names = [sheet.name for sheet in sheets]
        folded = [sheet.name.casefold() for sheet in sheets]
        for found, key in ((names, wanted), (folded, wanted.casefold())):
            if key in found:
                return found.index(key), "the one chosen"
        listed = ", ".join(sheet.quoted for sheet in sheets[:20])
        raise RowFileError(f"{name} has no sheet “{wanted}”: its sheets are {listed}.")
    active = getattr(book, "active", None)
    for index, worksheet in enumerate(worksheets):
        if worksheet is active and not sheets[index].hidden:
            return index, "the one the workbook opens on"
    for index, sheet in enumerate(sheets):
        if not sheet.hidden:
            return index, "the first visible one"
    return 0, "every sheet is hidden; the first"


def _sheet_rows(worksheet: Any) -> Iterator[Any]:
    reset = getattr(worksheet, "reset_dimensions", None)
    if reset is not None:
        reset()  # the declared size may lie (A1:XFD1048576): read the cells that exist
    return iter(worksheet.iter_rows(values_only=True))


def _has_data_rows(worksheet: Any, look: int = 50) -> bool:
    """Whether a sheet has a row of names and a row under it (in its first ``look`` rows)."""
    filled = 0
    for number, values in enumerate(_sheet_rows(worksheet)):
        if number >= look:
            break
        if any(value is not None and str(value).strip() for value in values):
            filled += 1
            if filled >= 2:
                return True
    return False


def read_bytes_size(path: Path) -> None:
    """Refuse a workbook above the size cap, or one that is not a regular file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise RowFileError(f"{path.name}: no such file.") from None
    except OSError as exc:
        raise RowFileError(f"{path.name} cannot be read ({exc.strerror or exc}).") from None
    if not stat.S_ISREG(info.st_mode):
        raise RowFileError(f"{path.name} is not a regular file.")
    if info.st_size > MAX_FILE_BYTES:
        raise _too_large(path.name, info.st_size)


def _workbook_cells(values: Iterable[Any], number: int, name: str) -> list[str]:
    cells: list[str] = []
    for value in _capped(values, number, name):
        cells.append(cell_text(value))
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _capped(values: Iterable[Any], number: int, name: str) -> Iterator[Any]:
    for index, value in enumerate(values):
        if index >= MAX_COLUMNS:
            if value is not None and str(value).strip():
                raise RowFileError(
                    f"{name}, row {number}: more than {MAX_COLUMNS} columns are used; keep "
                    "only the columns the message uses."
                )
            continue
        yield value


# ---------------------------------------------------------------- writing CSV

# A cell starting with one of these is a formula to Excel, Sheets and LibreOffice (OWASP's
# "CSV injection"): a quote in front makes it text, shown as written.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: str) -> str:
    """``cell`` safe to open in a spreadsheet: a would-be formula becomes text."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def write_problems_csv(path: Path, header: Sequence[str], records: Iterable[Sequence[str]]) -> None:
    """Write a CSV that Excel opens as UTF-8 (with a BOM), every cell neutralised against
    formula injection."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for record in records:
        writer.writerow([neutralise(cell) for cell in record])
    write_file(path, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` atomically (a temporary file, fsync, rename): a failed write leaves no
    half file."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with temporary.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
