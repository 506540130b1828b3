"""Profiles on disk, keys in the keyring: what a user adds, edits and removes."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, NoKeyringError

from rcs_composer.core.issues import Region
from rcs_composer.services.paths import StorageError, app_paths, atomic_write_text
from rcs_composer.services.profiles import SANDBOX, Profile, ProfileError, ProfileStore
from rcs_composer.services.secrets import (
    KeyringUnavailable,
    KeyStore,
    MissingApiKey,
    resolve_api_key,
)

KEY = "k3y-9f1c0ffee-UNIQUE-planted-0042"


def acme(**changes: object) -> Profile:
    values: dict[str, object] = {
        "name": "acme",
        "pod": "IN",
        "sid": "HXAP16",
        "sender": "acme-rcs",
        "agent_number": "116002",
        "region": Region.IN,
    }
    values.update(changes)
    return Profile(**values)  # type: ignore[arg-type]


@pytest.fixture
def store() -> ProfileStore:
    return ProfileStore(app_paths().ensure().config_dir, KeyStore())


def test_paths_follow_the_environment_overrides(isolated_dirs: Path) -> None:
    paths = app_paths()
    assert paths.config_dir == isolated_dirs / "config"
    assert paths.log_dir == isolated_dirs / "log"


def test_sandbox_is_always_listed_first_and_cannot_be_removed(store: ProfileStore) -> None:
    assert [p.name for p in store.list()] == [SANDBOX]
    with pytest.raises(ProfileError, match="cannot be removed"):
        store.remove(SANDBOX)
    store.set_sandbox_url("http://127.0.0.1:5555")
    assert store.get(SANDBOX).messages_base_url == "http://127.0.0.1:5555"


def test_add_edit_rename_remove(store: ProfileStore) -> None:
    store.save(acme())
    store.keys.set("acme", KEY)
    assert store.get("acme").messages_base_url == "https://rcs-api.in.kaleyra.io"
    store.save(acme(name="acme-prod", pod="NA"), replacing="acme")
    assert [p.name for p in store.list()] == [SANDBOX, "acme-prod"]
    assert store.get("acme-prod").messages_base_url == "https://rcs-api.na.kaleyra.ai"
    assert store.keys.get("acme-prod") == KEY  # the key follows the rename
    assert store.keys.get("acme") is None
    store.remove("acme-prod")
    assert store.keys.get("acme-prod") is None
    assert [p.name for p in store.list()] == [SANDBOX]


def test_the_profile_file_never_holds_the_key(store: ProfileStore, isolated_dirs: Path) -> None:
    store.save(acme())
    store.keys.set("acme", KEY)
    store.save(acme(sender="other"), replacing="acme")
    for path in isolated_dirs.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace"), path
    assert KEY not in repr(store.get("acme")) + repr(store.keys) + repr(store)


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        (acme(name=""), "Name"),
        (acme(pod="custom", base_url="ftp://x"), "Base URL"),
        (acme(pod="custom", base_url="http://proxy.example.com"), "Base URL"),
        (acme(pod="custom", base_url="https://user:PASS@gw.example"), "no user name or password"),
        (acme(pod="custom", base_url="https://gw.example/?q=1#f"), "without \\?… or #…"),
        (acme(pod="custom", base_url="https://gw.example:99999"), "Base URL: not an address"),
        (acme(sid=" "), "SID"),
        (acme(brand_color="blue"), "Brand colour"),
    ],
)
def test_bad_fields_are_named(store: ProfileStore, profile: Profile, field: str) -> None:
    with pytest.raises(ProfileError, match=field):
        store.save(profile)


def test_duplicate_names_are_refused(store: ProfileStore) -> None:
    store.save(acme())
    with pytest.raises(ProfileError, match="already exists"):
        store.save(acme())


def test_a_corrupt_profiles_file_is_kept_aside(store: ProfileStore) -> None:
    store.path.write_text("{ not json")
    assert [p.name for p in store.list()] == [SANDBOX]
    assert store.load_problem and "kept as" in store.load_problem
    kept = list(store.path.parent.glob("profiles.json.corrupt-*"))
    assert kept and kept[0].read_text() == "{ not json"


def test_two_corrupt_files_in_one_second_are_both_kept(store: ProfileStore) -> None:
    texts = ["{ first", "{ second", "{ third"]
    for text in texts:
        store.path.write_text(text)
        store.list()
    kept = store.path.parent.glob("profiles.json.corrupt-*")
    assert sorted(path.read_text() for path in kept) == texts


def test_environment_key_stands_in_for_the_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = KeyStore()
    with pytest.raises(MissingApiKey, match="acme"):
        resolve_api_key(keys, "acme", is_sandbox=False)
    monkeypatch.setenv("RCS_COMPOSER_API_KEY", KEY)
    assert resolve_api_key(keys, "acme", is_sandbox=False) == KEY
    assert resolve_api_key(keys, SANDBOX, is_sandbox=True) == "sandbox-key"


class Broken(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (NoKeyringError(), "no system keyring"),
        (KeyringLocked(), "locked"),
        (RuntimeError("dbus"), "refused"),
    ],
)
def test_keyring_failures_say_what_and_how_to_fix(error: Exception, words: str) -> None:
    keys = KeyStore(Broken(error))
    for call in (
        lambda: keys.get("acme"),
        lambda: keys.set("acme", KEY),
        lambda: keys.delete("acme"),
    ):
        with pytest.raises(KeyringUnavailable) as caught:
            call()
        assert words in str(caught.value)
        assert "RCS_COMPOSER_API_KEY" in str(caught.value)
        assert KEY not in str(caught.value)


def test_profiles_still_work_when_the_keyring_is_broken() -> None:
    store = ProfileStore(app_paths().ensure().config_dir, KeyStore(Broken(NoKeyringError())))
    store.save(acme())
    assert [p.name for p in store.list()] == [SANDBOX, "acme"]


def test_atomic_write_keeps_the_old_file_when_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "profiles.json"
    atomic_write_text(target, "old")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match="disk is full"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["profiles.json"]  # no temp file left behind


def test_profiles_file_is_plain_json(store: ProfileStore) -> None:
    store.save(acme())
    data = json.loads(store.path.read_text())
    assert data["profiles"][0]["sid"] == "HXAP16"
