"""Issue 20, item 12: a media fetch ends by its deadline, and nothing waits on a dripping server."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from rcs_composer.services.media import MediaError, fetch
from tests.services.rawserver import RawServer

ROOT = Path(__file__).parent.parent.parent


def drip(connection: socket.socket, _request: bytes) -> None:
    """Headers, then a byte every 0.2 s of a picture that never ends."""
    try:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 99999\r\n\r\n"
        )
        for _ in range(600):
            connection.sendall(b"\x89")
            threading.Event().wait(0.2)
    except OSError:
        pass
    connection.close()


def test_a_dripping_picture_fails_within_the_deadline() -> None:
    with RawServer(drip) as server:
        started = time.monotonic()
        with pytest.raises(MediaError, match="no complete answer within 1 s"):
            fetch(server.url + "/drip.png", deadline=1.0)
    assert time.monotonic() - started < 2.5


def test_a_fetch_stops_at_once_when_its_caller_gives_up() -> None:
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    with RawServer(drip) as server:
        started = time.monotonic()
        with pytest.raises(MediaError, match="stopped"):
            fetch(server.url + "/drip.png", cancelled=stop)
    assert time.monotonic() - started < 1.5


@pytest.mark.slow  # waits out render's 10 s image deadline
def test_render_exits_promptly_while_its_picture_drips(tmp_path: Path) -> None:
    with RawServer(drip) as server:
        card = tmp_path / "card.json"
        card.write_text(
            '{"richCardStandalone": {"cardOrientation": "VERTICAL", "content": {"title": "Hi",'
            ' "media": {"height": "SHORT", "file": {"fileUrl": "' + server.url + '/drip.png"}}}}}'
        )
        started = time.monotonic()
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "rcs_composer",
                "render",
                str(card),
                "-o",
                str(tmp_path / "c.png"),
            ],
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            env={
                "QT_QPA_PLATFORM": "offscreen",
                "RCS_COMPOSER_CACHE_DIR": str(tmp_path / "cache"),
                "PATH": "/usr/bin:/bin",
                "HOME": str(tmp_path),
            },
        )
        took = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "c.png").stat().st_size > 0
    assert took < 14, f"render took {took:.1f} s"
