"""Python run as a fresh process of the app: nothing an earlier test loaded is in it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def child_env() -> dict[str, str]:
    """A child's environment: this test's, so the app's folders are the test's own (the
    ``isolated_dirs`` fixture points them at a fresh tree), with Qt offscreen."""
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run_python(script: str, *argv: str, timeout: float = 120) -> str:
    """Run ``script`` (``python -c``) from the project's root, in ``child_env()``; returns
    what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
