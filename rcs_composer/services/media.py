"""Media for the preview: http(s) only, capped in bytes, pixels and time, cached on disk."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from rcs_composer.services.paths import atomic_write_bytes

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 100 MB limit on files allows big images; decoding more is a bomb
TIMEOUT = (5.0, 15.0)
THUMBNAIL_ADVICE_BYTES = 100 * 1024  # RBM: thumbnails up to 100 kB
MAX_SAME_HOST_REDIRECTS = 3
# Width:height the device shows per media box, to judge an image's aspect (preview-spec.md).
BOX_RATIO = {"SHORT": 296 / 112, "MEDIUM": 296 / 168, "TALL": 296 / 264, "HORIZONTAL": 128 / 170}


class MediaError(Exception):
    """Why an image could not be shown, in a few words for a badge."""


@dataclass(frozen=True)
class MediaInfo:
    url: str
    final_url: str
    status: int | None = None
    redirects: tuple[str, ...] = ()
    content_type: str | None = None
    size: int | None = None
    width: int | None = None
    height: int | None = None
    format: str | None = None
    error: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def redirected(self) -> bool:
        return bool(self.redirects)


def check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise MediaError(f"only http and https addresses are fetched, not {scheme or 'this'}:")


def fetch(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: tuple[float, float] = TIMEOUT,
    session: Any = None,
) -> tuple[MediaInfo, bytes]:
    """Download ``url`` within the caps. Redirects are reported; only same-host ones followed."""
    import requests

    check_scheme(url)
    http = session or requests.Session()
    current, redirects = url, []
    for _ in range(MAX_SAME_HOST_REDIRECTS + 1):
        try:
            response = http.get(
                current,
                stream=True,
                timeout=timeout,
                allow_redirects=False,
                headers={"User-Agent": "rcs-composer preview"},
            )
        except requests.exceptions.RequestException as exc:
            raise MediaError(_network_reason(exc)) from None
        with response:
            if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
                target = urljoin(current, response.headers.get("Location", ""))
                redirects.append(target)
                if urlsplit(target).hostname != urlsplit(current).hostname:
                    raise MediaError(
                        f"redirects to another host ({urlsplit(target).hostname}); "
                        "devices do not follow redirects"
                    )
                check_scheme(target)
                current = target
                continue
            if response.status_code >= 400:
                raise MediaError(f"HTTP {response.status_code}")
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > max_bytes:
                raise MediaError(f"too large ({declared // 1024 // 1024} MB)")
            data = bytearray()
            for chunk in response.iter_content(65536):
                data.extend(chunk)
                if len(data) > max_bytes:
                    raise MediaError(f"too large (over {max_bytes // 1024 // 1024} MB)")
            info = MediaInfo(
                url=url,
                final_url=current,
                status=response.status_code,
                redirects=tuple(redirects),
                content_type=response.headers.get("Content-Type"),
                size=len(data),
            )
            return info, bytes(data)
    raise MediaError("too many redirects")


def _network_reason(exc: Exception) -> str:
    import requests

    if isinstance(exc, requests.exceptions.Timeout):
        return "timed out"
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS certificate problem"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "could not connect"
    return type(exc).__name__


def decode_size(data: bytes) -> tuple[int, int, str]:
    """Width, height and format, read by Pillow with a bound on pixels (no decompression bombs)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise MediaError(f"too many pixels ({width}x{height})")
            image.verify()
            return width, height, str(image.format)
    except MediaError:
        raise
    except Image.DecompressionBombError:
        raise MediaError("too many pixels") from None
    except Exception:
        raise MediaError("not an image") from None


def inspect(info: MediaInfo, *, role: str, box: str) -> list[str]:
    """Warnings about one media URL per the reference; ``box``: SHORT/MEDIUM/TALL/HORIZONTAL."""
    notes = []
    if urlsplit(info.url).scheme == "http":
        notes.append("served over http: devices want https")
    if info.redirected:
        notes.append(f"redirects to {info.final_url}: devices do not follow redirects")
    if info.content_type and not info.content_type.startswith(
        ("image/", "video/", "application/pdf")
    ):
        notes.append(f"content type {info.content_type} is not an image or video")
    if role == "thumbnail" and info.size and info.size > THUMBNAIL_ADVICE_BYTES:
        notes.append(f"thumbnail is {info.size // 1024} kB: devices want at most 100 kB")
    if info.width and info.height and box in BOX_RATIO:
        ratio, wanted = info.width / info.height, BOX_RATIO[box]
        if max(ratio, wanted) / min(ratio, wanted) > 1.6:
            notes.append(f"{info.width}x{info.height} will be cropped a lot in a {box.lower()} box")
    return notes


class MediaCache:
    """Fetched bytes on disk, keyed by the URL's hash, evicting the least recently used."""

    def __init__(self, folder: Path, max_bytes: int = 200 * 1024 * 1024) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def _paths(self, url: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / f"{digest}.bin", self.folder / f"{digest}.json"

    def get(self, url: str) -> tuple[MediaInfo, bytes] | None:
        data_path, info_path = self._paths(url)
        try:
            data = data_path.read_bytes()
            values = json.loads(info_path.read_text(encoding="utf-8"))
            os.utime(data_path)  # recently used
        except (OSError, ValueError):
            return None
        values["redirects"] = tuple(values.get("redirects", ()))
        values["notes"] = tuple(values.get("notes", ()))
        return MediaInfo(**values), data

    def put(self, info: MediaInfo, data: bytes) -> None:
        data_path, info_path = self._paths(info.url)
        atomic_write_bytes(data_path, data)
        atomic_write_bytes(info_path, json.dumps(asdict(info)).encode("utf-8"))
        self.evict()

    def evict(self) -> None:
        files = sorted(self.folder.glob("*.bin"), key=lambda path: path.stat().st_mtime)
        total = sum(path.stat().st_size for path in files)
        while files and total > self.max_bytes:
            oldest = files.pop(0)
            total -= oldest.stat().st_size
            for path in (oldest, oldest.with_suffix(".json")):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


def load(url: str, cache: MediaCache | None, **options: Any) -> tuple[MediaInfo, bytes]:
    """From the cache, else fetched, checked as an image and cached."""
    cached = cache.get(url) if cache is not None else None
    if cached is not None:
        return cached
    info, data = fetch(url, **options)
    width, height, kind = decode_size(data)
    info = MediaInfo(
        **{
            **asdict(info),
            "width": width,
            "height": height,
            "format": kind,
            "redirects": info.redirects,
            "notes": info.notes,
        }
    )
    if cache is not None:
        with contextlib.suppress(OSError):
            cache.put(info, data)
    return info, data
