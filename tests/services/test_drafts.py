"""The draft store: save, list, search, rename, duplicate, trash, unreadable drafts, autosave."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.services import drafts as drafts_module
from rcs_composer.services.drafts import DraftNotFound, DraftStore, DraftUnreadable
from tests.support.drafts import text_draft

REPO = Path(__file__).resolve().parents[2]


def card_draft(name: str) -> m.Draft:
    card = m.RichCard(
        content=m.CardContent(
            title="Diwali sale",
            description="Candles at half price",
            media=m.Media(
                height=m.MediaHeight.MEDIUM,
                file=m.FileRef(file_url="https://cdn.example.com/lamp.jpg"),
            ),
            suggestions=(m.SuggestionSlot(m.Reply(text="Show me", postback_data="show-9")),),
        )
    )
    return m.Draft(name=name, message=m.Message(content=card))


def ticking_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that moves one minute on each reading, so saves are ordered."""
    moments = [start]

    def clock() -> datetime:
        moments.append(moments[-1] + timedelta(minutes=1))
        return moments[-1]

    return clock


# ---------------------------------------------------------------- one draft


def test_save_writes_the_draft_format_under_a_name_from_the_draft_with_utc_times(
    tmp_path: Path,
) -> None:
    clock = iter([datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 2, 5, 30, tzinfo=UTC)])
    store = DraftStore(tmp_path, clock=lambda: next(clock))
    saved = store.save(None, text_draft("Diwali", "Offers inside"))
    assert saved.draft_id == "diwali.rcs"
    assert saved.draft.created == saved.draft.modified == "2026-11-01T00:00:00Z"
    path = tmp_path / "drafts" / "diwali.rcs.json"
    assert path.read_text(encoding="utf-8") == codecs.dumps(codecs.export_draft(saved.draft))
    # Saving a change keeps the creation time, even when the caller's copy has lost it.
    from dataclasses import replace

    changed = replace(saved.draft, created=None, variables={"name": "Asha"})
    again = store.save(saved.draft_id, changed)
    assert (again.draft.created, again.draft.modified) == (
        "2026-11-01T00:00:00Z",
        "2026-11-02T05:30:00Z",
    )
    assert store.load(saved.draft_id) == again.draft
    assert again.entry.name == "Diwali" and again.entry.modified == "2026-11-02T05:30:00Z"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left behind


def test_a_draft_of_an_older_version_is_migrated_on_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DraftStore(tmp_path)
    saved = store.save(None, text_draft("Old", "hello"))
    assert [e.name for e in store.list()] == ["Old"]

    def rename_to_title(data: dict[str, object]) -> dict[str, object]:
        data["name"] = f"{data['name']} (migrated)"
        data["version"] = 2
        return data

    monkeypatch.setattr(codecs, "DRAFT_VERSION", 2)
    monkeypatch.setitem(codecs.DRAFT_MIGRATIONS, 1, rename_to_title)
    assert store.load(saved.draft_id).name == "Old (migrated)"
    # The index written by the older version is not trusted: the summaries are rebuilt.
    assert [e.name for e in DraftStore(tmp_path).list()] == ["Old (migrated)"]


