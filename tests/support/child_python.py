"""Python run as a fresh process of the app: nothing an earlier test loaded is in it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def app_env(folders: Path, **extra: str) -> dict[str, str]:
    """The environment of a child: Qt offscreen, the app's folders under ``folders``."""
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        **{
            f"RCS_COMPOSER_{name}_DIR": str(folders / name.lower())
            for name in ("CONFIG", "DATA", "CACHE", "LOG")
        },
        **extra,
    }


def run_python(script: str, env: dict[str, str], *argv: str, timeout: float = 120) -> str:
    """Run ``script`` (``python -c``) from the project's root; returns what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", script, *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
