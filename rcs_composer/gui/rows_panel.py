"""The rows table: a CSV or Excel file of variable values, each row validated and previewed."""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.app.rows import (
    MAX_ROW_SENDS,
    ColumnMap,
    NumberCache,
    RowChecker,
    RowResult,
    RowSelection,
    RowsReport,
    Status,
    follow_variables,
    load_row_file,
    preview_values,
    row_checker,
    validate_rows,
)
from rcs_composer.core.issues import Region
from rcs_composer.core.variables import find_variables
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.editors.panels import VariablesPanel
from rcs_composer.gui.preview.widget import PhonePreview
from rcs_composer.gui.rows_cuts import CutFinder
from rcs_composer.gui.tasks import TaskRunner
from rcs_composer.gui.widgets import find_menu
from rcs_composer.services.row_files import (
    LoadCancelled,
    Row,
    RowFileError,
    RowTable,
    write_file,
)

FIXED_COLUMNS = ("Row", "Status", "First problem")
STATUS_TEXT = {Status.OK: "✔ ok", Status.WARNING: "⚠ warning", Status.ERROR: "✖ error"}
STATUS_COLOUR = {Status.WARNING: QColor("#8A5300"), Status.ERROR: QColor("#B3261E")}
SHEET_IMAGE_WAIT_MS = 10_000  # as long as a render waits for its images
REVALIDATE_MS = 300
SHARED_SWITCH_INTERVAL_S = (
    0.0005  # after the last edit: typing in a title does not revalidate every row
)
FILE_FILTER = "Rows (*.csv *.tsv *.txt *.xlsx *.xlsm);;CSV (*.csv *.tsv *.txt);;Excel (*.xlsx)"


_sharing_lock = threading.Lock()
_sharing = 0  # workers inside sharing_the_interpreter()
_saved_interval = sys.getswitchinterval()


@contextlib.contextmanager
def sharing_the_interpreter() -> Iterator[None]:
    """While a worker runs Python for seconds, the window's own Python (each cell the table
    paints, each row's preview) waits for the interpreter up to the switch interval, 5 ms,
    every time: a table repaint took 150 ms. A 0.5 ms interval keeps the window at frame rate
    for a few per cent of the worker's speed."""
    global _sharing, _saved_interval
    with _sharing_lock:
        if _sharing == 0:
            _saved_interval = sys.getswitchinterval()
            sys.setswitchinterval(SHARED_SWITCH_INTERVAL_S)
        _sharing += 1
    try:
        yield
    finally:
        with _sharing_lock:
            _sharing -= 1
            if _sharing == 0:
                sys.setswitchinterval(_saved_interval)


