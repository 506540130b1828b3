"""Drafts shared by several processes (issue 20, items 8 and 9): a save over someone else's newer
file is refused with their version, and what a killed save left is cleared at the next start,
never what a live save is still writing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rcs_composer.services.drafts import DraftConflict, DraftStore, PendingAutosave
from tests.support.drafts import text_draft, text_of

REPO = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------- item 8: who changed it first


def test_the_second_of_two_stores_saving_one_draft_is_told_it_changed(tmp_path: Path) -> None:
    first, second = DraftStore(tmp_path), DraftStore(tmp_path)  # two processes, one folder
    draft_id = first.save(None, text_draft("Offer", "v1")).draft_id
    mine, theirs = first.load_versioned(draft_id), second.load_versioned(draft_id)

    saved = first.save(draft_id, text_draft("Offer", "first's edit"), loaded=mine.version)
    with pytest.raises(DraftConflict) as caught:
        second.save(draft_id, text_draft("Offer", "second's edit"), loaded=theirs.version)
    conflict = caught.value
    assert "changed on disk since it was opened" in str(conflict)
    assert conflict.draft_id == draft_id
    assert text_of(conflict.theirs) == "first's edit"  # what the other side wrote, to compare
    assert conflict.version == saved.version
    assert text_of(first.load(draft_id)) == "first's edit"  # nothing was written

    # Overwriting exactly the version shown is allowed; keeping both is a save without an id.
    copy = second.save(None, text_draft("Offer (my version)", "second's edit"))
    again = second.save(draft_id, text_draft("Offer", "second's edit"), loaded=conflict.version)
    assert text_of(first.load(draft_id)) == "second's edit"
    assert {entry.draft_id for entry in first.list()} == {draft_id, copy.draft_id}

    # The first store's version is stale now: its next save is refused too.
    assert saved.version is not None and again.version is not None
    with pytest.raises(DraftConflict):
        first.save(draft_id, text_draft("Offer", "late"), loaded=saved.version)


def test_own_saves_in_a_row_and_a_touched_file_are_no_conflict(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    saved = store.save(None, text_draft("Offer", "v1"))
    for n in range(3):
        saved = store.save(saved.draft_id, text_draft("Offer", f"v{n + 2}"), loaded=saved.version)
    path = store.path_of(saved.draft_id)
    os.utime(path, (time.time() + 60, time.time() + 60))  # a backup tool touched it: same bytes
    store.save(saved.draft_id, text_draft("Offer", "v9"), loaded=saved.version)


def test_a_draft_deleted_meanwhile_is_written_back_not_refused(tmp_path: Path) -> None:
    first, second = DraftStore(tmp_path), DraftStore(tmp_path)
    draft_id = first.save(None, text_draft("Offer", "v1")).draft_id
    loaded = first.load_versioned(draft_id)
    second.path_of(draft_id).unlink()
    first.save(draft_id, text_draft("Offer", "kept"), loaded=loaded.version)
    assert text_of(second.load(draft_id)) == "kept"


def test_racing_saves_from_the_same_version_let_exactly_one_through(tmp_path: Path) -> None:
    """The check and the write are one locked step: of eight stores saving from one version at
    the same moment, one wins and seven are told; none overwrites the winner unseen."""
    stores = [DraftStore(tmp_path) for _ in range(8)]
    draft_id = stores[0].save(None, text_draft("Offer", "v1")).draft_id
    versions = [store.load_versioned(draft_id).version for store in stores]
    start = threading.Barrier(len(stores))
    outcomes: list[str] = []

    def save(n: int) -> None:
        start.wait()
        try:
            stores[n].save(draft_id, text_draft("Offer", f"edit {n}"), loaded=versions[n])
            outcomes.append(f"edit {n}")
        except DraftConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(len(stores))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [outcome for outcome in outcomes if outcome != "conflict"]
    assert len(outcomes) == 8 and len(winners) == 1
    assert text_of(stores[0].load(draft_id)) == winners[0]


def test_a_rename_is_one_locked_step_and_returns_the_new_version(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    saved = store.save(None, text_draft("Offer", "v1"))
    renamed = store.renamed(saved.draft_id, "Diwali offer")
    assert renamed.draft.name == "Diwali offer" and renamed.version != saved.version
    store.save(saved.draft_id, text_draft("Diwali offer", "v2"), loaded=renamed.version)
    with pytest.raises(DraftConflict):
        store.save(saved.draft_id, text_draft("Offer", "v3"), loaded=saved.version)


# ---------------------------------------------------------------- item 9: leftovers of killed saves

STALLING_SAVE = """
import os, sys, time
from pathlib import Path
from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore

root, go = Path(sys.argv[1]), Path(sys.argv[2])
real_fsync = os.fsync

def stalling(descriptor):
    # The first fsync is the temp file's, inside the atomic write: hold the save there.
    print("writing", flush=True)
    while not go.exists():
        time.sleep(0.01)
    os.fsync = real_fsync
    real_fsync(descriptor)

