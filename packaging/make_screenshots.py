"""Regenerates the README screenshots: python packaging/make_screenshots.py [OUT_DIR]

The main window is grabbed offscreen and the carousel is drawn by ``rcs-composer render``'s
code. Sample media is replaced by pictures served from this machine, so no network is needed.
"""

from __future__ import annotations

import dataclasses
import io
import os
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
PALETTES = [
    ((255, 153, 51), (204, 51, 102)),
    ((0, 150, 136), (33, 150, 243)),
    ((255, 193, 7), (233, 30, 99)),
]


def picture(index: int, size: tuple[int, int] = (1440, 720)) -> bytes:
    """A warm gradient with a few glowing circles: a stand-in for festive product photos."""
    from PIL import Image, ImageDraw, ImageFilter

    start, end = PALETTES[index % len(PALETTES)]
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for x in range(size[0]):
        mix = x / size[0]
        draw.line(
            [(x, 0), (x, size[1])],
            fill=tuple(int(a + (b - a) * mix) for a, b in zip(start, end, strict=True)),
        )
    glow = Image.new("RGB", size, (0, 0, 0))
    glow_draw = ImageDraw.Draw(glow)
    for step in range(7):
        cx, cy, r = (step * 233 + 120) % size[0], (step * 151 + 200) % size[1], 40 + step * 9
        glow_draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(255, 236, 179))
    image = Image.blend(image, glow.filter(ImageFilter.GaussianBlur(18)), 0.35)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88)
    return buffer.getvalue()


def serve_pictures() -> tuple[ThreadingHTTPServer, str]:
    pictures = {f"/{i}.jpg": picture(i) for i in range(3)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body = pictures.get(self.path, pictures["/0.jpg"])
            self.send_response(200)
            self.send_header("Content-Type", "image/jpeg")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def local_media(draft: object, base: str) -> object:
    """The draft with every media URL pointing at the local pictures."""
    from rcs_composer.core import codecs

    body = codecs.dumps(codecs.export_draft(draft))  # type: ignore[arg-type]
    for index, marker in enumerate(["w=1440", "w=360"]):
        body = body.replace(
            f"pexels-photo-5458393.jpeg?auto=compress&cs=tinysrgb&{marker}", f"{index}.jpg"
        )
    body = body.replace("https://images.pexels.com/photos/5458393/", base + "/")
    return codecs.loads(body).draft


def main(out: Path) -> int:
    from PySide6.QtCore import QCoreApplication

    with tempfile.TemporaryDirectory() as folder:
        for name in ("CONFIG", "DATA", "CACHE", "LOG"):
            os.environ[f"RCS_COMPOSER_{name}_DIR"] = f"{folder}/{name.lower()}"
        from rcs_composer.gui.app import make_application

        app = make_application()  # registers the preview's bundled fonts
        from rcs_composer.gui.app_context import AppContext
        from rcs_composer.gui.document import ComposerDocument
        from rcs_composer.gui.main_window import MainWindow
        from rcs_composer.gui.render import render_png
        from rcs_composer.gui.samples import load_sample

        httpd, base = serve_pictures()
        out.mkdir(parents=True, exist_ok=True)
        carousel = local_media(load_sample("carousel_with_chips.json"), base)
        render_png(carousel.message, out / "carousel-preview.png")  # type: ignore[attr-defined]
        card = local_media(load_sample("standalone_card.json"), base)
        window = MainWindow(ComposerDocument(card), context=AppContext(start_sandbox=False))  # type: ignore[arg-type]
        window.resize(1280, 760)
        window.show()
        loader = window.preview_pane.preview.loader
        for _ in range(400):
            QCoreApplication.processEvents()
            if loader.held is None and not loader.loading and loader.images:
                break
            threading.Event().wait(0.01)
        for _ in range(20):
            QCoreApplication.processEvents()
        window.grab().save(str(out / "main-window.png"))
        window.shutdown()
        httpd.shutdown()
        del app
    _ = dataclasses
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots"))
