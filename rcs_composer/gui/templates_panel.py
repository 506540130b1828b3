"""The Templates panel: the profile's templates, their status, refresh, open, compare, history."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QDesktopServices, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.app import templates_account as account
from rcs_composer.app.services import Services
from rcs_composer.core.local_time import local_time
from rcs_composer.core.model import Draft, TemplateInfo
from rcs_composer.core.naming import quoted
from rcs_composer.gui.docks import TEMPLATES_VISIBLE_KEY as VISIBLE_KEY
from rcs_composer.gui.plain_text import plain_label, plain_text
from rcs_composer.gui.tasks import Busy, TaskRunner
from rcs_composer.gui.widgets import find_menu
from rcs_composer.services.profiles import Profile
from rcs_composer.services.template_register import RegisteredTemplate

# Colours by status group: text colour and a pale background (readable in light and dark).
STATUS_COLOURS = {
    "created": ("#3C4043", "#E8EAED"),
    "submitted": ("#7A4F01", "#FEF0C7"),
    "active": ("#0D652D", "#D2F4DC"),
    "rejected": ("#A50E0E", "#FAD2CF"),
    "unknown": ("#5F6368", "#F1F3F4"),
    "problem": ("#B3261E", "#FDE7E4"),  # the last refresh could not read it
}
UNREAD = "Could not be read"
FILTERS = [
    ("All statuses", None),
    ("Created", "created"),
    ("Submitted for approval", "submitted"),
    ("Active", "active"),
    ("Rejected or failed", "rejected"),
    ("Not checked / unknown", "unknown"),
    (UNREAD, "problem"),
]
WATCH_MS_SANDBOX = 2_000  # how often templates on their way to a final status are read again
WATCH_MS_ACCOUNT = 60_000
# The note (why a template could not be read, or why it was rejected) comes right after the
# status, so it is in sight at the dock's default width; type and time can scroll off.
COLUMNS = ("Name", "Status", "Note", "Type", "Last checked")
NAME_COLUMN, STATUS_COLUMN, NOTE_COLUMN, TYPE_COLUMN, CHECKED_COLUMN = range(len(COLUMNS))
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


def when(stamp: str | None) -> str:
    """An ISO time as the user reads it: local time, short."""
    return local_time(stamp) if stamp else "never"


def group_of(entry: RegisteredTemplate) -> str:
    """What the row is coloured and filtered by: "problem" while the last refresh failed."""
    return "problem" if entry.problem else account.status_group(entry.status)


def status_text(entry: RegisteredTemplate) -> str:
    return UNREAD if entry.problem else account.status_words(entry.status)


def shown_reason(entry: RegisteredTemplate) -> str | None:
    """A reason is why a template was rejected or failed: on any other status it is an old
    one, not shown."""
    return entry.reason if account.status_group(entry.status) == "rejected" else None


class TemplatesModel(QAbstractTableModel):
    """Register entries, one row each; the status cell is coloured by its group."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[RegisteredTemplate] = []

    def set_entries(self, entries: list[RegisteredTemplate]) -> bool:
        """Show ``entries``; True when the rows themselves changed (not only their values).
        A refresh changes values only: the rows are repainted in place, not rebuilt."""
        same_rows = [e.template_id for e in entries] == [e.template_id for e in self.entries]
        if same_rows and entries:
            self.entries = list(entries)
            self.dataChanged.emit(self.index(0, 0), self.index(len(entries) - 1, len(COLUMNS) - 1))
            return False
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()
        return True

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:  # noqa: N802
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 (Qt's name)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        column = index.column()
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                entry.name or entry.template_id,
                status_text(entry),
                f"✖ {entry.problem}" if entry.problem else (shown_reason(entry) or ""),
                account.type_words(entry.template_type),
                when(entry.checked_at),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = []
            if entry.problem and column in (STATUS_COLUMN, NOTE_COLUMN):
                lines.append(f"{UNREAD}: {entry.problem}")
                if entry.status:
                    lines.append(f"Last known status: {account.status_words(entry.status)}")
            lines += [
                f"Template id: {entry.template_id}",
                f"Number: {entry.template_number or '—'}",
                f"From draft: {entry.draft_name or '—'} ({entry.origin})",
            ]
            if shown_reason(entry):
                lines.append(f"Reason: {entry.reason}")
            if entry.problem:
                lines.append(f"Last refresh: {entry.problem}")
            return plain_text("\n".join(lines))
        colouring = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole)
        if column == STATUS_COLUMN and role in colouring:
            text, back = STATUS_COLOURS[group_of(entry)]
            return QBrush(QColor(text if role == Qt.ItemDataRole.ForegroundRole else back))
        if column == NOTE_COLUMN and role == Qt.ItemDataRole.ForegroundRole and entry.problem:
            return QBrush(QColor(STATUS_COLOURS["problem"][0]))
        if role == Qt.ItemDataRole.AccessibleTextRole and column == STATUS_COLUMN:
            why = f": {entry.problem}" if entry.problem else ""
            return f"Status {status_text(entry)}{why}"
        return None


