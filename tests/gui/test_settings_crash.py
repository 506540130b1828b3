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

from PySide6.QtCore import QSettings

CHILD = Path(__file__).with_name("settings_child.py")
ROOT = Path(__file__).parent.parent.parent


def test_sigkill_during_settings_writes_leaves_readable_files(tmp_path: Path) -> None:
    rng = random.Random(7)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(40):
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(tmp_path)], stdout=subprocess.PIPE, env=env
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        profiles = tmp_path / "profiles.json"
        if profiles.exists():
            data = json.loads(profiles.read_text())
            assert {p["name"] for p in data["profiles"]} <= {"acme0", "acme1", "acme2"}
        ini = next(tmp_path.rglob("*.ini"), None)
        if ini is not None:
            settings = QSettings(str(ini), QSettings.Format.IniFormat)
            assert settings.status() == QSettings.Status.NoError
    assert list(tmp_path.rglob("*.ini")), "the settings file was never written"
    assert (tmp_path / "profiles.json").exists()
    assert not list(tmp_path.glob("profiles.json.corrupt-*"))
