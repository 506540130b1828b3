"""Crash safety: a process saving drafts is killed at random moments; everything still parses."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from rcs_composer.core import codecs
from rcs_composer.services.drafts import DraftStore

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).parent.parent.parent


def kill_loop(root: Path, kills: int) -> None:
    rng = random.Random(20261122)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for round_number in range(kills):
        session = f"crash-{round_number}"
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(root), session], stdout=subprocess.PIPE, env=env
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        check_everything_parses(root)


def check_everything_parses(root: Path) -> None:
    store = DraftStore(root)
    for path in store.folder.glob("*.json"):
        codecs.decode_draft(codecs.parse_json(path.read_bytes()))
    for path in store.autosave_dir.glob("*.json"):
        codecs.decode_draft(codecs.parse_json(path.read_bytes()))
    entries = store.entries()
    assert all(entry.problem is None for entry in entries), [e.problem for e in entries]
    assert not [
        p
        for p in store.folder.glob("*")
        if not p.name.endswith(".json") and not p.name.startswith(".")
    ]


def test_sigkill_during_saves_never_leaves_a_broken_draft(tmp_path: Path) -> None:
    kill_loop(tmp_path, 200)
    store = DraftStore(tmp_path)
    assert store.entries()
    pending = store.pending_autosaves()
    assert pending  # the last autosave of a killed session is recoverable
    assert all(draft.message.content for _, draft, _ in pending)
