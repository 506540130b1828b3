"""Reading variable rows from a CSV or ``.xlsx`` file, with caps that keep a hostile file harmless.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row row 2.
Every cell is read as text: a formula is the text written in the cell, never evaluated.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import dataclasses
import gc
import io
import os
import re
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
MAX_NUL_CHARACTERS = 16  # zero bytes a text file may hold (in damaged rows) before it is binary
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
    """The text of a CSV file and the encoding it was in (``decode_text`` without where
    the bytes that are not UTF-8 were)."""
    text, encoding, _strays = decode_text(data, name)
    return text, encoding


def decode_text(data: bytes, name: str) -> tuple[str, str, tuple[int, ...]]:
    """The text of a CSV file, the encoding it was in, and where in the text a byte that
    is not UTF-8 was read as Windows-1252 in a file otherwise UTF-8.

    A byte order mark (UTF-8, UTF-16, as Excel writes them) first, then UTF-8, then UTF-16
    without a mark, then cp1252 (Excel's "CSV" on Windows in Western Europe and the
    Americas). A UTF-8 file with a stray byte (a row pasted from a Windows-1252 file) stays
    UTF-8: the stray bytes alone are read as Windows-1252, and their places are returned for
    the rows to be named, rather than the whole file read as Windows-1252 and its UTF-8 text
    turned into mojibake (José as JosÃ©)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, strays = _utf8_with_strays(data[3:], marked=True)
        return text, "UTF-8 (with BOM)", strays
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16", name), "UTF-16", ()
    if b"\x00" in data[:4096]:
        guessed = _utf16_without_bom(data)
        if guessed is None:
            raise _binary(name)
        return _decode(data, guessed, name), "UTF-16", ()
    try:
        return data.decode("utf-8"), "UTF-8", ()
    except UnicodeDecodeError:
        pass
    text, strays = _utf8_with_strays(data, marked=False)
    if strays:
        return text, "UTF-8", strays
    try:
        return data.decode("cp1252"), "Windows-1252", ()
    except UnicodeDecodeError:  # five bytes cp1252 leaves undefined: Latin-1 has them all
        return data.decode("latin-1"), "Latin-1", ()


_ESCAPED = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as surrogateescape keeps it


def _stray_text(byte: int) -> str:
    single = bytes((byte,))
    try:
        return single.decode("cp1252")
    except UnicodeDecodeError:
        return single.decode("latin-1")


def _utf8_with_strays(data: bytes, *, marked: bool) -> tuple[str, tuple[int, ...]]:
    """The text read as UTF-8 with each byte that is not read as Windows-1252, and the places
    of those bytes; ("", ()) when the file holds no UTF-8 beyond ASCII to go by (unless
    ``marked``: a byte order mark says UTF-8)."""
    escaped = data.decode("utf-8", "surrogateescape")
    places = tuple(match.start() for match in _ESCAPED.finditer(escaped))
    if not places:
        return escaped, ()
    high = sum(1 for byte in data if byte >= 0x80) if not marked else 0
    if not marked and high - len(places) < 2:  # no UTF-8 sequence besides the strays
        return "", ()
    text = _ESCAPED.sub(lambda match: _stray_text(ord(match.group()) - 0xDC00), escaped)
    return text, places


