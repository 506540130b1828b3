"""Benchmark: refresh 200 templates in the Templates panel against the sandbox; the longest
gap between 1 ms timer ticks on the GUI thread is the worst stall a user would feel."""

from __future__ import annotations

import itertools
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def bench_template_refresh(
    wait: Callable[[Callable[[], bool], float], None], templates: int = 200
) -> dict[str, float]:
    from PySide6.QtCore import QTimer

    from rcs_composer.app import templates_account as account
    from rcs_composer.app.services import Services
    from rcs_composer.core.model import Draft, Message, TemplateInfo, TextContent
    from rcs_composer.gui.tasks import TaskRunner
    from rcs_composer.gui.templates_panel import TemplatesPanel
    from rcs_composer.services.paths import AppPaths
    from rcs_composer.services.sandbox import SandboxServer

    folder = Path(tempfile.mkdtemp(prefix="bench-templates-"))
    paths = AppPaths(folder / "config", folder / "data", folder / "cache", folder / "log").ensure()
    services = Services(
        sandbox_factory=lambda **o: SandboxServer(**{**o, "template_step_s": 0}), paths=paths
    )
    profile = services.profiles.get("sandbox")
    draft = Draft(name="bench", message=Message(content=TextContent("Offer {{code}} for you")))
    for index in range(templates):
        account.create(services, profile, draft, TemplateInfo(name=f"bench_{index:04d}"))
    runner = TaskRunner()
    panel = TemplatesPanel(services, runner, lambda: profile, lambda: (draft, None))
    panel.watch.setInterval(3_600_000)
    panel.resize(420, 700)
    panel.show()
    wait(lambda: panel.model.rowCount() == templates and not panel.busy, 30)
    ticks: list[float] = []
    progress: list[int] = []
    panel.progress.valueChanged.connect(progress.append)
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    done: list[object] = []
    panel.refreshed.connect(done.append)
    timer.start()
    wait(lambda: len(ticks) > 5, 5)
    started = time.perf_counter()
    panel.refresh()
    wait(lambda: bool(done), 120)
    elapsed = (time.perf_counter() - started) * 1000
    wait(lambda: False, 0.05)  # the repaint after the last row
    timer.stop()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    runner.drain()
    services.stop_sandbox()
    panel.close()
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "template_refresh_ms": elapsed,
        "template_refresh_max_stall_ms": max(gaps) if gaps else float("nan"),
        "template_refresh_p50_gap_ms": statistics.median(gaps) if gaps else float("nan"),
        "template_refresh_progress_steps": float(len(set(progress))),
    }
