"""A team library in the window: a folder added from the File menu gets its own tab, files
other programs write appear, and the open draft follows its file or asks (issue 18)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from rcs_composer.core import codecs
from rcs_composer.gui.compare_dialog import CompareDialog
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.services.drafts import DraftStore
from tests.support.drafts import text_draft, text_of

Make = Callable[..., MainWindow]


def shown_names(window: MainWindow) -> list[str]:
    model = window.docks.library.model
    return sorted(model.index(row).data(0x0100).name for row in range(model.rowCount()))


@pytest.fixture
def team(tmp_path: Path) -> Path:
    folder = tmp_path / "acme-designs"
    folder.mkdir()
    return folder


def with_library(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path
) -> MainWindow:
    """A window with ``team`` added through File > Add library folder..."""
    window = make_window()
    qtbot.waitUntil(lambda: window.context.session_id is not None, timeout=5000)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(team))
    [add] = [
        a for a in window.menuBar().actions()[0].menu().actions() if "library folder" in a.text()
    ]
    add.trigger()
    panel = window.docks.library
    qtbot.waitUntil(lambda: panel.current is not None and panel.tabs.isVisible(), timeout=5000)
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == [
        "My drafts",
        "acme-designs",
    ]
    assert panel.tabs.currentIndex() == 1
    qtbot.waitUntil(lambda: str(team) in panel.watcher.directories(), timeout=5000)
    return window


def outside_writer(tmp_path: Path, team: Path) -> DraftStore:
    """Another program on the folder: git, a sync tool, a teammate's rcs-composer."""
    return DraftStore.for_folder(team, tmp_path / "other-process")


def open_from_library(window: MainWindow, qtbot: QtBot, name: str) -> None:
    panel = window.docks.library
    qtbot.waitUntil(lambda: name in shown_names(window), timeout=5000)
    row = next(
        r for r in range(panel.model.rowCount()) if panel.model.index(r).data(0x0100).name == name
    )
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        panel.on_activated(panel.model.index(row))
    qtbot.waitUntil(lambda: window.disk_changes.watched is not None, timeout=5000)


