"""The window's images are downloaded by a child process: the answers are the ones an
in-process fetch gives, the child ends with its deadline or the window, and the window's own
process never loads the network stack."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rcs_composer import entry
from rcs_composer.gui.images import measure_image
from rcs_composer.gui.media_process import download
from rcs_composer.services import media_child
from rcs_composer.services.media import MediaError, MediaInfo, fetch
from rcs_composer.services.media_cache import MediaCache, load
from tests.gui.imageserver import ImageServer, png
from tests.services.rawserver import RawServer, respond
from tests.support.child_python import run_python

Fetcher = Callable[..., tuple[MediaInfo, bytes]]
RED = png((200, 0, 0), (60, 30))


@pytest.fixture(scope="module")
def images() -> Iterator[ImageServer]:
    with ImageServer(delay=30.0) as server:
        yield server


def answer(fetcher: Fetcher, url: str, **options: object) -> tuple[str, MediaInfo | None]:
    """What a fetch says, as the preview would show it: its info, or its error and info."""
    try:
        info, data = fetcher(url, deadline=10, measure=measure_image, **options)
    except MediaError as error:
        return f"error: {error}", error.info
    return f"{len(data)} bytes", info


def redirect(target: str) -> Callable[[socket.socket, bytes], None]:
    def behaviour(connection: socket.socket, _request: bytes) -> None:
        connection.sendall(
            f"HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n".encode()
        )
        connection.close()

    return behaviour


CASES = {
    "a picture": respond("200 OK", RED, "image/png"),
    "a missing picture": respond("404 Not Found", b"gone", "text/plain"),
    "a web page": respond("200 OK", b"<html></html>", "text/html"),
    "a cut PNG": respond("200 OK", RED[:-20], "image/png"),
    "no picture at all": respond("200 OK", b"GIF89a no", "image/gif"),
    "another host": redirect("http://example.invalid/elsewhere.png"),
}


@pytest.mark.parametrize("case", CASES)
def test_the_child_answers_as_an_in_process_fetch_does(qapp: QApplication, case: str) -> None:
    with RawServer(CASES[case]) as server:
        url = server.url + "/picture.png"
        assert answer(download, url) == answer(fetch, url)


def test_a_picture_too_large_is_refused_by_the_child_within_the_cap(qapp: QApplication) -> None:
    with RawServer(respond("200 OK", RED, "image/png")) as server:
        said, _ = answer(download, server.url + "/big.png", max_bytes=100)
    assert said.startswith("error: too large")


def test_a_picture_comes_with_what_the_inspector_shows(qapp: QApplication) -> None:
    with RawServer(respond("200 OK", RED, "image/png")) as server:
        info, data = download(server.url + "/red.png", measure=measure_image)
    assert data == RED
    assert (info.status, info.content_type, info.size) == (200, "image/png", len(RED))
    assert (info.width, info.height, info.format) == (60, 30, "PNG")


def test_a_slow_server_ends_the_child_at_the_deadline(
    qapp: QApplication, images: ImageServer
) -> None:
    earlier, started = set(_children_downloading_pids()), time.monotonic()
    with pytest.raises(MediaError, match="no complete answer within 1 s"):
        download(images.url("/slow.png"), deadline=1.0)
    assert time.monotonic() - started < 3
    assert set(_children_downloading_pids()) <= earlier  # (an earlier test's may still run)


def test_closing_the_window_stops_the_child_at_once(
    qapp: QApplication, images: ImageServer
) -> None:
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    earlier, started = set(_children_downloading_pids()), time.monotonic()
    with pytest.raises(MediaError, match="stopped"):
        download(images.url("/slow.png"), cancelled=stop)
    assert time.monotonic() - started < 2
    assert set(_children_downloading_pids()) <= earlier


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_child_runs_below_the_window_so_it_never_takes_its_turn_to_draw(
    qapp: QApplication, images: ImageServer
) -> None:
    stop = threading.Event()
    niceness: list[int] = []

    def watch() -> None:
        ends = time.monotonic() + 10
        while not niceness and time.monotonic() < ends:
            for pid in _children_downloading_pids():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                niceness.append(int(fields[16]))  # the stat file's 19th field
            time.sleep(0.02)
        stop.set()

    threading.Thread(target=watch).start()
    with pytest.raises(MediaError, match="stopped"):
        download(images.url("/slow.png"), cancelled=stop)
    assert niceness and niceness[0] >= 10


def _children_downloading_pids() -> list[int]:
    return [pid for pid, _ in _children()]


def _children() -> list[tuple[int, str]]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        if parent == os.getpid() and "media_child" in command:
            found.append((int(stat.parent.name), command))
    return found


def test_a_child_that_cannot_start_is_a_short_reason(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "rcs_composer.gui.media_process.child_command", lambda: ["/nonexistent/python"]
    )
    with pytest.raises(MediaError, match="could not start the download"):
        download("https://example.com/a.png")


def test_a_child_that_says_nothing_readable_is_a_short_reason(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "rcs_composer.gui.media_process.child_command",
        lambda: [sys.executable, "-c", "print('{not json'); print('x' * 10)"],
    )
    with pytest.raises(MediaError, match="stopped before it answered"):
        download("https://example.com/a.png")
    monkeypatch.setattr(
        "rcs_composer.gui.media_process.child_command",
        lambda: [
            sys.executable,
            "-c",
            'print(\'{"info": {"url": "u", "final_url": "u", "size": 9}}\')',
        ],
    )
    with pytest.raises(MediaError, match="before every byte came"):
        download("https://example.com/a.png")


def test_a_refused_address_is_refused_before_any_child_starts(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rcs_composer.gui.media_process.child_command", list)
    with pytest.raises(MediaError, match="https"):
        download("ftp://example.com/a.png")


def test_a_frozen_app_is_its_own_child(tmp_path: Path) -> None:
    """A bundle has no ``-m``: its executable is started with the flag, and the entry point
    hands that to the child's main."""
    assert entry.DOWNLOAD_CHILD_FLAG == media_child.CHILD_FLAG
    with RawServer(respond("200 OK", RED, "image/png")) as server:
        request = media_child.request_line(server.url + "/red.png")
        done = subprocess.run(
            [sys.executable, "-m", "rcs_composer", media_child.CHILD_FLAG],
            input=request,
            capture_output=True,
            timeout=60,
            check=True,
        )
    info, data = media_child.read_answer(done.stdout, server.url + "/red.png", measure_image)
    assert data == RED and info.width == 60


