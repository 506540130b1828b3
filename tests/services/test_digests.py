"""Hashes without OpenSSL: draft versions, library keys and media cache names are the SHA-256
hashlib gives, and working with drafts and cached media never loads OpenSSL (importing
hashlib maps its libcrypto, ~3.6 MB resident, in every process that does)."""

from __future__ import annotations

import hashlib
import json

from hypothesis import given
from hypothesis import strategies as st

from rcs_composer.services.digests import sha256_hex
from tests.support.child_python import run_python


@given(st.binary(max_size=4096))
def test_the_digest_is_hashlibs(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_known_digests() -> None:
    assert sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert sha256_hex(b"abc").startswith("ba7816bf8f01cfea")


DRAFTS_AND_CACHED_MEDIA = """
import json, sys, tempfile
from pathlib import Path
from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore
from rcs_composer.services.library_folders import key_of
from rcs_composer.services.media import MediaInfo
from rcs_composer.services.media_cache import MediaCache

root = Path(tempfile.mkdtemp())
store = DraftStore(root)
draft = m.Draft(name="Offer", message=m.Message(content=m.TextContent("Hello")))
saved = store.save(None, draft)
store.save(saved.draft_id, draft, loaded=saved.version)
store.load_versioned(saved.draft_id)
key_of(root / "team")
cache = MediaCache(root / "media")
cache.put(MediaInfo(url="https://example.com/a.png", final_url="https://example.com/a.png"), b"x")
assert cache.get("https://example.com/a.png") is not None
print(json.dumps([name for name in ("hashlib", "_hashlib", "ssl") if name in sys.modules]))
"""


def test_drafts_and_cached_media_load_no_openssl() -> None:
    output = run_python(DRAFTS_AND_CACHED_MEDIA, timeout=60)
    assert json.loads(output.strip().splitlines()[-1]) == []
