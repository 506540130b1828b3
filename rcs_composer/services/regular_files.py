"""Reading a file the user named without waiting on it: no pipes or devices, a size cap.

Light on purpose (os, errno, stat): ``check`` reads every file with it and pays for nothing else.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from stat import S_ISREG


def read_regular_file(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path`` and its stat, read only if it is a regular file of at most
    ``max_bytes``. A pipe, device or folder is refused without waiting on it (a FIFO named
    like a draft, /dev/zero picked in a file dialog), and so is anything larger, even a file
    that claims 0 bytes and goes on (OSError whose strerror says why)."""
    # Non-blocking open: opening a FIFO would otherwise wait for a writer forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as stream:
        stat = os.fstat(stream.fileno())
        if not S_ISREG(stat.st_mode):
            raise OSError(errno.EINVAL, "it is not a regular file (a pipe, device or folder)")
        if stat.st_size > max_bytes:
            raise OSError(errno.EFBIG, f"it is too large ({stat.st_size:,} bytes)")
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OSError(errno.EFBIG, f"it is too large (over {max_bytes:,} bytes)")
    return data, stat
