"""Library folders: readable file names, files other writers left, and a folder nothing of
ours clutters (the index and the lock stay in this user's data folder)."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.services import draft_index
from rcs_composer.services.drafts import DraftConflict, DraftMergeConflict, DraftStore
from rcs_composer.services.library_folders import LibraryFolderError, LibraryFolders
from tests.support.drafts import text_draft


def text_of(draft: m.Draft | None) -> str:
    assert draft is not None
    content = draft.message.content
    assert isinstance(content, m.TextContent)
    return content.text


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "team-repo"
    folder.mkdir()
    return folder


@pytest.fixture
def store(tmp_path: Path, team: Path) -> DraftStore:
    return DraftStore.for_folder(team, tmp_path / "state")


def test_folders_are_remembered_and_forgotten_without_touching_files(
    tmp_path: Path, team: Path
) -> None:
    config = tmp_path / "config" / "libraries.json"
    folders = LibraryFolders(config, tmp_path / "state", private_folder=tmp_path / "private")
    added = folders.add(team)
    assert folders.add(team) == added  # twice is once
    again = LibraryFolders(config, tmp_path / "state")  # the next start
    assert [(f.key, f.path, f.title) for f in again.folders()] == [(added.key, team, "team-repo")]
    again.store(added.key).save(None, text_draft("Diwali offer"))
    again.remove(added.key)
    assert again.folders() == []
    assert (team / "diwali-offer.rcs.json").exists()


def test_a_folder_that_cannot_be_a_library_is_refused_with_the_reason(tmp_path: Path) -> None:
    private = tmp_path / "private"
    (private / "drafts").mkdir(parents=True)
    folders = LibraryFolders(
        tmp_path / "libraries.json", tmp_path / "state", private_folder=private
    )
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    with pytest.raises(LibraryFolderError, match="no such folder"):
        folders.add(tmp_path / "missing")
    with pytest.raises(LibraryFolderError, match="is a file"):
        folders.add(a_file)
    with pytest.raises(LibraryFolderError, match="own drafts folder"):
        folders.add(private / "drafts")


def test_drafts_get_readable_unique_names_and_only_they_are_listed(
    store: DraftStore, team: Path
) -> None:
    (team / "package.json").write_text('{"name": "web"}')  # a repository holds other JSON
    first = store.save(None, text_draft("Diwali offer"))
    second = store.save(None, text_draft("DIWALI OFFER"))
    assert (first.draft_id, second.draft_id) == ("diwali-offer.rcs", "diwali-offer-2.rcs")
    assert sorted(entry.draft_id for entry in store.list()) == [second.draft_id, first.draft_id]
    # Nothing of the app's own in the folder: only the drafts themselves.
    assert sorted(os.listdir(team)) == [
        "diwali-offer-2.rcs.json",
        "diwali-offer.rcs.json",
        "package.json",
    ]
    mode = stat.S_IMODE((team / "diwali-offer.rcs.json").stat().st_mode)
    assert mode & 0o044  # teammates on a share can read it, unlike the private 0600
    # A save keeps the file name whatever the draft is called now: its history stays one file.
    renamed_in_editor = dataclasses.replace(store.load(first.draft_id), name="Holi offer")
    store.save(
        first.draft_id, renamed_in_editor, loaded=store.load_versioned(first.draft_id).version
    )
    assert (team / "diwali-offer.rcs.json").exists()


def test_saving_unchanged_content_writes_nothing_and_keeps_the_time(
    store: DraftStore, team: Path
) -> None:
    saved = store.save(None, text_draft("Offer"))
    path = team / "offer.rcs.json"
    before = path.stat().st_mtime_ns, path.read_bytes()
    again = store.save(saved.draft_id, text_draft("Offer"), loaded=saved.version)
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert again.draft.modified == saved.draft.modified
    assert again.version == saved.version
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and '\n  "name": "Offer",\n' in text  # one key a line


def conflicted(ours: str, theirs: str) -> str:
    mine = codecs.dumps(codecs.export_draft(text_draft("Offer", ours))).splitlines(True)
    other = codecs.dumps(codecs.export_draft(text_draft("Offer", theirs))).splitlines(True)
    differs = [n for n, (a, b) in enumerate(zip(mine, other, strict=True)) if a != b]
    start, end = differs[0], differs[-1] + 1
    ours = ["<<<<<<< HEAD\n", *mine[start:end]]
    theirs = ["=======\n", *other[start:end], ">>>>>>> holi\n"]
    return "".join([*mine[:start], *ours, *theirs, *mine[end:]])


def test_a_git_conflict_is_reported_with_both_sides_and_one_can_be_written(
    store: DraftStore, team: Path
) -> None:
    path = team / "offer.rcs.json"
    path.write_text(conflicted("Diwali sale", "Holi sale"), encoding="utf-8")
    [entry] = store.list()
    assert entry.problem is not None and "merge conflict" in entry.problem
    with pytest.raises(DraftMergeConflict) as caught:
        store.load_versioned("offer.rcs")
    conflict = caught.value
    assert (text_of(conflict.ours), text_of(conflict.theirs)) == ("Diwali sale", "Holi sale")
    assert conflict.sides.theirs_label == "holi"
    assert conflict.theirs is not None
    # A save that does not know of the conflict never overwrites it.
    with pytest.raises(Exception, match="merge conflict"):
        store.save("offer.rcs", text_draft("Offer", "blind"))
    saved = store.resolve("offer.rcs", conflict.theirs, conflict.version)
    assert text_of(store.load(saved.draft_id)) == "Holi sale"
    # The conflict version is spent: resolving from it again is refused.
    with pytest.raises(DraftConflict):
        store.resolve("offer.rcs", conflict.ours or conflict.theirs, conflict.version)


def test_sync_conflict_copies_are_listed_with_their_draft_and_can_be_settled(
    store: DraftStore, team: Path
) -> None:
    saved = store.save(None, text_draft("Offer", "mine"))
    copy_text = codecs.dumps(codecs.export_draft(text_draft("Offer", "from the laptop")))
    (team / "offer (conflicted copy).rcs.json").write_text(copy_text, encoding="utf-8")
    (team / "offer.rcs.json.orig").write_text(copy_text, encoding="utf-8")
    entries = {entry.draft_id: entry for entry in store.list()}
    assert entries["offer.rcs"].copies == (
        "offer (conflicted copy).rcs.json",
        "offer.rcs.json.orig",
    )
    assert entries["offer (conflicted copy).rcs"].conflict_of == "offer.rcs"
    assert "offer.rcs.json.orig" not in entries  # not a draft of its own, only a copy
    assert [c.made_by for c in store.conflict_copies(saved.draft_id)] == ["sync", "git mergetool"]
    assert text_of(store.load_copy("offer.rcs.json.orig").draft) == "from the laptop"
    store.discard_copy("offer.rcs.json.orig")
    assert not (team / "offer.rcs.json.orig").exists()
    assert (team / ".rcs-trash" / "offer.rcs.json.orig").exists()  # kept, not erased
    with pytest.raises(ValueError, match="not a conflict copy"):
        store.load_copy("../offer.rcs.json")


def test_drafts_with_the_older_opaque_ids_keep_working_beside_named_ones(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    legacy_id = "0123456789abcdef0123456789abcdef"
    (tmp_path / "drafts").mkdir()
    legacy = tmp_path / "drafts" / f"{legacy_id}.json"
    legacy.write_text(codecs.dumps(codecs.export_draft(text_draft("Old offer", "v1"))))
    named = store.save(None, text_draft("New offer"))
    assert named.draft_id == "new-offer.rcs"
    assert {entry.draft_id for entry in store.list()} == {legacy_id, named.draft_id}
    loaded = store.load_versioned(legacy_id)
    store.save(legacy_id, text_draft("Old offer", "v2"), loaded=loaded.version)
    assert text_of(store.load(legacy_id)) == "v2"
    assert sorted(p.name for p in legacy.parent.iterdir()) == [legacy.name, "new-offer.rcs.json"]


def test_a_broken_list_of_folders_lists_none_and_is_rewritten_on_add(
    tmp_path: Path, team: Path
) -> None:
    config = tmp_path / "libraries.json"
    config.write_text("{not json")
    folders = LibraryFolders(config, tmp_path / "state")
    assert folders.folders() == []
    folders.add(team)
    assert [folder.path for folder in folders.folders()] == [team]


def test_a_conflict_marker_file_is_listed_by_its_drafts_name_not_its_file_name(
    store: DraftStore, team: Path
) -> None:
    (team / "holi-sale.rcs.json").write_text(conflicted("Diwali", "Holi"), encoding="utf-8")
    (team / "broken.rcs.json").write_text("{not json", encoding="utf-8")
    names = {entry.draft_id: entry.name for entry in store.list()}
    assert names == {"holi-sale.rcs": "Offer", "broken.rcs": "broken"}  # never "….rcs"


def test_an_explicit_rename_renames_the_file_never_over_another(
    store: DraftStore, team: Path
) -> None:
    first = store.save(None, text_draft("Diwali offer"))
    store.save(None, text_draft("Holi sale"))  # holds the name the rename wants
    store.save(None, text_draft("Holi sale 2"))  # ...and the first free one after it
    (team / "holi-sale-3.rcs.json").write_text("not ours, by hand", encoding="utf-8")
    entry = store.rename(first.draft_id, "Holi sale")
    assert entry.draft_id == "holi-sale-4.rcs"
    assert not (team / "diwali-offer.rcs.json").exists()
    assert (team / "holi-sale-3.rcs.json").read_text(encoding="utf-8") == "not ours, by hand"
    assert store.load(entry.draft_id).name == "Holi sale"
    assert sorted(e.draft_id for e in store.list() if e.problem is None) == [
        "holi-sale-2.rcs",
        "holi-sale-4.rcs",
        "holi-sale.rcs",
    ]
    # A name whose file name is the one it has already keeps it; a trashed file keeps its
    # name free for restoring.
    again = store.rename(entry.draft_id, "Holi sale!")
    assert again.draft_id == "holi-sale-4.rcs"
    other = store.save(None, text_draft("Promo"))
    store.delete(other.draft_id)
    moved = store.rename(again.draft_id, "Promo")
    assert moved.draft_id == "promo-2.rcs"
    store.restore(other.draft_id)
    assert store.load(other.draft_id).name == "Promo"


def test_a_rename_of_a_private_draft_keeps_its_file(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    saved = store.save(None, text_draft("Diwali offer"))
    assert store.rename(saved.draft_id, "Holi sale").draft_id == saved.draft_id


def test_drafts_in_sub_folders_are_listed_and_changed_where_they_are(
    store: DraftStore, team: Path
) -> None:
    diwali = team / "campaigns" / "diwali"
    diwali.mkdir(parents=True)
    draft_text = codecs.dumps(codecs.export_draft(text_draft("Offer", "diwali")))
    (diwali / "offer.rcs.json").write_text(draft_text, encoding="utf-8")
    (team / "offer.rcs.json").write_text(draft_text, encoding="utf-8")  # the same file name
    (diwali / "offer-DESKTOP-AB12CD.rcs.json").write_text(draft_text, encoding="utf-8")
    for hidden in (".git", ".rcs-trash", "node_modules"):
        (team / hidden).mkdir(exist_ok=True)
        (team / hidden / "secret.rcs.json").write_text(draft_text, encoding="utf-8")
    (team / "campaigns" / "loop").symlink_to(team, target_is_directory=True)
    deep = team.joinpath(*[f"d{n}" for n in range(12)])
    deep.mkdir(parents=True)
    (deep / "deep.rcs.json").write_text(draft_text, encoding="utf-8")
    entries = {entry.draft_id: entry for entry in store.list()}
    nested = "campaigns/diwali/offer.rcs"
    assert set(entries) == {"offer.rcs", nested, "campaigns/diwali/offer-DESKTOP-AB12CD.rcs"}
    assert entries[nested].copies == ("campaigns/diwali/offer-DESKTOP-AB12CD.rcs.json",)
    assert [c.made_by for c in store.conflict_copies(nested)] == ["OneDrive"]
    assert store.conflict_copies("offer.rcs") == []
    assert team / "campaigns" / "diwali" in store.folders_listed()
    # Saved, renamed, trashed and restored in its own folder.
    loaded = store.load_versioned(nested)
    store.save(nested, text_draft("Offer", "v2"), loaded=loaded.version)
    renamed = store.rename(nested, "Diwali offer")
    assert renamed.draft_id == "campaigns/diwali/diwali-offer.rcs"
    store.delete(renamed.draft_id)
    assert (team / ".rcs-trash" / "campaigns" / "diwali" / "diwali-offer.rcs.json").exists()
    assert renamed.draft_id in store.trashed()
    store.restore(renamed.draft_id)
    assert text_of(store.load(renamed.draft_id)) == "v2"
    with pytest.raises(ValueError, match="not a draft id"):
        store.load("campaigns/../../outside.rcs")


def test_a_library_with_too_many_folders_lists_the_first_ones_and_says_so(
    store: DraftStore, team: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(draft_index, "MAX_FOLDERS", 3)
    draft_text = codecs.dumps(codecs.export_draft(text_draft("Offer")))
    for name in ("a", "b", "c", "d"):
        (team / name).mkdir()
        (team / name / "offer.rcs.json").write_text(draft_text, encoding="utf-8")
    with caplog.at_level("WARNING"):
        listed = sorted(entry.draft_id for entry in store.list())
    assert listed == ["a/offer.rcs", "b/offer.rcs"]  # the folder itself, then a and b
    assert "only the first 3 folders" in caplog.text
