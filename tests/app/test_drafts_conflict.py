"""Two libraries on one folder, as two windows in two processes (issue 20, items 5 and 8)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcs_composer.app.drafts import (
    DraftConflict,
    DraftEvent,
    DraftLibrary,
    OpenDraft,
)
from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore


def draft(name: str, text: str = "hello") -> m.Draft:
    return m.Draft(name=name, message=m.Message(content=m.TextContent(text)))


def window(root: Path) -> tuple[DraftLibrary, OpenDraft]:
    """What one window holds: its own library on the shared folder, and its open draft."""
    library, opened = DraftLibrary(DraftStore(root)), OpenDraft()
    library.subscribe(opened.follow)
    return library, opened


def open_in(library: DraftLibrary, opened: OpenDraft, draft_id: str) -> m.Draft:
    loaded = library.open(draft_id)
    opened.draft_id, opened.name, opened.version = draft_id, loaded.draft.name, loaded.version
    return loaded.draft


def save_in(library: DraftLibrary, opened: OpenDraft, edited: m.Draft) -> None:
    """What FileActions._write does: save on the version the window holds, keep the new one."""
    saved = library.save(opened.draft_id, edited, loaded=opened.version)
    opened.saved(saved.draft_id, saved.draft.name, saved.version)


def test_the_second_window_to_save_is_told_and_nothing_is_lost(tmp_path: Path) -> None:
    (one, opened_one), (two, opened_two) = window(tmp_path), window(tmp_path)
    draft_id = one.save(None, draft("Offer", "v1")).draft_id
    open_in(one, opened_one, draft_id)
    open_in(two, opened_two, draft_id)

    save_in(one, opened_one, draft("Offer", "from one"))
    save_in(one, opened_one, draft("Offer", "from one, again"))  # its own saves: no conflict
    heard: list[DraftEvent] = []
    two.subscribe(heard.append)
    with pytest.raises(DraftConflict) as caught:
        save_in(two, opened_two, draft("Offer", "from two"))
    assert heard == []  # nothing saved, nothing announced
    assert caught.value.theirs.message.content == m.TextContent("from one, again")

    # "Keep both": window two saves its version as a new draft.
    save_in(two, OpenDraft(), draft("Offer (my version)", "from two"))
    names = sorted(entry.name for entry in one.entries())
    assert names == ["Offer", "Offer (my version)"]


def test_a_rename_in_this_window_moves_the_base_of_the_next_save(tmp_path: Path) -> None:
    library, opened = window(tmp_path)
    draft_id = library.save(None, draft("Offer")).draft_id
    open_in(library, opened, draft_id)
    library.rename(draft_id, "Diwali offer")  # from the library panel: the open draft follows
    assert opened.name == "Diwali offer"
    save_in(library, opened, draft("Diwali offer", "edited"))  # not a conflict with itself


def test_a_rename_in_another_window_is_a_conflict(tmp_path: Path) -> None:
    (one, opened_one), (two, _) = window(tmp_path), window(tmp_path)
    draft_id = one.save(None, draft("Offer")).draft_id
    open_in(one, opened_one, draft_id)
    two.rename(draft_id, "Renamed elsewhere")
    with pytest.raises(DraftConflict, match="Renamed elsewhere"):
        save_in(one, opened_one, draft("Offer", "edited"))


def test_recovering_a_crashed_window_s_work_keeps_it_as_a_new_draft(tmp_path: Path) -> None:
    crashed = DraftStore(tmp_path)
    session = crashed.start_session()
    saved = crashed.save(None, draft("Offer", "saved"))
    crashed.save_autosave(session, draft("Offer", "unsaved edit"), saved.draft_id)
    crashed.release_session(session)

    library, _ = window(tmp_path)
    [pending] = library.store.pending_autosaves()
    recovered = library.recover(pending)
    assert recovered.draft_id != saved.draft_id  # the saved draft is left as it was
    assert recovered.draft.name == "Offer (recovered)"
    assert library.load(saved.draft_id).message.content == m.TextContent("saved")
    assert library.store.pending_autosaves() == []
