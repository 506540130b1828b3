"""Two rcs-composer processes writing one library folder (issue 18): no write is lost, and
the one that saves over the other's newer file is shown the conflict instead."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from rcs_composer.app.drafts import DiskReaction, DraftLibrary, OpenDraft
from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore
from rcs_composer.services.library_folders import LibraryFolders
from tests.support.drafts import text_draft, text_of

REPO = Path(__file__).resolve().parents[2]


class Writer:
    """Another process (another user: its own settings and data folders) on the folder."""

    def __init__(self, folder: Path, home: Path) -> None:
        env = dict(os.environ)
        for name in ("CONFIG", "DATA", "CACHE", "LOG"):
            (home / name.lower()).mkdir(parents=True, exist_ok=True)
            env[f"RCS_COMPOSER_{name}_DIR"] = str(home / name.lower())
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.library_writer", str(folder)],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.key = self.read()["ready"]

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer

    def send(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def ask(self, **command: Any) -> dict[str, Any]:
        self.send(**command)
        return self.read()

    def close(self) -> None:
        try:
            self.ask(do="quit")
            assert self.process.wait(timeout=30) == 0
        finally:
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def test_two_processes_creating_drafts_of_one_name_lose_none(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    one, two = Writer(folder, tmp_path / "asha"), Writer(folder, tmp_path / "ravi")
    try:
        # Both at once: each process holds only its own lock, so the names race for real.
        one.send(do="new", name="Diwali offer", count=15, tag="asha")
        two.send(do="new", name="Diwali offer", count=15, tag="ravi")
        created = one.read()["created"] + two.read()["created"]
    finally:
        one.close()
        two.close()
    assert len(set(created)) == 30
    store = DraftStore.for_folder(folder, tmp_path / "reader")
    texts = sorted(text_of(store.load(draft_id)) for draft_id in created)
    assert texts == sorted([f"asha {n}" for n in range(15)] + [f"ravi {n}" for n in range(15)])
    assert {p.name for p in folder.iterdir()} == {f"{draft_id}.json" for draft_id in created}


def test_the_process_saving_over_a_newer_file_is_shown_the_conflict(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    store = DraftStore.for_folder(folder, tmp_path / "reader")
    draft_id = store.save(None, text_draft("Offer", "v1")).draft_id
    one, two = Writer(folder, tmp_path / "asha"), Writer(folder, tmp_path / "ravi")
    try:
        one.ask(do="open", id=draft_id)
        two.ask(do="open", id=draft_id)
        assert "saved" in one.ask(do="save", text="from asha")
        answer = two.ask(do="save", text="from ravi")
        assert answer["theirs"] == "from asha"  # what the other wrote, to compare
        assert "changed on disk since it was opened here" in answer["conflict"]
        assert text_of(store.load(draft_id)) == "from asha"  # nothing was lost
        assert "saved" in two.ask(do="overwrite", text="from ravi")  # a choice, not silence
        assert "conflict" in one.ask(do="save", text="asha again")  # asha is told in turn
    finally:
        one.close()
        two.close()
    assert text_of(store.load(draft_id)) == "from ravi"


def window(tmp_path: Path, folder: Path) -> tuple[DraftLibrary, str]:
    folders = LibraryFolders(tmp_path / "libraries.json", tmp_path / "state")
    library = DraftLibrary(DraftStore(tmp_path / "private"), folders)
    return library, library.add_folder(folder).key


def test_a_checkout_under_the_open_draft_reloads_it_or_asks_when_edited(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    library, key = window(tmp_path, folder)
    saved = library.save(None, text_draft("Offer", "main branch"), into=key)
    assert saved.draft_id == f"{key}/offer.rcs"
    assert [e.draft_id for e in library.entries(key)] == [saved.draft_id]
    opened = OpenDraft(saved.draft_id, "Offer", version=saved.version)
    path = library.path_of(saved.draft_id)
    assert path == folder / "offer.rcs.json"

    # A touch, or a checkout of a branch with the same file: nothing to do.
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert opened.on_disk(library.version_on_disk(saved.draft_id), dirty=False) is (
        DiskReaction.NOTHING
    )
    # `git checkout holi` writes other content: reloaded when clean, compared when edited.
    other = DraftStore.for_folder(folder, tmp_path / "git")
    other.save("offer.rcs", text_draft("Offer", "holi branch"))
    now = library.version_on_disk(saved.draft_id)
    assert now is not None and text_of(now.draft) == "holi branch"
    assert opened.on_disk(now, dirty=True) is DiskReaction.COMPARE
    assert opened.on_disk(now, dirty=False) is DiskReaction.RELOAD
    path.unlink()  # a branch without the file
    assert opened.on_disk(library.version_on_disk(saved.draft_id), dirty=False) is (
        DiskReaction.GONE
    )


def test_a_draft_is_copied_into_a_team_library_with_its_template_id(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    library, key = window(tmp_path, folder)
    draft = m.Draft(
        name="Bill reminder",
        message=m.Message(content=m.TextContent("Your bill is due")),
        template=m.TemplateInfo(name="bill_reminder", template_id="tpl-42"),
    )
    mine = library.save(None, draft)
    entry = library.copy_to(mine.draft_id, key)
    assert entry.draft_id == f"{key}/bill-reminder.rcs"
    text = (folder / "bill-reminder.rcs.json").read_text(encoding="utf-8")
    assert '"template_id": "tpl-42"' in text
    assert [info.title for info in library.libraries()] == ["My drafts", "team"]


def test_a_watcher_does_not_read_a_file_still_at_the_version_it_holds(tmp_path: Path) -> None:
    from rcs_composer.app.drafts import UNCHANGED

    folder = tmp_path / "team"
    folder.mkdir()
    library, key = window(tmp_path, folder)
    saved = library.save(None, text_draft("Offer", "v1"), into=key)
    assert library.version_on_disk(saved.draft_id, saved.version) is UNCHANGED
    opened = OpenDraft(saved.draft_id, "Offer", version=saved.version)
    assert opened.on_disk(UNCHANGED, dirty=True) is DiskReaction.NOTHING
    path = library.path_of(saved.draft_id)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    now = library.version_on_disk(saved.draft_id, saved.version)
    assert now is not UNCHANGED and now is not None and text_of(now.draft) == "v1"
    assert opened.on_disk(now, dirty=True) is DiskReaction.NOTHING  # same bytes


def test_a_new_draft_for_a_library_taken_off_the_list_is_kept_in_my_drafts(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    library, key = window(tmp_path, folder)
    library.remove_folder(key)
    saved = library.save(None, text_draft("Offer", "kept"), into=key)
    assert saved.draft_id == "offer.rcs"  # no library prefix: the private drafts
    assert text_of(library.load(saved.draft_id)) == "kept"
    assert list(folder.iterdir()) == []


def test_a_rename_in_a_library_moves_the_open_draft_to_the_renamed_file(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    (folder / "festive").mkdir(parents=True)
    library, key = window(tmp_path, folder)
    events = []
    library.subscribe(events.append)
    saved = library.save(None, text_draft("Diwali offer", "v1"), into=key)
    opened = OpenDraft(saved.draft_id, "Diwali offer", version=saved.version)
    entry = library.rename(saved.draft_id, "Holi sale")
    assert entry.draft_id == f"{key}/holi-sale.rcs"
    renamed = events[-1]
    assert (renamed.draft_id, renamed.new_id) == (saved.draft_id, entry.draft_id)
    assert opened.follow(renamed)
    assert (opened.draft_id, opened.name) == (entry.draft_id, "Holi sale")
    # The open draft saves into its new file, on the version the rename wrote: no conflict.
    again = library.save(opened.draft_id, text_draft("Holi sale", "v2"), loaded=opened.version)
    assert again.draft_id == entry.draft_id
    assert sorted(p.name for p in folder.glob("*.rcs.json")) == ["holi-sale.rcs.json"]
    # A private draft's rename keeps its id: no new_id to follow.
    private = library.save(None, text_draft("Mine", "v1"))
    library.rename(private.draft_id, "Still mine")
    assert events[-1].new_id is None
    # A draft in a sub-folder is named by its path below the library, and opens and renames
    # where it is.
    DraftStore.for_folder(folder / "festive", tmp_path / "teammate").save(
        None, text_draft("Diwali offer", "festive")
    )
    nested = f"{key}/festive/diwali-offer.rcs"
    assert nested in [e.draft_id for e in library.entries(key)]
    assert text_of(library.open(nested).draft) == "festive"
    assert library.rename(nested, "Deepavali").draft_id == f"{key}/festive/deepavali.rcs"