os.fsync = stalling
draft = m.Draft(name="Slow save", message=m.Message(content=m.TextContent("big")))
print("saved", DraftStore(root).save(None, draft).draft_id, flush=True)
"""


def stalled_save(root: Path) -> tuple[subprocess.Popen[str], Path]:
    go = root / "go"
    child = subprocess.Popen(
        [sys.executable, "-c", STALLING_SAVE, str(root), str(go)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    return child, go


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_live_save_keeps_its_temp_file_and_a_killed_one_is_cleared_at_next_start(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path)
    kept = store.save(None, text_draft("Kept", "x"))

    # Another process is in the middle of a save: starting here must neither wait for it nor
    # take its temporary file away.
    child, go = stalled_save(tmp_path)
    try:
        [in_progress] = temps(store.folder)
        started = time.monotonic()
        DraftStore(tmp_path).start_session()
        assert time.monotonic() - started < 2
        assert temps(store.folder) == [in_progress]
        go.touch()
        assert child.stdout is not None
        word, saved_id = child.stdout.readline().split()
        assert word == "saved" and child.wait(timeout=10) == 0
    finally:
        child.kill()
        child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
    assert store.load(saved_id).name == "Slow save"
    assert temps(store.folder) == []
    go.unlink()

    # Now the same save killed half-way: its temp file stays behind until the next start.
    child, go = stalled_save(tmp_path)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert child.stdout is not None
    child.stdout.close()
    assert len(temps(store.folder)) == 1
    autosave_dir = tmp_path / "autosave"
    autosave_dir.mkdir(exist_ok=True)
    (autosave_dir / ".0123abcd.json.x1.tmp").write_text("{")  # a killed autosave
    (tmp_path / ".index.json.x2.tmp").write_text("{")  # a killed index write
    folder_named_like_one = store.folder / ".not-a-file.tmp"
    folder_named_like_one.mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("not ours")
    (store.folder / ".link.json.x3.tmp").symlink_to(outside)

    DraftStore(tmp_path).start_session()
    assert temps(store.folder) == [".not-a-file.tmp"]
    assert temps(autosave_dir) == [] and temps(tmp_path) == []
    assert outside.read_text() == "not ours"  # a link is removed, never what it points to
    assert {entry.draft_id for entry in DraftStore(tmp_path).list()} == {saved_id, kept.draft_id}


def test_lock_files_of_sessions_that_crashed_before_any_autosave_are_cleared(
    tmp_path: Path,
) -> None:
    autosave_dir = tmp_path / "autosave"
    autosave_dir.mkdir(parents=True)
    old, young, with_work = (autosave_dir / f"{name}.lock" for name in ("aa11", "bb22", "cc33"))
    for lock in (old, young, with_work):
        lock.write_text("999999999\n")  # a pid no process has
    (autosave_dir / "cc33.json").write_text("{}")  # still to be offered: kept
    two_hours_ago = time.time() - 7200
    for lock in (old, with_work):
        os.utime(lock, (two_hours_ago, two_hours_ago))
    DraftStore(tmp_path).start_session()
    assert not old.exists()
    assert young.exists()  # maybe a session that is only starting
    assert with_work.exists()


# ---------------------------------------------------------------- item 5: the store's side


def test_adopting_a_crashed_autosave_moves_it_into_the_running_session(tmp_path: Path) -> None:
    crashed_store = DraftStore(tmp_path)
    crashed = crashed_store.start_session()
    crashed_store.save_autosave(crashed, text_draft("Lost", "x"), "the-id")
    (tmp_path / "autosave" / f"{crashed}.lock").write_text("999999999\n")

    store = DraftStore(tmp_path)
    current = store.start_session()
    [pending] = store.pending_autosaves(current)
    store.adopt_autosave(pending, current)
    assert not (tmp_path / "autosave" / f"{crashed}.json").exists()
    store.release_session(current)  # this session crashes too, before any edit
    [again] = DraftStore(tmp_path).pending_autosaves()
    assert (again.draft.name, again.draft_id) == ("Lost", "the-id")


def test_adopting_never_overwrites_newer_edits_of_the_running_session(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    current = store.start_session()
    store.save_autosave(current, text_draft("Edited already", "newer"))
    store.adopt_autosave(PendingAutosave("0ld5e55", text_draft("Lost", "older"), None), current)
    store.release_session(current)
    [pending] = DraftStore(tmp_path).pending_autosaves()
    assert pending.draft.name == "Edited already"


def test_an_autosave_remembers_the_version_its_edits_are_on(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    saved = store.save(None, text_draft("Offer", "v1"))
    session = store.start_session()
    store.save_autosave(session, text_draft("Offer", "edit"), saved.draft_id)
    store.release_session(session)
    [pending] = DraftStore(tmp_path).pending_autosaves()
    assert saved.version is not None and pending.base is not None
    assert pending.base.digest == saved.version.digest
    assert pending.draft.extras == {}

    # A hand-made or foreign base is ignored, never trusted half-way.
    path = tmp_path / "autosave" / f"{session}.json"
    record = json.loads(path.read_text())
    record["autosave_base"]["mtime_ns"] = "yesterday"
    path.write_text(json.dumps(record))
    [pending] = DraftStore(tmp_path).pending_autosaves()
    assert pending.base is None and pending.draft.extras == {}
