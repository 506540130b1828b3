"""Crash safety: a process saving drafts is killed at random moments; nothing is ever broken."""

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

from rcs_composer.core import codecs
from rcs_composer.core.model import MessageKind
from rcs_composer.services.drafts import DraftStore

CHILD = Path(__file__).with_name("crash_child.py")
REPO = Path(__file__).resolve().parents[2]


def counter_of(name: str) -> int:
    return int(name.removeprefix("Draft "))


def kill_once(root: Path, rng: random.Random, first_counter: int) -> tuple[str, int]:
    """Run the child, kill it at a random moment; returns its session and last counter seen."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, str(CHILD), str(root), str(first_counter)],
        stdout=subprocess.PIPE,
        env=env,
    ) as child:
        assert child.stdout is not None
        ready = child.stdout.readline().decode().split()
        assert ready[0] == "ready", ready
        time.sleep(rng.uniform(0.0, 0.04))  # the kill lands at a random moment of the saves
        child.send_signal(signal.SIGKILL)
        reports = child.stdout.read().decode().splitlines()
        child.wait(timeout=10)
    check_after_kill(root, ready[1], reports)
    counters = [int(line.split()[-1]) for line in reports if line.count(" ") >= 1]
    return ready[1], max(counters, default=first_counter)


def check_after_kill(root: Path, session: str, reports: list[str]) -> None:
    store = DraftStore(root)
    on_disk = {path.stem: path for path in store.folder.glob("*.json")}
    for path in on_disk.values():  # every draft file parses as a draft
        codecs.decode_draft(codecs.parse_json(path.read_bytes()))
    index = store.root / "index.json"
    if index.exists():
        json.loads(index.read_bytes())
    entries = store.list()
    assert {entry.draft_id for entry in entries} == set(on_disk)
    assert [entry.problem for entry in entries if entry.problem] == []

    # What the child reported as written is on disk: that write or a later one.
    saved = {}
    for line in reports:
        if line.startswith("saved ") and line.count(" ") == 2:
            _, draft_id, counter = line.split()
            saved[draft_id] = int(counter)
    names = {entry.draft_id: entry.name for entry in entries}
    for draft_id, counter in saved.items():
        assert counter_of(names[draft_id]) >= counter

    autosaved = [int(line.split()[1]) for line in reports if line.startswith("autosaved ")]
    pending = {item.session: item for item in store.pending_autosaves()}
    if autosaved:
        assert counter_of(pending[session].draft.name) in (autosaved[-1], autosaved[-1] + 1)
    if session in pending:  # the last autosave of the killed session loads
        assert pending[session].draft.message.kind is MessageKind.TEXT


def run_kill_loop(root: Path, kills: int) -> None:
    rng = random.Random(20261122)
    counter = 0
    for _ in range(kills):
        # Each child continues the numbering, so "newer" always means a larger number.
        _, counter = kill_once(root, rng, counter + 10)
    store = DraftStore(root)
    assert len(store.list()) == len(list(store.folder.glob("*.json"))) > 0
    assert len(store.pending_autosaves()) >= 1
    print(f"{kills} kills: {len(store.list())} drafts, counter reached {counter}")


def test_sigkill_during_saves_never_leaves_a_broken_draft(tmp_path: Path) -> None:
    run_kill_loop(tmp_path, 12)  # the 300-kill pass is the slow test below


@pytest.mark.slow
def test_sigkill_during_saves_many_times(tmp_path: Path) -> None:
    run_kill_loop(tmp_path, 300)
