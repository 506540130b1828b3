"""Test isolation: offscreen Qt, private folders, and an in-memory keyring for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("RCS_COMPOSER_API_KEY", None)

FIXTURES = Path(__file__).parent / "fixtures"
# the clock and india_time fixtures; the template stand-in's server, services and profile
pytest_plugins = ["tests.support.clocks", "tests.support.hostile_templates"]


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point config, data, cache and log folders at a fresh temporary tree."""
    root = tmp_path_factory.mktemp("appdirs")
    for name in ("CONFIG", "DATA", "CACHE", "LOG"):
        folder = root / name.lower()
        folder.mkdir()
        monkeypatch.setenv(f"RCS_COMPOSER_{name}_DIR", str(folder))
    monkeypatch.delenv("RCS_COMPOSER_API_KEY", raising=False)
    from rcs_composer.services import env_key

    monkeypatch.setattr(env_key, "_taken", "")  # a key an earlier test's command took
    return root


@pytest.fixture(autouse=True)
def secrets_of_this_test_only() -> Iterator[None]:
    """Keys a test registers for redaction are forgotten after it: a test whose key shares a
    run with another test's ordinary text must not redact that text."""
    import sys

    yield
    redaction = sys.modules.get("rcs_composer.services.redaction")
    if redaction is not None:
        with redaction._lock:
            redaction._secrets.clear()
            redaction._pattern = redaction._runs = None


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[object]:
    """Every test gets an empty in-memory keyring; the real login keyring is never touched."""
    import keyring

    from tests.support.memory_keyring import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
