"""Output that cannot be written (a full disk, a reader that stopped) is one line on stderr,
never a traceback, and the exit code stays the command's: a send made reports 0."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
CARD = str(SAMPLES / "standalone_card.json")
FULL = Path("/dev/full")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(arguments: list[str], stdout: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rcs_composer", *arguments],
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
def test_a_send_whose_output_hits_a_full_disk_still_reports_it_was_sent(
    isolated_dirs: Path,
) -> None:
    with FULL.open("w") as full:
        done = run(["send", CARD, "--profile", "sandbox", "--recipient", "919876543210"], full)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "the output could not be written (No space left on device)" in done.stderr
    history = (isolated_dirs / "data" / "history.jsonl").read_text().splitlines()
    assert [json.loads(line)["outcome"] for line in history] == ["sent"]


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full")
def test_validate_into_a_full_disk_keeps_its_exit_code() -> None:
    with FULL.open("w") as full:
        good = run(["validate", CARD], full)
    assert (good.returncode, "Traceback" in good.stderr) == (0, False)
    assert good.stderr.count("\n") == 1


def test_a_reader_that_stops_reading_ends_the_output_quietly(tmp_path: Path) -> None:
    """``check ... | head -1``: the pipe closes while lines are still coming."""
    for index in range(400):
        (tmp_path / f"bad{index}.json").write_text('{"text": ""}')
    with subprocess.Popen(
        [sys.executable, "-m", "rcs_composer", "check", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # as head does after its first line
        errors = process.stderr.read().decode()
        assert process.wait(timeout=120) == 1  # files with errors: check's own answer
    assert "Traceback" not in errors and "Exception ignored" not in errors
    assert errors == ""


def test_with_no_standard_output_at_all_a_command_still_answers() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rcs_composer", "validate", CARD],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
        check=False,
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 0
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_a_name_a_terminal_cannot_print_is_escaped_not_a_traceback(
    tmp_path: Path, encoding: str
) -> None:
    folder = tmp_path / "designs"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/caf\xe9-\xe2\x82\xac.json", "wb") as latin_1_name:
        # a card with a warning, so its name is printed
        latin_1_name.write((FIXTURES / "seed000_standalone_card.json").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "rcs_composer", "check", str(folder)],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": f"{encoding}:strict"},
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert b"caf\\xe9-" in done.stdout  # the stray byte, as an escape