class TemplatesFilter(QSortFilterProxyModel):
    """Search by name, id, number or draft; filter by status group."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.group: str | None = None
        self.words: list[str] = []

    def set_query(self, text: str, group: str | None) -> None:
        self.beginFilterChange()
        self.words, self.group = text.lower().split(), group
        self.endFilterChange()

    def filterAcceptsRow(  # noqa: N802 (Qt's name)
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        assert isinstance(model, TemplatesModel)
        entry = model.entries[source_row]
        if self.group is not None and group_of(entry) != self.group:
            return False
        haystack = " ".join(
            filter(None, [entry.name, entry.template_id, entry.template_number, entry.draft_name])
        ).lower()
        return all(word in haystack for word in self.words)


class _Progress(QObject):
    """Lives on the GUI thread; the refresh's workers only emit it."""

    advanced = Signal(int, int)
    register_changed = Signal(str)


class TemplatesPanel(QWidget):
    """The templates of the current profile. Every read and call runs on the task runner."""

    open_requested = Signal(object)  # a Draft linked to a template, for the editor
    template_linked = Signal(object)  # TemplateInfo the open draft is now linked to
    status_message = Signal(str)
    refreshed = Signal(object)  # the RefreshOutcome

    def __init__(
        self,
        services: Services,
        runner: TaskRunner,
        profile: Callable[[], Profile],
        current: Callable[[], tuple[Draft, str | None]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TemplatesPanel")
        self.services, self.runner = services, runner
        self.profile, self.current = profile, current
        self.profile_name: str | None = None
        self.refreshing: threading.Event | None = None  # the refresh whose outcome is shown
        self.refresh_quiet = False  # that refresh is the watch's: a user's Refresh takes over
        self.busy = Busy(self)  # on while any call of this panel is out
        self.dialogs: list[QWidget] = []
        self.tabbed = False  # placed as a tab beside the drafts library
        self._noted: set[str] = set()  # the templates the last refresh could not read
        self.model = TemplatesModel(self)
        self.proxy = TemplatesFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._progress = _Progress(self)
        self._progress.advanced.connect(self.on_progress)
        self._progress.register_changed.connect(self.on_register_changed)
        self._listener = self._progress.register_changed.emit
        self._subscribed = False  # the register is built (folders made) off the GUI thread
        self._build()
        self.watch = QTimer(self)
        self.watch.timeout.connect(self.on_watch)
        self.update_buttons()

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search name, id, number, draft…")
        self.search.setAccessibleName("Search templates")
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox(self)
        self.filter.setAccessibleName("Show templates with status")
        for text, group in FILTERS:
            self.filter.addItem(text, group)
        self.search.textChanged.connect(self.on_query)
        self.filter.currentIndexChanged.connect(self.on_query)
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setToolTip("Read every template's status and history from Kaleyra")
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.cancel_button = QPushButton("Stop", self)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_refresh)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Refresh progress")
        self.progress.setVisible(False)
        self.progress.setFormat("%v of %m")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter)
        top.addWidget(self.refresh_button)
        by_id = QHBoxLayout()
        self.id_field = QLineEdit(self)
        self.id_field.setPlaceholderText("Paste a template id to open it")
        self.id_field.setAccessibleName("Template id to open")
        self.id_field.returnPressed.connect(self.open_by_id)
        self.open_id_button = QPushButton("Open id", self)
        self.open_id_button.clicked.connect(self.open_by_id)
        by_id.addWidget(self.id_field, 1)
        by_id.addWidget(self.open_id_button)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Templates of this profile")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        # The register's order (newest first) until the user sorts by a column.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.open_selected())  # Enter, double-click
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.update_buttons())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self.on_context_menu)
        self.open_button = QPushButton("Open", self)
        self.open_button.setToolTip("Open the server's copy in the editor, linked to the template")
        self.open_button.clicked.connect(self.open_selected)
        self.compare_button = QPushButton("Compare…", self)
        self.compare_button.clicked.connect(self.compare)
        self.history_button = QPushButton("History…", self)
        self.history_button.clicked.connect(self.show_history)
        self.import_button = QPushButton("Import…", self)
        self.import_button.setToolTip("Add a saved template answer or body with a template id")
        self.import_button.clicked.connect(self.import_file)
        actions = QHBoxLayout()
        for button in (self.open_button, self.compare_button, self.history_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.import_button)
        self.notice = plain_label(QLabel(self))
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.notice.setStyleSheet("QLabel { color: #7A4F01; }")
        self.notice.setAccessibleName("Templates notice")
        self.kept_aside: str | None = None  # the damaged register file, set aside
        self.show_file_button = QPushButton("Show file", self)
        self.show_file_button.setToolTip("Show the template list as it was, kept aside")
        self.show_file_button.setVisible(False)
        self.show_file_button.clicked.connect(self.show_kept_aside)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.show_file_button, 0, Qt.AlignmentFlag.AlignTop)
        self.summary = plain_label(QLabel(self))
        self.summary.setAccessibleName("Templates summary")
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(by_id)
        layout.addLayout(progress_row)
        layout.addLayout(notice_row)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.summary)

    # ------------------------------------------------------------ state

    def selected(self) -> RegisteredTemplate | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        entry = rows[0].data(ENTRY_ROLE)
        return entry if isinstance(entry, RegisteredTemplate) else None

    def target(self) -> RegisteredTemplate | None:
        """What Compare and History act on: the selected row, else the open draft's template."""
        chosen = self.selected()
        if chosen is not None:
            return chosen
        draft, _ = self.current()
        template_id = draft.template.template_id if draft.template else None
        if not template_id:
            return None
        known = next((e for e in self.model.entries if e.template_id == template_id), None)
        return known or RegisteredTemplate(template_id=template_id, name=draft.template.name or "")  # type: ignore[union-attr]

    def update_buttons(self) -> None:
        chosen = self.selected()
        target = self.target()
        self.open_button.setEnabled(chosen is not None)
        self.compare_button.setEnabled(target is not None)
        self.history_button.setEnabled(target is not None)
        self.compare_button.setToolTip(
            plain_text(
                f"Compare the open draft with {quoted(target.name or target.template_id)} on "
                "Kaleyra"
            )
            if target is not None
            else "Select a template, or open a draft linked to one"
        )
        # The watch's quiet re-read never keeps the user's Refresh off: a click takes over.
        refreshing = self.refreshing is not None and not self.refresh_quiet
        self.refresh_button.setEnabled(not refreshing and bool(self.model.entries))
        self.refresh_button.setToolTip(
            "Refreshing…"
            if refreshing
            else "Read every template's status and history from Kaleyra"
            if self.model.entries
            else "No templates recorded for this profile yet"
        )
        counts: dict[str, int] = {}
        for entry in self.model.entries:
            group = group_of(entry)
            counts[group] = counts.get(group, 0) + 1
        words = {"problem": UNREAD.lower()}
        parts = [
            f"{counts[g]} {words.get(g, g)}"
            for g in ("active", "submitted", "created", "rejected", "problem")
            if g in counts
        ]
        self.summary.setText(
            f"{len(self.model.entries)} template(s)" + (f": {', '.join(parts)}" if parts else "")
        )

    def on_query(self) -> None:
        self.proxy.set_query(self.search.text(), self.filter.currentData())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.profile_name != self.profile().name:
            self.reload()

    # ------------------------------------------------------------ the register

    def reload(self) -> None:
        """Read the register of the current profile (no network). A refresh of another
        profile still out is stopped, and what it ends with is not shown here."""
        profile = self.profile()
        if self.refreshing is not None and profile.name != self.profile_name:
            self.refreshing.set()
            self._refresh_ended()
        self.profile_name = profile.name
        services = self.services
        self.watch.setInterval(WATCH_MS_SANDBOX if profile.is_sandbox else WATCH_MS_ACCOUNT)
        subscribe = not self._subscribed
        self._subscribed = True
        listener = self._listener

        def work() -> Any:
            if subscribe:  # hear every change, whoever makes it (dialogs, other panels)
                services.template_register.subscribe(listener)
            return account.listing(services, profile)

        self._run(work, lambda loaded: self.on_listed(loaded, profile.name))

    def on_listed(self, loaded: Any, profile_name: str | None = None) -> None:
        if profile_name is not None and profile_name != self.profile_name:
            return  # another profile's list, read before the switch
        self.show_entries(list(loaded.entries))
        if loaded.problems:
            shown = list(loaded.problems[:3])
            if len(loaded.problems) > 3:
                shown.append(f"({len(loaded.problems) - 3} more in the file.)")
            aside = " The list as it was is kept aside." if loaded.kept_aside else ""
            self.show_notice(" ".join(shown) + aside, kept_aside=loaded.kept_aside)

    def show_entries(self, entries: list[RegisteredTemplate]) -> None:
        chosen = self.selected()
        was_empty = not self.model.entries
        if self.model.set_entries(entries) and chosen is not None:
            for row in range(self.proxy.rowCount()):
                entry = self.proxy.index(row, 0).data(ENTRY_ROLE)
                if (
                    isinstance(entry, RegisteredTemplate)
                    and entry.template_id == chosen.template_id
                ):
                    self.table.selectRow(row)
                    break
        if was_empty and entries:
            # Sized once, from what the view measures: measuring every cell of a long list on
            # every refresh would hold the window up.
            self.size_columns()
        self.update_buttons()
        if any(not account.is_settled(e.status) for e in entries):
            if not self.watch.isActive():
                self.watch.start()
        else:
            self.watch.stop()

    def size_columns(self, sample: int = 40) -> None:
        """Column widths from the header and the first rows' text (the note from the first
        rows that have one), each within a cap so the note stays in sight."""
        metrics = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        rows = min(self.proxy.rowCount(), sample)
        caps = {NAME_COLUMN: 180, STATUS_COLUMN: 170, NOTE_COLUMN: 360}
        noted = [
            row for row in range(self.proxy.rowCount()) if self.proxy.index(row, NOTE_COLUMN).data()
        ][:sample]
        for column in range(len(COLUMNS) - 1):
            sampled = noted if column == NOTE_COLUMN else range(rows)
            texts = [COLUMNS[column]] + [
                str(self.proxy.index(row, column).data() or "") for row in sampled
            ]
            widest = max(metrics.horizontalAdvance(text) for text in texts)
            header.resizeSection(column, min(widest + 24, caps.get(column, 260)))

    def on_register_changed(self, profile_name: str) -> None:
        if profile_name == self.profile_name and self.refreshing is None:
            self.reload()

    def show_notice(self, text: str, *, kept_aside: Any = None) -> None:
        """A sentence above the list; ``kept_aside`` (a file) adds a "Show file" button."""
        self.notice.setText(f"⚠ {text}")
        self.notice.setVisible(bool(text))
        self.kept_aside = str(kept_aside) if kept_aside else None
        self.show_file_button.setVisible(self.kept_aside is not None)
        if self.kept_aside is not None:
            self.show_file_button.setToolTip(f"Show the template list as it was: {self.kept_aside}")

    def hide_notice(self) -> None:
        self.notice.setVisible(False)
        self.show_file_button.setVisible(False)
        self.kept_aside = None

    def show_kept_aside(self) -> None:
        """The folder holding the set-aside file, in the system's file manager."""
        if self.kept_aside is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.kept_aside).parent)))

    def _run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None] | None = None,
        *also: Busy,
    ) -> None:
        """``work`` counted in this panel's ``busy`` (and in ``also``, a dialog's own);
        a failure goes to ``failed``, or to the panel's notice."""
        self.runner.op(work).on_success(done).on_failure(failed or self.on_failed).busy_while(
            self.busy, *also
        ).run()

    def on_failed(self, error: BaseException) -> None:
        from rcs_composer.services.kaleyra_replies import KaleyraError

        text = error.user_message() if isinstance(error, KaleyraError) else str(error)
        self.show_notice(text)
        self.status_message.emit(text)

    # ------------------------------------------------------------ refresh

    def refresh(self, template_ids: list[str] | None = None, *, quiet: bool = False) -> None:
        """Read each template again in the background, with progress; rows fail alone."""
        if not self.model.entries:
            return
        if self.refreshing is not None:
            if quiet or not self.refresh_quiet:
                return
            self.refreshing.set()  # the user's Refresh takes over the watch's quiet one
        profile, services = self.profile(), self.services
        cancelled = self.refreshing = threading.Event()
        self.refresh_quiet = quiet
        emit = self._progress.advanced.emit

        def progress(done: int, total: int) -> None:
            if not cancelled.is_set():  # a refresh stopped or taken over reports no more
                emit(done, total)

        if not quiet:
            self.progress.setRange(0, len(template_ids or self.model.entries))
            self.progress.setValue(0)
            self.progress.setVisible(True)
            self.cancel_button.setVisible(True)
        self.update_buttons()

        def work() -> account.RefreshOutcome:
            return account.refresh(
                services, profile, template_ids, progress=progress, cancelled=cancelled
            )

        self._run(
            work,
            lambda outcome: self.on_refreshed(outcome, cancelled),
            lambda error: self.on_refresh_failed(error, cancelled),
        )

    def on_progress(self, done: int, total: int) -> None:
        if self.progress.isVisible():
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)

    def cancel_refresh(self) -> None:
        if self.refreshing is not None:
            self.refreshing.set()

    def _refresh_ended(self) -> None:
        self.refreshing = None
        self.refresh_quiet = False
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)

    def _stale(self, token: threading.Event | None, profile_name: str | None = None) -> bool:
        """Whether a refresh's end belongs to one no longer shown: taken over, or of a profile
        switched away from (its outcome is in the register; it is not this panel's to show)."""
        if token is not None and token is not self.refreshing:
            return True
        return profile_name is not None and profile_name != self.profile_name

    def on_refreshed(
        self, outcome: account.RefreshOutcome, token: threading.Event | None = None
    ) -> None:
        if self._stale(token, outcome.profile_name):
            return
        self._refresh_ended()
        self.show_entries(list(outcome.entries))
        if outcome.failures:
            self.show_notice(
                f"{len(outcome.failures)} template(s) could not be read; the note on each row "
                "says why. The others are up to date."
            )
            if set(outcome.failures) != self._noted:  # not on every watch round: the user's
                self.size_columns()  # widths stay; a new note is brought into sight
            self._noted = set(outcome.failures)
        else:
            self._noted = set()
            self.hide_notice()
        self.status_message.emit(outcome.summary)
        self.refreshed.emit(outcome)

    def on_refresh_failed(self, error: BaseException, token: threading.Event | None = None) -> None:
        if self._stale(token):
            return
        self._refresh_ended()
        self.update_buttons()
        self.on_failed(error)

    def on_watch(self) -> None:
        """Templates on their way (created, submitted) are read again while the panel shows."""
        if not self.isVisible() or self.refreshing is not None:
            return
        pending = [e.template_id for e in self.model.entries if not account.is_settled(e.status)]
        if pending:
            self.refresh(pending, quiet=True)
        else:
            self.watch.stop()

    # ------------------------------------------------------------ open, compare, history

    def open_by_id(self) -> None:
        template_id = self.id_field.text().strip()
        if not template_id:
            self.show_notice("Paste a template id first (Kaleyra gives one when it is created).")
            return
        self._open(template_id)

    def open_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self._open(entry.template_id)

    def _open(self, template_id: str) -> None:
        profile, services = self.profile(), self.services
        self.status_message.emit(f"Reading template {template_id}…")

        def opened(result: account.OpenedTemplate) -> None:
            self.id_field.clear()
            self.hide_notice()
            self.open_requested.emit(result.draft)
            status = account.status_words(result.entry.status)
            self.status_message.emit(f"Opened template {result.entry.name} ({status}).")

        self._run(lambda: account.open_template(services, profile, template_id), opened)

    def compare(self) -> None:
        from rcs_composer.gui.template_compare import TemplateCompareDialog

        target = self.target()
        if target is None:
            return
        draft, _ = self.current()
        profile, services = self.profile(), self.services
        self.status_message.emit(f"Reading {target.name or target.template_id} from Kaleyra…")

        def show(comparison: account.Comparison) -> None:
            name = comparison.server.entry.name or target.template_id
            count = len(comparison.changes)
            self.status_message.emit(
                f"The open draft and {name} are the same."
                if not count
                else f"{count} difference(s) between the open draft and {name}."
            )
            dialog = TemplateCompareDialog(comparison, draft, profile.name, self)
            dialog.update_requested.connect(lambda: self.update_template(dialog))
            dialog.save_as_new_requested.connect(lambda: self.save_as_new(dialog))
            self._keep(dialog)
            dialog.show()

        self._run(lambda: account.compare(services, profile, draft, target.template_id), show)

    def update_template(self, dialog: Any) -> None:
        comparison: account.Comparison = dialog.comparison
        draft, profile, services = dialog.draft, self.profile(), self.services
        template_id = comparison.server.entry.template_id
        dialog.show_progress("Updating the template on Kaleyra…")

        def done(result: Any) -> None:
            updated, entry = result
            info = dataclasses.replace(
                draft.template or TemplateInfo(),
                template_id=updated.template_id,
                template_number=updated.template_number,
                status=updated.status,
            )
            dialog.show_updated(entry)
            self.template_linked.emit(info)
            self.status_message.emit(f"Template {entry.name} updated.")

        def failed(error: BaseException) -> None:
            if isinstance(error, account.UpdateBlocked):
                dialog.show_blocked(str(error))
            else:
                dialog.show_error(error)

        self._run(
            lambda: account.update(services, profile, draft, template_id),
            done,
            failed,
            dialog.updating,
        )

    def save_as_new(self, parent: QWidget | None = None) -> None:
        from rcs_composer.gui.template_dialog import DialogServices, TemplateDialog

        draft, draft_id = self.current()
        fresh = account.as_new_template(draft)
        dialog = TemplateDialog(
            DialogServices(self.services, self.runner),
            fresh,
            self.profile().name,
            parent or self,
            draft_id=draft_id,
            title="Save as a new template",
        )
        dialog.saved.connect(self.template_linked.emit)
        self._keep(dialog)
        dialog.show()
        self.save_as_new_dialog = dialog

    def show_history(self) -> None:
        from rcs_composer.gui.template_history import TemplateHistoryDialog

        target = self.target()
        if target is None:
            return
        profile, services = self.profile(), self.services

        def show(steps: Any) -> None:
            dialog = TemplateHistoryDialog(target, tuple(steps), self)
            self._keep(dialog)
            dialog.show()

        self._run(lambda: account.history(services, profile, target.template_id), show)

    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a template", "", "Template JSON (*.json);;All files (*)"
        )
        if path:
            self.import_path(path)

    def import_path(self, path: str) -> None:
        from rcs_composer.gui.file_actions import read_importable

        profile, services = self.profile(), self.services

        def work() -> Any:
            document = read_importable(Path(path))
            entry = account.record_imported(services, profile, document.draft)
            if entry is None:
                raise ValueError(
                    f"{Path(path).name} has no template id: it is a design, not a template on "
                    "the account. Open it with File > Open, then Save as template."
                )
            return entry

        self._run(work, lambda entry: self.status_message.emit(f"Imported {entry.name}."))

    def forget_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        profile, services = self.profile(), self.services
        self._run(
            lambda: account.forget(services, profile, entry.template_id),
            lambda _none: self.status_message.emit(
                f"{entry.name} is no longer listed here (it is still on the account)."
            ),
        )

    def on_context_menu(self, point: Any) -> None:
        if self.selected() is None:
            return
        menu = QMenu(self)
        menu.addAction("Open in the editor", self.open_selected)
        menu.addAction("Compare with the open draft…", self.compare)
        menu.addAction("History…", self.show_history)
        menu.addSeparator()
        menu.addAction("Copy template id", self.copy_id)
        menu.addAction("Forget (keep it on the account)", self.forget_selected)
        menu.popup(self.table.viewport().mapToGlobal(point))

    def copy_id(self) -> None:
        from PySide6.QtGui import QGuiApplication

        entry = self.selected()
        if entry is not None:
            QGuiApplication.clipboard().setText(entry.template_id)

    def _keep(self, dialog: QWidget) -> None:
        self.dialogs = [d for d in self.dialogs if d.isVisible()] + [dialog]


