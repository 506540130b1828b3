"""The main window: editors on the left, the phone preview on the right, problems below.

It is built in two steps. The frame (menu titles, toolbar row, the phone with the draft, the
status bar) is all the first paint needs; the parts (editors, problems, the controllers and
their actions) come in the turn after it. A window made directly is built whole; the app
builds the frame first (``create_default``) so the window shows in about a bare window's time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from rcs_composer.core.model import Draft, Message, RichCard
from rcs_composer.gui.after_paint import AfterPaint
from rcs_composer.gui.elided_label import ElidedLabel
from rcs_composer.gui.images import ImageLoader
from rcs_composer.gui.last_draft import ReadDraft, last_draft_id, read_last_draft
from rcs_composer.gui.library_dock import reserve_library_dock
from rcs_composer.gui.preview.pane import PreviewPane
from rcs_composer.gui.problems_heading import problems_stand_in

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget

    from rcs_composer.core.field_paths import FieldPath
    from rcs_composer.core.issues import Issue, Region
    from rcs_composer.gui.account_selector import AccountSelector
    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.disk_changes import DiskChanges
    from rcs_composer.gui.docks import DockOnFirstUse, Docks
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.editors.message_editor import MessageEditor
    from rcs_composer.gui.editors.panels import ProblemsPanel, VariablesPanel
    from rcs_composer.gui.file_actions import FileActions
    from rcs_composer.gui.message_actions import MessageActions
    from rcs_composer.gui.rows_panel import RowsPanel
    from rcs_composer.gui.startup import AfterFirstPaint
    from rcs_composer.gui.templates_panel import TemplatesPanel
    from rcs_composer.gui.widgets import FormScrollArea
    from rcs_composer.services.profiles import Profile

NEW_DRAFT_FIRST_FIELD = ("richCardStandalone", "content", "title")  # File > New's cursor
PROBLEMS_HEIGHT = 120  # pixels the problems list starts with; the editor gets the rest
MIN_SIZE = QSize(800, 600)
FILL = 0.9  # of the screen a first start opens at (then the window remembers its geometry)
STARTED_BEFORE_KEY = "app/started-before"  # the sample opens only on the very first start
MENU_TITLES = ("&File", "&Edit", "&Message", "&View", "&Help")
TOOLBAR_NAME = "main-toolbar"


def fitting_size(screen: QSize) -> QSize:
    """Most of the screen, never less than the smallest size the window is laid out for."""
    return QSize(
        max(MIN_SIZE.width(), round(screen.width() * FILL)),
        max(MIN_SIZE.height(), round(screen.height() * FILL)),
    ).boundedTo(screen.expandedTo(MIN_SIZE))


class MainWindow(QMainWindow):
    """Assembles the editors, preview and panels around one ComposerDocument."""

    issues_changed = Signal(list)
    parts_built = Signal()  # the editors, panels and actions are in place

    # Built with the parts (build_parts); asked for earlier, they are built then (__getattr__).
    document: ComposerDocument
    context: AppContext
    editor: MessageEditor
    editor_scroller: FormScrollArea
    variables: VariablesPanel
    problems: ProblemsPanel
    undo_action: QAction
    redo_action: QAction
    duplicate_action: QAction
    dark_action: QAction
    files: FileActions
    account: AccountSelector
    messages: MessageActions
    docks: Docks
    disk_changes: DiskChanges
    templates_dock: DockOnFirstUse[TemplatesPanel]
    rows_dock: DockOnFirstUse[RowsPanel]
    startup: AfterFirstPaint
    _validate_timer: QTimer

    def __init__(
        self,
        document: ComposerDocument | Draft,
        settings: QSettings | None = None,
        context: AppContext | None = None,
        *,
        parts_after_first_paint: bool = False,
        reopened: ReadDraft | None = None,
    ) -> None:
        """``document``: what the window edits, or the draft to make it from. With
        ``parts_after_first_paint`` only the frame is built now (see the module's note).
        ``reopened``: the last draft, read at the start (``document`` is its draft); the
        window opens it as the stored draft it is once its parts are built."""
        super().__init__()
        self.settings = settings or QSettings()
        self.has_parts = False
        self.account_label = ""  # which account sends go to, for the title
        self.region: Region | None = None
        self.issues: list[Issue] = []
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        draft = document if isinstance(document, Draft) else document.draft
        self._given = (document, context, reopened)
        self._build_frame(draft)
        self.restore_state()
        if parts_after_first_paint:
            self.setWindowTitle(f"{draft.name} — RCS Composer")
            AfterPaint(self, self.build_parts)
        else:
            self.build_parts()

    @classmethod
    def create_default(cls) -> MainWindow:
        """The app's window: the sample on the very first start, else the last draft (read in
        time for the first paint: gui/last_draft.py) or an empty card; its parts are built
        after the first paint."""
        settings = QSettings()
        if settings.value(STARTED_BEFORE_KEY, False) not in (True, "true"):
            from rcs_composer.gui.samples import starting_draft

            settings.setValue(STARTED_BEFORE_KEY, True)
            return cls(starting_draft(), settings, parts_after_first_paint=True)
        empty = Draft(message=Message(content=RichCard()))
        draft_id = last_draft_id(settings)
        if draft_id is None:
            return cls(empty, settings, parts_after_first_paint=True)
        from rcs_composer.gui.app_context import AppContext

        context = AppContext()  # the window's own, made early to read the draft with
        read = read_last_draft(context.library, draft_id)
        draft = read.loaded.draft if read is not None else empty  # else reopened after
        return cls(draft, settings, context, parts_after_first_paint=True, reopened=read)

    if not TYPE_CHECKING:  # (mypy keeps checking every other attribute's name)

        def __getattr__(self, name: str) -> object:
            """A part asked for before the first paint built it (a script or a test that
            drives the app's window at once) is built now, with the others, as a window made
            directly would have it."""
            if name in MainWindow.__annotations__ and "_given" in self.__dict__:
                self.build_parts()
                return getattr(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------ the frame

    def _build_frame(self, draft: Draft) -> None:
        """What the first paint shows, each piece where the parts will not move it: the menu
        titles, the toolbar row, the phone with ``draft``, the problems area, the status bar."""
        for title in MENU_TITLES:
            self.menuBar().addMenu(title)
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName(TOOLBAR_NAME)
        toolbar.setMovable(False)
        toolbar.addWidget(QLabel(" Profile ", toolbar))
        waiting = QComboBox(toolbar)  # as tall as the profile box that takes its place
        waiting.setEnabled(False)
        toolbar.addWidget(waiting)
        self.addToolBar(toolbar)
        # One image loader for the window: the preview, the library and the media inspector.
        self.images = ImageLoader(parent=self)
        self.images.hold()  # images load once the window has painted
        self.preview_pane = PreviewPane(self.images, self.settings, self)
        self.preview_pane.preview.set_message(draft.message, draft.variables)
        self.left = QWidget(self)
        left_layout = QVBoxLayout(self.left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.columns = QSplitter(Qt.Orientation.Horizontal, self)
        self.columns.setObjectName("columns")
        self.columns.addWidget(self.left)
        self.columns.addWidget(self.preview_pane)
        self.columns.setStretchFactor(0, 3)
        self.columns.setStretchFactor(1, 2)
        self.rows = QSplitter(Qt.Orientation.Vertical, self)
        self.rows.setObjectName("rows")
        self.rows.addWidget(self.columns)
        self.rows.addWidget(problems_stand_in(self))  # the problems list's place
        self.rows.setStretchFactor(0, 1)
        self.rows.setStretchFactor(1, 0)
        self.rows.setCollapsible(0, False)
        self.setCentralWidget(self.rows)
        reserve_library_dock(self, self.settings)
        self.resize(fitting_size(self.screen().availableGeometry().size()))
        # The problems area starts as its heading, as a draft with no problems keeps it: the
        # first check grows it if there is a list to show (to the height last dragged).
        self.problems_height = PROBLEMS_HEIGHT
        self.problems_listed = False
        self._fit_rows_to_heading()
        self.status_line = ElidedLabel(parent=self)  # the status bar's sentence
        self.statusBar().addPermanentWidget(self.status_line, 1)

    # ------------------------------------------------------------ the parts

    def build_parts(self) -> None:
        """The editors, the problems list, the actions and the controllers (once)."""
        if self.has_parts:
            return
        from rcs_composer.gui.app_context import AppContext
        from rcs_composer.gui.document import ComposerDocument
        from rcs_composer.gui.editors.message_editor import MessageEditor
        from rcs_composer.gui.editors.panels import ProblemsPanel, VariablesPanel
        from rcs_composer.gui.widgets import FormScrollArea

        given, context, reopened = self._given
        del self._given
        self.document = given if isinstance(given, ComposerDocument) else ComposerDocument(given)
        self.document.setParent(self)  # the window owns the document and its undo stack
        self.context = context or AppContext(self)
        self.context.setParent(self)
        self.editor = MessageEditor(self.document, self)
        self.variables = VariablesPanel(self.document, self)
        self.problems = ProblemsPanel(self)  # after the preview: Tab reaches it last
        self.editor_scroller = FormScrollArea(self.editor, self.left)
        left_layout = self.left.layout()
        assert left_layout is not None
        left_layout.addWidget(self.editor_scroller)
        left_layout.addWidget(self.variables)
        stand_in = self.rows.replaceWidget(1, self.problems)
        if stand_in is not None:
            stand_in.deleteLater()
        self._build_actions()
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(0)
        self._validate_timer.timeout.connect(self.revalidate)
        self._build_controllers()
        self.document.changed.connect(self.on_document_changed)
        self.document.undo_stack.cleanChanged.connect(self.update_title)
        self.problems.issue_activated.connect(self.focus_path)
        self.preview_pane.preview.element_clicked.connect(self.focus_path)
        self.editor.card_selected.connect(self.preview_pane.show_card)
        self.has_parts = True
        if reopened is not None:
            self.files.show_reopened(reopened)  # as a reopen after the first paint does
        self.on_document_changed()
        self.parts_built.emit()

    def _build_actions(self) -> None:
        from PySide6.QtGui import QAction, QKeySequence

        stack = self.document.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        # In the form's fields these keys act on the draft too, not on the field's own history
        # (MessageEditor.keys); so do they in the sample values' fields.
        self.editor.keys.watch(self.variables)
        self.duplicate_action = QAction("&Duplicate card or suggestion", self)
        self.duplicate_action.setShortcut(QKeySequence("Ctrl+D"))
        self.duplicate_action.setStatusTip(
            "Copy the carousel card or the suggestion being edited, just after it"
        )
        self.duplicate_action.triggered.connect(
            lambda _checked=False: self.editor.duplicate_focused()
        )
        self.dark_action = QAction("&Dark preview", self, checkable=True)
        self.dark_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.dark_action.toggled.connect(
            lambda on: self.preview_pane.theme.setCurrentIndex(1 if on else 0)
        )

    def _build_controllers(self) -> None:
        """Each controller gets what it works on explicitly; none of them gets the window's
        internals."""
        from rcs_composer.gui.account_selector import AccountSelector
        from rcs_composer.gui.disk_changes import DiskChanges
        from rcs_composer.gui.docks import TEMPLATES_VISIBLE_KEY, DockOnFirstUse, Docks
        from rcs_composer.gui.file_actions import FileActions
        from rcs_composer.gui.message_actions import MessageActions
        from rcs_composer.gui.startup import AfterFirstPaint
        from rcs_composer.gui.window_menus import EditActions, install_menus, install_toolbar

        status = self.status_line.setText
        self.editor.notice.connect(status)  # what a kind switch left out, what Ctrl+D copied
        self.files = FileActions(
            self.context, self.document, self, settings=self.settings, images=self.images
        )
        self.files.status.connect(status)
        self.files.created.connect(self.focus_title)
        self.account = AccountSelector(
            self.context, self.settings, self.preview_pane.preview, self.images, status, self
        )
        self.account.profile_changed.connect(self.on_profile_changed)
        self.account_label = self.account.profile_label()
        self.messages = MessageActions(
            self.context, self.document, self.account, self.files, self.focus_path, status, self
        )
        self.issues_changed.connect(self.messages.on_issues)
        self.docks = Docks(
            self.context, self.document, self.files, self.images, self.settings, self
        )
        self.disk_changes = DiskChanges(
            self.context, self.document, self.files, status, self, self.images
        )
        toolbar = self.findChild(QToolBar, TOOLBAR_NAME)
        assert toolbar is not None
        profiles_action = install_toolbar(toolbar, self.account, self.messages)
        install_menus(
            self,
            context=self.context,
            files=self.files,
            account=self.account,
            messages=self.messages,
            docks=self.docks,
            edit_actions=EditActions(
                self.undo_action, self.redo_action, self.duplicate_action, self.dark_action
            ),
            preview_pane=self.preview_pane,
            profiles_action=profiles_action,
        )
        # The Templates and Rows panels are built when first wanted (their View-menu entries
        # and shortcuts are there from the start): the first paint does not need them.
        self.templates_dock = DockOnFirstUse(
            self,
            "&Templates on the account",
            "Ctrl+Shift+L",
            self._build_templates_panel,
            "The templates of this profile, their status and history",
        )
        self.rows_dock = DockOnFirstUse(
            self, "&Rows from a file", "Ctrl+Shift+R", self._build_rows_panel
        )
        self.statusBar().addWidget(self.account.label)
        # The profiles are read once the window has painted (AfterFirstPaint): reading them
        # creates the folders and the log on a worker that would compete with the first paint.
        self.startup = AfterFirstPaint(
            self,
            context=self.context,
            files=self.files,
            account=self.account,
            docks=self.docks,
            images=self.images,
            status=status,
        )
        self.startup.first_painted.connect(self._validate_timer.start)
        if self.settings.value(TEMPLATES_VISIBLE_KEY, False) in (True, "true"):
            self.startup.first_painted.connect(
                lambda: QTimer.singleShot(0, self, self._restore_templates_panel)
            )

    def _restore_templates_panel(self) -> None:
        """Left open last time, the Templates panel comes back after the first paint in short
        turns: its use cases are loaded in this one (most of the cost), the panel is built in
        the next and shows in the one after (install_templates_panel queues that)."""
        importlib.import_module("rcs_composer.app.templates_account")
        QTimer.singleShot(0, self, self.templates_dock.panel)

    def _build_templates_panel(self) -> tuple[TemplatesPanel, QDockWidget]:
        from rcs_composer.gui.templates_panel import install_templates_panel

        return install_templates_panel(
            self,
            services=self.context.services,
            runner=self.context.runner,
            profile=self.account.profile,
            current=lambda: (self.document.draft, self.document.draft_id),
            open_draft=lambda draft: self.files.confirm_discard(lambda: self.document.load(draft)),
            link_template=self.messages.on_template_saved,
            status=self.status_line.setText,
            profile_changed=self.account.profile_changed,
            settings=self.settings,
        )

    def _build_rows_panel(self) -> tuple[RowsPanel, QDockWidget]:
        from rcs_composer.gui.rows_panel import install_rows_panel

        panel = install_rows_panel(
            self,
            document=self.document,
            preview=self.preview_pane.preview,
            runner=self.context.runner,
            status=self.status_line.setText,
            region=lambda: self.region,
            context=self.context,
            profile_name=lambda: self.account.profile_name,
            profile_changed=self.account.profile_changed,
        )
        assert panel.dock is not None
        return panel, panel.dock

    @property
    def templates_panel(self) -> TemplatesPanel:
        """The Templates panel, built on first use."""
        return self.templates_dock.panel()

    @property
    def rows_panel(self) -> RowsPanel:
        """The Rows panel, built on first use."""
        return self.rows_dock.panel()

    # ------------------------------------------------------------ state

    def on_profile_changed(self, profile: Profile) -> None:
        self.set_region(profile.region)
        self.account_label = self.account.profile_label()
        self.update_title()

    def on_document_changed(self) -> None:
        draft = self.document.draft
        self.preview_pane.preview.set_message(draft.message, draft.variables)
        card = self.editor.edited_card()
        if card is not None:  # after the new layout, so the scroll knows the new cards
            self.preview_pane.show_card(card)
        self.request_validation()
        self.update_title()

    def set_region(self, region: Region | None) -> None:
        self.region = region
        self.editor.set_region(region)
        self.request_validation()

    def request_validation(self) -> None:
        """Validate soon; before the first paint, once it is done (the validation rules are
        not start-up work)."""
        startup = getattr(self, "startup", None)
        if startup is None or startup.painted:
            self._validate_timer.start()

    def revalidate(self) -> None:
        from rcs_composer.core.validation import validate

        draft = self.document.draft
        self.issues = validate(draft.message, self.region)
        self.problems.set_issues(self.issues)
        self.fit_problems()
        self.editor.mark(self.issues)
        self.issues_changed.emit(self.issues)

    def fit_problems(self) -> None:
        """With no problems the list shrinks to its one-line heading and the editor takes the
        room; when problems come, the list gets its height back (as last dragged)."""
        listing = self.problems.tree.isVisibleTo(self.problems)
        if listing == self.problems_listed:
            return
        self.problems_listed = listing
        sizes = self.rows.sizes()
        total = sum(sizes)
        if listing:
            wanted = self.problems_height
        else:
            if sizes[1] > self.problems.minimumSizeHint().height():
                self.problems_height = sizes[1]  # remembered for when problems come back
            wanted = self.problems.minimumSizeHint().height()
        self.rows.setSizes([max(total - wanted, 0), wanted])

    def focus_path(self, path: FieldPath | str) -> None:
        self.editor.focus_path(path)
        widget = self.editor.registry.resolve(path)
        if widget is not None:
            self.editor_scroller.ensureWidgetVisible(widget)

    def focus_title(self) -> None:
        """After File > New the keyboard is in the card's title, ready to type."""
        from rcs_composer.core.field_paths import ROOT

        title = ROOT.join(*NEW_DRAFT_FIRST_FIELD)
        QTimer.singleShot(0, lambda: self.focus_path(title))

    def update_title(self) -> None:
        draft: Draft = self.document.draft
        modified = "" if self.document.undo_stack.isClean() else " •"
        profile = f" — {self.account_label}" if self.account_label else ""
        self.setWindowTitle(f"{draft.name}{modified}{profile} — RCS Composer")

    def restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        docks = self.settings.value("window/docks")  # the drafts dock's width, as left
        if isinstance(docks, QByteArray):
            self.restoreState(docks)
        self._splitters_placed = False

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        """The splitters take their sizes when first shown: laid out at the window's size,
        before anything paints (set earlier, a splitter shares its width out again)."""
        super().showEvent(event)
        if self._splitters_placed:
            return
        self._splitters_placed = True
        width = self.columns.width() - self.columns.handleWidth()
        self.columns.setSizes([3 * width // 5, width - 3 * width // 5])  # as stretched
        self._fit_rows_to_heading()
        for splitter in (self.columns, self.rows):
            state = self.settings.value(f"window/{splitter.objectName()}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        self.problems_listed = self.rows.sizes()[1] > self._problems_heading()  # as restored

    def _problems_heading(self) -> int:
        """The height of the problems area with nothing listed: its one-line heading."""
        problems = self.rows.widget(1)
        return problems.minimumSizeHint().height() if problems is not None else 0

    def _fit_rows_to_heading(self) -> None:
        heading = self._problems_heading()
        self.rows.setSizes([max(self.rows.height() - heading, 0), heading])

    def save_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/docks", self.saveState())
        for splitter in (self.columns, self.rows):
            splitter.setSizes(splitter.sizes())  # as shown (a minimum width may have won)
            self.settings.setValue(f"window/{splitter.objectName()}", splitter.saveState())
        self.settings.sync()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt's name)
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt's name)
        from rcs_composer.gui.file_actions import drop_paths

        dropped = len(event.mimeData().urls())
        paths = drop_paths(event.mimeData())
        if not self.has_parts:
            return
        if paths:
            others = dropped - 1
            left = f"; {others} other dropped item{'s' * (others > 1)} not opened: one at a time"
            self.files.import_file(paths[0], also=left if others else "")
            event.acceptProposedAction()
        elif dropped:
            self.files.status.emit(
                "Not opened: only a file on this computer opens (save a web address's file first)"
            )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        """Closing never loses work: unsaved edits stay in the autosave for the next start."""
        self.save_state()
        if not self.has_parts:  # closed before the parts came: nothing was edited
            super().closeEvent(event)
            return
        unsaved = not self.document.undo_stack.isClean()
        if unsaved and self.context.session_id is not None:
            try:  # on the version the edits started from: a teammate's save since is asked about
                self.context.drafts.save_autosave(
                    self.context.session_id,
                    self.document.draft,
                    self.document.draft_id,
                    base=self.document.stored.version,
                )
            except OSError as exc:
                if not self.close_losing_unsaved_work(exc):
                    event.ignore()
                    return
                unsaved = False
        self.keep_autosave = unsaved
        super().closeEvent(event)

    keep_autosave = False

    def close_losing_unsaved_work(self, error: OSError) -> bool:
        """The autosave could not keep the edits (a full disk, a folder gone read-only): the
        user saves them elsewhere first, or closes without them, knowingly."""
        from PySide6.QtWidgets import QMessageBox

        from rcs_composer.gui.plain_text import plain_text
        from rcs_composer.services.paths import StorageError

        reason = error.reason if isinstance(error, StorageError) else (error.strerror or error)
        answer = QMessageBox.warning(
            self,
            "Unsaved work",
            plain_text(
                f"The unsaved edits could not be kept for the next start: {reason}.\n\n"
                "Cancel, then Save As… to another folder (or free some space), to keep them. "
                "Discard closes the window without them."
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def shutdown(self) -> None:
        """Stop background work before the interpreter exits."""
        self.images.shutdown()
        if self.has_parts:
            self.context.shutdown(keep_autosave=self.keep_autosave)
