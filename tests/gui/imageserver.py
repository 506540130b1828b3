"""A local HTTP server for preview images: solid colours, slow answers, 404s, junk and bombs."""

from __future__ import annotations

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from PIL import Image


def png(color: tuple[int, int, int], size: tuple[int, int] = (600, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def gradient(size: tuple[int, int] = (1440, 720)) -> bytes:
    """A warm diagonal gradient, the same bytes every time: shows how media is cropped."""
    image = Image.linear_gradient("L").resize(size)
    mask = Image.linear_gradient("L").rotate(90).resize(size)
    warm = Image.merge("RGB", (Image.new("L", size, 250), image, mask))
    buffer = io.BytesIO()
    warm.save(buffer, "PNG")
    return buffer.getvalue()


def photo(size: tuple[int, int] = (3000, 2000)) -> bytes:
    """A camera-sized photo that compresses like one: noise, ~2.5 MB as a JPEG."""
    channels = [Image.effect_noise(size, sigma) for sigma in (40, 60, 80)]
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def served(server: ImageServer, body: bytes, name: str, count: int) -> list[str]:
    """``count`` URLs on ``server`` for ``body``, each its own picture to the preview:
    /``name``0, /``name``1... (``name`` ends in .jpg or .png, which sets the content type)."""
    stem, suffix = name.rsplit(".", 1)
    kind = "image/jpeg" if suffix == "jpg" else f"image/{suffix}"
    paths = [f"/{stem}{index}.{suffix}" for index in range(count)]
    for path in paths:
        server.routes[path] = (200, kind, body)
    return [server.url(path) for path in paths]


def photos(server: ImageServer, count: int = 10) -> list[str]:
    """``count`` URLs of the same camera photo: ten pictures to fetch and decode."""
    return served(server, photo(), "photo.jpg", count)


def pixel_bomb() -> bytes:
    """A small PNG that claims 30000 x 30000 pixels once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    return buffer.getvalue()


class ImageServer:
    def __init__(self, delay: float = 1.0) -> None:
        self.delay = delay
        self.routes: dict[str, tuple[int, str, bytes]] = {
            "/red.png": (200, "image/png", png((220, 30, 30))),
            "/green.png": (200, "image/png", png((30, 200, 60))),
            "/blue.png": (200, "image/png", png((30, 60, 220))),
            "/gradient.png": (200, "image/png", gradient()),
            "/junk.png": (200, "image/png", b"this is not an image"),
            "/bomb.png": (200, "image/png", pixel_bomb()),
        }
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/slow"):
                    time.sleep(server.delay)
                    status, kind, body = server.routes["/red.png"]
                else:
                    status, kind, body = server.routes.get(
                        self.path, (404, "text/plain", b"not found")
                    )
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self) -> ImageServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