def test_files_appearing_changing_and_going_in_the_folder_show_in_the_dock(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    window = with_library(make_window, qtbot, monkeypatch, team)
    other = outside_writer(tmp_path, team)
    saved = other.save(None, text_draft("Diwali offer", "v1"))
    qtbot.waitUntil(lambda: shown_names(window) == ["Diwali offer"], timeout=5000)
    other.rename(saved.draft_id, "Deepavali offer")  # a teammate's rename renames the file
    qtbot.waitUntil(lambda: shown_names(window) == ["Deepavali offer"], timeout=5000)
    (team / "deepavali-offer.rcs.json").unlink()
    qtbot.waitUntil(lambda: shown_names(window) == [], timeout=5000)


def test_a_new_draft_saved_while_the_team_tab_shows_goes_into_its_folder(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path
) -> None:
    from PySide6.QtWidgets import QInputDialog

    window = with_library(make_window, qtbot, monkeypatch, team)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Holi offer", True))
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save_as()
    assert (team / "holi-offer.rcs.json").exists()
    assert window.document.draft_id is not None and window.document.draft_id.endswith(
        "/holi-offer.rcs"
    )
    qtbot.waitUntil(lambda: shown_names(window) == ["Holi offer"], timeout=5000)


def test_a_checkout_under_a_clean_open_draft_reloads_it(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    window = with_library(make_window, qtbot, monkeypatch, team)
    other = outside_writer(tmp_path, team)
    saved = other.save(None, text_draft("Offer", "main branch"))
    open_from_library(window, qtbot, "Offer")
    other.save(saved.draft_id, text_draft("Offer", "holi branch"))  # git checkout holi
    qtbot.waitUntil(lambda: text_of(window.document.draft) == "holi branch", timeout=5000)
    assert "changed on disk" in window.status_line.text()
    assert window.document.undo_stack.isClean()
    # Saving now is on the new version: no conflict.
    window.document.set_draft(
        dataclasses.replace(window.document.draft, variables={"name": "Asha"}), "Set variable"
    )
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()


def dialog_of(window: MainWindow, qtbot: QtBot) -> CompareDialog:
    qtbot.waitUntil(lambda: window.disk_changes.dialog is not None, timeout=5000)
    dialog = window.disk_changes.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5000)
    return dialog


def test_with_unsaved_edits_both_versions_are_shown_and_the_user_chooses(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    window = with_library(make_window, qtbot, monkeypatch, team)
    other = outside_writer(tmp_path, team)
    saved = other.save(None, text_draft("Offer", "v1"))
    open_from_library(window, qtbot, "Offer")
    mine = dataclasses.replace(
        window.document.draft, message=text_draft("Offer", "my edit").message
    )
    window.document.set_draft(mine, "Edit text")
    other.save(saved.draft_id, text_draft("Offer", "teammate's edit"))
    dialog = dialog_of(window, qtbot)
    assert "Your version" in dialog.headings[0].text()
    assert "On disk now" in dialog.headings[1].text()
    assert [p.message for p in dialog.previews] == [
        mine.message,
        text_draft("", "teammate's edit").message,
    ]
    assert dialog.differences.text() == "What differs (1): Message text: changed"
    dialog.as_json.setChecked(True)
    assert dialog.stacks[1].currentIndex() == 1  # the JSON of each side
    dialog.buttons["mine"].click()
    qtbot.waitUntil(lambda: window.disk_changes.dialog is None, timeout=5000)
    assert text_of(window.document.draft) == "my edit"
    # Kept knowingly: the save replaces the teammate's version, and nothing is asked.
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()
    assert text_of(other.load(saved.draft_id)) == "my edit"


def test_taking_the_version_on_disk_replaces_the_unsaved_edits(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    window = with_library(make_window, qtbot, monkeypatch, team)
    other = outside_writer(tmp_path, team)
    saved = other.save(None, text_draft("Offer", "v1"))
    open_from_library(window, qtbot, "Offer")
    window.document.set_draft(
        dataclasses.replace(window.document.draft, message=text_draft("", "mine").message), "Edit"
    )
    other.save(saved.draft_id, text_draft("Offer", "theirs"))
    dialog_of(window, qtbot).buttons["theirs"].click()
    qtbot.waitUntil(lambda: text_of(window.document.draft) == "theirs", timeout=5000)
    assert window.document.undo_stack.isClean()


def conflicted_text() -> str:
    ours = codecs.dumps(codecs.export_draft(text_draft("Offer", "Diwali sale"))).splitlines(True)
    theirs = codecs.dumps(codecs.export_draft(text_draft("Offer", "Holi sale"))).splitlines(True)
    [line] = [n for n, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    return "".join(
        [
            *ours[:line],
            "<<<<<<< HEAD\n",
            ours[line],
            "=======\n",
            theirs[line],
            ">>>>>>> holi\n",
            *ours[line + 1 :],
        ]
    )


def test_a_file_with_git_conflict_markers_offers_either_side_on_open(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path
) -> None:
    (team / "offer.rcs.json").write_text(conflicted_text(), encoding="utf-8")
    window = with_library(make_window, qtbot, monkeypatch, team)
    panel = window.docks.library
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)
    entry = panel.model.index(0).data(0x0100)
    assert "merge conflict" in panel.model.index(0).data()
    panel.open_requested.emit(entry.draft_id)
    dialog = dialog_of(window, qtbot)
    assert "Ours: HEAD" in dialog.headings[0].text() and "Theirs: holi" in dialog.headings[1].text()
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        dialog.buttons["theirs"].click()
    assert text_of(window.document.draft) == "Holi sale"
    assert "<<<<<<<" not in (team / "offer.rcs.json").read_text(encoding="utf-8")


def test_a_sync_tools_conflict_copy_is_offered_for_comparison(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    other = outside_writer(tmp_path, team)
    other.save(None, text_draft("Offer", "from this laptop"))
    copy = text_draft("Offer", "from the other laptop")
    (team / "offer (Ravi's conflicted copy 2026-12-01).rcs.json").write_text(
        codecs.dumps(codecs.export_draft(copy)), encoding="utf-8"
    )
    window = with_library(make_window, qtbot, monkeypatch, team)
    panel = window.docks.library
    qtbot.waitUntil(lambda: panel.model.rowCount() == 2, timeout=5000)
    rows = [panel.model.index(r).data() for r in range(2)]
    assert any("conflict copy: open to compare" in row for row in rows)
    assert any("has a conflict copy" in row for row in rows)
    open_from_library(window, qtbot, "Offer")
    dialog = dialog_of(window, qtbot)
    assert dialog.headings[1].text().startswith("<b>The copy")
    with qtbot.waitSignal(window.files.opened, timeout=5000):
        dialog.buttons["copy"].click()
    assert text_of(window.document.draft) == "from the other laptop"
    assert text_of(other.load("offer.rcs")) == "from the other laptop"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=5000)  # the copy is in the trash
    assert (team / ".rcs-trash" / "offer (Ravi's conflicted copy 2026-12-01).rcs.json").exists()


def test_the_user_guide_has_a_page_on_working_as_a_team() -> None:
    from rcs_composer.gui.help import guide_text

    text = guide_text()
    assert text.startswith("# RCS Composer user guide")
    assert "# Working as a team" in text
    assert "*.rcs.json text eol=lf" in text  # the .gitattributes suggestion


def test_a_share_that_sends_no_change_notices_is_listed_again_all_the_same(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    window = with_library(make_window, qtbot, monkeypatch, team)
    panel = window.docks.library
    qtbot.waitUntil(lambda: bool(panel.watcher.directories()), timeout=5000)
    panel.watcher.removePaths(panel.watcher.directories())  # as on SMB or NFS: no notices
    assert panel.poll.isActive()
    panel.poll.setInterval(50)
    outside_writer(tmp_path, team).save(None, text_draft("Diwali offer", "v1"))
    qtbot.waitUntil(lambda: shown_names(window) == ["Diwali offer"], timeout=5000)


def test_the_libraries_and_the_tab_shown_are_remembered_for_the_next_start(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path
) -> None:
    first = with_library(make_window, qtbot, monkeypatch, team)
    first.close()
    second = make_window()
    second.docks.toggle_library(True)
    panel = second.docks.library
    qtbot.waitUntil(lambda: panel.tabs.count() == 2 and panel.current is not None, timeout=5000)
    assert panel.tabs.tabText(panel.tabs.currentIndex()) == "acme-designs"
    assert second.files.new_drafts_into == panel.current


def git(folder: Path, *args: str) -> None:
    import os
    import subprocess

    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=folder, env=env, capture_output=True, check=True, timeout=60,
    )  # fmt: skip


def test_a_real_git_checkout_under_the_open_draft_reloads_it(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    other = outside_writer(tmp_path, team)
    saved = other.save(None, text_draft("Offer", "main branch"))
    git(team, "init", "-q", "-b", "main")
    git(team, "add", ".")
    git(team, "commit", "-q", "-m", "Offer")
    git(team, "checkout", "-q", "-b", "holi")
    other.save(saved.draft_id, text_draft("Offer", "holi branch"))
    git(team, "commit", "-q", "-am", "Holi")
    git(team, "checkout", "-q", "main")
    window = with_library(make_window, qtbot, monkeypatch, team)
    open_from_library(window, qtbot, "Offer")
    assert text_of(window.document.draft) == "main branch"
    git(team, "checkout", "-q", "holi")
    qtbot.waitUntil(lambda: text_of(window.document.draft) == "holi branch", timeout=5000)
    assert shown_names(window) == ["Offer"]  # git's own files are no drafts


def add_another_library(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, folder: Path
) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    [add] = [
        a for a in window.menuBar().actions()[0].menu().actions() if "library folder" in a.text()
    ]
    count = window.docks.library.tabs.count()
    add.trigger()
    qtbot.waitUntil(lambda: window.docks.library.tabs.count() == count + 1, timeout=5000)


def shown_rows(window: MainWindow) -> dict[str, tuple[str, str]]:
    """Each row's draft id: the text the dock shows, and its tooltip."""
    model = window.docks.library.model
    return {
        model.index(r).data(0x0100).draft_id: (model.index(r).data(0), model.index(r).data(3))
        for r in range(model.rowCount())
    }


def test_a_conflicted_file_and_drafts_of_one_name_read_apart_in_the_dock(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    window = with_library(make_window, qtbot, monkeypatch, team)
    other = outside_writer(tmp_path, team)
    for _ in range(3):
        other.save(None, text_draft("Offer", "v1"))
    (team / "holi-sale.rcs.json").write_text(conflicted_text(), encoding="utf-8")
    (team / "broken.rcs.json").write_text("{", encoding="utf-8")
    qtbot.waitUntil(lambda: len(shown_rows(window)) == 5, timeout=5000)
    rows = {draft_id.partition("/")[2]: shown for draft_id, shown in shown_rows(window).items()}
    # The conflicted file shows its draft's name, the unreadable one its file's stem.
    assert rows["holi-sale.rcs"][0].splitlines()[0] == "Offer"
    assert "merge conflict" in rows["holi-sale.rcs"][0]
    assert rows["broken.rcs"][0].splitlines()[0] == "broken"
    assert not any(text.splitlines()[0].endswith(".rcs") for text, _ in rows.values())
    # Four "Offer": each row says which file it is; every tooltip does.
    files = ["offer.rcs.json", "offer-2.rcs.json", "offer-3.rcs.json", "holi-sale.rcs.json"]
    for file_name in files:
        text, tip = rows[file_name.removesuffix(".json")]
        assert text.splitlines()[1].endswith(f" · {file_name}")
        assert file_name in tip.splitlines()
    assert rows["broken.rcs"][1].splitlines()[:2] == ["broken", "broken.rcs.json"]
    assert "broken.rcs.json" not in rows["broken.rcs"][0]  # its name is its own


def test_a_rename_in_the_dock_renames_the_file_and_the_open_draft_follows(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QInputDialog

    window = with_library(make_window, qtbot, monkeypatch, team)
    outside_writer(tmp_path, team).save(None, text_draft("Diwali offer", "v1"))
    open_from_library(window, qtbot, "Diwali offer")
    panel = window.docks.library
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Holi sale", True))
    panel.rename(panel.model.index(0).data(0x0100))
    qtbot.waitUntil(lambda: (team / "holi-sale.rcs.json").exists(), timeout=5000)
    assert not (team / "diwali-offer.rcs.json").exists()
    qtbot.waitUntil(lambda: shown_names(window) == ["Holi sale"], timeout=5000)
    assert window.document.draft.name == "Holi sale"
    assert window.document.draft_id is not None
    assert window.document.draft_id.endswith("/holi-sale.rcs")
    qtbot.waitUntil(
        lambda: window.disk_changes.watched == team / "holi-sale.rcs.json", timeout=5000
    )
    # Edited and saved: into the renamed file, with no conflict and no file made again.
    window.document.set_draft(
        dataclasses.replace(window.document.draft, message=text_draft("", "v2").message), "Edit"
    )
    with qtbot.waitSignal(window.files.saved, timeout=5000):
        window.files.save()
    assert sorted(p.name for p in team.iterdir()) == ["holi-sale.rcs.json"]
    assert "v2" in (team / "holi-sale.rcs.json").read_text(encoding="utf-8")


def test_drafts_in_sub_folders_are_listed_with_their_folder_and_watched(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    diwali = team / "campaigns" / "diwali"
    diwali.mkdir(parents=True)
    (team / ".git").mkdir()
    (team / ".git" / "hidden.rcs.json").write_text("{", encoding="utf-8")
    nested = DraftStore.for_folder(diwali, tmp_path / "other-process")
    nested.save(None, text_draft("Diwali offer", "v1"))
    window = with_library(make_window, qtbot, monkeypatch, team)
    qtbot.waitUntil(lambda: shown_names(window) == ["Diwali offer"], timeout=5000)
    [(text, tip)] = shown_rows(window).values()
    assert text.splitlines()[1].endswith(" · campaigns/diwali/")
    assert "campaigns/diwali/diwali-offer.rcs.json" in tip
    panel = window.docks.library
    qtbot.waitUntil(lambda: str(diwali) in panel.watcher.directories(), timeout=5000)
    assert str(team / ".git") not in panel.watcher.directories()
    # A file written there appears on the folder's notice, well before the poll comes round.
    nested.save(None, text_draft("Diwali reminder", "v1"))
    qtbot.waitUntil(
        lambda: shown_names(window) == ["Diwali offer", "Diwali reminder"], timeout=3000
    )


def test_a_library_being_read_says_so_rather_than_that_it_is_empty(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path
) -> None:
    import threading

    window = with_library(make_window, qtbot, monkeypatch, team)
    panel = window.docks.library
    panel.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.empty.text().startswith("No drafts here yet"), timeout=5000)
    library = window.context.library
    slow = threading.Event()
    listing = library.entries

    def entries(key: str | None = None) -> list[object]:
        if key is not None:
            slow.wait(5)  # a network share taking its time
        return listing(key)  # type: ignore[return-value]

    monkeypatch.setattr(library, "entries", entries)
    panel.tabs.setCurrentIndex(1)
    assert panel.empty.isVisibleTo(panel)
    assert panel.empty.text() == f"Reading {team}…"
    slow.set()
    qtbot.waitUntil(lambda: panel.empty.text().startswith("No drafts here yet"), timeout=5000)


def test_with_two_libraries_the_window_still_fits_800_by_600(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    window = with_library(make_window, qtbot, monkeypatch, team)
    second = tmp_path / "brand-campaigns-library"
    second.mkdir()
    add_another_library(window, qtbot, monkeypatch, second)
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800, timeout=5000)
    assert window.minimumSizeHint().width() <= 800
    panel = window.docks.library
    assert panel.tabs.isVisible() and panel.tabs.count() == 3


def test_a_library_folder_gone_under_edits_says_so_and_the_save_keeps_them(
    make_window: Make, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, team: Path, tmp_path: Path
) -> None:
    window = with_library(make_window, qtbot, monkeypatch, team)
    outside_writer(tmp_path, team).save(None, text_draft("Offer", "v1"))
    open_from_library(window, qtbot, "Offer")
    mine = dataclasses.replace(window.document.draft, message=text_draft("", "my edit").message)
    window.document.set_draft(mine, "Edit text")
    team.rename(tmp_path / "elsewhere")  # the share unmounted, or the folder moved
    window.disk_changes.check()
    qtbot.waitUntil(lambda: "library folder" in window.status_line.text(), timeout=5000)
    assert "gone" in window.status_line.text() and "edits are kept" in window.status_line.text()
    assert "saving writes it again" not in window.status_line.text()
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: said.append(text))
    window.files.save()
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert "is gone (moved, or unmounted): the draft was not saved" in said[0]
    assert "cannot be opened" not in said[0]
    assert text_of(window.document.draft) == "my edit"  # nothing lost
    assert not team.exists()  # and no empty folder made in its place
