"""Two users (two state folders) saving one draft of a shared library at the same moment: one
save lands, the other is told the file changed; neither edit is lost without a word."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import time
from pathlib import Path

import pytest

from rcs_composer.services.drafts import DraftConflict, DraftStore
from rcs_composer.services.paths import LockTimeout
from rcs_composer.services.write_claims import STALE_AFTER_S, claim_path, claimed
from tests.support.drafts import text_draft

ROUNDS = 30


def _writer(
    tag: str,
    library: Path,
    state: Path,
    draft_id: str,
    barrier: multiprocessing.synchronize.Barrier,
    results: multiprocessing.Queue[tuple[int, str, str]],
) -> None:
    store = DraftStore.for_folder(library, state)
    for round_number in range(ROUNDS):
        loaded = store.load_versioned(draft_id)
        barrier.wait()
        edit = dataclasses.replace(loaded.draft, name=f"{tag}-{round_number}")
        try:
            store.save(draft_id, edit, loaded=loaded.version)
            outcome = "saved"
        except DraftConflict:
            outcome = "conflict"
        results.put((round_number, tag, outcome))
        barrier.wait()


def test_two_users_saving_one_shared_draft_at_once_never_both_succeed(tmp_path: Path) -> None:
    library = tmp_path / "team"
    library.mkdir()
    draft_id = (
        DraftStore.for_folder(library, tmp_path / "setup").save(None, text_draft("Offer")).draft_id
    )
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    results: multiprocessing.Queue[tuple[int, str, str]] = context.Queue()
    writers = [
        context.Process(
            target=_writer,
            args=(tag, library, tmp_path / f"state-{tag}", draft_id, barrier, results),
        )
        for tag in "AB"
    ]
    for writer in writers:
        writer.start()
    outcomes: dict[int, dict[str, str]] = {}
    for _ in range(2 * ROUNDS):
        round_number, tag, outcome = results.get(timeout=60)
        outcomes.setdefault(round_number, {})[tag] = outcome
    for writer in writers:
        writer.join(timeout=60)
    assert all(sorted(pair.values()) == ["conflict", "saved"] for pair in outcomes.values())
    assert not list(library.glob(".*.saving"))  # no claim left behind


def test_a_claim_left_by_a_writer_that_died_does_not_block_the_folder(tmp_path: Path) -> None:
    path = tmp_path / "offer.json"
    claim = claim_path(path)
    claim.write_text("a crashed save")
    old = time.time() - STALE_AFTER_S - 5
    os.utime(claim, (old, old))
    with claimed(path, wait=0.5):
        assert claim.exists()
    assert not claim.exists()


def test_a_claim_held_by_a_live_writer_is_waited_for_then_named(tmp_path: Path) -> None:
    path = tmp_path / "offer.json"
    with claimed(path), pytest.raises(LockTimeout, match="another writer kept saving it"):
        with claimed(path, wait=0.2):
            pass


def test_the_library_never_lists_a_claim_as_a_draft(tmp_path: Path) -> None:
    library = tmp_path / "team"
    library.mkdir()
    store = DraftStore.for_folder(library, tmp_path / "state")
    store.save(None, text_draft("Offer"))
    claim_path(library / "offer.json").write_text("someone saving")
    assert [entry.name for entry in store.list()] == ["Offer"]
