"""``rcs-composer render`` says only what the user needs: no Qt or decoder chatter on stderr, and
a damaged picture is drawn as failed, with its badge and a note saying why."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.gui.imageserver import ImageServer, png

ROOT = Path(__file__).resolve().parents[2]
FAILED_BADGE = (0xB3, 0x26, 0x1E)  # the light palette's "failed" colour


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "RCS_COMPOSER_LOG_DIR": str(tmp_path / "log"),
        "RCS_COMPOSER_CONFIG_DIR": str(tmp_path / "c"),
        "RCS_COMPOSER_DATA_DIR": str(tmp_path / "d"),
        "RCS_COMPOSER_CACHE_DIR": str(tmp_path / "k"),
        "QT_QPA_PLATFORM": "offscreen",
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        **extra,
    }


def render(tmp_path: Path, message: dict[str, object], **env: str) -> tuple[Path, str]:
    source, out = tmp_path / "message.json", tmp_path / "message.png"
    source.write_text(json.dumps(message))
    done = subprocess.run(
        [sys.executable, "-m", "rcs_composer", "render", str(source), "-o", str(out)],
        cwd=ROOT,
        env=environment(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out, done.stderr


def card_with_picture(url: str) -> dict[str, object]:
    media = {"height": "MEDIUM", "file": {"fileUrl": url}}
    return {"richCardStandalone": {"content": {"title": "Diwali offers", "media": media}}}


def broken_png() -> bytes:
    """A PNG whose first chunk claims more than 2 GB: libpng's "unsigned integer out of range"."""
    data = bytearray(png((220, 30, 30)))
    data[8:12] = b"\xff\xff\xff\xf0"
    return bytes(data)


def truncated_jpeg() -> bytes:
    """A photo cut off after 60% of its bytes, as an interrupted upload leaves it."""
    buffer = io.BytesIO()
    noise = Image.merge("RGB", [Image.effect_noise((768, 1024), s) for s in (40, 60, 80)])
    noise.save(buffer, "JPEG", quality=85)
    whole = buffer.getvalue()
    return whole[: len(whole) * 6 // 10]


@pytest.fixture(scope="module")
def images() -> Iterator[ImageServer]:
    with ImageServer() as server:
        server.routes["/broken.png"] = (200, "image/png", broken_png())
        server.routes["/truncated.jpg"] = (200, "image/jpeg", truncated_jpeg())
        yield server


def badge_pixels(path: Path) -> int:
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    return sum(
        1
        for pixel in rgb.get_flattened_data()  # type: ignore[attr-defined]
        if sum(abs(a - b) for a, b in zip(pixel, FAILED_BADGE, strict=True)) < 30
    )


def test_a_good_message_under_the_c_locale_prints_nothing(tmp_path: Path) -> None:
    """LC_ALL=C is the default of many CI containers; Qt's four-line locale warning was noise."""
    out, err = render(tmp_path, {"text": "Hello"}, LC_ALL="C", LANG="C")
    assert err == ""
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", ["/broken.png", "/truncated.jpg"])
def test_a_damaged_picture_is_drawn_failed_with_only_the_apps_note(
    tmp_path: Path, images: ImageServer, name: str
) -> None:
    out, err = render(tmp_path, card_with_picture(images.url(name)))
    assert "libpng" not in err and "JPEG data" not in err, err
    assert err.splitlines() == [
        f"note: message.png: drawn without the picture {images.url(name)} "
        f"({'damaged PNG: a bad chunk length' if name.endswith('png') else 'damaged JPEG: the file is cut short'})"
    ]
    assert badge_pixels(out) > 400, "no failed badge on the damaged picture"


def test_a_whole_jpeg_with_data_after_its_end_is_still_drawn(
    tmp_path: Path, images: ImageServer
) -> None:
    """A motion photo carries a video after the JPEG's end marker: the picture is whole."""
    buffer = io.BytesIO()
    Image.new("RGB", (600, 300), (30, 200, 60)).save(buffer, "JPEG")
    images.routes["/motion.jpg"] = (200, "image/jpeg", buffer.getvalue() + b"\0\0\0\x18ftypmp42")
    out, err = render(tmp_path, card_with_picture(images.url("/motion.jpg")))
    assert err == ""
    assert badge_pixels(out) == 0
