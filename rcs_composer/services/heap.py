"""Large freed blocks go back to the system at once, so decoded photos leave no memory behind.

Showing a photo takes a few large buffers for a moment: the downloaded bytes and their copies,
the decoder's scaled frame, the copy fitted to its box. glibc's malloc serves a block over its
threshold (128 KB to begin with) from its own mapping and unmaps it on free. But each time it
frees such a block it raises the threshold to that block's size, up to 32 MB, so the next
photos' buffers come from its heaps instead, one per decoding thread, and those keep their
pages after free. Measured: a carousel of ten 3000 x 2000 photos, decoded on four threads, left
the window 40-55 MB larger than with the threshold pinned at glibc's starting value; pinned, it
grows by the photos as held (about 5 MB) and a few MB besides.

Only glibc behaves this way; the C libraries of macOS, Windows and musl hand large blocks back
already, and there this does nothing. A threshold the user set (``MALLOC_MMAP_THRESHOLD_`` or
``GLIBC_TUNABLES``) is left as they set it.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping

M_TRIM_THRESHOLD = -1  # mallopt's parameter numbers, from glibc's malloc.h
M_MMAP_THRESHOLD = -3
LARGE_BLOCK = 128 * 1024  # glibc's own starting threshold: blocks above it are mapped apart
TRIM_AT = 2 * LARGE_BLOCK  # free memory at the top of the main heap given back past this
USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")


@functools.cache
def return_large_blocks() -> bool:
    """Pin glibc's thresholds (once per process); True when they are pinned now.

    Call it before the first large decode, not at start-up: it loads ctypes (~2 ms).
    """
    if not _on_glibc() or _user_tuned(os.environ):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the process already runs on
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)) and bool(mallopt(M_TRIM_THRESHOLD, TRIM_AT))


def _on_glibc() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError):  # not a name this C library knows: not glibc
        return False


def _user_tuned(environ: Mapping[str, str]) -> bool:
    tunables = environ.get("GLIBC_TUNABLES", "")
    return any(name in environ for name in USER_SETTINGS) or any(
        f"glibc.malloc.{name}" in tunables for name in ("mmap_threshold", "trim_threshold")
    )
