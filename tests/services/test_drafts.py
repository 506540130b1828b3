"""The draft store: save, list, search, rename, duplicate, trash, unreadable drafts, autosave."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore, DraftUnreadable
from rcs_composer.services.history import SendHistory, SendRecord


def text_draft(name: str, text: str) -> m.Draft:
    return m.Draft(name=name, message=m.Message(content=m.TextContent(text)))


def test_save_load_and_timestamps(tmp_path: Path) -> None:
    clock = iter([datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)])
    store = DraftStore(tmp_path, clock=lambda: next(clock))
    draft_id, saved = store.save(None, text_draft("Diwali", "Offers inside"))
    assert saved.created == saved.modified == "2026-11-01T00:00:00Z"
    _, again = store.save(draft_id, saved)
    assert (again.created, again.modified) == ("2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z")
    assert store.load(draft_id) == again


def test_list_and_search_by_name_and_text(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(None, text_draft("Diwali offer", "Sweets and lamps"))
    store.save(None, text_draft("Bill reminder", "Your electricity bill"))
    assert {e.name for e in store.entries()} == {"Diwali offer", "Bill reminder"}
    assert [e.name for e in store.search("LAMPS")] == ["Diwali offer"]
    assert [e.name for e in store.search("bill electricity")] == ["Bill reminder"]
    assert store.search("bill lamps") == []
    assert {e.kind for e in store.entries()} == {"text"}


def test_rename_duplicate_delete_restore(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    draft_id, _ = store.save(None, text_draft("One", "a"))
    store.rename(draft_id, "Renamed")
    copy_id = store.duplicate(draft_id)
    assert sorted(e.name for e in store.entries()) == ["Renamed", "Renamed (copy)"]
    store.delete(copy_id)
    assert [e.name for e in store.entries()] == ["Renamed"]
    assert (tmp_path / "trash" / f"{copy_id}.json").exists()
    store.restore(copy_id)
    assert len(store.entries()) == 2


def test_unreadable_drafts_are_listed_with_the_reason_and_never_touched(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.folder.mkdir(parents=True)
    corrupt = store.folder / "corrupt.json"
    corrupt.write_bytes(b'{"format": "rcs-composer-draft", "version": 1, "message": {"te')
    newer = store.folder / "newer.json"
    newer.write_text(
        json.dumps({"format": "rcs-composer-draft", "version": 9, "message": {"text": "x"}})
    )
    before = {path: path.read_bytes() for path in (corrupt, newer)}
    problems = {entry.draft_id: entry.problem for entry in store.entries()}
    assert "not valid JSON" in (problems["corrupt"] or "")
    assert "newer" in (problems["newer"] or "")
    with pytest.raises(DraftUnreadable, match="kept as it is"):
        store.save("corrupt", text_draft("x", "y"))
    with pytest.raises(DraftUnreadable):
        store.load("newer")
    assert {path: path.read_bytes() for path in (corrupt, newer)} == before


def test_the_index_rereads_only_changed_files(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    draft_id, _ = store.save(None, text_draft("Before", "a"))
    assert [e.name for e in store.entries()] == ["Before"]
    path = store.path_of(draft_id)
    time.sleep(0.01)
    path.write_text(codecs.dumps(codecs.export_draft(text_draft("Edited elsewhere", "b"))))
    fresh = DraftStore(tmp_path)  # a new process reads the index file from disk
    assert [e.name for e in fresh.entries()] == ["Edited elsewhere"]
    path.unlink()
    assert fresh.entries() == []


def test_ten_thousand_drafts_list_and_search(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.folder.mkdir(parents=True)
    for index in range(10_000):
        draft = text_draft(f"Campaign {index}", f"Offer number {index} for festival {index % 7}")
        (store.folder / f"d{index:05d}.json").write_text(codecs.dumps(codecs.export_draft(draft)))
    started = time.perf_counter()
    assert len(store.entries()) == 10_000
    cold = time.perf_counter() - started
    started = time.perf_counter()
    warm_store = DraftStore(tmp_path)
    assert len(warm_store.entries()) == 10_000
    warm = time.perf_counter() - started
    started = time.perf_counter()
    found = warm_store.search("campaign 9999")
    search = time.perf_counter() - started
    assert [e.name for e in found] == ["Campaign 9999"]
    print(
        f"10k drafts: cold list {cold * 1000:.0f} ms, warm list {warm * 1000:.0f} ms, search {search * 1000:.0f} ms"
    )


def test_autosave_of_a_crashed_session_is_offered(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    crashed = store.start_session()
    store.save_autosave(crashed, text_draft("Unsaved", "work in progress"), "abc")
    (store.autosave_dir / f"{crashed}.lock").write_text("999999999")  # its process is gone
    current = store.start_session()
    pending = store.pending_autosaves(current)
    assert [(session, draft.name, draft_id) for session, draft, draft_id in pending] == [
        (crashed, "Unsaved", "abc")
    ]
    assert pending[0][1].extras == {}
    store.discard_autosave(crashed)
    assert store.pending_autosaves(current) == []
    store.save_autosave(current, text_draft("Mine", "x"), None)
    assert store.pending_autosaves(current) == []  # the running session is not offered to itself


def test_history_tolerates_a_torn_last_line(tmp_path: Path) -> None:
    history = SendHistory(tmp_path)
    record = SendRecord(
        time="t",
        profile="sandbox",
        endpoint="POST /v1/s/rcs/messages",
        draft_name="D",
        recipients=("919876543210",),
        outcome="sent",
        message_ids={"919876543210": "m1"},
    )
    history.append(record)
    with open(tmp_path / "history.jsonl", "a") as stream:
        stream.write('{"time": "t2", "prof')
    assert history.records() == [record]
    history.add_event("m1", {"type": "SENT"})
    assert history.events("m1") == [{"type": "SENT"}]
