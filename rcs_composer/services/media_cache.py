"""Fetched media kept on disk between runs, and the one call that uses the cache or fetches."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rcs_composer.services.digests import sha256_hex
from rcs_composer.services.media import MediaInfo, fetch, info_from_dict
from rcs_composer.services.paths import atomic_write_bytes


class MediaCache:
    """Fetched bytes on disk, keyed by the URL's hash, evicting the least recently used."""

    def __init__(self, folder: Path, max_bytes: int = 200 * 1024 * 1024) -> None:
        self.folder = folder
        self.max_bytes = max_bytes

    def _paths(self, url: str) -> tuple[Path, Path]:
        digest = sha256_hex(url.encode("utf-8"))
        return self.folder / f"{digest}.bin", self.folder / f"{digest}.json"

    def get(self, url: str) -> tuple[MediaInfo, bytes] | None:
        data_path, info_path = self._paths(url)
        try:
            data = data_path.read_bytes()
            values = json.loads(info_path.read_text(encoding="utf-8"))
            os.utime(data_path)  # recently used
        except (OSError, ValueError):
            return None
        try:
            return info_from_dict(values), data
        except TypeError:  # written by another version: fetched again
            return None

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


def load(
    url: str,
    cache: MediaCache | None,
    *,
    fetcher: Callable[..., tuple[MediaInfo, bytes]] = fetch,
    **options: Any,
) -> tuple[MediaInfo, bytes]:
    """From the cache, else fetched (checked as an image) and cached. ``fetcher``: ``fetch``,
    or ``gui/media_process.download`` for the window (the same answers, from a child process)."""
    cached = cache.get(url) if cache is not None else None
    if cached is not None:
        return cached
    info, data = fetcher(url, **options)
    if cache is not None:
        with contextlib.suppress(OSError):
            cache.put(info, data)
    return info, data
