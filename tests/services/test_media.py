"""Media fetching within caps, over loopback: schemes, size, redirects, cache eviction."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rcs_composer.core import model as m
from rcs_composer.services.media import MediaError, MediaInfo, fetch
from rcs_composer.services.media_cache import MediaCache, load
from rcs_composer.services.media_inspect import inspect
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
            if self.path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            kind = "image/png"
            if self.path == "/page.html":
                body, kind = b"<html>sign in</html>", "text/html; charset=utf-8"
            elif self.path == "/unlabelled.png":
                body, kind = RED, "application/octet-stream"
            else:
                body = RED if self.path == "/red.png" else b"x" * 3_000_000
            self.send_response(200)
            self.send_header("Content-Type", kind)
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
    with pytest.raises(MediaError, match="another host") as refused:
        fetch(server + "/other-host")
    assert "http://localhost:1/elsewhere.png" in str(refused.value)  # the target is named
    assert refused.value.info is not None
    assert refused.value.info.redirects == ("http://localhost:1/elsewhere.png",)
    assert refused.value.info.status == 302


def test_redirect_loops_stop_after_a_few(server: str) -> None:
    with pytest.raises(MediaError, match="redirects") as refused:
        fetch(server + "/loop")
    assert refused.value.info is not None and len(refused.value.info.redirects) == 4


def test_wrong_content_type_is_refused_unlabelled_bytes_are_decoded(server: str) -> None:
    with pytest.raises(MediaError, match=r"not an image \(content type text/html"):
        fetch(server + "/page.html")
    info, _ = fetch(server + "/unlabelled.png")
    assert info.format == "PNG"


def test_pixel_cap_refuses_before_decoding(server: str) -> None:
    with pytest.raises(MediaError, match=r"too many pixels \(1440x720"):
        fetch(server + "/red.png", max_pixels=1_000_000)


def test_http_errors_and_dead_ports_have_short_reasons(server: str) -> None:
    with pytest.raises(MediaError, match="could not connect"):
        fetch("http://127.0.0.1:9/nothing.png", timeout=(2, 2))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hosts",
        "javascript:x",
        "ftp://h/a.png",
        "",
        "https://",
        "https:// e.in/a.png",
        " https://e.in/a.png",
        "https://e.in/a\n.png",
        "http://:80/a.png",
    ],
)
def test_what_the_validator_refuses_is_not_fetched_and_in_its_words(url: str) -> None:
    from rcs_composer.core.urls import url_problem

    problem = url_problem(url)
    assert problem is not None
    with pytest.raises(MediaError) as refused:
        fetch(url)
    assert str(refused.value) == problem


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


def test_inspection_follows_orientation_and_height() -> None:
    wide = MediaInfo(
        url="https://e.in/w.png", final_url="https://e.in/w.png", width=1440, height=720
    )
    assert inspect(wide, m.Orientation.VERTICAL, m.MediaHeight.SHORT) == []
    assert any("cropped" in note for note in inspect(wide, m.Orientation.HORIZONTAL, None))
    assert any("cropped" in note for note in inspect(wide, "VERTICAL", "TALL"))


def test_cache_evicts_least_recently_used(tmp_path: Path) -> None:
    cache = MediaCache(tmp_path, max_bytes=250)
    cache.put(MediaInfo(url="u0", final_url="u0"), b"x" * 100)
    (first,) = tmp_path.glob("*.bin")
    os.utime(first, (1, 1))  # long unused
    cache.put(MediaInfo(url="u1", final_url="u1"), b"x" * 100)
    assert cache.get("u0") is not None  # reading u0 makes it the most recently used
    cache.put(MediaInfo(url="u2", final_url="u2"), b"x" * 100)
    assert cache.get("u1") is None
    assert cache.get("u0") is not None and cache.get("u2") is not None
    assert sorted(path.suffix for path in tmp_path.iterdir()) == [".bin", ".bin", ".json", ".json"]


def test_cache_keys_are_hashes_of_the_url(tmp_path: Path) -> None:
    cache = MediaCache(tmp_path)
    url = "https://e.in/a picture?x=../../etc"
    cache.put(MediaInfo(url=url, final_url=url, width=2, height=1), b"data")
    names = {path.stem for path in tmp_path.iterdir()}
    assert names == {hashlib.sha256(url.encode()).hexdigest()}
    hit = cache.get(url)
    assert hit is not None and hit[0].width == 2 and hit[1] == b"data"