def test_loading_a_missing_draft_names_it(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    with pytest.raises(DraftNotFound, match="no such draft") as caught:
        store.load("0123abcd")
    assert caught.value.path == tmp_path / "drafts" / "0123abcd.json"
    with pytest.raises(ValueError, match="not a draft id"):
        store.load("../profiles")


# ---------------------------------------------------------------- library


def test_list_and_search_by_name_and_text(tmp_path: Path) -> None:
    store = DraftStore(tmp_path, clock=ticking_clock(datetime(2026, 11, 1, tzinfo=UTC)))
    store.save(None, text_draft("Diwali offer", "Sweets and LAMPS"))
    store.save(None, text_draft("Bill reminder", "Your electricity bill is due"))
    card = store.save(None, card_draft("Festive card")).draft_id
    assert [e.name for e in store.list()] == ["Festive card", "Bill reminder", "Diwali offer"]
    assert [e.name for e in store.search("lamps")] == ["Diwali offer"]
    assert [e.name for e in store.search("BILL electricity")] == ["Bill reminder"]
    assert store.search("bill lamps") == []  # every word must match
    assert [e.name for e in store.search("half price show")] == ["Festive card"]
    assert store.search("cdn.example.com") == []  # links and ids are not text a reader sees
    assert store.search("show-9") == []
    assert len(store.search("")) == 3
    by_id = {e.draft_id: e for e in store.list()}
    assert by_id[card].kind is m.MessageKind.RICH_CARD
    assert by_id[card].thumbnail_url == "https://cdn.example.com/lamp.jpg"
    assert {e.kind for e in store.list()} == {m.MessageKind.TEXT, m.MessageKind.RICH_CARD}
    assert all(e.problem is None for e in store.list())


def test_search_text_is_capped(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.save(None, text_draft("Long", "word " * 1000 + "needle"))
    [entry] = store.list()
    assert len(entry.search_text) <= 2000
    assert store.search("needle") == []


def test_rename_duplicate_delete_to_trash_and_restore(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    draft_id = store.save(None, text_draft("One", "a")).draft_id
    assert store.rename(draft_id, "Renamed").name == "Renamed"
    copy = store.duplicate(draft_id)
    assert copy.draft_id != draft_id
    assert store.load(copy.draft_id).message == store.load(draft_id).message
    assert sorted(e.name for e in store.list()) == ["Renamed", "Renamed (copy)"]

    store.delete(copy.draft_id)
    assert [e.name for e in store.list()] == ["Renamed"]
    assert store.trashed() == [copy.draft_id]
    trashed = tmp_path / "trash" / f"{copy.draft_id}.json"
    assert codecs.loads(trashed.read_bytes()).draft.name == "Renamed (copy)"
    with pytest.raises(DraftNotFound):
        store.delete(copy.draft_id)

    store.restore(copy.draft_id)
    assert sorted(e.name for e in store.list()) == ["Renamed", "Renamed (copy)"]
    assert store.trashed() == []
    with pytest.raises(DraftNotFound, match="not in the trash"):
        store.restore(copy.draft_id)


def test_restore_never_overwrites_a_live_draft(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    draft_id = store.save(None, text_draft("Kept", "a")).draft_id
    store.delete(draft_id)
    (tmp_path / "drafts" / f"{draft_id}.json").write_text(
        codecs.dumps(codecs.export_draft(text_draft("Newer", "b")))
    )
    with pytest.raises(FileExistsError, match=draft_id):
        store.restore(draft_id)
    assert store.load(draft_id).name == "Newer"
    assert store.trashed() == [draft_id]


def test_unreadable_drafts_are_listed_with_the_reason_and_never_touched(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    folder = tmp_path / "drafts"
    folder.mkdir(parents=True)
    corrupt = folder / "corrupt.json"
    corrupt.write_bytes(b'{"format": "rcs-composer-draft", "version": 1, "message": {"te')
    newer = folder / "newer.json"
    newer.write_text(
        json.dumps({"format": "rcs-composer-draft", "version": 9, "message": {"text": "x"}})
    )
    foreign = folder / "foreign.json"
    foreign.write_text('{"from": "a", "to": ["919876543210"], "text": "a message body"}')
    bad_field = folder / "bad-field.json"
    bad_field.write_text('{"format": "rcs-composer-draft", "version": 1, "message": {"text": 5}}')
    files = (corrupt, newer, foreign, bad_field)
    before = {path: path.read_bytes() for path in files}

    problems = {entry.draft_id: entry.problem or "" for entry in store.list()}
    assert "not valid JSON" in problems["corrupt"]
    assert "newer rcs-composer (draft version 9" in problems["newer"]
    assert "not an rcs-composer draft" in problems["foreign"]
    assert "$.message.text" in problems["bad-field"]
    assert all(entry.kind is None for entry in store.list())

    with pytest.raises(DraftUnreadable, match="kept as it is") as caught:
        store.save("corrupt", text_draft("x", "y"))
    assert caught.value.path == corrupt
    with pytest.raises(DraftUnreadable, match="draft version 9") as loading:
        store.load("newer")
    assert str(newer) in str(loading.value)
    for action in (store.rename, lambda draft_id, _name: store.duplicate(draft_id)):
        for draft_id in ("corrupt", "newer"):
            with pytest.raises(DraftUnreadable):
                action(draft_id, "New name")
    store.list()
    assert {path: path.read_bytes() for path in files} == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in files)


def test_a_draft_that_is_too_large_is_listed_not_read(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    (tmp_path / "drafts").mkdir()
    with open(tmp_path / "drafts" / "huge.json", "wb") as stream:
        stream.truncate(codecs.MAX_DOCUMENT_BYTES + 1)
    [entry] = store.list()
    assert entry.problem is not None and "too large" in entry.problem


# ---------------------------------------------------------------- the index


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = drafts_module._read_draft

    def counting(path: Path) -> tuple[m.Draft, tuple[int, int, int]]:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(drafts_module, "_read_draft", counting)
    return reads


def test_the_index_rereads_only_new_and_changed_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = DraftStore(tmp_path)
    ids = [store.save(None, text_draft(f"Draft {n}", "a")).draft_id for n in range(5)]
    store.list()  # saves update the index in memory; a listing writes it
    reads = count_reads(monkeypatch)
    fresh = DraftStore(tmp_path)  # as a new run of the app: the index comes from disk
    assert len(fresh.list()) == 5
    assert reads == []

    changed = tmp_path / "drafts" / f"{ids[2]}.json"
    changed.write_text(codecs.dumps(codecs.export_draft(text_draft("Edited elsewhere", "b"))))
    (tmp_path / "drafts" / f"{ids[4]}.json").unlink()
    (tmp_path / "drafts" / "added.json").write_text(
        codecs.dumps(codecs.export_draft(text_draft("Added by hand", "c")))
    )
    names = sorted(e.name for e in DraftStore(tmp_path).list())
    assert names == ["Added by hand", "Draft 0", "Draft 1", "Draft 3", "Edited elsewhere"]
    assert sorted(p.stem for p in reads) == sorted(["added", ids[2]])

    index = json.loads((tmp_path / "index.json").read_text())
    assert set(index["drafts"]) == {ids[0], ids[1], ids[2], ids[3], "added"}
    row = index["drafts"][ids[2]]
    assert row[:2] == [changed.stat().st_mtime_ns, changed.stat().st_size]


def test_a_same_size_rewrite_in_the_same_clock_tick_is_still_noticed(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    draft_id = store.save(None, text_draft("Alpha", "same size")).draft_id
    path = tmp_path / "drafts" / f"{draft_id}.json"
    assert [e.name for e in store.list()] == ["Alpha"]
    old = path.stat()
    other = tmp_path / "other.json"
    other.write_text(path.read_text().replace("Alpha", "Omega"))
    os.utime(other, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(other, path)  # as another copy of the app saves: same size, same mtime
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (old.st_size, old.st_mtime_ns)
    assert [e.name for e in DraftStore(tmp_path).list()] == ["Omega"]


@pytest.mark.parametrize(
    "index_text",
    [
        "not json at all",
        '{"format": "rcs-composer-draft-index", "version": 2, "draft_version": 1, "drafts": []}',
        '{"format": "rcs-composer-draft-index", "version": 2, "draft_version": 1, "drafts": {"x": [1, 2]}}',
        '{"format": "rcs-composer-draft-index", "version": 99, "drafts": {}}',
        "[1, 2, 3]",
    ],
)
def test_a_broken_index_is_rebuilt_from_the_drafts(tmp_path: Path, index_text: str) -> None:
    DraftStore(tmp_path).save(None, text_draft("Survivor", "a"))
    (tmp_path / "index.json").write_text(index_text)
    assert [e.name for e in DraftStore(tmp_path).list()] == ["Survivor"]
    assert json.loads((tmp_path / "index.json").read_text())["version"] == 2


def test_a_forged_index_row_for_a_changed_file_is_not_trusted(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    draft_id = store.save(None, text_draft("Real name", "a")).draft_id
    store.list()
    index = json.loads((tmp_path / "index.json").read_text())
    index["drafts"][draft_id][3] = "Stale name"
    index["drafts"][draft_id][0] -= 1  # the file changed since this row was written
    (tmp_path / "index.json").write_text(json.dumps(index))
    assert [e.name for e in DraftStore(tmp_path).list()] == ["Real name"]


def test_listing_while_saving_on_another_thread(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    failures: list[BaseException] = []
    stop = threading.Event()

    def keep_saving() -> None:
        try:
            for n in range(200):
                store.save(None, text_draft(f"Draft {n}", "a"))
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            stop.set()

    saver = threading.Thread(target=keep_saving)
    saver.start()
    while not stop.is_set():
        store.list()
    saver.join()
    assert failures == []
    assert len(store.list()) == 200
    assert len(json.loads((tmp_path / "index.json").read_text())["drafts"]) == 200


def test_ten_thousand_drafts_list_and_search(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir(parents=True)
    festivals = ["Diwali", "Holi", "Eid", "Pongal", "Onam", "Christmas", "Navratri"]
    for n in range(10_000):
        text = f"Offer number {n} for {festivals[n % 7]}. " + "Terms apply to this offer. " * 10
        draft = m.Draft(
            name=f"Campaign {n}",
            message=m.Message(content=m.TextContent(text)),
            modified=f"2026-01-01T00:00:{n % 60:02d}Z",
        )
        (folder / f"{n:032x}.json").write_text(codecs.dumps(codecs.export_draft(draft)))

    started = time.perf_counter()
    assert len(DraftStore(tmp_path).list()) == 10_000
    cold = time.perf_counter() - started

    started = time.perf_counter()
    warm_store = DraftStore(tmp_path)  # a new run of the app, with the index on disk
    assert len(warm_store.list()) == 10_000
    warm = time.perf_counter() - started

    started = time.perf_counter()
    assert len(warm_store.list()) == 10_000  # the same store again: the index is in memory
    hot = time.perf_counter() - started

    started = time.perf_counter()
    found = warm_store.search("campaign 9999")
    search = time.perf_counter() - started
    assert [e.name for e in found] == ["Campaign 9999"]
    assert len(warm_store.search("HOLI terms")) == 1429
    index_size = (tmp_path / "index.json").stat().st_size
    print(
        f"\n10,000 drafts: cold list {cold * 1000:.0f} ms, warm list (new store) "
        f"{warm * 1000:.0f} ms, warm list (same store) {hot * 1000:.0f} ms, "
        f"search {search * 1000:.0f} ms, index {index_size / 1e6:.1f} MB"
    )


# ---------------------------------------------------------------- autosave

HOLD_A_SESSION = """
import sys
from pathlib import Path
from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore
store = DraftStore(Path(sys.argv[1]))
session = store.start_session()
draft = m.Draft(name="Work of " + session, message=m.Message(content=m.TextContent("x")))
store.save_autosave(session, draft, "the-draft-id")
print(session, flush=True)
sys.stdin.read()
"""


def other_process_with_a_session(root: Path) -> tuple[subprocess.Popen[bytes], str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_SESSION, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert child.stdout is not None
    return child, child.stdout.readline().decode().strip()


def test_the_autosave_of_a_killed_session_is_offered_and_a_running_one_is_not(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path)
    mine = store.start_session()
    store.save_autosave(mine, text_draft("Mine", "x"))
    child, theirs = other_process_with_a_session(tmp_path)
    with child:
        try:
            lock = tmp_path / "autosave" / f"{theirs}.lock"
            assert lock.read_text().strip() == str(child.pid)
            assert store.pending_autosaves(mine) == []  # both sessions are running
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        finally:
            child.kill()
            child.wait(timeout=10)
    [pending] = store.pending_autosaves(mine)
    assert (pending.session, pending.draft.name, pending.draft_id) == (
        theirs,
        f"Work of {theirs}",
        "the-draft-id",
    )
    assert pending.draft.extras == {}
    store.discard_autosave(theirs)
    assert store.pending_autosaves(mine) == []
    assert sorted(p.name for p in (tmp_path / "autosave").iterdir()) == [
        f"{mine}.json",
        f"{mine}.lock",
    ]


def test_sessions_that_end_cleanly_leave_nothing_and_released_ones_are_offered(
    tmp_path: Path,
) -> None:
    store = DraftStore(tmp_path)
    clean = store.start_session()
    store.save_autosave(clean, text_draft("Saved before closing", "x"))
    store.end_session(clean)
    assert list((tmp_path / "autosave").iterdir()) == []

    first = store.start_session()
    store.save_autosave(first, text_draft("Older unsaved work", "x"))
    store.release_session(first)  # closed with unsaved edits: kept for the next start
    time.sleep(0.01)
    second = store.start_session()
    store.save_autosave(second, text_draft("Newer unsaved work", "x"))
    store.release_session(second)

    later = DraftStore(tmp_path)
    current = later.start_session()
    pending = later.pending_autosaves(current)
    assert [item.draft.name for item in pending] == ["Older unsaved work", "Newer unsaved work"]
    assert pending[-1].draft_id is None


def test_a_session_of_this_process_is_running(tmp_path: Path) -> None:
    one, other = DraftStore(tmp_path), DraftStore(tmp_path)
    session = one.start_session()
    one.save_autosave(session, text_draft("Open in the first window", "x"))
    assert other.pending_autosaves() == []
    assert other.pending_autosaves(other.start_session()) == []
