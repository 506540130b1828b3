"""The background runner: typed operations, their busy state and failures, the test runner,
and what happens when a GUI callback itself is broken."""

from __future__ import annotations

import ast
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from rcs_composer.gui.app import report_unexpected_error
from rcs_composer.gui.tasks import Busy, SyncTaskRunner, TaskRunner, set_error_sink


def test_an_op_runs_off_the_gui_thread_and_brings_its_result_back(qtbot: object) -> None:
    runner = TaskRunner()
    gui = threading.get_ident()
    ran_on: list[int] = []
    got: list[int] = []

    def work() -> int:
        ran_on.append(threading.get_ident())
        return 41

    runner.op(work).on_success(lambda n: got.append(n + 1)).run()
    qtbot.waitUntil(lambda: got == [42])  # type: ignore[attr-defined]
    assert ran_on and ran_on[0] != gui
    assert runner.drain()


def test_busy_disables_its_widgets_while_any_op_is_out_and_gives_their_state_back(
    qtbot: object,
) -> None:
    runner = SyncTaskRunner()
    button, off = QPushButton("Save"), QPushButton("Remove")
    off.setEnabled(False)
    busy = Busy(None, button, off)
    seen: list[bool] = []
    busy.changed.connect(seen.append)
    first = runner.op(lambda: 1).busy_while(busy)
    assert not first.busy
    first.run()
    runner.op(lambda: 2).busy_while(busy).run()
    assert first.busy and busy.active and not button.isEnabled() and not off.isEnabled()
    qtbot.waitUntil(lambda: not busy.active)  # type: ignore[attr-defined]
    assert not first.busy
    assert button.isEnabled() and not off.isEnabled()  # back as they were
    assert seen == [True, False]  # one busy spell for both


def test_a_widget_given_alone_is_disabled_until_its_last_op_is_back(qtbot: object) -> None:
    runner = SyncTaskRunner()
    button = QPushButton("Test")
    runner.op(lambda: None).busy_while(button).run()
    runner.op(lambda: None).busy_while(button).run()
    assert not button.isEnabled()
    qtbot.waitUntil(button.isEnabled)  # type: ignore[attr-defined]


def test_a_failure_becomes_a_sentence_in_the_status_sink_and_the_busy_state_ends(
    qtbot: object,
) -> None:
    runner = SyncTaskRunner()
    status = QLabel()
    busy = Busy()

    def work() -> str:
        raise OSError("the disk is full")

    runner.op(work).report_to(status.setText, "✖ Not saved: {error}").busy_while(busy).run()
    qtbot.waitUntil(lambda: status.text() == "✖ Not saved: the disk is full")  # type: ignore[attr-defined]
    assert not busy.active


def test_the_sync_runner_runs_inline_and_can_deliver_at_once() -> None:
    runner = SyncTaskRunner(direct=True)
    gui = threading.get_ident()
    got: list[int] = []
    runner.op(threading.get_ident).on_success(got.append).run()
    assert got == [gui]
    assert not runner.busy


def test_a_failure_nobody_handles_is_unexpected(
    qtbot: object, callback_errors: list[BaseException]
) -> None:
    runner = SyncTaskRunner(direct=True)

    def work() -> None:
        raise ValueError("nobody expected this")

    runner.op(work).run()
    assert [str(e) for e in callback_errors] == ["nobody expected this"]
    callback_errors.clear()


def test_a_broken_gui_callback_fails_the_test(
    qtbot: object, callback_errors: list[BaseException]
) -> None:
    """The GUI tests' sink records it; the autouse fixture would fail this test with it."""
    runner = TaskRunner()

    def broken(_result: int) -> None:
        raise KeyError("a slot with a bug")

    runner.run(lambda: 1, broken, lambda _e: None)
    qtbot.waitUntil(lambda: bool(callback_errors))  # type: ignore[attr-defined]
    assert isinstance(callback_errors[0], KeyError)
    callback_errors.clear()
    assert not runner.busy


def test_in_the_app_a_broken_callback_is_logged_and_explained(
    qtbot: object,
    caplog: pytest.LogCaptureFixture,
    no_unexpected_message_box: list[str],
) -> None:
    previous = set_error_sink(report_unexpected_error)  # what run_app installs
    try:
        runner = SyncTaskRunner(direct=True)

        def broken(_result: int) -> None:
            raise RuntimeError("a slot with a bug")

        app_log = logging.getLogger("rcs_composer")  # the app's log may not reach the root
        app_log.addHandler(caplog.handler)
        try:
            runner.run(lambda: 1, broken, lambda _e: None)
        finally:
            app_log.removeHandler(caplog.handler)
    finally:
        set_error_sink(previous)
    # The trace is logged (the log file's filter may have replaced it by its redacted text).
    traces = [r.exc_text or str(r.exc_info and r.exc_info[1]) for r in caplog.records]
    assert any("a slot with a bug" in trace for trace in traces), traces
    assert len(no_unexpected_message_box) == 1
    assert "RuntimeError: the last action did not complete" in no_unexpected_message_box[0]
    no_unexpected_message_box.clear()


