"""Reading rows files, from the hostile review: pipes that stall, sheets, cell formats,
stray bytes, quoted lines and the sentences for damaged files."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from rcs_composer.services.row_files import LoadCancelled, RowFileError, read_rows

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def write(tmp_path: Path, data: bytes, name: str = "rows.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- a read that blocks


@needs_fifo
def test_a_pipe_whose_writer_says_nothing_stops_when_the_user_cancels(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)  # a writer that keeps the pipe open and writes nothing
    stop = threading.Event()
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            read_rows(fifo, cancelled=stop.is_set)
        except BaseException as exc:  # what the load ended in is the point
            outcome.append(exc)

    reader = threading.Thread(target=load, daemon=True)
    try:
        reader.start()
        stop.set()
        reader.join(30)  # a guard against a hang, not a timing: it ends once it asks
        assert not reader.is_alive(), "the read went on waiting for the pipe"
    finally:
        os.close(writer)  # the old reader ends here, at the pipe's end
        reader.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], LoadCancelled)


@needs_fifo
def test_a_pipe_is_still_read_to_its_end(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    writer = os.open(fifo, os.O_RDWR)
    keeper = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # the pipe lives until the reader opens
    os.write(writer, b"name,phone\nAsha,+919876543210\n")
    done: list[object] = []
    reader = threading.Thread(target=lambda: done.append(read_rows(fifo)), daemon=True)
    reader.start()
    os.write(writer, b"Ravi,+919876543211\n")  # more after a pause, then the end
    os.close(writer)
    reader.join(30)
    os.close(keeper)
    assert [row.cells[0] for row in done[0].rows] == ["Asha", "Ravi"]  # type: ignore[attr-defined]


@needs_fifo
def test_a_pipe_nobody_writes_to_reads_as_empty(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(RowFileError, match=r"pipe\.csv is empty"):
        read_rows(fifo)
