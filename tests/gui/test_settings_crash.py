"""Crash safety of settings: a process writing window settings and profiles is killed at random."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

CHILD = Path(__file__).with_name("settings_child.py")
ROOT = Path(__file__).parent.parent.parent


def kill_once(folder: Path, rng: random.Random) -> None:
    """Start the writer, kill it at a random moment, and check what it left behind."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, str(CHILD), str(folder)], stdout=subprocess.PIPE, env=env
    ) as child:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.05))  # a random moment to kill at, not a wait for anything
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    profiles = folder / "profiles.json"
    if profiles.exists():
        data = json.loads(profiles.read_text())
        assert {p["name"] for p in data["profiles"]} <= {"acme0", "acme1", "acme2"}
    ini = next(folder.rglob("*.ini"), None)
    if ini is not None:
        settings = QSettings(str(ini), QSettings.Format.IniFormat)
        assert settings.status() == QSettings.Status.NoError


def run_kill_loop(folder: Path, kills: int) -> None:
    rng = random.Random(7)
    for _ in range(kills):
        kill_once(folder, rng)
    assert list(folder.rglob("*.ini")), "the settings file was never written"
    assert (folder / "profiles.json").exists()
    assert not list(folder.glob("profiles.json.corrupt-*"))


def test_sigkill_during_settings_writes_leaves_readable_files(tmp_path: Path) -> None:
    run_kill_loop(tmp_path, 6)


@pytest.mark.slow
def test_sigkill_during_settings_writes_many_times(tmp_path: Path) -> None:
    run_kill_loop(tmp_path, 40)
