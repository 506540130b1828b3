"""rcs-composer benchmarks: prints a table, then one JSON line of figures (see the README).

    python tests/benchmarks/run.py [--quick]

Figures are measured, never asserted: compare them with the budgets in the performance issue.
Each figure with a floor is measured in the same run as its floor (whole-process figures
interleaved, app then floor, run after run) and reported with their ratio.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import resource
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

from tests.benchmarks.messages import carousel, text  # noqa: E402
from tests.benchmarks.template_refresh import bench_template_refresh  # noqa: E402
from tests.gui.imageserver import ImageServer, photos  # noqa: E402

BENCHMARKS = Path(__file__).resolve().parent


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def wait(condition: Callable[[], bool], seconds: float) -> None:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.002)


# ---------------------------------------------------------------- in-process measurements


def bench_preview(images: ImageServer, edits: int) -> dict[str, float]:
    """A title edit on card 1 of a 10-card carousel, three ways, each ``edits`` times:

    - the preview's update (``preview_*``): the new message laid out and the phone repainted;
    - its floor (``preview_floor_*``): the same painter repainting the layout it has;
    - the whole keystroke (``edit_*``): the document changed, so the editors, the variables
      panel and the preview follow, then the check that runs after it and the repaint.
    """
    from PySide6.QtCore import QCoreApplication

    from rcs_composer.core.model import Carousel, Draft, Message
    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.main_window import MainWindow

    urls = [images.url(path) for path in ("/red.png", "/green.png", "/blue.png")] * 4
    message = carousel(urls[:10])
    window = MainWindow(
        ComposerDocument(Draft(name="bench", message=message)),
        context=AppContext(start_sandbox=False),
    )
    window.show()
    preview = window.preview_pane.preview
    wait(lambda: preview.loader.held is None and not preview.loader.loading, 15)

    def edited(index: int) -> Message:
        content = window.document.message.content
        assert isinstance(content, Carousel)
        cards = list(content.cards)
        cards[0] = dataclasses.replace(cards[0], title=f"Card title edit {index}")
        return dataclasses.replace(
            window.document.message, content=dataclasses.replace(content, cards=tuple(cards))
        )

    updates, floor, keystrokes = [], [], []
    for index in range(edits):
        new = edited(index)
        started = time.perf_counter()
        preview.set_message(new, window.document.draft.variables)
        preview.repaint()
        updates.append((time.perf_counter() - started) * 1000)
        wait(lambda: True, 0)
    for _ in range(edits):
        started = time.perf_counter()
        preview.repaint()
        floor.append((time.perf_counter() - started) * 1000)
        wait(lambda: True, 0)
    for index in range(edits):
        new = edited(edits + index)
        started = time.perf_counter()
        window.document.set_message(new, "bench", merge_key="bench")
        preview.repaint()
        QCoreApplication.processEvents()  # the check after the edit, and what it repaints
        keystrokes.append((time.perf_counter() - started) * 1000)
    window.shutdown()
    window.close()
    return {
        "preview_p50_ms": statistics.median(updates),
        "preview_p99_ms": percentile(updates, 0.99),
        "preview_floor_p50_ms": statistics.median(floor),
        "preview_floor_p99_ms": percentile(floor, 0.99),
        "edit_p50_ms": statistics.median(keystrokes),
        "edit_p99_ms": percentile(keystrokes, 0.99),
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


def bench_recipients(keystrokes: int) -> dict[str, float]:
    """A keystroke in the send dialog's Recipients with 100 numbers typed: every entry is
    checked again and the recipients list follows (table only)."""
    from rcs_composer.core import model as m
    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.send_dialog import SendDialog

    session = AppContext(start_sandbox=False)
    draft = m.Draft(name="Hello", message=m.Message(content=m.TextContent("Hello")))
    dialog = SendDialog(session, draft, "sandbox")
    dialog.show()
    wait(lambda: dialog.ready, 10)
    text = "\n".join(f"+91 98765 {40000 + i:05d}" for i in range(100))
    times = []
    for index in range(keystrokes):
        started = time.perf_counter()
        dialog.recipients.setPlainText(f"{text}{index % 10}")
        dialog.recipient_list.resizeRowsToContents()  # what the deferred sizing then does
        times.append((time.perf_counter() - started) * 1000)
    dialog.close()
    session.runner.drain()
    return {"recipients_keystroke_p50_ms": statistics.median(times)}


def bench_library(drafts: int) -> dict[str, float]:
    from rcs_composer.core import codecs
    from rcs_composer.core import model as m
    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.library import LibraryPanel

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
        session = AppContext(start_sandbox=False)
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


class Processes:
    """Runs the app and its floors as fresh processes, as a user's installed copy runs.

    An installed app has its bytecode compiled (pip and the one-folder build both do it); a
    machine that sets PYTHONDONTWRITEBYTECODE would recompile every module of the app on every
    start, and none of the floor's. So children keep their bytecode in a private folder of
    this run, and every command runs once before it is timed.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = self.fresh_env("app")
        script = Path(sys.executable).with_name("rcs-composer")
        self.app = [str(script)] if script.exists() else [sys.executable, "-m", "rcs_composer"]

    def fresh_env(self, name: str) -> dict[str, str]:
        """The app's folders under ``name`` (a new name: a first start, nothing cached)."""
        env = {
            **os.environ,
            **{
                f"RCS_COMPOSER_{d}_DIR": str(self.folder / name / d.lower())
                for d in ("CONFIG", "DATA", "CACHE", "LOG")
            },
            "PYTHONPYCACHEPREFIX": str(self.folder / "pycache"),
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def run(self, command: list[str], env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=env or self.env,
            check=True,
            timeout=120,
        )
        return done.stdout

    def time_ms(self, command: list[str], env: dict[str, str] | None = None) -> float:
        return self.times_ms(command, env)[0]

    def times_ms(
        self, command: list[str], env: dict[str, str] | None = None
    ) -> tuple[float, float]:
        """Wall time and CPU time (user + system) of one run of ``command``, in ms."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        self.run(command, env)
        wall = (time.perf_counter() - started) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
        return wall, cpu

    def until_painted_ms(self, command: list[str]) -> float:
        """Wall time from starting ``command`` to its "painted" line (the first paint, without
        the exit after it; for the ready figure, the first paint of the finished window)."""
        started = time.perf_counter()
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=self.env
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                if line.strip() == "painted":
                    painted = (time.perf_counter() - started) * 1000
                    break
            else:
                raise RuntimeError(f"{command} never painted")
            child.communicate(timeout=60)
        return painted

    def first_paints(self, runs: int, commands: dict[str, list[str]]) -> dict[str, float]:
        for command in commands.values():
            self.until_painted_ms(command)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(self.until_painted_ms(command))
        return {name: statistics.median(values) for name, values in times.items()}

    def pairs(self, runs: int, commands: dict[str, list[str]]) -> dict[str, float]:
        """Median wall time of each command, run ``runs`` times interleaved (after a warm-up),
        and its median CPU time (user + system) under the name with ``_cpu_ms``: what other
        work on a shared machine moves least."""
        for command in commands.values():
            self.run(command)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                wall, cpu = self.times_ms(command)
                walls[name].append(wall)
                cpus[name].append(cpu)
        medians = {name: statistics.median(values) for name, values in walls.items()}
        for name, values in cpus.items():
            medians[name.replace("_ms", "_cpu_ms")] = statistics.median(values)
        return medians


def bench_processes(images: ImageServer, runs: int) -> tuple[dict[str, float], dict[str, float]]:
    """Start-up, validate and render as whole processes, each beside its floor; then memory."""
    from rcs_composer.core import codecs

    python = sys.executable
    floors = str(BENCHMARKS / "floors.py")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        procs = Processes(folder)
        sample = ROOT / "resources" / "samples" / "standalone_card.json"
        words = folder / "text.json"
        words.write_text(codecs.dumps(codecs.export_message(text())))
        cards = folder / "carousel.json"
        cards.write_text(
            codecs.dumps(codecs.export_message(carousel([images.url("/red.png")] * 10)))
        )
        batch = []
        for index in range(10):
            path = folder / f"text{index}.json"
            path.write_text(codecs.dumps(codecs.export_message(text(f"Offer {index} today."))))
            batch.append(str(path))
        out = str(folder / "out.png")
        figures = procs.pairs(
            runs,
            {
                "startup_ms": [*procs.app, "--exit-after-show"],
                "startup_floor_ms": [python, floors, "startup"],
                "cli_validate_ms": [*procs.app, "validate", str(sample)],
                "cli_validate_floor_ms": [python, "-c", "pass"],
                "render_text_ms": [*procs.app, "render", str(words), "-o", out],
                "render_text_floor_ms": [python, floors, "render", out],
                "render_png_ms": [*procs.app, "render", str(cards), "-o", out],
            },
        )
        # To the first paint only (the exit after it is not start-up), the whole of it: the
        # app says "painted" when its loop returns from that paint, the floor likewise.
        figures.update(
            procs.first_paints(
                runs,
                {
                    "first_paint_ms": [python, "-c", SAY_PAINTED],
                    "first_paint_floor_ms": [python, floors, "startup", "--say-painted"],
                    "ready_ms": [python, "-c", SAY_READY],
                    "first_paint_frame_ms": [python, floors, "startup", "--say-painted", "--frame"],
                },
            )
        )
        # Ten files in one process, when the command takes many (one Qt start for all).
        help_text = procs.run([*procs.app, "render", "--help"])
        if "DIR" in help_text:
            (folder / "many").mkdir()
            figures["render_10_files_ms"] = procs.pairs(
                runs,
                {"render_10_files_ms": [*procs.app, "render", *batch, "-o", str(folder / "many")]},
            )["render_10_files_ms"]
        # Memory: each run a first start in new folders, so the images are fetched and decoded.
        # The reference beside them: plain PySide6 building what the app's window held (its
        # widgets, menus and pictures, from the census the app's run writes), no app code.
        rss: dict[str, list[float]] = {"rss_mb": [], "rss_floor_mb": [], "rss_frame_mb": []}
        child = [python, str(BENCHMARKS / "children.py"), "rss", images.url("/green.png")]
        procs.run(child, procs.fresh_env("rss-warm-up"))  # compiles what only this child loads
        for index in range(3):
            env = procs.fresh_env(f"rss{index}")
            census = str(folder / f"census{index}.json")
            rss["rss_mb"].append(float(procs.run([*child, "--census", census], env).split()[-1]))
            rss["rss_floor_mb"].append(float(procs.run([python, floors, "rss"], env).split()[-1]))
            reference = [python, floors, "rss", "--frame", census]
            rss["rss_frame_mb"].append(float(procs.run(reference, env).split()[-1]))
        figures.update({key: statistics.median(values) for key, values in rss.items()})
        # The same carousel with a camera photo on every card (3000 x 2000 JPEGs, ~2.5 MB
        # each), as users fill one: what decoding them leaves behind shows here.
        with_photos = [*child[:-1], *photos(images)]
        figures["rss_photos_mb"] = statistics.median(
            float(procs.run(with_photos, procs.fresh_env(f"photos{index}")).split()[-1])
            for index in range(3)
        )
        # Table only: the same start-up with no bytecode kept, as this machine's default runs it.
        cold = {**procs.env, "PYTHONDONTWRITEBYTECODE": "1"}
        cold.pop("PYTHONPYCACHEPREFIX")
        extra = {
            "startup_uncompiled_ms": statistics.median(
                procs.time_ms([*procs.app, "--exit-after-show"], cold)
                for _ in range(max(3, runs // 2))
            )
        }
    return figures, extra


# The app as ``rcs-composer --exit-after-show`` runs it, printing "painted" once its first
# paint is done: the window's paint event comes first and its children (the phone) paint
# after it in the same pass; the app's loop returns when the pass is over, and the window
# shuts down right after.
SAY_PAINTED = """
import sys
from rcs_composer.gui import main_window
shutdown = main_window.MainWindow.shutdown
def say(self):
    print("painted", flush=True)
    shutdown(self)
main_window.MainWindow.shutdown = say
from rcs_composer.entry import main
sys.exit(main(["--exit-after-show"]))
"""

# The app as ``rcs-composer`` runs it, printing "painted" once the window, its parts built, has
# painted: the editor, problems and menus are there (what the start-up hands on to after it).
SAY_READY = """
import sys
from PySide6.QtCore import QCoreApplication
from rcs_composer.gui import startup
def ready(self):
    print("painted", flush=True)
    QCoreApplication.exit(0)
startup.AfterFirstPaint.start = ready
from rcs_composer.entry import main
sys.exit(main([]))
"""


def check_corpus(folder: Path, files: int) -> None:
    """``files`` designs in folders of 100, as a brand's repository holds them: drafts of every
    kind, message bodies and template bodies, one in ten with an error."""
    from rcs_composer.core import codecs
    from rcs_composer.core import model as m

    samples = sorted((ROOT / "resources" / "samples").glob("*.json"))
    for index in range(files):
        sub = folder / f"campaign-{index // 100:02d}"
        sub.mkdir(exist_ok=True)
        if index % 3 == 0:
            (sub / f"body-{index}.json").write_bytes(samples[index % len(samples)].read_bytes())
            continue
        title = "x" * 201 if index % 10 == 1 else f"Offer {index}"
        card = m.RichCard(content=m.CardContent(title=title, description="Fresh sweets " * 5))
        message = carousel([f"https://e.in/{index}/{n}.jpg" for n in range(3)])
        content = card if index % 2 else message.content
        draft = m.Draft(name=f"Offer {index}", message=m.Message(content=content))
        (sub / f"offer-{index}.rcs.json").write_text(codecs.dumps(codecs.export_draft(draft)))


def bench_check(files: int, runs: int) -> dict[str, float]:
    """``rcs-composer check`` on ``files`` files, whole process (Python start-up included),
    with a JUnit report: what a CI step costs. Qt is never imported (no --render)."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "repo"
        corpus.mkdir()
        check_corpus(corpus, files)
        junit = str(Path(folder) / "check.xml")
        command = [sys.executable, "-m", "rcs_composer", "check", str(corpus), "--junit", junit]
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = subprocess.run(
                [*command, "--quiet"],
                capture_output=True,
                text=True,
                check=False,
            )
            times.append((time.perf_counter() - started) * 1000)
            if result.returncode != 1:  # one file in ten has an error by design
                raise RuntimeError(f"check failed unexpectedly: {result.stderr[-500:]}")
    return {"check_1000_files_ms" if files == 1000 else f"check_{files}_files_ms": min(times)}


RATIOS = {
    "preview_ratio": ("preview_p50_ms", "preview_floor_p50_ms"),
    "startup_ratio": ("startup_ms", "startup_floor_ms"),
    "startup_cpu_ratio": ("startup_cpu_ms", "startup_floor_cpu_ms"),
    "first_paint_ratio": ("first_paint_ms", "first_paint_floor_ms"),
    "ready_ratio": ("ready_ms", "first_paint_floor_ms"),
    "first_paint_frame_ratio": ("first_paint_frame_ms", "first_paint_floor_ms"),
    "rss_ratio": ("rss_mb", "rss_floor_mb"),
    "rss_photos_ratio": ("rss_photos_mb", "rss_floor_mb"),
    "rss_frame_ratio": ("rss_frame_mb", "rss_floor_mb"),
    "cli_validate_ratio": ("cli_validate_ms", "cli_validate_floor_ms"),
    "cli_validate_cpu_ratio": ("cli_validate_cpu_ms", "cli_validate_floor_cpu_ms"),
    "render_text_ratio": ("render_text_ms", "render_text_floor_ms"),
}

JSON_KEYS = (
    "preview_p50_ms",
    "preview_p99_ms",
    "preview_floor_p50_ms",
    "preview_floor_p99_ms",
    "preview_ratio",
    "edit_p50_ms",
    "edit_p99_ms",
    "validate_p50_ms",
    "max_stall_ms",
    "library_open_ms",
    "library_search_ms",
    "template_refresh_max_stall_ms",
    "check_1000_files_ms",
    "startup_ms",
    "startup_floor_ms",
    "startup_ratio",
    "startup_cpu_ms",
    "startup_floor_cpu_ms",
    "startup_cpu_ratio",
    "first_paint_ms",
    "first_paint_floor_ms",
    "first_paint_ratio",
    "ready_ms",
    "ready_ratio",
    "first_paint_frame_ms",
    "first_paint_frame_ratio",
    "rss_mb",
    "rss_floor_mb",
    "rss_ratio",
    "rss_photos_mb",
    "rss_photos_ratio",
    "rss_frame_mb",
    "rss_frame_ratio",
    "cli_validate_ms",
    "cli_validate_floor_ms",
    "cli_validate_ratio",
    "cli_validate_cpu_ms",
    "cli_validate_floor_cpu_ms",
    "cli_validate_cpu_ratio",
    "render_text_ms",
    "render_text_floor_ms",
    "render_text_ratio",
    "render_png_ms",
    "render_10_files_ms",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer iterations, for a smoke run")
    args = parser.parse_args()
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
            figures.update(bench_template_refresh(wait, 50 if args.quick else 200))
            figures.update(bench_recipients(20 if args.quick else 100))
            figures.update(bench_check(1000, 1 if args.quick else 3))
            processes, extra = bench_processes(images, 3 if args.quick else 7)
            figures.update(processes)
        from tests.benchmarks.rows import JSON_KEYS as ROWS_KEYS
        from tests.benchmarks.rows import bench_rows

        figures.update(bench_rows(args.quick))
        del app
    for ratio, (value, floor) in RATIOS.items():
        figures[ratio] = figures[value] / figures[floor]
    print(f"{'measure':28} {'value':>10}")
    for key, value in {**figures, **extra}.items():
        print(f"{key:28} {value:10.2f}")
    keys = (*JSON_KEYS, *ROWS_KEYS)
    print(json.dumps({key: round(figures[key], 3) for key in keys if key in figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
