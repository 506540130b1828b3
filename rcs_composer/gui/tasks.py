"""Runs blocking service calls on QThreadPool and delivers results back on the GUI thread.

``runner.op(work).on_success(show).report_to(status).busy_while(button).run()`` is the one way a
dialog runs work in the background: a :class:`BackgroundOp` is typed by what ``work`` returns
(mypy checks that ``show`` takes it), owns the busy state (a :class:`Busy` counter, the widgets
it disables while the work runs) and the error reporting (a failure becomes a sentence in the
status sink given). :class:`SyncTaskRunner` runs the work inline, for tests; the composition
root (:class:`~rcs_composer.gui.app_context.AppContext`) is where a test selects it.

A GUI callback that raises is a bug: it goes to the error sink (:func:`set_error_sink`), which
the app points at its unexpected-error report and the GUI tests at a recorder that fails them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

if TYPE_CHECKING:  # widgets are only named here: render runs this without QtWidgets
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)

T = TypeVar("T")
OnSuccess = Callable[[Any], object]
OnError = Callable[[BaseException], object]
ErrorSink = Callable[[BaseException], None]


def _log_error(error: BaseException) -> None:
    log.error("a task callback failed", exc_info=(type(error), error, error.__traceback__))


_error_sink: ErrorSink = _log_error


def set_error_sink(sink: ErrorSink | None) -> ErrorSink:
    """Send callback failures to ``sink`` (None: back to only logging them); returns the
    previous sink so a caller can put it back."""
    global _error_sink
    previous = _error_sink
    _error_sink = sink or _log_error
    return previous


def report_callback_error(error: BaseException) -> None:
    """Hand ``error`` to the current sink; a sink that itself fails is logged, never raised
    into Qt's event loop."""
    try:
        _error_sink(error)
    except Exception:
        log.exception("the error sink failed")
        _log_error(error)


class _Relay(QObject):
    """Lives on the GUI thread; workers only emit its signal, never touch widgets.

    The signal carries one (job id, ok, payload) tuple through the queued connection.
    """

    finished = Signal(object)


