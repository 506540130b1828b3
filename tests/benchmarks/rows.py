"""Variable rows figures: load and check 100,000 rows, and the preview following a row switch.

    python tests/benchmarks/rows.py [--quick]     (run.py runs these too)

Measured, never asserted: the budgets are 3 s to validate 100,000 rows, 2 s to load a
100,000-row CSV without blocking the window, and a row switch redrawn within a 60 Hz frame.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

NAMES = ["Asha", "Ravi", "Priya", "Mohammed", "Lakshmi", "Arjun", "Sneha", "Vikram", "Ananya"]
HEADER = "customerName,consumerNo,billAmount,dueDate,phone\n"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def write_rows(path: Path, count: int) -> Path:
    """A contact list for the bill-reminder sample: names, numbers, amounts, dates, phones."""
    chooser = random.Random(17)
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(HEADER)
        for index in range(count):
            name = f"{chooser.choice(NAMES)} {chooser.choice(NAMES)}"
            amount = f"₹{chooser.randint(100, 99_999):,}"
            stream.write(
                f'{name},{1_000_000_000 + index},"{amount}",{index % 28 + 1} Dec,'
                f"+91 98{index:08d}\n"
            )
    return path


HOSTILE_HEADER = "customerName,consumerNo,billAmount,dueDate,payUrl,phone\n"
NICKNAMES = ["Chinnu", "Bablu", "Guddu", "Pinky", "Raju"]


def write_hostile_rows(path: Path, count: int) -> Path:
    """Hostile but realistic: nicknames in quotes, names with a line break or a backslash,
    long names, and pay links half of them plain http (warned about, link quoted)."""
    chooser = random.Random(71)
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write(HOSTILE_HEADER)
        for index in range(count):
            first, last = chooser.choice(NAMES), chooser.choice(NAMES)
            kind = index % 10
            if kind < 4:
                name = f'{first} "{chooser.choice(NICKNAMES)}" {last}'
            elif kind == 4:
                name = f"{first}\n{last}"
            elif kind == 5:
                name = f"{first} {last} \\ {chooser.choice(NICKNAMES)}"
            elif kind == 6:
                name = " ".join(chooser.choice(NAMES) for _ in range(14))  # ~90 characters
            else:
                name = f"{first} {last}"
            quoted = '"' + name.replace('"', '""') + '"'
            scheme = "http" if index % 2 else "https"
            link = f"{scheme}://pay.example.in/bill/{1_000_000 + index}?src=rcs&n={index % 997}"
            amount = f"₹{chooser.randint(100, 99_999):,}"
            stream.write(
                f'{quoted},{1_000_000_000 + index},"{amount}",{index % 28 + 1} Dec,{link},'
                f"+91 98{index:08d}\n"
            )
    return path


def hostile_draft():  # type: ignore[no-untyped-def]
    """The bill reminder with its Pay now link filled from the row (``{{payUrl}}``)."""
    import dataclasses

    from rcs_composer.core import model as m

    draft = bill_draft()
    card = draft.message.content
    slot = card.content.suggestions[0]
    action = dataclasses.replace(slot.suggestion.action, url="{{payUrl}}")
    slot = dataclasses.replace(slot, suggestion=dataclasses.replace(slot.suggestion, action=action))
    content = dataclasses.replace(card.content, suggestions=(slot,))
    message = dataclasses.replace(draft.message, content=dataclasses.replace(card, content=content))
    assert isinstance(message.content, m.RichCard)
    return dataclasses.replace(draft, message=message, variables={**draft.variables, "payUrl": ""})


def bench_rows_hostile(path: Path) -> dict[str, float]:
    """Checking 100,000 hostile rows (``write_hostile_rows``)."""
    from rcs_composer.app.rows import RowChecker, auto_map, validate_rows
    from rcs_composer.services.row_files import read_rows

    table = read_rows(path)
    draft = hostile_draft()
    mapping = auto_map(list(draft.variables), table.columns)
    started = time.perf_counter()
    report = validate_rows(RowChecker(draft.message, None, table, mapping, country="IN"))
    elapsed = (time.perf_counter() - started) * 1000
    assert report.count(report.results[0].status) > 0
    started = time.perf_counter()
    validate_rows(RowChecker(draft.message, None, table, mapping.with_recipient(None)))
    without_phone = (time.perf_counter() - started) * 1000
    return {
        "rows_validate_hostile_ms": elapsed,
        "rows_validate_hostile_no_recipient_ms": without_phone,
    }


def bill_draft():  # type: ignore[no-untyped-def]
    from importlib import resources

    from rcs_composer.core import codecs

    text = resources.files("rcs_composer.samples").joinpath("template_with_variables.json")
    return codecs.import_document(json.loads(text.read_text(encoding="utf-8"))).draft


def bench_rows_core(path: Path) -> dict[str, float]:
    """Reading the file, and checking every row (with and without a recipient column)."""
    from rcs_composer.app.rows import RowChecker, auto_map, validate_rows
    from rcs_composer.services.row_files import read_rows

    started = time.perf_counter()
    table = read_rows(path)
    read_ms = (time.perf_counter() - started) * 1000
    draft = bill_draft()
    mapping = auto_map(list(draft.variables), table.columns)
    started = time.perf_counter()
    validate_rows(RowChecker(draft.message, None, table, mapping, country="IN"))
    with_phone = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    validate_rows(RowChecker(draft.message, None, table, mapping.with_recipient(None)))
    without_phone = (time.perf_counter() - started) * 1000
    return {
        "rows_read_ms": read_ms,
        "rows_validate_ms": with_phone,
        "rows_validate_no_recipient_ms": without_phone,
    }


def wait_for(signal: object, seconds: float = 120) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)  # type: ignore[attr-defined]


def bench_rows_window(path: Path, switches: int) -> dict[str, float]:
    """In the window: open to table, open to every row checked, the longest GUI stall meanwhile,
    and Down-arrow row switches until the preview has repainted."""
    from PySide6.QtCore import QCoreApplication, Qt, QTimer
    from PySide6.QtTest import QTest

    from rcs_composer.gui.app_context import AppContext
    from rcs_composer.gui.document import ComposerDocument
    from rcs_composer.gui.main_window import MainWindow

    window = MainWindow(ComposerDocument(bill_draft()), context=AppContext(start_sandbox=False))
    window.show()
    QTest.qWaitForWindowExposed(window)
    # The window's own start-up work after its first paint (the drafts session, the profiles,
    # the library dock filling and the repaint it brings) is not the rows' load: done first.
    deadline = time.perf_counter() + 10
    while time.perf_counter() < deadline and (
        not window.startup.painted or window.context.runner.busy
    ):
        QCoreApplication.processEvents()
        time.sleep(0.002)
    panel = window.rows_panel
    assert panel.dock is not None
    panel.dock.show()
    wait_for(window.rows_panel.loaded, 0.3)  # nothing loads: the dock shows and settles
    marks: dict[str, float] = {}
    panel.loaded.connect(lambda: marks.setdefault("loaded", time.perf_counter()))
    panel.validated.connect(lambda: marks.setdefault("validated", time.perf_counter()))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    started = time.perf_counter()
    panel.open_file(path)
    wait_for(panel.validated)  # the window idles in its event loop, as it does for a user
    timer.stop()
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    # After an edit every row is checked again; the numbers were read the first time.
    again = time.perf_counter()
    panel.revalidate()
    wait_for(panel.validated)
    recheck_ms = (time.perf_counter() - again) * 1000
    preview = window.preview_pane.preview
    painted: list[float] = []
    preview.repainted.connect(lambda: painted.append(time.perf_counter()))
    panel.view.setFocus()
    times = []
    for _ in range(switches):
        painted.clear()
        begun = time.perf_counter()
        QTest.keyClick(panel.view, Qt.Key.Key_Down)
        while not painted and time.perf_counter() - begun < 1:
            QCoreApplication.processEvents()
        times.append(((painted[0] if painted else time.perf_counter()) - begun) * 1000)
    window.shutdown()
    window.close()
    return {
        "rows_gui_load_ms": (marks.get("loaded", float("nan")) - started) * 1000,
        "rows_gui_checked_ms": (marks.get("validated", float("nan")) - started) * 1000,
        "rows_gui_max_stall_ms": max(gaps) if gaps else float("nan"),
        "rows_gui_recheck_ms": recheck_ms,
        "row_switch_p50_ms": statistics.median(times),
        "row_switch_p99_ms": percentile(times, 0.99),
    }


JSON_KEYS = (
    "rows_read_ms",
    "rows_validate_ms",
    "rows_validate_no_recipient_ms",
    "rows_validate_hostile_ms",
    "rows_validate_hostile_no_recipient_ms",
    "rows_gui_load_ms",
    "rows_gui_checked_ms",
    "rows_gui_max_stall_ms",
    "rows_gui_recheck_ms",
    "row_switch_p50_ms",
    "row_switch_p99_ms",
)


def bench_rows(quick: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = write_rows(Path(folder) / "rows.csv", 100_000)
        figures = bench_rows_core(path)
        figures.update(
            bench_rows_hostile(write_hostile_rows(Path(folder) / "hostile.csv", 100_000))
        )
        figures.update(bench_rows_window(path, 200 if quick else 1000))
    return figures


def main() -> int:
    from PySide6.QtWidgets import QApplication

    with tempfile.TemporaryDirectory() as folder:
        for name in ("CONFIG", "DATA", "CACHE", "LOG"):
            os.environ[f"RCS_COMPOSER_{name}_DIR"] = f"{folder}/{name.lower()}"
        app = QApplication(sys.argv[:1])
        figures = bench_rows("--quick" in sys.argv)
        del app
    print(f"{'measure':30} {'value':>10}")
    for key, value in figures.items():
        print(f"{key:30} {value:10.2f}")
    print(json.dumps({key: round(figures[key], 3) for key in JSON_KEYS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
