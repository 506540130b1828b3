"""Runs blocking service calls on QThreadPool and delivers results back on the GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

OnSuccess = Callable[[Any], None]
OnError = Callable[[BaseException], None]


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
        try:
            result = self.work()
        except BaseException as exc:  # delivered to the GUI thread, which decides what to show
            self.relay.finished.emit((self.job_id, False, exc))
        else:
            self.relay.finished.emit((self.job_id, True, result))


class TaskRunner(QObject):
    """``runner.run(work, on_success, on_error)``: ``work`` must not touch the UI.

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

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> int:
        self._next_id += 1
        job_id = self._next_id
        was_busy = self.busy
        self._callbacks[job_id] = (on_success, on_error)
        if not was_busy:
            self.busy_changed.emit(True)
        self.pool.start(_Job(job_id, work, self._relay))
        return job_id

    @Slot(object)
    def _on_finished(self, outcome: tuple[int, bool, object]) -> None:
        job_id, ok, payload = outcome
        on_success, on_error = self._callbacks.pop(job_id, (None, None))
        if not self.busy:
            self.busy_changed.emit(False)
        try:
            if ok and on_success is not None:
                on_success(payload)
            elif not ok and on_error is not None:
                assert isinstance(payload, BaseException)
                on_error(payload)
        except Exception:
            log.exception("a task callback failed")

    def drain(self, timeout_ms: int = 5000) -> bool:
        """Wait for running jobs (on close), so no worker outlives the window."""
        return bool(self.pool.waitForDone(timeout_ms))