def test_a_window_runs_on_the_runner_its_composition_root_is_given(
    qtbot: object, make_window: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A test selects the synchronous runner through AppContext; the dialogs' busy state and
    the file actions' saving state are the ops' own."""
    from PySide6.QtWidgets import QInputDialog

    from rcs_composer.gui.profiles_dialog import NEW, ProfilesDialog

    runner = SyncTaskRunner()
    window = make_window(runner=runner)
    assert window.context.runner is runner
    dialog = ProfilesDialog(window.context, window)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.busy  # the profiles are being read
    qtbot.waitUntil(lambda: not dialog.busy)  # type: ignore[attr-defined]
    dialog.list.setCurrentItem(dialog.list.findItems(NEW, Qt.MatchFlag.MatchExactly)[0])
    dialog.name.setText("acme")
    dialog.sid.setText("HXAP16")
    qtbot.waitUntil(lambda: not dialog.busy)  # type: ignore[attr-defined]
    dialog.save_button.click()
    assert dialog.saving and not dialog.save_button.isEnabled()
    qtbot.waitUntil(lambda: "Saved acme" in dialog.message.text())  # type: ignore[attr-defined]
    assert not dialog.saving and dialog.save_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Kept", True))
    window.files.save()
    assert window.files.saving
    with qtbot.waitSignal(window.files.saved, timeout=5000):  # type: ignore[attr-defined]
        pass
    assert not window.files.saving
    assert window.document.draft.name == "Kept"


@pytest.mark.slow
def test_mypy_refuses_a_success_callback_that_takes_another_type(tmp_path: Path) -> None:
    from mypy import api

    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from rcs_composer.gui.tasks import TaskRunner\n\n\n"
        "def show(text: str) -> None: ...\n\n\n"
        "def shown(runner: TaskRunner) -> None:\n"
        "    runner.op(lambda: 'ready').on_success(show).run()\n\n\n"
        "def wrong(runner: TaskRunner) -> None:\n"
        "    runner.op(lambda: 42).on_success(show).run()\n"
        "    runner.run(lambda: 42, show, print)\n",
        encoding="utf-8",
    )
    out, _err, code = api.run(
        ["--no-incremental", "--follow-imports=silent", "--ignore-missing-imports", str(snippet)]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert code == 1
    assert [line.split(":")[1] for line in errors] == ["12", "13"], out


def _runner_runs(path: Path) -> list[int]:
    """The lines of ``path`` that reach ``<...>runner.run`` (called or passed on)."""

    def names_a_runner(node: ast.expr) -> bool:
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
        return "runner" in name.lower()

    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr == "run" and names_a_runner(node.value)
    ]


def test_every_gui_module_runs_background_work_as_a_typed_op() -> None:
    """``runner.op(work)...run()`` is the one way: a module calling ``runner.run`` directly
    would bring back its own in-flight flags and error handling."""
    import rcs_composer.gui

    gui = Path(rcs_composer.gui.__file__).parent
    found = {
        f"{path.relative_to(gui)}:{line}"
        for path in sorted(gui.rglob("*.py"))
        if path.name != "tasks.py" or path.parent != gui
        for line in _runner_runs(path)
    }
    assert found == set()
    assert _runner_runs(gui / "tasks.py")  # the scan does see a call where there is one


def test_a_job_ending_after_its_runner_was_collected_with_its_owner_is_dropped(
    qtbot: object,
) -> None:
    """The cycle collector clears the Python side of a runner whose owner (a preview no one
    holds) it frees, while Qt still holds the object; a job out then ends on it. It once
    raised AttributeError in the event loop (a CI failure, cross-test)."""
    from PySide6.QtCore import QObject

    owner = QObject()
    runner = TaskRunner(owner)
    release = threading.Event()
    said: list[object] = []
    runner.run(lambda: release.wait(5), said.append, said.append)
    vars(runner).clear()  # what the collector leaves of it
    release.set()
    qtbot.wait(200)  # type: ignore[attr-defined]
    assert said == []  # nobody to tell, and no exception in the event loop
