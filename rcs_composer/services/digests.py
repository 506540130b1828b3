"""SHA-256 without OpenSSL: CPython's built-in implementation, the digest hashlib gives."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from typing import Any


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex, as ``hashlib.sha256(data).hexdigest()``."""
    return str(_sha256()(data).hexdigest())


@functools.cache
def _sha256() -> Callable[[bytes], Any]:
    """hashlib loads OpenSSL's libcrypto (3.6 MB resident) on import, for every hash; the
    interpreter's own SHA-256 (the module hashlib itself falls back on: ``_sha256`` up to
    Python 3.11, ``_sha2`` since) is a small extension. hashlib when neither is built."""
    for name in ("_sha2", "_sha256"):
        try:
            constructor: Callable[[bytes], Any] = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return constructor
    import hashlib

    return hashlib.sha256