def test_a_cached_entry_another_version_wrote_is_fetched_again(
    qapp: QApplication, tmp_path: Path
) -> None:
    cache = MediaCache(tmp_path)
    with RawServer(respond("200 OK", RED, "image/png")) as server:
        url = server.url + "/red.png"
        info, _ = load(url, cache, fetcher=download, measure=measure_image)
        (info_path,) = tmp_path.glob("*.json")
        info_path.write_text(json.dumps({"url": url, "final_url": url, "colour": "red"}))
        again, _ = load(url, cache, fetcher=download, measure=measure_image)
    assert again.width == info.width == 60
    assert "colour" not in info_path.read_text()


WINDOW_FETCHES = """
import json, sys
from PySide6.QtCore import QCoreApplication
from rcs_composer.core import model as m
from rcs_composer.gui.app import make_application
from rcs_composer.gui.images import ImageLoader
app = make_application()
loader = ImageLoader()
done = []
loader.image_ready.connect(lambda url, image: done.append(image.width()))
loader.image_failed.connect(lambda url, why: done.append(why))
loader.request(sys.argv[1])
while not done:
    QCoreApplication.processEvents()
loader.shutdown()
network = ["urllib.request", "http.client", "ssl", "email", "socket", "subprocess"]
print(json.dumps({"done": done, "loaded": [name for name in network if name in sys.modules]}))
"""


def test_a_window_shows_a_fetched_picture_without_loading_the_network_stack() -> None:
    with RawServer(respond("200 OK", RED, "image/png")) as server:
        output = run_python(WINDOW_FETCHES, server.url + "/red.png", timeout=60)
    seen = json.loads(output.strip().splitlines()[-1])
    assert seen == {"done": [60], "loaded": []}


def test_a_child_left_alone_still_ends_by_its_deadline(images: ImageServer) -> None:
    """Should the window be killed, its child does not wait on a slow server for ever."""
    request = media_child.request_line(images.url("/slow.png"), deadline=1.0)
    started = time.monotonic()
    done = subprocess.run(
        media_child.child_command(), input=request, capture_output=True, timeout=30, check=True
    )
    assert time.monotonic() - started < 5
    with pytest.raises(MediaError, match="no complete answer within 1 s"):
        media_child.read_answer(done.stdout, images.url("/slow.png"))


def test_a_loader_deleted_while_its_picture_downloads_stops_it_at_once(
    qtbot: QtBot, images: ImageServer
) -> None:
    import shiboken6

    from rcs_composer.gui.images import ImageLoader

    earlier = set(_children_downloading_pids())
    loader = ImageLoader()
    loader.request(images.url("/slow.png"))
    qtbot.waitUntil(lambda: set(_children_downloading_pids()) - earlier != set(), timeout=10_000)
    started = time.monotonic()
    shiboken6.delete(loader)  # as when the widget that owns it goes: its threads are waited for
    assert time.monotonic() - started < 2, "the window froze until the download gave up"
    assert set(_children_downloading_pids()) <= earlier


def test_the_child_is_never_handed_the_api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCS_COMPOSER_API_KEY", "child-KEY-3f9a0c")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    environment = media_child.child_environment()
    assert "child-KEY-3f9a0c" not in environment.values()
    assert environment["HTTPS_PROXY"] == "http://proxy.example:3128"  # proxies still reach it
