"""Fetching media for the preview: http(s) only, capped in bytes, pixels and time."""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from rcs_composer.core.urls import url_problem
from rcs_composer.services.deadline import Cancelled, DeadlinePassed, call_within

MAX_BYTES = 10 * 1024 * 1024  # a preview needs no more; RBM images are far smaller
MAX_PIXELS = 40_000_000  # 160 MB once decoded; anything larger is treated as a pixel bomb
TIMEOUT = (5.0, 15.0)
FETCH_DEADLINE_S = 20.0  # a whole fetch, redirects and every byte, ends by then
MAX_SAME_HOST_REDIRECTS = 3


class MediaError(Exception):
    """Why an image could not be shown, in a few words for a badge.

    ``info`` holds what was learnt before the failure (status, redirects, content type).
    """

    def __init__(self, reason: str, info: MediaInfo | None = None) -> None:
        super().__init__(reason)
        self.info = info


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


def info_from_dict(values: dict[str, Any]) -> MediaInfo:
    """A MediaInfo from its ``asdict`` form read back from JSON (lists made tuples again)."""
    values = dict(values)
    values["redirects"] = tuple(values.get("redirects", ()))
    values["notes"] = tuple(values.get("notes", ()))
    return MediaInfo(**values)


def check_scheme(url: str) -> None:
    """Refuse what the validator refuses, in the validator's words (the badge and the Problems
    panel say the same thing)."""
    problem = url_problem(url)
    if problem:
        raise MediaError(problem)


def fetch(
    url: str,
    *,
    deadline: float = FETCH_DEADLINE_S,
    cancelled: threading.Event | None = None,
    **options: Any,
) -> tuple[MediaInfo, bytes]:
    """``fetch_now``, ended after ``deadline`` seconds (a server that drips bytes never holds
    the preview or an exit longer), or at once when ``cancelled`` is set."""
    check_scheme(url)
    try:
        return call_within(lambda: fetch_now(url, **options), deadline, cancelled)
    except DeadlinePassed:
        raise past_deadline(url, deadline) from None
    except Cancelled:
        raise ended_early(url, STOPPED) from None


STOPPED = "stopped"  # the reason of a fetch its caller gave up (the window is closing)


def ended_early(url: str, reason: str) -> MediaError:
    """The error of a fetch that ended before any answer came: stopped, past its deadline, or
    (a window's download) a child that died or could not start."""
    return MediaError(reason, MediaInfo(url=url, final_url=url, error=reason))


def past_deadline(url: str, deadline: float) -> MediaError:
    return ended_early(url, f"no complete answer within {deadline:g} s")


def fetch_now(
    url: str,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: tuple[float, float] = TIMEOUT,
    max_pixels: int = MAX_PIXELS,
    measure: Callable[[bytes, int], tuple[int, int, str]] | None = None,
) -> tuple[MediaInfo, bytes]:
    """Download and measure the image at ``url`` within the caps.

    ``measure(data, max_pixels)`` reads the width, height and format from the header and
    refuses too many pixels (raising MediaError); Pillow's ``decode_size`` by default, and the
    window passes its own decoder's, so it need not load a second image library.

    Redirects are never followed silently: a redirect to another host fails naming its target,
    and up to ``MAX_SAME_HOST_REDIRECTS`` on the same host are followed and listed in the info.
    Raises MediaError with a short reason (and what was learnt so far in ``.info``).

    The standard library's HTTP client, not requests: a preview image is one GET, and the
    window then holds a few megabytes less (requests loads only when a send starts). Proxies
    set in the environment are used, as requests would; certificates are verified.
    """
    import urllib.error
    import urllib.request

    check_scheme(url)
    current, redirects = url, list[str]()
    for _ in range(MAX_SAME_HOST_REDIRECTS + 1):
        seen = MediaInfo(url=url, final_url=current, redirects=tuple(redirects))
        request = urllib.request.Request(current, headers={"User-Agent": "rcs-composer preview"})
        opener = _opener(urlsplit(current).scheme == "https")
        try:
            response: Any = opener.open(request, timeout=max(timeout))
        except urllib.error.HTTPError as answer:
            response = answer  # a status the client does not follow: read it below
        except (OSError, ValueError) as exc:
            raise _failed(_network_reason(exc), seen) from None
        with response:
            status = int(response.status)
            seen = replace(seen, status=status, content_type=response.headers.get("Content-Type"))
            if status in (301, 302, 303, 307, 308):
                target = urljoin(current, response.headers.get("Location", ""))
                redirects.append(target)
                seen = replace(seen, final_url=target, redirects=tuple(redirects))
                if urlsplit(target).hostname != urlsplit(current).hostname:
                    raise _failed(
                        f"redirects to another host: {target} (devices do not follow redirects)",
                        seen,
                    )
                check_scheme(target)
                current = target
                continue
            if status >= 400:
                raise _failed(f"HTTP {status}", seen)
            _check_content_type(seen)
            try:
                data = _read_capped(response, max_bytes, seen)
            except OSError as exc:
                raise _failed(_network_reason(exc), seen) from None
        width, height, kind = (measure or decode_size)(data, max_pixels)
        info = replace(seen, size=len(data), width=width, height=height, format=kind)
        return info, data
    raise _failed(f"more than {MAX_SAME_HOST_REDIRECTS} redirects", seen)