def install_templates_panel(
    window: QMainWindow,
    *,
    services: Services,
    runner: TaskRunner,
    profile: Callable[[], Profile],
    current: Callable[[], tuple[Draft, str | None]],
    open_draft: Callable[[Draft], None],
    link_template: Callable[[TemplateInfo], None],
    status: Callable[[str], None],
    profile_changed: Any = None,
    view_menu: QMenu | None = None,
    settings: QSettings | None = None,
) -> tuple[TemplatesPanel, QDockWidget]:
    """Build the Templates panel in a dock of ``window``, hidden until View > Templates on the
    account (Ctrl+Shift+L) shows it, tabbed with the drafts library when that is open. Nothing
    is read until it shows. Whether it is open is remembered in ``settings`` (QSettings by
    default), so it opens again at the next start, once the event loop runs. ``view_menu``
    defaults to the window's View menu."""
    settings = settings if settings is not None else QSettings()
    panel = TemplatesPanel(services, runner, profile, current, window)
    panel.open_requested.connect(open_draft)
    panel.template_linked.connect(link_template)
    panel.status_message.connect(status)
    dock = QDockWidget("Templates", window)
    dock.setObjectName("templates-dock")
    dock.setWidget(panel)
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    dock.setVisible(False)
    toggle = dock.toggleViewAction()
    toggle.setText("&Templates on the account")
    toggle.setShortcut("Ctrl+Shift+L")
    toggle.setStatusTip("The templates of this profile, their status and history")

    def on_shown(visible: bool) -> None:
        drafts = window.findChild(QDockWidget, "drafts-dock")
        if visible and drafts is not None and drafts.isVisible() and not panel.tabbed:
            panel.tabbed = True
            window.tabifyDockWidget(drafts, dock)
            dock.raise_()

    dock.visibilityChanged.connect(on_shown)
    # The action follows the dock being shown or closed (not a tab covering it, nor the
    # window closing), which is what the next start should do.
    toggle.toggled.connect(lambda shown: settings.setValue(VISIBLE_KEY, shown))
    if settings.value(VISIBLE_KEY, False) in (True, "true"):
        QTimer.singleShot(0, dock, lambda: dock.setVisible(True))
    menu = view_menu or find_menu(window, "View")
    if menu is not None:
        menu.addAction(toggle)
    if profile_changed is not None:
        profile_changed.connect(lambda *_: panel.reload() if dock.isVisible() else None)
    app = QCoreApplication.instance()
    if app is not None:  # a refresh left running stops reading more when the app quits
        app.aboutToQuit.connect(panel.cancel_refresh)
    return panel, dock