class _Job(QRunnable):
    def __init__(self, job_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.job_id, self.work, self.relay = job_id, work, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        self.relay.finished.emit((self.job_id, *_outcome(self.work)))


def _outcome(work: Callable[[], Any]) -> tuple[bool, object]:
    try:
        return True, work()
    except BaseException as exc:  # delivered to the GUI thread, which decides what to show
        return False, exc


class TaskRunner(QObject):
    """``runner.op(work)...run()`` (typed) or ``runner.run(work, on_success, on_error)``:
    ``work`` must not touch the UI.

    The callbacks run on the GUI thread. ``busy_changed`` tells the window when any job is in
    flight, so it can show a busy state.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool(self)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._callbacks: dict[int, tuple[OnSuccess, OnError]] = {}
        self._next_id = 0

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def op(self, work: Callable[[], T]) -> BackgroundOp[T]:
        """A background operation running ``work``; chain its callbacks, then ``run()`` it."""
        return BackgroundOp(self, work)

    def run(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], object],
        on_error: Callable[[BaseException], object],
    ) -> int:
        """The untyped-chain form of ``op``, typed the same way: ``on_success`` takes what
        ``work`` returns."""
        job_id = self._enqueue(on_success, on_error)
        self._start(job_id, work)
        return job_id

    def _enqueue(self, on_success: OnSuccess, on_error: OnError) -> int:
        self._next_id += 1
        job_id = self._next_id
        was_busy = self.busy
        self._callbacks[job_id] = (on_success, on_error)
        if not was_busy:
            self.busy_changed.emit(True)
        return job_id

    def _start(self, job_id: int, work: Callable[[], Any]) -> None:
        self.pool.start(_Job(job_id, work, self._relay))

    @Slot(object)
    def _on_finished(self, outcome: tuple[int, bool, object]) -> None:
        job_id, ok, payload = outcome
        callbacks = vars(self).get("_callbacks")
        if callbacks is None:
            # The garbage collector cleared this runner with its owner (a preview no one holds)
            # while a job was out; Qt still holds the object, so the job's end reaches it.
            return
        on_success, on_error = callbacks.pop(job_id, (None, None))
        if not self.busy:
            self.busy_changed.emit(False)
        try:
            if ok and on_success is not None:
                on_success(payload)
            elif not ok and on_error is not None:
                assert isinstance(payload, BaseException)
                on_error(payload)
        except Exception as exc:  # a GUI callback is broken: that is a bug, reported as one
            report_callback_error(exc)

    def drain(self, timeout_ms: int = 5000) -> bool:
        """Wait for running jobs (on close), so no worker outlives the window."""
        return bool(self.pool.waitForDone(timeout_ms))


class SyncTaskRunner(TaskRunner):
    """For tests: the work runs inline, on the calling thread. Its callbacks come back through
    the event loop, as with the real runner (``direct=True``: at once, before ``run`` returns)."""

    def __init__(self, parent: QObject | None = None, *, direct: bool = False) -> None:
        super().__init__(parent)
        self.direct = direct

    def _start(self, job_id: int, work: Callable[[], Any]) -> None:
        outcome = (job_id, *_outcome(work))
        if self.direct:
            self._on_finished(outcome)
        else:
            QTimer.singleShot(0, self, lambda: self._on_finished(outcome))

    def drain(self, timeout_ms: int = 5000) -> bool:
        return True


class Busy(QObject):
    """Whether some background operations are out: each op that names it counts while it
    runs. The widgets given are disabled while any is out, then given back the state they had.
    """

    changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *widgets: QWidget) -> None:
        super().__init__(parent)
        self.widgets = list(widgets)
        self._count = 0
        self._were_enabled: list[bool] = []

    @classmethod
    def of(cls, widget: QWidget) -> Busy:
        """The one counter of ``widget``, made on first use: two ops on the same button do not
        enable it while the other is still out."""
        found = widget.findChild(
            Busy, "busy-while", options=Qt.FindChildOption.FindDirectChildrenOnly
        )
        if isinstance(found, Busy):
            return found
        busy = cls(widget, widget)
        busy.setObjectName("busy-while")
        return busy

    @property
    def active(self) -> bool:
        return self._count > 0

    def __bool__(self) -> bool:
        return self.active

    def enter(self) -> None:
        self._count += 1
        if self._count == 1:
            self._were_enabled = [widget.isEnabled() for widget in self.widgets]
            for widget in self.widgets:
                widget.setEnabled(False)
            self.changed.emit(True)

    def leave(self) -> None:
        if self._count == 0:
            return
        self._count -= 1
        if self._count == 0:
            for widget, was in zip(self.widgets, self._were_enabled, strict=False):
                widget.setEnabled(was)
            self.changed.emit(False)


class BackgroundOp(Generic[T]):
    """One run of ``work`` off the GUI thread, typed by what it returns.

    - ``on_success(f)``: ``f`` gets the result on the GUI thread.
    - ``on_failure(f)``: ``f`` gets the exception; without it, ``report_to(status, sentence)``
      shows ``sentence.format(error=...)`` in the status sink; without either, the failure is
      unexpected and goes to the error sink.
    - ``busy_while(*targets)``: a :class:`Busy` (or a widget, disabled) for as long as it runs;
      released before the callbacks run, so they see the settled state.
    """

    def __init__(self, runner: TaskRunner, work: Callable[[], T]) -> None:
        self.runner, self.work = runner, work
        self._success: Callable[[T], object] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._status: Callable[[str], object] | None = None
        self._sentence = "✖ {error}"
        self._busy: list[Busy] = []
        self._running = False

    @property
    def busy(self) -> bool:
        """Whether this operation's work is out (from ``run`` until its result is back)."""
        return self._running

    def on_success(self, callback: Callable[[T], object]) -> Self:
        self._success = callback
        return self

    def on_failure(self, callback: Callable[[BaseException], object]) -> Self:
        self._failure = callback
        return self

    def report_to(self, status: Callable[[str], object], sentence: str = "✖ {error}") -> Self:
        """The default failure handler: ``sentence`` (with ``{error}``) goes to ``status``."""
        self._status, self._sentence = status, sentence
        return self

    def ignore_failure(self) -> Self:
        """A failure that changes nothing the user sees (a best-effort look-up)."""
        self._failure = lambda _error: None
        return self

    def busy_while(self, *targets: Busy | QWidget) -> Self:
        self._busy.extend(t if isinstance(t, Busy) else Busy.of(t) for t in targets)
        return self

    def run(self) -> int:
        self._running = True
        for busy in self._busy:
            busy.enter()
        return self.runner.run(self.work, self._succeeded, self._failed)

    def _release(self) -> None:
        self._running = False
        for busy in self._busy:
            busy.leave()

    def _succeeded(self, result: Any) -> None:
        self._release()
        if self._success is not None:
            self._success(result)

    def _failed(self, error: BaseException) -> None:
        self._release()
        if self._failure is not None:
            self._failure(error)
        elif self._status is not None:
            self._status(self._sentence.format(error=error))
        else:
            report_callback_error(error)