def _binary(name: str) -> RowFileError:
    return RowFileError(
        f"{name} is not a text file (it holds binary data): choose a CSV file, or an Excel "
        "workbook named .xlsx."
    )


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a mark: each character's high byte is NUL for ASCII (commas,
    digits, line breaks) and never its low byte, and the text read so has line breaks or
    delimiters and printable characters, in any script (Hindi's high byte is 0x09, not NUL).
    Binary has NULs in both places, or does not read as text."""
    sample = data[: 4096 & ~1]
    even, odd = sample[0::2], sample[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if not high.count(0) or low.count(0):
            continue
        text = sample.decode(encoding, "replace")
        if text.endswith("\ufffd"):
            text = text[:-1]  # a pair of surrogates cut by the sample
        if "\ufffd" in text or not any(mark in text for mark in ("\n", *CANDIDATE_DELIMITERS)):
            continue
        printable = sum(1 for char in text if char.isprintable() or char in "\r\n\t")
        if printable >= 0.95 * len(text):
            return encoding
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
        self.raw: Callable[[], str] | None = None  # the current record as the file writes it

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
            if not rowlike or self._closed_where_it_ends():
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

    def _closed_where_it_ends(self) -> bool:
        """Whether every quote in the record closes right before a delimiter or the line's
        end, as a quoted value with line breaks in it does (an address on three lines). A
        quote left open ends only at the next quote in the file, with text after it."""
        if self.raw is None or self.delimiter is None:
            return False
        text = self.raw()
        try:
            stream = io.StringIO(text, newline="")
            records = list(csv.reader(stream, delimiter=self.delimiter, strict=True))
        except csv.Error:
            return False
        return len(records) == 1

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
    text, encoding, strays = decode_text(data, name)
    nuls = text.count("\x00")
    if nuls > max(MAX_NUL_CHARACTERS, len(text) // 1000):  # binary after a text start
        line = _Lines(text, 0).of([text.index("\x00")])[0][0]
        raise RowFileError(
            f"{name} is not a text file: it holds binary data (zero bytes) from line "
            f"{line:,} on. Choose a CSV file, or an Excel workbook named .xlsx."
        )
    delimiter, hinted = sniff_delimiter(text)
    stream = io.StringIO(text, newline="")
    if hinted:
        stream.readline()
    reader = csv.reader(stream, delimiter=delimiter, strict=False)
    collector = _Collector(name, delimiter)
    total = len(text)
    number = 0
    lines = _Lines(text, 1 if hinted else 0)
    stray_lines = lines.of(strays)  # physical lines holding a byte that is not UTF-8
    not_utf8: dict[int, int] = {}  # row -> the place of its first such byte
    # A few zero bytes in a text file (a damaged row): the rows are named, and a value
    # holding one is an error where the message uses it (an invisible control character).
    nul_lines = lines.of([match.start() for match in re.finditer("\x00", text)] if nuls else [])
    with_nul: dict[int, int] = {}
    started = 0  # the reader's line count before the current record

    def raw() -> str:
        starts, skipped = lines.starts, lines.skipped
        end = reader.line_num + skipped
        return text[starts[started + skipped] : starts[end] if end < len(starts) else None]

    collector.raw = raw
    try:
        for record in reader:
            number += 1
            if stray_lines or nul_lines:
                last = reader.line_num + lines.skipped
                while stray_lines and stray_lines[0][0] <= last:
                    not_utf8.setdefault(number, stray_lines.pop(0)[1])
                while nul_lines and nul_lines[0][0] <= last:
                    with_nul.setdefault(number, nul_lines.pop(0)[1])
            if number == 1:
                collector.header(list(record))
                started = reader.line_num
                continue
            collector.record(number, record)
            started = reader.line_num
            if number % PROGRESS_EVERY == 0:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                if progress is not None:
                    progress(stream.tell(), total)
    except csv.Error as exc:
        raise _csv_error(name, number + 1, exc, raw()) from None
    if number == 0:
        raise RowFileError(f"{name} is empty: the first row must name the columns.")
    if progress is not None:
        progress(total, total)
    shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(delimiter, delimiter)
    if with_nul:
        rows = sorted(with_nul)
        listed = ", ".join(str(row) for row in rows[:8]) + (", …" if len(rows) > 8 else "")
        noun = f"Row {listed} holds" if len(rows) == 1 else f"Rows {listed} hold"
        collector.problems.insert(
            0,
            FileProblem(
                rows[0],
                f"{noun} a zero byte (NUL), which no text has: the file may be damaged there. "
                "A value with one is an error where the message uses it; check the row in the "
                "spreadsheet.",
            ),
        )
    if not_utf8:
        collector.problems.insert(0, _not_utf8_problem(not_utf8, text))
        count = len(not_utf8)
        encoding += f" but for {count:,} {'row' if count == 1 else 'rows'}"
    return collector.table(f"CSV, {encoding}, {shown}-separated")


def _csv_error(name: str, number: int, error: csv.Error, raw: str) -> RowFileError:
    """The sentence for a record the CSV reader gave up on."""
    if "field larger than field limit" in str(error):
        first = re.split(r"\r\n|\r|\n", raw, maxsplit=1)[0]
        if first.count('"') % 2:  # a quote opens on the row's line and runs on
            return RowFileError(
                f"{name}, row {number}: a quote opens in this row and runs on, not closed, "
                f"into a value longer than {csv.field_size_limit():,} characters, far more "
                "than a spreadsheet cell holds: the rows after it were read into it. Close "
                'the quote, or write a quote inside a value as two (""), and open the file '
                "again."
            )
        return RowFileError(
            f"{name}, row {number}: a cell is longer than {MAX_CELL_CHARACTERS:,} "
            "characters, more than a spreadsheet cell holds. Is this the right file?"
        )
    return RowFileError(
        f"{name}, row {number}: cannot be read as CSV ({error}). "
        "A quote left open swallows the rows after it."
    )


class _Lines:
    """Which physical line (as the CSV reader counts them: \\r\\n, \\r or \\n ends one)
    a place in the text is on; built only for a file that needs it."""

    BREAK = re.compile(r"\r\n|\r|\n")

    def __init__(self, text: str, skipped: int) -> None:
        self.text = text
        self.skipped = skipped  # lines before the reader's first (Excel's sep= line)
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(match.end() for match in self.BREAK.finditer(self.text))]
        return self._starts

    def of(self, places: Sequence[int]) -> list[tuple[int, int]]:
        """(line, place) for each place, in order: lines numbered from 1."""
        if not places:
            return []
        starts = self.starts
        return [(bisect.bisect_right(starts, place), place) for place in places]


def _word_at(text: str, place: int, reach: int = 30) -> str:
    """The piece of a value around ``place``: up to a delimiter, a quote or a line's end."""
    stops = ',;\t|"\r\n'
    left = place
    while left > max(place - reach, 0) and text[left - 1] not in stops:
        left -= 1
    right = place + 1
    while right < min(place + reach, len(text)) and text[right] not in stops:
        right += 1
    return text[left:right].strip()


def _not_utf8_problem(rows: dict[int, int], text: str) -> FileProblem:
    """One note naming the rows that are not UTF-8, with the first byte and what it became."""
    numbers = sorted(rows)
    first = numbers[0]
    place = rows[first]
    char = text[place]
    byte = char.encode("cp1252", "ignore") or char.encode("latin-1", "ignore")
    shown_byte = f"0x{byte[0]:02X}" if byte else "?"
    word = _word_at(text, place)
    listed = ", ".join(str(number) for number in numbers[:8])
    more = f", … ({len(numbers):,} rows)" if len(numbers) > 8 else ""
    if len(numbers) == 1:
        head = f"Row {first} is not UTF-8 like the rest of the file: its byte {shown_byte} was"
        check = "Check the row"
    else:
        head = (
            f"Rows {listed}{more} are not UTF-8 like the rest of the file: their bytes (the "
            f"first, {shown_byte}, in row {first}) were"
        )
        check = "Check those rows"
    return FileProblem(
        first,
        f"{head} read as Windows-1252 (“{char}”, in “{word}”). {check}, or "
        "save the file again as CSV UTF-8.",
    )


# ---------------------------------------------------------------- Excel

XLSX_MISSING = (
    "Reading Excel files needs the optional openpyxl package: install it with "
    "pip install 'rcs-composer[xlsx]', or save the sheet as CSV."
)
MAX_WORKBOOK_XML_BYTES = 1024 * 1024 * 1024  # uncompressed: a zip bomb stops here, unopened


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A workbook cell as the text a person reads in it, by its number format: a date as
    its format writes it (``DD/MM/YYYY`` gives 05/12/2026; a date without a time never gets
    " 00:00"), a percentage with its %, a currency with its symbol, fixed decimals, thousands
    separators. ``cell_format`` says what is not covered."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    written = cell_format(value, number_format or "General")
    return written if written is not None else _general(value)


def _general(value: Any) -> str:
    """Excel's "General": a whole number without ``.0``, else up to the 15 significant digits
    a cell holds (0.1 + 0.2 reads 0.3); a date at midnight as a date."""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return format(value, ".15g").upper()  # 1E+20, as Excel writes it
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


# Built-in formats Excel draws in the computer's own short date (ids 14 and 22): the reader's
# locale is not known here, so such a date reads as ISO 8601, which no locale misreads.
_LOCALE_DATES = frozenset({"mm-dd-yy", "m/d/yy h:mm"})
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
Token = tuple[str, str]  # (kind, text): lit, digit, dot, comma, pct, exp, at, date, ampm


def cell_format(value: Any, number_format: str) -> str | None:
    """``value`` as ``number_format`` shows it, or None where this reading does not follow
    the format (General is the caller's). Not covered: fractions (``# ?/?``), conditions
    (``[>100]``), elapsed times (``[h]:mm``), month and day names in other languages (English
    ones are written), calendars other than the Gregorian, the width of a column (Excel's
    ``####`` and its rounding of General to fit); ``_`` and ``*`` padding is left out."""
    if number_format.lower() in ("general", "@", ""):
        return None
    if isinstance(value, datetime | date | time):
        if number_format.lower() in _LOCALE_DATES:
            return _general(value)
        return _date_format(value, number_format)
    if isinstance(value, int | float):
        return _number_format(float(value), number_format)
    return None


def _sections(number_format: str) -> list[str]:
    """The format's sections (positive;negative;zero;text), split outside quotes."""
    sections, start, index, quoted = [], 0, 0, False
    while index < len(number_format):
        char = number_format[index]
        if char == '"':
            quoted = not quoted
        elif char == "\\" and not quoted:
            index += 1
        elif char == ";" and not quoted:
            sections.append(number_format[start:index])
            start = index + 1
        index += 1
    sections.append(number_format[start:])
    return sections


def _tokens(section: str) -> list[Token] | None:
    """The section's pieces, or None when it holds something not covered."""
    tokens: list[Token] = []
    index, size = 0, len(section)
    while index < size:
        char = section[index]
        lower = char.lower()
        if char == '"':
            end = section.find('"', index + 1)
            end = size if end < 0 else end
            tokens.append(("lit", section[index + 1 : end]))
            index = end + 1
        elif char == "\\":
            tokens.append(("lit", section[index + 1 : index + 2]))
            index += 2
        elif char in "_*":
            index += 2  # padding to a character's width, a fill: no text
        elif char == "[":
            end = section.find("]", index)
            if end < 0:
                return None
            inner = section[index + 1 : end]
            if inner.startswith("$"):
                symbol = inner[1:].split("-", 1)[0]
                if symbol:
                    tokens.append(("lit", symbol))
            elif inner[:1] in "<>=" or inner.lower().strip("hms") == "":
                return None  # a condition, or an elapsed time
            index = end + 1  # a colour, a locale
        elif char in "0#?":
            tokens.append(("digit", char))
            index += 1
        elif char == ".":
            tokens.append(("dot", char))
            index += 1
        elif char == ",":
            tokens.append(("comma", char))
            index += 1
        elif char == "%":
            tokens.append(("pct", char))
            index += 1
        elif lower == "e" and section[index + 1 : index + 2] in ("+", "-"):
            tokens.append(("exp", section[index + 1]))
            index += 2
        elif char == "@":
            tokens.append(("at", char))
            index += 1
        elif section[index : index + 5].upper() == "AM/PM":
            tokens.append(("ampm", section[index : index + 5]))
            index += 5
        elif section[index : index + 3].upper() == "A/P":
            tokens.append(("ampm", section[index : index + 3]))
            index += 3
        elif lower in "ymdhs":
            end = index
            while end < size and section[end].lower() == lower:
                end += 1
            tokens.append(("date", section[index:end].lower()))
            index = end
        elif char == "/":
            tokens.append(("slash", char))
            index += 1
        else:
            tokens.append(("lit", char))
            index += 1
    return tokens


def _date_format(value: date | time, number_format: str) -> str | None:
    tokens = _tokens(_sections(number_format)[0])
    if tokens is None or not any(kind == "date" for kind, _text in tokens):
        return None
    dates = [index for index, (kind, _text) in enumerate(tokens) if kind == "date"]
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif any(
        tokens[index][1][0] in "yd" or (tokens[index][1][0] == "m" and not minute)
        for index in dates
        for minute in (_is_minute(tokens, dates, index),)
    ):
        return None  # a time of day drawn as a date: Excel's day 0, which no one means
    else:
        moment = datetime.combine(date(1900, 1, 1), value)
    twelve = any(kind == "ampm" for kind, _text in tokens)
    out: list[str] = []
    for index, (kind, text) in enumerate(tokens):
        if kind == "date":
            out.append(_date_part(moment, text, _is_minute(tokens, dates, index), twelve))
        elif kind == "ampm":
            pm = moment.hour >= 12
            if text.upper() == "AM/PM":
                out.append("PM" if pm else "AM")
            else:
                letter = text[2] if pm else text[0]
                out.append(letter)
        elif kind == "dot" and index + 1 < len(tokens) and tokens[index + 1] == ("digit", "0"):
            places = 0
            while index + 1 + places < len(tokens) and tokens[index + 1 + places][0] == "digit":
                places += 1
            out.append("." + f"{moment.microsecond:06d}"[:places])
        elif kind == "digit" and index > 0 and tokens[index - 1][0] in ("dot", "digit"):
            continue  # a fraction of a second, written with its dot
        else:
            out.append(text)
    return "".join(out)


def _is_minute(tokens: list[Token], dates: list[int], index: int) -> bool:
    """Whether an ``m`` is minutes: right after an hour, or right before seconds."""
    if tokens[index][1][0] != "m":
        return False
    place = dates.index(index)
    before = tokens[dates[place - 1]][1][0] if place > 0 else ""
    after = tokens[dates[place + 1]][1][0] if place + 1 < len(dates) else ""
    return before == "h" or after == "s"


def _date_part(moment: datetime, code: str, minute: bool, twelve: bool) -> str:
    letter, size = code[0], len(code)
    if letter == "y":
        return f"{moment.year % 100:02d}" if size <= 2 else f"{moment.year:04d}"
    if letter == "m" and minute:
        return f"{moment.minute:02d}" if size >= 2 else str(moment.minute)
    if letter == "m":
        if size <= 2:
            return f"{moment.month:0{size}d}"
        name = _MONTHS[moment.month - 1]
        return name[:3] if size == 3 else name[0] if size == 5 else name
    if letter == "d":
        if size <= 2:
            return f"{moment.day:0{size}d}"
        name = _DAYS[moment.weekday()]
        return name[:3] if size == 3 else name
    if letter == "h":
        hour = (moment.hour % 12 or 12) if twelve else moment.hour
        return f"{hour:02d}" if size >= 2 else str(hour)
    return f"{moment.second:02d}" if size >= 2 else str(moment.second)


def _number_format(value: float, number_format: str) -> str | None:
    sections = _sections(number_format)
    section = sections[0]
    signed = value < 0
    if value < 0 and len(sections) >= 2:
        section, signed = sections[1], False  # the section writes the sign its own way
    elif value == 0 and len(sections) >= 3:
        section = sections[2]
    if section.lower() == "general":
        return ("-" if signed else "") + _general(abs(value))
    tokens = _tokens(section)
    if tokens is None or any(kind in ("date", "ampm", "slash") for kind, _text in tokens):
        return None
    digits = [index for index, (kind, _text) in enumerate(tokens) if kind == "digit"]
    number = abs(value) * 100 ** sum(1 for kind, _text in tokens if kind == "pct")
    if not digits:
        text = "".join(text for kind, text in tokens if kind != "comma")
        return text.replace("@", "")
    first, last = digits[0], digits[-1]
    # Commas right after the last digit scale by a thousand each (#,##0, shows thousands).
    after = last + 1
    while after < len(tokens) and tokens[after][0] == "comma":
        number /= 1000
        after += 1
    exponent = next((index for index, (kind, _t) in enumerate(tokens) if kind == "exp"), None)
    body_end = exponent if exponent is not None else last + 1
    dot = next(
        (i for i in range(first, body_end) if tokens[i][0] == "dot"),
        None,
    )
    integer_part = tokens[first : dot if dot is not None else body_end]
    fraction_part = [t for t in tokens[dot + 1 : body_end] if t[0] == "digit"] if dot else []
    if exponent is not None:
        written = _scientific(number, integer_part, fraction_part, tokens, exponent)
    else:
        written = _fixed(number, integer_part, fraction_part, dot is not None)
    prefix = "".join(text for kind, text in tokens[:first] if kind in ("lit", "pct"))
    end = (
        last + 1
        if exponent is None
        else max(i for i, (kind, _t) in enumerate(tokens) if kind == "digit") + 1
    )
    suffix = "".join(text for kind, text in tokens[end:] if kind in ("lit", "pct"))
    return ("-" if signed and written.strip("0.,") else "") + prefix + written + suffix


def _rounded(number: float, places: int) -> str:
    """``number`` with ``places`` decimals, halves rounded away from zero as Excel does."""
    import decimal

    exact = decimal.Decimal(repr(number))
    return str(exact.quantize(decimal.Decimal(1).scaleb(-places), decimal.ROUND_HALF_UP))


def _fixed(number: float, integer_part: list[Token], fraction_part: list[Token], dot: bool) -> str:
    whole, _sep, fraction = _rounded(number, len(fraction_part)).partition(".")
    places = list(fraction)
    for index in range(len(places) - 1, -1, -1):  # optional decimals drop their zeros
        kind = fraction_part[index][1]
        if kind == "0" or places[index] != "0":
            break
        places[index] = " " if kind == "?" else ""
    required = sum(1 for kind, text in integer_part if kind == "digit" and text == "0")
    if whole == "0" and required == 0:
        whole = ""
    whole = whole.zfill(required)
    grouped = any(kind == "comma" for kind, _t in integer_part)
    if any(kind == "lit" for kind, _t in integer_part):
        whole = _fill(whole, integer_part)  # 000-000-0000: the digits fill from the right
    elif grouped and whole:
        whole = f"{int(whole):,}"
    tail = "".join(places)
    return whole + ("." + tail if dot and (tail or fraction_part) else "")


def _fill(whole: str, integer_part: list[Token]) -> str:
    digits = list(whole)
    out: list[str] = []
    for kind, text in reversed(integer_part):
        if kind == "digit":
            out.append(digits.pop() if digits else "0" if text == "0" else "")
        elif kind == "lit":
            out.append(text)
    return "".join(digits) + "".join(reversed(out))


def _scientific(
    number: float,
    integer_part: list[Token],
    fraction_part: list[Token],
    tokens: list[Token],
    exponent: int,
) -> str:
    places = len(fraction_part)
    mantissa, _e, power = f"{number:.{places}E}".partition("E")
    shown = int(power)
    width = sum(1 for kind, _t in tokens[exponent + 1 :] if kind == "digit")
    sign = "-" if shown < 0 else ("+" if tokens[exponent][1] == "+" else "")
    return f"{mantissa}E{sign}{abs(shown):0{max(width, 1)}d}"


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
            for values in _sheet_rows(read, values_only=False):
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


def _sheet_rows(worksheet: Any, values_only: bool = True) -> Iterator[Any]:
    """The sheet's rows: of values, or of cells (a value and its number format)."""
    reset = getattr(worksheet, "reset_dimensions", None)
    if reset is not None:
        reset()  # the declared size may lie (A1:XFD1048576): read the cells that exist
    return iter(worksheet.iter_rows(values_only=values_only))


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
    for cell in _capped(values, number, name):
        value = cell.value
        if value is None or isinstance(value, str):  # text: its format changes nothing
            cells.append(value or "")
        else:
            cells.append(cell_text(value, getattr(cell, "number_format", None)))
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _capped(cells: Iterable[Any], number: int, name: str) -> Iterator[Any]:
    for index, cell in enumerate(cells):
        if index >= MAX_COLUMNS:
            value = cell.value
            if value is not None and str(value).strip():
                raise RowFileError(
                    f"{name}, row {number}: more than {MAX_COLUMNS} columns are used; keep "
                    "only the columns the message uses."
                )
            continue
        yield cell


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