class RowsModel(QAbstractTableModel):
    """One line per data row: its number, status, first problem, then the file's cells.

    It filters itself (every row, or the rows with problems): a sort-filter proxy over
    100,000 rows costs a tenth of a second on every change, which the window would feel."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table: RowTable | None = None
        self.report: RowsReport | None = None
        self.only_problems = False
        self.shown: Sequence[int] = range(0)  # the table's rows, by index, in view order

    def _refilter(self) -> None:
        count = len(self.table.rows) if self.table else 0
        if self.only_problems and self.report is not None:
            results = self.report.results
            self.shown = [i for i in range(count) if results[i].status is not Status.OK]
        else:
            self.shown = range(count)

    def set_rows(self, table: RowTable | None, report: RowsReport | None) -> None:
        self.beginResetModel()
        self.table, self.report = table, report
        self._refilter()
        self.endResetModel()

    def set_report(self, report: RowsReport) -> None:
        if self.only_problems:
            self.set_rows(self.table, report)
            return
        self.report = report
        if self.shown:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.shown) - 1, 2))

    def set_only_problems(self, on: bool) -> None:
        self.only_problems = on
        self.set_rows(self.table, self.report)

    def source(self, line: int) -> int:
        """The index in the table of the row shown on ``line``."""
        return self.shown[line] if 0 <= line < len(self.shown) else -1

    def line_of(self, source: int) -> int | None:
        if isinstance(self.shown, range):
            return source if 0 <= source < len(self.shown) else None
        try:
            return self.shown.index(source)
        except ValueError:
            return None

    def lines_of(self, sources: Sequence[int]) -> list[int]:
        """The lines showing these table rows (those the filter shows), in order."""
        if isinstance(self.shown, range):
            return sorted(source for source in sources if 0 <= source < len(self.shown))
        where = {source: line for line, source in enumerate(self.shown)}
        return sorted(where[source] for source in sources if source in where)

    def row(self, line: int) -> Row | None:
        index = self.source(line)
        return self.table.rows[index] if self.table is not None and index >= 0 else None

    def result(self, line: int) -> RowResult | None:
        index = self.source(line)
        if self.report is None or index < 0 or index >= len(self.report.results):
            return None
        return self.report.results[index]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        if parent is not None and parent.isValid():
            return 0
        return len(self.shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        if parent is not None and parent.isValid():
            return 0
        return len(FIXED_COLUMNS) + (len(self.table.columns) if self.table else 0)

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section < len(FIXED_COLUMNS):
            return FIXED_COLUMNS[section]
        if self.table is None:
            return None
        column = section - len(FIXED_COLUMNS)
        return f"{self.table.column_letter(column)}: {self.table.columns[column]}"

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = self.row(index.row())
        if row is None:
            return None
        column = index.column()
        result = self.result(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.number
            if column == 1:
                return STATUS_TEXT[result.status] if result is not None else "…"
            if column == 2:
                return result.first_problem if result is not None else ""
            return row.cells[column - len(FIXED_COLUMNS)]
        if role == Qt.ItemDataRole.ForegroundRole and column == 1 and result is not None:
            return STATUS_COLOUR.get(result.status)
        if role == Qt.ItemDataRole.ToolTipRole and column == 2 and result is not None:
            return "\n".join(f"{p.label}: {p.message}" for p in result.problems[:12]) or None
        return None


class _Progress(QObject):
    """Lives on the GUI thread; the worker only emits it."""

    changed = Signal(int, int)


class RowsPanel(QWidget):
    """Loads a rows file in the background, validates every row, and shows the selected row
    in the preview (arrow keys step through the rows)."""

    row_shown = Signal(int)  # the spreadsheet number of the row the preview shows
    loaded = Signal()  # a file's rows are in the table (their statuses follow)
    validated = Signal()  # a report for the current file, mapping and message is shown
    sheet_written = Signal(str)  # a contact sheet is done: what the status line says

    def __init__(
        self,
        document: ComposerDocument,
        preview: PhonePreview,
        runner: TaskRunner,
        status: Callable[[str], None],
        *,
        region: Callable[[], Region | None] = lambda: None,
        context: AppContext | None = None,
        profile_name: Callable[[], str] = lambda: "sandbox",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("RowsPanel")
        self.document, self.preview, self.runner, self.status = document, preview, runner, status
        self.region, self.context, self.profile_name = region, context, profile_name
        self.table: RowTable | None = None
        self.mapping: ColumnMap | None = None
        self.report: RowsReport | None = None
        self.generation = 0  # results of an older load or validation are dropped
        self.loading: Path | None = None  # the file being read, while it is
        self.cancel_event = threading.Event()
        self.dialogs: dict[str, QWidget] = {}
        self.dock: QDockWidget | None = None  # set by install_rows_panel
        self.numbers: NumberCache = {}
        self.numbers_of: RowTable | None = None
        self.progress_signal = _Progress(self)
        self.progress_signal.changed.connect(self.on_progress)
        self.model = RowsModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Rows")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.selectionModel().currentRowChanged.connect(self.on_current_row)
        self.open_button = self._button("Open rows…", "Open a CSV or Excel file of values")
        self.open_button.clicked.connect(self.choose_file)
        self.sheet_label = QLabel("Sheet:", self)
        self.sheet_box = QComboBox(self)
        self.sheet_box.setAccessibleName("Sheet")
        self.sheet_box.setToolTip("The sheet of the workbook whose rows are read")
        self.sheet_label.setBuddy(self.sheet_box)
        self.sheet_box.activated.connect(self.on_sheet_chosen)
        self.sheet_label.setVisible(False)
        self.sheet_box.setVisible(False)
        self.path: Path | None = None  # the file the table was read from
        self.mapping_button = self._button("Mapping…", "Which column fills each variable")
        self.mapping_button.clicked.connect(self.edit_mapping)
        self.close_button = self._button(
            "Close rows", "Forget the file: the preview shows the samples"
        )
        self.close_button.clicked.connect(self.close_rows)
        self.only_problems = QCheckBox("Only rows with problems", self)
        self.only_problems.setAccessibleName("Show only rows with problems")
        self.only_problems.toggled.connect(self.on_only_problems)
        self.export_button = self._button("Export problems…", "Every problem as CSV")
        self.export_button.clicked.connect(self.export_problems)
        self.sheet_button = self._button("Contact sheet…", "The selected rows' previews as PNG")
        self.sheet_button.clicked.connect(self.export_sheet)
        self.send_button = self._button(
            "Test-send selected…", f"Send up to {MAX_ROW_SENDS} selected rows to their numbers"
        )
        self.send_button.clicked.connect(self.send_selected)
        self.variables_box: QGroupBox | None = None  # the sample values: set by install
        self.showing = QLabel(self)
        self.showing.setAccessibleName("Row in the preview")
        self.showing.setVisible(False)
        self.summary = QLabel("Open a CSV or Excel file to preview and check every row.", self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Rows summary")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Reading the rows")
        self.progress.setVisible(False)
        self.cancel_button = self._button("Cancel", "Stop reading the file")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        bar = QHBoxLayout()
        for widget in (
            self.open_button,
            self.sheet_label,
            self.sheet_box,
            self.mapping_button,
            self.close_button,
            self.only_problems,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.export_button, self.sheet_button, self.send_button):
            bar.addWidget(widget)
        busy = QHBoxLayout()
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.showing)
        layout.addLayout(busy)
        layout.addWidget(self.view, 1)
        self.revalidate_timer = QTimer(self)
        self.revalidate_timer.setSingleShot(True)
        self.revalidate_timer.setInterval(REVALIDATE_MS)
        self.revalidate_timer.timeout.connect(self.revalidate)
        document.changed.connect(self.on_document_changed)
        self.update_buttons()

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.setAccessibleName(text.rstrip("…"))
        return button

    def update_buttons(self, busy: bool = False) -> None:
        loaded = self.table is not None and not busy
        for button in (self.mapping_button, self.export_button, self.close_button):
            button.setEnabled(loaded)
        selected = len(self.selected_numbers())
        self.sheet_button.setEnabled(loaded and selected > 0)
        self.send_button.setEnabled(loaded and self.context is not None and selected > 0)
        self.open_button.setEnabled(not busy)
        self.sheet_box.setEnabled(loaded)

    # ------------------------------------------------------------ loading

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Open rows", "", FILE_FILTER)
        if path:
            self.open_file(Path(path))

    def open_file(self, path: Path, sheet: str | None = None) -> None:
        """Read and validate ``path`` (``sheet``: a workbook's sheet of that name, by default
        the one it opens on) in the background, with progress and a Cancel button."""
        self.generation += 1
        generation = self.generation
        self.cancel_event = threading.Event()
        cancel = self.cancel_event
        emit = self.progress_signal.changed.emit
        names = find_variables(self.document.message)

        def progress(done: int, total: int) -> None:
            emit(done, total)

        def work() -> tuple[RowTable, ColumnMap]:
            with sharing_the_interpreter():
                return load_row_file(path, names, progress, cancel.is_set, sheet=sheet)

        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.summary.setText(f"Reading {path.name}…")
        self.loading = path
        self.update_buttons(busy=True)
        self.runner.op(work).on_success(
            lambda result: self.on_loaded(generation, result, path)
        ).on_failure(lambda error: self.on_load_failed(generation, path, error)).run()

    def _checker(
        self,
        table: RowTable,
        mapping: ColumnMap,
        message: Any,
        region: Region | None,
    ) -> RowChecker:
        if self.numbers_of is not table:  # numbers are read once per file, not per edit
            self.numbers_of, self.numbers = table, {}
        width = self.preview.width_dp
        return row_checker(
            message,
            region,
            table,
            mapping,
            cut_finder=lambda: CutFinder(width),  # its own fonts: it runs in a worker
            numbers=self.numbers,
        )

    def cancel(self) -> None:
        """Stop the load or the checks. A load is let go at once: a read the system blocks
        (a stalled network share) cannot be interrupted, so the panel stops waiting for it
        and drops what it brings back, and another file can be opened straight away."""
        self.cancel_event.set()
        path = self.loading
        if path is None:
            return
        self.generation += 1
        self.on_load_failed(self.generation, path, LoadCancelled())

    def on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(1000 * min(done, total) / total))

    def _idle(self) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.update_buttons()

    def on_loaded(self, generation: int, result: tuple[RowTable, ColumnMap], path: Path) -> None:
        """The rows show at once; their statuses follow when every row is checked."""
        if generation != self.generation:
            return
        self.loading = None
        self.path = path
        self.table, self.mapping = result
        self.show_sheets(self.table)
        self.report = None
        self.model.set_rows(self.table, None)
        header = self.view.horizontalHeader()
        header.setResizeContentsPrecision(50)  # the first rows' widths, not 100,000 rows'
        self.view.resizeColumnsToContents()
        header.resizeSection(1, max(header.sectionSize(1), 96))  # room for "⚠ warning"
        header.resizeSection(2, 320)
        for column in range(len(FIXED_COLUMNS), self.model.columnCount()):
            header.resizeSection(column, min(header.sectionSize(column), 240))
        self._idle()
        if self.table.rows:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self.view.setFocus()
        self.loaded.emit()
        QTimer.singleShot(0, self.revalidate)  # the table paints first, then the checks start

    def show_sheets(self, table: RowTable | None) -> None:
        """The workbook's sheets to choose from, the one read current (hidden for CSV and a
        workbook of one sheet)."""
        sheets = table.sheets if table is not None else ()
        self.sheet_box.clear()
        for sheet in sheets:
            self.sheet_box.addItem(sheet.label, sheet.name)
        if table is not None and sheets:
            names = [sheet.name for sheet in sheets]
            self.sheet_box.setCurrentIndex(names.index(table.sheet))
        many = len(sheets) > 1
        self.sheet_label.setVisible(many)
        self.sheet_box.setVisible(many)

    def on_sheet_chosen(self, index: int) -> None:
        name = self.sheet_box.itemData(index)
        if self.path is None or self.table is None or not name or name == self.table.sheet:
            return
        self.open_file(self.path, sheet=str(name))

    def on_load_failed(self, generation: int, path: Path, error: BaseException) -> None:
        if generation != self.generation:
            return
        self.loading = None
        self._idle()
        self.show_sheets(self.table)  # the sheet shown, not one that could not be read
        if isinstance(error, LoadCancelled):
            text = f"Stopped reading {path.name}."
        elif isinstance(error, RowFileError):
            text = f"✖ {error}"
        else:
            text = f"✖ {path.name} could not be read: {error}"
        self.summary.setText(
            text if self.table is None else f"{text} Still showing {self.table.source}."
        )
        self.status(text)

    def show_summary(self) -> None:
        if self.table is None or self.report is None or self.mapping is None:
            return
        lines = [f"{self.table.source} ({self.table.description}): {self.report.summary()}"]
        design = self.report.design_summary()
        if design:
            shown = self.report.design_lines()
            lines.append(f"{design}: " + "; ".join(shown[:2]) + ("; …" if len(shown) > 2 else ""))
        unmapped = self.mapping.unmapped
        if unmapped:
            names = ", ".join(f"{{{{{name}}}}}" for name in unmapped)
            lines.append(f"No column for {names}: choose one in Mapping.")
        for group in self.report.groups()[:3]:
            lines.append(group.text)
        notes = [f"row {p.row}: {p.message}" if p.row else p.message for p in self.table.problems]
        lines.extend(notes[:3])
        self.summary.setText("\n".join(lines))
        self.summary.setToolTip("\n".join(notes[:40]))

    # ------------------------------------------------------------ validating

    def on_document_changed(self) -> None:
        if self.table is not None and self.mapping is not None:
            # A variable the edit added is mapped by name now, not when the checks end: the
            # preview shows the row's value for it at once, as the row would send it.
            names = find_variables(self.document.message)
            self.mapping = follow_variables(self.mapping, names, self.table)
            self.revalidate_timer.start()
        self.show_current()

    def revalidate(self) -> None:
        """Check every row again (the message or the mapping changed), in the background."""
        if self.table is None or self.mapping is None:
            return
        self.generation += 1
        generation = self.generation
        table, message, region = self.table, self.document.message, self.region()
        names = find_variables(message)
        mapping = follow_variables(self.mapping, names, table)
        self.mapping = mapping
        checker = self._checker(table, mapping, message, region)
        emit = self.progress_signal.changed.emit
        cancel = self.cancel_event = threading.Event()
        if self.report is None:
            self.summary.setText(f"{table.source}: checking {len(table.rows):,} rows…")
            self.progress.setRange(0, 0)
            self.progress.setVisible(True)
            self.cancel_button.setVisible(True)

        def work() -> RowsReport:
            with sharing_the_interpreter():
                return validate_rows(checker, lambda done, total: emit(done, total), cancel.is_set)

        def done(report: RowsReport) -> None:
            if generation == self.generation:
                self.report = report
                current = self.current_index()
                # Filtered, the table is rebuilt: the rows selected stay selected.
                selected = self.selected_sources() if self.model.only_problems else None
                self.model.set_report(report)
                self.restore_current(current)
                if selected is not None:
                    self.select_sources(selected)
                self.show_current()  # the values of the mapping these results were found with
                self._idle()
                self.show_summary()
                self.validated.emit()

        def failed(error: BaseException) -> None:
            if generation == self.generation:
                self._idle()
                stopped = isinstance(error, LoadCancelled)
                text = "Stopped checking the rows." if stopped else f"✖ Rows not checked: {error}"
                self.summary.setText(text)
                self.status(text)

        self.runner.op(work).on_success(done).on_failure(failed).run()

    # ------------------------------------------------------------ the preview

    def current_index(self) -> int | None:
        """The table index of the current row (whatever the filter shows)."""
        index = self.view.currentIndex()
        source = self.model.source(index.row()) if index.isValid() else -1
        return source if source >= 0 else None

    def restore_current(self, source: int | None) -> None:
        line = self.model.line_of(source) if source is not None else None
        if line is None and self.model.rowCount():
            line = 0
        if line is not None and line != self.view.currentIndex().row():
            self.view.setCurrentIndex(self.model.index(line, 0))

    def on_only_problems(self, on: bool) -> None:
        current = self.current_index()
        selected = self.selected_sources()
        self.model.set_only_problems(on)
        self.restore_current(current)
        self.select_sources(selected)  # those the filter still shows

    def selected_sources(self) -> list[int]:
        """The table indexes of the selected rows (whatever the filter shows)."""
        model = self.view.selectionModel()
        return [self.model.source(index.row()) for index in model.selectedRows()]

    def select_sources(self, sources: Sequence[int]) -> None:
        """Select these table rows where the filter shows them, as runs of lines (a
        selection of every row is one range, not 100,000)."""
        selection = QItemSelection()
        last_column = max(self.model.columnCount() - 1, 0)
        lines = self.model.lines_of(sources)
        start = previous = None
        for line in [*lines, None]:
            if line is not None and previous is not None and line == previous + 1:
                previous = line
                continue
            if start is not None and previous is not None:
                top, bottom = self.model.index(start, 0), self.model.index(previous, last_column)
                selection.select(top, bottom)
            start = previous = line
        self.view.selectionModel().select(
            selection,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.update_buttons()

    def current_row(self) -> Row | None:
        index = self.view.currentIndex()
        return self.model.row(index.row()) if index.isValid() else None

    def preview_values(self, row: Row) -> dict[str, str]:
        """The row's values as the row sends them: a variable it does not fill shows its
        braces, never the draft's sample value."""
        assert self.table is not None and self.mapping is not None
        return preview_values(self.table, self.mapping, row, find_variables(self.document.message))

    def on_current_row(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self.show_current()
        self.update_buttons()

    def show_current(self) -> None:
        row = self.current_row()
        if row is None or self.table is None:
            return
        values = self.preview_values(row)
        if values != self.preview.row_values:  # an edit alone needs no second layout
            self.preview.set_row_values(values)
        index = self.current_index()
        place = (
            f" (data row {index + 1:,} of {len(self.table.rows):,})" if index is not None else ""
        )
        self.showing.setText(f"The preview shows row {row.number}{place} of {self.table.source}.")
        self.showing.setVisible(True)
        if self.variables_box is not None:  # its samples are not what the preview shows now
            self.variables_box.setTitle(
                f"Variables: the preview shows row {row.number} of {self.table.source}, "
                "not these samples"
            )
        self.row_shown.emit(row.number)

    def close_rows(self) -> None:
        """Forget the file; the preview goes back to the sample values."""
        self.generation += 1
        self.table = self.mapping = self.report = None
        self.path = None
        self.show_sheets(None)
        self.model.set_rows(None, None)
        self.preview.set_row_values(None)
        self.showing.setVisible(False)
        if isinstance(self.variables_box, VariablesPanel):
            self.variables_box.refresh()  # its own title again: the samples are shown
        self.summary.setText("Open a CSV or Excel file to preview and check every row.")
        self.update_buttons()

    # ------------------------------------------------------------ actions on rows

    def selected_numbers(self) -> list[int]:
        model = self.view.selectionModel()
        if model is None:
            return []
        numbers = []
        for index in model.selectedRows():
            row = self.model.row(index.row())
            if row is not None:
                numbers.append(row.number)
        return sorted(numbers)

    def select_numbers(self, numbers: list[int]) -> None:
        """Select the rows with these spreadsheet numbers (as a user's clicks would)."""
        if self.table is None:
            return
        wanted = set(numbers)
        model = self.view.selectionModel()
        model.clearSelection()
        for source_row, row in enumerate(self.table.rows):
            line = self.model.line_of(source_row) if row.number in wanted else None
            if line is not None:
                index = self.model.index(line, 0)
                if index.isValid():
                    model.select(
                        index,
                        QItemSelectionModel.SelectionFlag.Select
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )
        self.update_buttons()

    def edit_mapping(self) -> None:
        from rcs_composer.gui.rows_mapping import MappingDialog

        if self.table is None or self.mapping is None:
            return
        dialog = MappingDialog(self.table, self.mapping, self)
        dialog.accepted.connect(lambda: self.set_mapping(dialog.result_mapping()))
        self.dialogs["mapping"] = dialog
        dialog.open()

    def set_mapping(self, mapping: ColumnMap) -> None:
        self.mapping = mapping
        self.revalidate()
        self.show_current()

    def export_problems(self) -> None:
        if self.report is None or self.table is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export problems", f"{Path(self.table.source).stem}-problems.csv", "CSV (*.csv)"
        )
        if path:
            self.write_problems(Path(path))

    def write_problems(self, path: Path) -> None:
        report = self.report
        if report is None:
            return
        self.runner.op(lambda: report.export_problems(path)).on_success(
            lambda count: self.status(f"{count:,} problem(s) written to {path.name}.")
        ).on_failure(lambda error: self.status(f"✖ {path.name} was not written: {error}")).run()

    def export_sheet(self) -> None:
        numbers = self.selected_numbers()
        if not numbers or self.table is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "Contact sheet", f"{Path(self.table.source).stem}-rows.png", "PNG (*.png)"
        )
        if path:
            self.write_sheets(Path(path), numbers)

    def write_sheets(self, path: Path, numbers: list[int]) -> list[Path]:
        """Draw the rows' previews, 12 to a page, once their images have loaded (at most
        ``SHEET_IMAGE_WAIT_MS``): one page per turn of the event loop, each encoded and
        written in the background. At most ``MAX_SHEET_ROWS`` rows; the pages' paths."""
        from rcs_composer.gui.rows_sheet import MAX_SHEET_ROWS, ROWS_PER_SHEET, image_urls

        if self.table is None:
            return []
        note = ""
        if len(numbers) > MAX_SHEET_ROWS:
            note = (
                f" {len(numbers):,} rows were selected: a contact sheet holds the first "
                f"{MAX_SHEET_ROWS} ({MAX_SHEET_ROWS // ROWS_PER_SHEET} pages); select the "
                "others to draw them."
            )
            numbers = numbers[:MAX_SHEET_ROWS]
        by_number = {row.number: row for row in self.table.rows}
        rows = [(n, self.preview_values(by_number[n])) for n in numbers if n in by_number]
        pages = [rows[i : i + ROWS_PER_SHEET] for i in range(0, len(rows), ROWS_PER_SHEET)]
        targets = [
            path if len(pages) == 1 else path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
            for index in range(len(pages))
        ]
        message, loader = self.document.message, self.preview.loader
        urls = image_urls(self.preview, message, rows)  # requested: they load meanwhile
        waited = QTimer(self)
        waited.setInterval(100)
        deadline = QTimer(self)
        deadline.setSingleShot(True)
        deadline.setInterval(SHEET_IMAGE_WAIT_MS)

        def check() -> None:
            if deadline.isActive() and any(url in loader.loading for url in urls):
                return
            waited.stop()
            deadline.stop()
            waited.deleteLater()
            deadline.deleteLater()
            self._write_pages(message, pages, targets, path.name, note)

        waited.timeout.connect(check)
        deadline.timeout.connect(check)
        deadline.start()
        waited.start()
        self.progress.setRange(0, 0)  # busy while the rows' images load
        self.progress.setVisible(True)
        self.status(f"Drawing the contact sheet of {len(rows)} row(s)…{note}")
        return targets

    def _write_pages(
        self,
        message: Any,
        pages: list[list[tuple[int, dict[str, str]]]],
        targets: list[Path],
        name: str,
        note: str = "",
    ) -> None:
        """Page after page: drawn on the GUI thread (the preview paints there), then encoded
        as PNG and written by the runner; the next page is drawn when the last is written, so
        the window keeps answering and at most one page waits in memory."""
        from rcs_composer.gui.rows_sheet import contact_sheet, png_bytes

        source = self.table.source if self.table is not None else ""
        draft_name = self.document.draft.name
        total = len(pages)
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.setVisible(True)

        def draw(index: int) -> None:
            if index >= total:
                self.progress.setVisible(False)
                text = f"Contact sheet written: {total} page(s), {name}.{note}"
                self.status(text)
                self.sheet_written.emit(text)
                return
            page, target = pages[index], targets[index]
            self.status(f"Drawing contact sheet page {index + 1} of {total}…")
            title = f"{draft_name} · {source} · rows {page[0][0]}–{page[-1][0]}"
            image = contact_sheet(self.preview, message, page, title)

            def work() -> None:
                write_file(target, png_bytes(image))

            def written(_none: None) -> None:
                self.progress.setValue(index + 1)
                QTimer.singleShot(0, lambda: draw(index + 1))

            def failed(error: BaseException) -> None:
                self.progress.setVisible(False)
                text = f"✖ The contact sheet was not written ({target.name}): {error}"
                self.status(text)
                self.sheet_written.emit(text)

            self.runner.op(work).on_success(written).on_failure(failed).run()

        draw(0)

    def send_selected(self) -> None:
        from rcs_composer.gui.send_dialog import SendDialog  # built on first use

        numbers = self.selected_numbers()
        if self.context is None or self.table is None or self.mapping is None or not numbers:
            return
        selection = RowSelection(self.table, self.mapping, tuple(numbers))
        dialog = SendDialog(
            self.context, self.document.draft, self.profile_name(), self, rows=selection
        )
        self.dialogs["send"] = dialog
        dialog.show()


def install_rows_panel(
    window: QMainWindow,
    *,
    document: ComposerDocument,
    preview: PhonePreview,
    runner: TaskRunner,
    status: Callable[[str], None],
    region: Callable[[], Region | None],
    context: AppContext,
    profile_name: Callable[[], str],
    profile_changed: SignalInstance | None = None,
) -> RowsPanel:
    """The rows table as a dock under the window (hidden until asked for), with its toggle
    (Ctrl+Shift+R) in the View menu."""
    panel = RowsPanel(
        document,
        preview,
        runner,
        status,
        region=region,
        context=context,
        profile_name=profile_name,
        parent=window,
    )
    if profile_changed is not None:  # another region: other limits and number formats
        profile_changed.connect(lambda *_: panel.on_document_changed())
    dock = QDockWidget("Rows", window)
    dock.setObjectName("rows-dock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    dock.hide()
    toggle: QAction = dock.toggleViewAction()
    toggle.setText("&Rows from a file")
    toggle.setShortcut(QKeySequence("Ctrl+Shift+R"))
    menu = find_menu(window, "View")
    if menu is not None:
        menu.addAction(toggle)
    panel.dock = dock
    panel.variables_box = window.findChild(VariablesPanel)
    return panel
