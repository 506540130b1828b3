"""rcs-composer benchmarks: prints a table, then one JSON line of figures (see the README).

    python tests/benchmarks/run.py [--quick]

Figures are measured, never asserted: compare them with the budgets in the performance issue.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.floors import resident_mb  # noqa: E402
from tests.gui.imageserver import ImageServer  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def carousel(urls: list[str]):  # type: ignore[no-untyped-def]
    from rcs_composer.core import model as m

    def card(index: int, url: str) -> m.CardContent:
        actions = tuple(
            m.SuggestionSlot(
                m.ActionChip(
                    text=f"Go {j}", postback_data=f"p{j}", action=m.OpenUrl(url="https://e.in/x")
                )
            )
            for j in range(2)
        )
        return m.CardContent(
            title=f"Card {index}",
            description="Fresh sweets, gift wrapped, delivered today.",
            media=m.Media(height=m.MediaHeight.MEDIUM, file=m.FileRef(file_url=url)),
            suggestions=actions,
        )

    return m.Message(content=m.Carousel(cards=tuple(card(i, url) for i, url in enumerate(urls))))


def wait(condition: Callable[[], bool], seconds: float) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.002)


# ---------------------------------------------------------------- in-process measurements


def bench_preview(images: ImageServer, edits: int) -> dict[str, float]:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLabel

    from rcs_composer.core.model import Carousel, Draft
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.main_window import MainWindow
    from rcs_composer.gui.session import AppSession

    urls = [images.url(path) for path in ("/red.png", "/green.png", "/blue.png")] * 4
    message = carousel(urls[:10])
    window = MainWindow(
        ComposerDocument(Draft(name="bench", message=message)),
        session=AppSession(start_sandbox=False),
    )
    window.show()
    preview = window.preview_pane.preview
    wait(lambda: preview.loader.held is None and not preview.loader.loading, 15)
    times = []
    for index in range(edits):
        content = window.document.message.content
        assert isinstance(content, Carousel)
        cards = list(content.cards)
        cards[0] = dataclasses.replace(cards[0], title=f"Card title edit {index}")
        started = time.perf_counter()
        window.document.set_message(
            dataclasses.replace(
                window.document.message, content=dataclasses.replace(content, cards=tuple(cards))
            ),
            "bench",
            merge_key="bench",
        )
        preview.repaint()
        times.append((time.perf_counter() - started) * 1000)
        wait(lambda: True, 0)
    label = QLabel("Card 0")
    label.resize(360, 40)
    label.show()
    QTest.qWaitForWindowExposed(label)
    floor = []
    for index in range(edits):
        started = time.perf_counter()
        label.setText(f"Card title edit {index}")
        label.repaint()
        floor.append((time.perf_counter() - started) * 1000)
    window.shutdown()
    window.close()
    return {
        "preview_p50_ms": statistics.median(times),
        "preview_p99_ms": percentile(times, 0.99),
        "preview_floor_p50_ms": statistics.median(floor),
    }


def bench_validate(runs: int) -> dict[str, float]:
    from rcs_composer.core import codecs
    from rcs_composer.core.validation import validate

    message = carousel([f"https://e.in/{i}.jpg" for i in range(10)])
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        validate(message)
        codecs.export_message(message)
        times.append((time.perf_counter() - started) * 1000)
    return {"validate_p50_ms": statistics.median(times)}


def bench_stall() -> dict[str, float]:
    from PySide6.QtCore import QTimer

    from rcs_composer.core import codecs
    from rcs_composer.gui.images import ImageLoader
    from rcs_composer.gui.tasks import TaskRunner
    from rcs_composer.services.kaleyra import KaleyraClient
    from tests.support.faulty_sandbox import Faults
    from tests.support.faulty_sandbox import FaultySandbox as SandboxServer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    with ImageServer(delay=1.0) as slow, SandboxServer() as sandbox:
        sandbox.set_faults(Faults(latency=1.0, remaining=1))
        loader = ImageLoader()
        runner = TaskRunner()
        body = codecs.export_message(
            dataclasses.replace(
                carousel([slow.url("/red.png")] * 2), sender="rcs-dev", recipients=("919876543210",)
            )
        )
        done: list[object] = []
        timer.start()
        for index in range(10):
            loader.request(slow.url(f"/slow{index}.png"))
        runner.run(
            lambda: KaleyraClient(sandbox.url, "S", "sandbox-key").send(body),
            done.append,
            done.append,
        )
        wait(lambda: bool(done) and not loader.loading, 20)
        timer.stop()
        loader.shutdown()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    return {"max_stall_ms": max(gaps) if gaps else float("nan")}


def bench_library(drafts: int) -> dict[str, float]:
    from rcs_composer.core import codecs
    from rcs_composer.core import model as m
    from rcs_composer.gui.library import LibraryPanel
    from rcs_composer.gui.session import AppSession

    with tempfile.TemporaryDirectory() as folder:
        os.environ["RCS_COMPOSER_DATA_DIR"] = folder
        store_dir = Path(folder) / "drafts"
        store_dir.mkdir()
        for index in range(drafts):
            draft = m.Draft(
                name=f"Campaign {index}",
                message=m.Message(content=m.TextContent(f"Offer {index} for festival {index % 7}")),
            )
            (store_dir / f"d{index:05d}.json").write_text(codecs.dumps(codecs.export_draft(draft)))
        session = AppSession(start_sandbox=False)
        session.drafts.entries()  # the index exists after the first run of the app
        panel = LibraryPanel(session)
        panel.show()
        started = time.perf_counter()
        panel.reload()
        wait(lambda: panel.model.rowCount() == drafts, 30)
        opened = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        panel.search.setText("campaign 99")
        searched = (time.perf_counter() - started) * 1000
        session.shutdown()
    return {"library_open_ms": opened, "library_search_ms": searched}


# ---------------------------------------------------------------- whole-process measurements


def bench_render(images: ImageServer) -> dict[str, float]:
    from rcs_composer.core import codecs

    message = carousel([images.url("/red.png")] * 10)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "carousel.json"
        source.write_text(codecs.dumps(codecs.export_message(message)))
        env = {**os.environ, "RCS_COMPOSER_CACHE_DIR": folder}
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "rcs_composer",
                "render",
                str(source),
                "-o",
                f"{folder}/out.png",
            ],
            check=True,
            env=env,
            timeout=120,
        )
        return {"render_png_ms": (time.perf_counter() - started) * 1000}


def child_rss(url: str) -> None:
    """Run in a fresh process: the app with the 10-card carousel open and its images loaded."""
    from PySide6.QtWidgets import QApplication

    from rcs_composer.core.model import Draft
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.main_window import MainWindow
    from rcs_composer.gui.session import AppSession

    app = QApplication(sys.argv[:1])
    window = MainWindow(
        ComposerDocument(Draft(name="rss", message=carousel([url] * 10))),
        session=AppSession(start_sandbox=False),
    )
    window.show()
    loader = window.preview_pane.preview.loader
    wait(lambda: loader.held is None and not loader.loading and bool(loader.images), 15)
    print(resident_mb())
    window.shutdown()
    del app


def bench_rss(images: ImageServer) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            **{
                f"RCS_COMPOSER_{d}_DIR": f"{folder}/{d}" for d in ("CONFIG", "DATA", "CACHE", "LOG")
            },
        }
        app = subprocess.run(
            [sys.executable, __file__, "--child-rss", images.url("/green.png")],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=120,
        )
        floor = subprocess.run(
            [sys.executable, str(Path(__file__).with_name("floors.py")), "rss"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=120,
        )
    return {
        "rss_mb": float(app.stdout.split()[-1]),
        "rss_floor_mb": float(floor.stdout.split()[-1]),
    }


def bench_startup(runs: int) -> dict[str, float]:
    """Whole-process start-up to first paint, app and bare-window floor (table only)."""
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            **{
                f"RCS_COMPOSER_{d}_DIR": f"{folder}/{d}" for d in ("CONFIG", "DATA", "CACHE", "LOG")
            },
        }
        app, floor = [], []
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "rcs_composer", "--exit-after-show"],
                check=True,
                env=env,
                timeout=60,
            )
            app.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, str(Path(__file__).with_name("floors.py")), "startup"],
                check=True,
                env=env,
                timeout=60,
            )
            floor.append((time.perf_counter() - started) * 1000)
    return {"startup_ms": statistics.median(app), "startup_floor_ms": statistics.median(floor)}


JSON_KEYS = (
    "preview_p50_ms",
    "preview_p99_ms",
    "preview_floor_p50_ms",
    "validate_p50_ms",
    "max_stall_ms",
    "library_open_ms",
    "library_search_ms",
    "render_png_ms",
    "rss_mb",
    "rss_floor_mb",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer iterations, for a smoke run")
    parser.add_argument("--child-rss", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rss:
        child_rss(args.child_rss)
        return 0
    from PySide6.QtWidgets import QApplication

    with tempfile.TemporaryDirectory() as folder:
        for name in ("CONFIG", "DATA", "CACHE", "LOG"):
            os.environ[f"RCS_COMPOSER_{name}_DIR"] = f"{folder}/{name.lower()}"
        app = QApplication(sys.argv[:1])
        figures: dict[str, float] = {}
        with ImageServer(delay=0.0) as images:
            figures.update(bench_preview(images, 100 if args.quick else 500))
            figures.update(bench_validate(200 if args.quick else 2000))
            figures.update(bench_stall())
            figures.update(bench_library(1000 if args.quick else 10_000))
            figures.update(bench_render(images))
            figures.update(bench_rss(images))
        from tests.benchmarks.rows import JSON_KEYS as ROWS_KEYS
        from tests.benchmarks.rows import bench_rows

        figures.update(bench_rows(args.quick))
        extra = bench_startup(3 if args.quick else 10)
        del app
    print(f"{'measure':28} {'value':>10}")
    for key, value in {**figures, **extra}.items():
        print(f"{key:28} {value:10.2f}")
    print(json.dumps({key: round(figures[key], 3) for key in (*JSON_KEYS, *ROWS_KEYS)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
