"""Issue 20, item 13: odd things in the drafts folder are listed with a reason, never a hang."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rcs_composer.services.drafts import DraftStore, DraftUnreadable

SAMPLE = Path(__file__).parent.parent.parent / "resources" / "samples" / "standalone_card.json"
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and symlinks")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    shutil.copy(SAMPLE, drafts / "good.json")
    os.symlink("loop.json", drafts / "loop.json")
    os.symlink("b.json", drafts / "a.json")
    os.symlink("a.json", drafts / "b.json")
    os.symlink("/nonexistent/target.json", drafts / "dangling.json")
    os.mkfifo(drafts / "pipe.json")
    (drafts / "folder.json").mkdir()
    return tmp_path


def test_the_library_lists_every_good_draft_and_says_why_the_others_cannot_open(
    hostile: Path,
) -> None:
    entries = {entry.draft_id: entry for entry in DraftStore(hostile).list()}
    assert entries["good"].problem is None
    for odd in ("loop", "a", "b", "pipe", "folder"):
        assert entries[odd].problem, odd
    assert "symbolic links" in entries["loop"].problem  # type: ignore[operator]
    assert "not a regular file" in entries["pipe"].problem  # type: ignore[operator]


def test_opening_a_pipe_named_like_a_draft_is_refused_not_awaited(hostile: Path) -> None:
    with pytest.raises(DraftUnreadable, match="not a regular file"):
        DraftStore(hostile).load("pipe")


def test_the_command_line_lists_them_without_hanging(hostile: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from rcs_composer.services.drafts import DraftStore;"
        "print(len(DraftStore(Path(sys.argv[1])).list()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(hostile)], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 6