@functools.cache
def _opener(secure: bool) -> Any:
    """The HTTP client for preview media: redirects handed back; for https, certificates
    checked against the bundle requests would use ($REQUESTS_CA_BUNDLE, $CURL_CA_BUNDLE, else
    certifi's), so a preview trusts the same servers a send does, on every platform. The bundle
    is read only for the first https fetch: reading it holds the interpreter for a while."""
    import urllib.request

    if not secure:
        return urllib.request.build_opener(_no_redirects())
    import os
    import ssl

    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if not bundle:
        try:
            import certifi

            bundle = certifi.where()
        except ImportError:
            bundle = None
    context = ssl.create_default_context(cafile=bundle)
    return urllib.request.build_opener(
        _no_redirects(), urllib.request.HTTPSHandler(context=context)
    )


@functools.cache
def _no_redirects() -> type:
    import urllib.request  # with the first fetch, not with this module

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        """Hands every redirect back as an answer: fetch_now decides which to follow."""

        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    return NoRedirects


def _failed(reason: str, info: MediaInfo) -> MediaError:
    return MediaError(reason, replace(info, error=reason))


def _check_content_type(info: MediaInfo) -> None:
    """Refuse what is clearly not an image; unlabelled bytes are left to the decoder."""
    kind = (info.content_type or "").split(";")[0].strip().lower()
    if (
        not kind
        or kind.startswith("image/")
        or kind in ("application/octet-stream", "binary/octet-stream")
    ):
        return
    if kind.startswith("video/"):
        raise _failed(f"a video ({kind}): the preview shows its thumbnail", info)
    raise _failed(f"not an image (content type {kind})", info)


def _read_capped(response: Any, max_bytes: int, info: MediaInfo) -> bytes:
    declared = int(response.headers.get("Content-Length") or 0)
    if declared > max_bytes:
        raise _failed(f"too large ({declared / 1024 / 1024:.1f} MB)", info)
    data = bytearray()
    while chunk := response.read(65536):
        data.extend(chunk)
        if len(data) > max_bytes:
            raise _failed(f"too large (over {max_bytes / 1024 / 1024:.0f} MB)", info)
    return bytes(data)


def _network_reason(exc: BaseException) -> str:
    import ssl
    import urllib.error

    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return "TLS certificate problem"
    if isinstance(reason, OSError):
        return "could not connect"
    return type(reason).__name__


def decode_size(data: bytes, max_pixels: int = MAX_PIXELS) -> tuple[int, int, str]:
    """Width, height and format, read by Pillow with a bound on pixels (no decompression bombs).

    Only the header is parsed for the size, so a bomb is refused before any pixel is decoded.
    """
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard, as a second line of defence
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > max_pixels:
                raise MediaError(f"too many pixels ({width}x{height})")
            image.verify()
            return width, height, str(image.format)
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise MediaError("too many pixels") from None
    except Exception:
        raise MediaError("not an image") from None
