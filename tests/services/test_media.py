"""Media fetching within caps, over loopback: schemes, size, redirects, cache eviction."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rcs_composer.services.media import MediaCache, MediaError, MediaInfo, fetch, inspect, load
from tests.gui.imageserver import png

RED = png((200, 0, 0), (1440, 720))


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path == "/same-host":
                self.send_response(302)
                self.send_header("Location", "/red.png")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/other-host":
                self.send_response(302)
                self.send_header("Location", "http://localhost:1/elsewhere.png")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = RED if self.path == "/red.png" else b"x" * 3_000_000
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_good_image_is_measured_and_cached(server: str, tmp_path: Path) -> None:
    cache = MediaCache(tmp_path)
    info, _data = load(server + "/red.png", cache)
    assert (info.width, info.height, info.format, info.size) == (1440, 720, "PNG", len(RED))
    assert cache.get(server + "/red.png") is not None


def test_size_cap(server: str) -> None:
    with pytest.raises(MediaError, match="too large"):
        fetch(server + "/big.png", max_bytes=1_000_000)


def test_same_host_redirect_is_followed_and_reported_other_host_refused(server: str) -> None:
    info, _ = fetch(server + "/same-host")
    assert info.redirected
    assert info.final_url.endswith("/red.png")
    assert any("redirect" in note for note in inspect(info, role="file", box="MEDIUM"))
    with pytest.raises(MediaError, match="another host"):
        fetch(server + "/other-host")


@pytest.mark.parametrize("url", ["file:///etc/hosts", "javascript:x", "ftp://h/a.png", ""])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(MediaError, match="only http and https"):
        fetch(url)


def test_inspection_warnings() -> None:
    info = MediaInfo(
        url="http://e.in/t.jpg",
        final_url="http://e.in/t.jpg",
        content_type="text/html",
        size=240 * 1024,
        width=400,
        height=1200,
    )
    notes = " | ".join(inspect(info, role="thumbnail", box="SHORT"))
    for words in ("https", "content type", "240 kB", "cropped"):
        assert words in notes


def test_cache_evicts_least_recently_used(tmp_path: Path) -> None:
    cache = MediaCache(tmp_path, max_bytes=250)
    for index in range(4):
        cache.put(MediaInfo(url=f"u{index}", final_url=f"u{index}"), b"x" * 100)
    assert cache.get("u0") is None
    assert cache.get("u3") is not None
