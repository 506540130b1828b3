"""One test against a real Secret Service: gnome-keyring on a private D-Bus session."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rcs_composer.services.secrets import KeyStore

pytestmark = pytest.mark.secret_service

KEY = "ss-key-7d1e5a2b-UNIQUE"


def _missing_tools() -> str | None:
    for tool in ("dbus-daemon", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt install dbus-x11 gnome-keyring)"
    try:
        import secretstorage  # noqa: F401
    except ImportError:
        return "the secretstorage package is missing"
    return None


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    reason = _missing_tools()
    if reason:
        pytest.skip(reason)
    home = tmp_path / "home"
    (home / ".local/share/keyrings").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        capture_output=True,
        text=True,
        check=True,
        timeout=20,
    )
    address, pid = bus.stdout.split()[:2]
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    keyring_daemon = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--daemonize"],
        input="\n",
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )
    daemon_pids = [
        int(line.split("=", 1)[1])
        for line in keyring_daemon.stdout.splitlines()
        if line.startswith("GNOME_KEYRING_PID=")
    ]
    time.sleep(0.3)
    try:
        yield
    finally:
        for daemon_pid in [*daemon_pids, int(pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(daemon_pid, signal.SIGTERM)


def test_keys_round_trip_through_gnome_keyring(secret_service: None) -> None:
    from keyring.backends.SecretService import Keyring

    backend = Keyring()
    keys = KeyStore(backend)
    assert "Secret Service" in keys.describe_backend()
    assert keys.get("acme") is None
    keys.set("acme", KEY)
    assert keys.get("acme") == KEY
    assert KeyStore(Keyring()).get("acme") == KEY  # a second connection sees the stored key
    keys.delete("acme")
    assert keys.get("acme") is None
    keys.delete("acme")  # deleting a missing key is not an error
