"""Preview media downloaded by a short-lived child process, for the window.

Fetching in the window's own process loads the network stack for good: ``urllib.request``,
``http.client``, ``email`` and ``ssl`` with OpenSSL's libraries, about 7 MB resident for the
rest of the session after its first image. A child downloads one image within the same caps
(``media.fetch``) and exits; the window measures and decodes the bytes itself, with the
decoder it draws with, so what it shows and says is what an in-process fetch would give.

The child reads one JSON request line on stdin and writes one JSON header line, then the
bytes, on stdout. The window runs it (gui/media_process.py, with Qt's QProcess: the
``subprocess`` module would be another 0.5 MB) and kills it when the fetch's deadline passes
or the window closes.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, replace
from pathlib import Path

from rcs_composer.services.env_key import ENV_KEY
from rcs_composer.services.media import (
    FETCH_DEADLINE_S,
    MAX_BYTES,
    MAX_PIXELS,
    TIMEOUT,
    MediaError,
    MediaInfo,
    check_scheme,
    ended_early,
    fetch,
    info_from_dict,
)

CHILD_FLAG = "--download-preview-media"  # how a frozen app (no ``-m``) is asked to be the child
Measure = Callable[[bytes, int], tuple[int, int, str]]


def child_command() -> list[str]:
    """How to start the child: this interpreter running this module, or the frozen app's own
    executable with ``CHILD_FLAG`` (its entry point hands that to ``main``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG]
    return [sys.executable, "-m", __name__]


def request_line(
    url: str,
    max_bytes: int = MAX_BYTES,
    timeout: tuple[float, float] = TIMEOUT,
    deadline: float = FETCH_DEADLINE_S,
) -> bytes:
    """What the window writes to the child's stdin for ``url`` (checked first, as ``fetch``
    checks it)."""
    check_scheme(url)
    request = {"url": url, "max_bytes": max_bytes, "timeout": list(timeout), "deadline": deadline}
    return json.dumps(request).encode("utf-8") + b"\n"


def read_answer(
    output: bytes, url: str, measure: Measure | None = None, max_pixels: int = MAX_PIXELS
) -> tuple[MediaInfo, bytes]:
    """``media.fetch``'s answer from the child's whole ``output``: ``measure`` (the window's
    decoder) reads the size here. Raises MediaError as ``fetch`` does."""
    header, _, data = output.partition(b"\n")
    try:
        answer = json.loads(header)
        info = info_from_dict(answer["info"]) if answer.get("info") else None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ended_early(url, "the download stopped before it answered") from None
    if answer.get("error"):
        raise MediaError(str(answer["error"]), info)
    if info is None or info.size != len(data):
        raise ended_early(url, "the download stopped before every byte came")
    if measure is None:
        from rcs_composer.services.media import decode_size

        measure = decode_size
    width, height, kind = measure(data, max_pixels)  # its MediaError as fetch_now's would be
    return replace(info, width=width, height=height, format=kind), data


def child_environment() -> dict[str, str]:
    """The window's environment (proxies, certificate bundles) without the API key, with this
    package findable even when the app runs from a source folder rather than an installed
    copy."""
    environment = dict(os.environ)
    environment.pop(ENV_KEY, None)  # taken out at start; never handed to a child in any case
    package_parent = str(Path(__file__).resolve().parents[2])
    search = environment.get("PYTHONPATH")
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, (package_parent, search)))
    return environment


def _unmeasured(_data: bytes, _max_pixels: int) -> tuple[int, int, str]:
    return 0, 0, ""  # the window measures the bytes with its own decoder


def main() -> int:
    """The child: one request on stdin, its header and bytes on stdout."""
    out = sys.stdout.buffer
    try:
        request = json.loads(sys.stdin.buffer.readline())
        info, data = fetch(  # ends by the deadline itself, should the window be gone
            str(request["url"]),
            deadline=float(request["deadline"]),
            max_bytes=int(request["max_bytes"]),
            timeout=(float(request["timeout"][0]), float(request["timeout"][1])),
            measure=_unmeasured,
        )
        header: dict[str, object] = {"info": asdict(info)}
    except MediaError as error:
        header = {"error": str(error), "info": asdict(error.info) if error.info else None}
        data = b""
    except (ValueError, KeyError, TypeError, IndexError):
        header, data = {"error": "a request the download could not read"}, b""
    out.write(json.dumps(header).encode("utf-8") + b"\n")
    out.write(data)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
