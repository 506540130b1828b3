"""A claim on one file of a shared folder while it is checked and written over.

The store's own lock lives in each user's state folder, so it keeps one user's windows in
turn but not two users, or two machines, saving the same draft of a shared library: both
would find the version they loaded, and the later write would silently replace the earlier.
A claim is a file created exclusively beside the draft (``.offer.json.saving``), which every
writer of the folder sees; it exists only while one save checks and writes (milliseconds).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from rcs_composer.services.paths import LOCK_WAIT_SECONDS, LockTimeout

CLAIM_SUFFIX = ".saving"  # not ".json": listings and checks of the folder never read it
STALE_AFTER_S = 30.0  # a save takes milliseconds: an older claim is a writer that died


def claim_path(path: Path) -> Path:
    return path.with_name(f".{path.name}{CLAIM_SUFFIX}")


def _is_stale(claim: Path) -> bool:
    try:
        return time.time() - claim.stat().st_mtime > STALE_AFTER_S
    except FileNotFoundError:
        return True  # gone meanwhile: try again at once
    except OSError:
        return False


@contextlib.contextmanager
def claimed(path: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the claim on ``path`` for the block; LockTimeout when another writer kept it
    for ``wait`` seconds. A folder that cannot hold the claim file (read-only, gone) gets
    none: the write that follows fails there with its own reason."""
    claim = claim_path(path)
    deadline = time.monotonic() + wait
    while True:
        try:
            descriptor = os.open(claim, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _is_stale(claim):
                with contextlib.suppress(OSError):
                    claim.unlink()
                continue
            if time.monotonic() >= deadline:
                raise LockTimeout(path, "another writer kept saving it") from None
            time.sleep(0.01)
            continue
        except OSError:
            yield
            return
        break
    try:
        import socket  # only a save into a shared folder needs the host's name

        with contextlib.suppress(OSError):  # who holds it, for a person looking at the folder
            os.write(descriptor, f"{socket.gethostname()} {os.getpid()}\n".encode())
        os.close(descriptor)
        yield
    finally:
        with contextlib.suppress(OSError):
            claim.unlink()
