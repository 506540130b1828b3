"""The window's image downloads, each by a child process (services/media_child.py), run with
QProcess from a loader's worker thread; the child is killed when the deadline passes or the
window closes."""

from __future__ import annotations

import contextlib
import os
import threading
import time

from PySide6.QtCore import QProcess, QProcessEnvironment

from rcs_composer.services.media import (
    FETCH_DEADLINE_S,
    MAX_BYTES,
    MAX_PIXELS,
    STOPPED,
    TIMEOUT,
    MediaInfo,
    ended_early,
    past_deadline,
)
from rcs_composer.services.media_child import (
    Measure,
    child_command,
    child_environment,
    read_answer,
    request_line,
)

POLL_MS = 50


def download(
    url: str,
    *,
    deadline: float = FETCH_DEADLINE_S,
    cancelled: threading.Event | None = None,
    measure: Measure | None = None,
    max_bytes: int = MAX_BYTES,
    timeout: tuple[float, float] = TIMEOUT,
    max_pixels: int = MAX_PIXELS,
) -> tuple[MediaInfo, bytes]:
    """``media.fetch``'s answer for ``url``, downloaded by a child process. Raises MediaError
    as ``fetch`` does, and "stopped" once ``cancelled`` is set."""
    request = request_line(url, max_bytes, timeout, deadline)
    program, *arguments = child_command()
    child = QProcess()
    environment = QProcessEnvironment()
    for name, value in child_environment().items():
        environment.insert(name, value)
    child.setProcessEnvironment(environment)
    child.setStandardErrorFile(QProcess.nullDevice())
    child.start(program, arguments)
    if not child.waitForStarted(5000):
        raise ended_early(url, f"could not start the download ({child.errorString()})")
    _yield_to_the_window(child.processId())
    try:
        child.write(request)
        child.closeWriteChannel()
        ends = time.monotonic() + deadline
        # Waiting reads what the child writes as it comes (a pipe never fills and stalls it).
        while child.state() != QProcess.ProcessState.NotRunning:
            if child.waitForFinished(POLL_MS):
                break
            if cancelled is not None and cancelled.is_set():
                raise ended_early(url, STOPPED)
            if time.monotonic() >= ends:
                raise past_deadline(url, deadline)
        output = bytes(child.readAllStandardOutput().data())
    finally:
        if child.state() != QProcess.ProcessState.NotRunning:
            child.kill()
            child.waitForFinished(1000)
    return read_answer(output, url, measure, max_pixels)


CHILD_NICENESS = 10  # below the window: a child starting Python never takes its turn to draw


def _yield_to_the_window(pid: int) -> None:
    """Lower the child's scheduling priority (POSIX): several starting at once (a carousel's
    pictures) would otherwise take both cores of a small machine from the window."""
    if hasattr(os, "setpriority"):
        with contextlib.suppress(OSError):  # it has already exited, or is not ours to change
            os.setpriority(os.PRIO_PROCESS, pid, CHILD_NICENESS)
