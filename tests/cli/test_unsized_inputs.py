"""Issue 20, item 13: inputs without a size stop at the document limit, with one line."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rcs_composer.core.codecs import MAX_DOCUMENT_BYTES
from rcs_composer.entry import main

ROOT = Path(__file__).parents[2]


def test_a_device_without_end_stops_at_the_limit(capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    assert main(["validate", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert "too large" in err and err.count("\n") == 1


def test_endless_stdin_stops_at_the_limit() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rcs_composer", "validate", "-"],
        input=b" " * (MAX_DOCUMENT_BYTES + 10),
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 2
    assert b"stdin: more than" in done.stderr and b"Traceback" not in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_nobody_writes_to_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "rcs_composer", "validate", str(fifo)],
        capture_output=True,
        cwd=ROOT,
        timeout=30,
    )
    assert done.returncode == 2
    assert done.stderr.count(b"\n") == 1 and b"Traceback" not in done.stderr
    # It says what the pipe is, not that empty text is not JSON.
    assert b"a named pipe with nothing written to it yet" in done.stderr


def test_a_regular_file_just_under_the_limit_is_still_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b'{"text": "' + b"a" * (MAX_DOCUMENT_BYTES - 100) + b'"}')
    main(["validate", str(big)])
    assert "too large" not in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"{")))
    assert main(["validate", "-"]) == 2
