"""PySide6 tests every new module for its use of PySide6; the window keeps no source for it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(body: str, tmp_path: Path) -> str:
    (tmp_path / "plain_module.py").write_text(
        '"""No Qt here."""\n\n\ndef fail() -> None:\n    raise LookupError("the line")\n'
    )
    (tmp_path / "qt_module.py").write_text("from PySide6.QtCore import QObject\n")
    program = textwrap.dedent(
        f"""
        import linecache, sys
        sys.path[:0] = [{str(ROOT)!r}, {str(tmp_path)!r}]
        from rcs_composer.gui.pyside_sources import keep_no_sources
        """
    ) + textwrap.dedent(body)
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.strip()


def test_modules_imported_after_it_leave_no_source_in_memory(tmp_path: Path) -> None:
    kept = run(
        """
        assert keep_no_sources()
        import plain_module, qt_module, colorsys
        print(sorted(name for name in linecache.cache if name.endswith((
            "plain_module.py", "qt_module.py", "colorsys.py"))))
        """,
        tmp_path,
    )
    assert kept == "[]"


def test_pyside6_still_learns_which_modules_use_it(tmp_path: Path) -> None:
    seen = run(
        """
        keep_no_sources()
        import plain_module, qt_module
        flags = sys.modules["PySide6.support.feature"].pyside_feature_dict
        print(flags["plain_module"], flags["qt_module"])
        """,
        tmp_path,
    )
    assert seen == "-1 0"  # PySide6's marks: -1 "ignore this module", 0 "uses PySide6"


def test_a_traceback_still_shows_the_failing_line(tmp_path: Path) -> None:
    shown = run(
        """
        keep_no_sources()
        import traceback, plain_module
        try:
            plain_module.fail()
        except LookupError:
            print(traceback.format_exc().splitlines()[-2].strip())
        """,
        tmp_path,
    )
    assert shown == 'raise LookupError("the line")'
