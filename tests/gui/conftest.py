"""GUI tests: window state goes to the test's config folder, and windows stop their services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from rcs_composer.gui.app import configure_settings


@pytest.fixture(autouse=True)
def no_unexpected_message_box(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """A message box nobody expected would block an offscreen test for ever: it answers
    Cancel at once, and the test fails with its text. Tests that expect one patch it again."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def answer(kind: str) -> object:
        def show(_parent: object, title: str, text: str, *_rest: object, **_k: object) -> object:
            shown.append(f"{kind} “{title}”: {text}")
            return QMessageBox.StandardButton.Cancel

        return show

    for kind in ("warning", "critical", "question", "information"):
        monkeypatch.setattr(QMessageBox, kind, answer(kind))

    def run_box(box: QMessageBox) -> int:  # a box built by hand and shown with exec()
        shown.append(f"exec “{box.windowTitle()}”: {box.text()} {box.informativeText()}")
        return int(QMessageBox.StandardButton.Cancel.value)

    monkeypatch.setattr(QMessageBox, "exec", run_box)
    yield shown
    assert not shown, f"unexpected message box: {shown}"


@pytest.fixture(autouse=True)
def callback_errors() -> Iterator[list[BaseException]]:
    """A GUI callback of a background task that raises fails the test: the runners' error
    sink records it here and the test fails with it. A test expecting one empties the list."""
    from rcs_composer.gui.tasks import set_error_sink

    failed: list[BaseException] = []
    previous = set_error_sink(failed.append)
    yield failed
    set_error_sink(previous)
    assert not failed, f"a background task's callback failed: {failed!r}"


@pytest.fixture(autouse=True)
def private_settings(isolated_dirs: Path, qapp: object) -> None:
    QCoreApplication.setOrganizationName("rcs-composer")
    QCoreApplication.setApplicationName("rcs-composer")
    configure_settings()


@pytest.fixture
def make_window(qtbot: object) -> Iterator[object]:
    """Build main windows on a sample; each one's services are stopped after the test."""
    from rcs_composer.app.services import Services
    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.main_window import MainWindow
    from rcs_composer.gui.samples import load_sample
    from rcs_composer.gui.tasks import TaskRunner
    from tests.support.faulty_sandbox import FaultySandbox

    windows: list[MainWindow] = []

    def make(
        sample: str = "standalone_card.json",
        *,
        sandbox: bool = False,
        services: Services | None = None,
        runner: TaskRunner | None = None,
    ) -> MainWindow:
        """``services``: a container with slow or faulty parts; by default one whose sandbox
        tests may set faults on."""
        services = services or Services(sandbox_factory=FaultySandbox)
        window = MainWindow(
            ComposerDocument(load_sample(sample)),
            context=AppContext(start_sandbox=sandbox, services=services, runner=runner),
        )
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.show()
        qtbot.waitExposed(window)  # type: ignore[attr-defined]
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()
