"""The draft library announces every change, and the open draft follows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcs_composer.app.drafts import DraftChange, DraftEvent, DraftLibrary, OpenDraft
from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore


@pytest.fixture
def library(tmp_path: Path) -> DraftLibrary:
    return DraftLibrary(DraftStore(tmp_path))


def draft(name: str = "Card") -> m.Draft:
    return m.Draft(name=name, message=m.Message(content=m.TextContent("hello")))


def test_every_change_is_announced_with_the_name_it_leaves(library: DraftLibrary) -> None:
    heard: list[DraftEvent] = []
    library.subscribe(heard.append)
    first = library.save(None, draft("Festival")).draft_id
    library.rename(first, "Diwali")
    copy = library.duplicate(first).draft_id
    library.trash(first)
    library.restore(first)
    assert [(e.change, e.draft_id, e.name) for e in heard] == [
        (DraftChange.SAVED, first, "Festival"),
        (DraftChange.RENAMED, first, "Diwali"),
        (DraftChange.DUPLICATED, copy, "Diwali (copy)"),
        (DraftChange.TRASHED, first, None),
        (DraftChange.RESTORED, first, None),
    ]


def test_saving_a_trashed_draft_makes_a_new_one_and_the_trash_can_still_be_undone(
    library: DraftLibrary,
) -> None:
    first = library.save(None, draft()).draft_id
    library.trash(first)
    again = library.save(first, draft("Kept")).draft_id
    assert again != first
    library.restore(first)  # no FileExistsError: the trashed file was never brought back
    assert {entry.draft_id for entry in library.entries()} == {first, again}


def test_the_open_draft_follows_renames_and_the_trash() -> None:
    opened = OpenDraft("d1", "Festival")
    assert not opened.follow(DraftEvent(DraftChange.RENAMED, "other", "Else"))
    assert opened.follow(DraftEvent(DraftChange.RENAMED, "d1", "Diwali"))
    assert opened.name == "Diwali"
    assert opened.follow(DraftEvent(DraftChange.TRASHED, "d1"))
    assert opened.draft_id is None and opened.trashed_id == "d1"
    assert not opened.follow(DraftEvent(DraftChange.RESTORED, "other"))
    assert opened.follow(DraftEvent(DraftChange.RESTORED, "d1"))
    assert opened.draft_id == "d1" and opened.trashed_id is None


def test_a_save_after_the_trash_forgets_the_trashed_id() -> None:
    opened = OpenDraft("d1", "Festival")
    opened.follow(DraftEvent(DraftChange.TRASHED, "d1"))
    opened.saved("d2", "Festival")
    assert not opened.follow(DraftEvent(DraftChange.RESTORED, "d1"))
    assert opened.draft_id == "d2"


def test_a_service_is_swapped_in_at_the_composition_root(tmp_path: Path) -> None:
    from rcs_composer.app.services import Services

    store = DraftStore(tmp_path)
    services = Services(drafts=store)
    assert services.drafts is store
    assert services.library.store is store  # what is built from it uses the one given
    with pytest.raises(TypeError, match="no service named 'drafs'"):
        Services(drafs=store)
