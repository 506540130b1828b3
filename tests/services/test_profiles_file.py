"""profiles.json as other versions, other processes and the file system leave it (issue 20,
items 6 and 7), through the command a user types."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rcs_composer.services import profiles as profiles_module
from rcs_composer.services.paths import app_paths
from rcs_composer.services.profiles import SANDBOX, Profile, ProfileError, ProfileStore
from rcs_composer.services.secrets import KeyStore

REPO = Path(__file__).resolve().parents[2]


def cli(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m rcs_composer ...`` in a real process, on the test's private folders."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "rcs_composer", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def config_dir() -> Path:
    return app_paths().ensure().config_dir


def profiles_file() -> Path:
    return config_dir() / "profiles.json"


def write_profiles(document: Any) -> bytes:
    data = json.dumps(document, indent=2).encode()
    profiles_file().write_bytes(data)
    return data


def moved_aside() -> list[Path]:
    return sorted(config_dir().glob("profiles.json.corrupt-*"))


ACME = {"name": "acme", "pod": "IN", "sid": "HXAP16", "sender": "acme-rcs", "region": "IN"}


# ---------------------------------------------------------------- item 6: what is not corruption


def test_a_region_from_a_newer_version_is_reported_and_kept() -> None:
    data = write_profiles(
        {"version": 1, "profiles": [ACME, {"name": "acme-eu", "sid": "E1", "region": "EU"}]}
    )
    done = cli("profile", "list")
    assert done.returncode == 0, done.stderr
    assert [line.split("\t")[0] for line in done.stdout.splitlines()] == [SANDBOX, "acme"]
    assert "acme-eu" in done.stderr and "'EU'" in done.stderr and "kept" in done.stderr
    assert moved_aside() == []
    assert profiles_file().read_bytes() == data

    # A change made by this version keeps the profile it cannot use, byte for byte.
    added = cli("profile", "add", "other", "--sid", "S2")
    assert added.returncode == 0, added.stderr
    entries = json.loads(profiles_file().read_text())["profiles"]
    assert [entry["name"] for entry in entries] == ["acme", "acme-eu", "other"]
    assert entries[1] == {"name": "acme-eu", "sid": "E1", "region": "EU"}
    assert moved_aside() == []


def test_an_unknown_setting_is_reported_and_survives_edits() -> None:
    write_profiles(
        {
            "version": 1,
            "default_profile": "acme",  # a top-level key of a newer version
            "profiles": [{**ACME, "webhook_url": "https://hooks.example.com/rcs"}],
        }
    )
    done = cli("profile", "list")
    assert done.returncode == 0, done.stderr
    assert "acme\tIN\tIN\tacme-rcs" in done.stdout
    assert "webhook_url" in done.stderr and "kept" in done.stderr

    store = ProfileStore(config_dir(), KeyStore())
    store.save(Profile(name="acme", sid="HXAP17", sender="acme-rcs"), replacing="acme")
    assert cli("profile", "add", "other", "--sid", "S2").returncode == 0
    document = json.loads(profiles_file().read_text())
    assert document["default_profile"] == "acme"
    [acme, _other] = document["profiles"]
    assert acme["sid"] == "HXAP17"  # the edit landed
    assert acme["webhook_url"] == "https://hooks.example.com/rcs"  # and the unknown setting stayed
    assert moved_aside() == []


def test_a_file_of_a_newer_format_is_listed_but_never_rewritten() -> None:
    data = write_profiles({"version": 2, "profiles": [ACME], "folders": {"acme": "x"}})
    done = cli("profile", "list")
    assert done.returncode == 0, done.stderr
    assert "acme" in done.stdout
    assert "newer rcs-composer" in done.stderr
    added = cli("profile", "add", "other", "--sid", "S2")
    assert added.returncode == 1
    assert "newer rcs-composer" in added.stderr and "nothing was changed" in added.stderr
    assert profiles_file().read_bytes() == data
    assert moved_aside() == []


def deny_reading(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    if how == "chmod":
        if os.geteuid() == 0:
            pytest.skip("root reads any file: chmod cannot deny it")
        profiles_file().chmod(0)
        return
    real_open = open

    def refusing(path: Any, *args: Any, **kwargs: Any) -> Any:
        if Path(path) == profiles_file():
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(profiles_module, "open", refusing, raising=False)


@pytest.mark.parametrize("how", ["chmod", "injected"])
def test_permission_denied_is_reported_and_the_file_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    from rcs_composer.cli.main import main

    data = write_profiles({"version": 1, "profiles": [ACME]})
    deny_reading(monkeypatch, how)
    try:
        assert main(["profile", "list"]) == 1
        out, err = capsys.readouterr()
        assert out.splitlines()[0].startswith(SANDBOX)
        assert "cannot be read (permission denied)" in err and str(profiles_file()) in err
        # Adding a profile now would replace the file by one holding only the new profile.
        assert main(["profile", "add", "other", "--sid", "S2"]) == 1
        assert "nothing was changed" in capsys.readouterr().err
    finally:
        profiles_file().chmod(0o600)
    assert profiles_file().read_bytes() == data
    assert moved_aside() == []


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("{ not json", "line 1"),
        ("", "line 1"),
        (b"\xff\xfe{}", "not UTF-8"),
        ("[1, 2]", "not a JSON object"),
        ('{"version": 1}', "no list of profiles"),
        ("[" * 100_000 + "]" * 100_000, "nested"),
    ],
)
def test_only_a_file_that_truly_cannot_be_parsed_is_moved_aside(
    text: str | bytes, why: str
) -> None:
    data = text.encode() if isinstance(text, str) else text
    profiles_file().write_bytes(data)
    done = cli("profile", "list")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith(SANDBOX)
    assert "could not be parsed" in done.stderr and why in done.stderr
    [kept] = moved_aside()
    assert kept.read_bytes() == data
    assert kept.name in done.stderr
    assert not profiles_file().exists()
    assert cli("profile", "add", "acme", "--sid", "S1").returncode == 0
    assert [p.name for p in ProfileStore(config_dir(), KeyStore()).list()] == [SANDBOX, "acme"]


def test_a_broken_entry_is_skipped_and_kept_not_the_whole_file() -> None:
    write_profiles(
        {
            "version": 1,
            "profiles": [ACME, "not a profile", {"name": 7}, {"name": "x", "verified": "yes"}],
        }
    )
    done = cli("profile", "list")
    assert done.returncode == 0
    assert [line.split("\t")[0] for line in done.stdout.splitlines()] == [SANDBOX, "acme"]
    assert done.stderr.count("warning:") == 3
    ProfileStore(config_dir(), KeyStore()).remove("acme")
    entries = json.loads(profiles_file().read_text())["profiles"]
    assert entries == ["not a profile", {"name": 7}, {"name": "x", "verified": "yes"}]


def test_a_name_held_by_a_profile_of_a_newer_version_is_not_taken_twice() -> None:
    write_profiles({"version": 1, "profiles": [{"name": "acme", "sid": "E1", "region": "EU"}]})
    store = ProfileStore(config_dir(), KeyStore())
    with pytest.raises(ProfileError, match="already exists"):
        store.save(Profile(name="acme", sid="S1"))


# ---------------------------------------------------------------- item 7: parallel edits


def test_twenty_parallel_profile_adds_keep_twenty_profiles() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "rcs_composer", "profile", "add", f"p{n:02d}", "--sid", f"S{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(20)
    ]
    results = [(child.wait(timeout=120), child.stderr) for child in children]
    errors = [stream.read() for _, stream in results if stream is not None]
    for child in children:
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert [code for code, _ in results] == [0] * 20, errors
    names = [p.name for p in ProfileStore(config_dir(), KeyStore()).list()]
    assert names[0] == SANDBOX
    assert sorted(names[1:]) == [f"p{n:02d}" for n in range(20)]
    leftovers = [p.name for p in config_dir().iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_parallel_adds_and_removes_from_threads_lose_nothing() -> None:
    """Two stores in one process (as two windows would be), each on its own threads."""
    import threading

    first, second = (ProfileStore(config_dir(), KeyStore()) for _ in range(2))
    for n in range(10):
        first.save(Profile(name=f"old{n}", sid="S"))

    def work(store: ProfileStore, n: int) -> None:
        store.save(Profile(name=f"new{n}", sid="S"))
        store.remove(f"old{n}")

    threads = [
        threading.Thread(target=work, args=(first if n % 2 else second, n)) for n in range(10)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(p.name for p in first.list()[1:]) == sorted(f"new{n}" for n in range(10))


def test_a_temp_file_of_a_killed_profile_write_is_removed_by_the_next_change() -> None:
    stale = config_dir() / ".profiles.json.k1ll3d.tmp"
    stale.write_text('{"version": 1, "profiles": [')
    unrelated = config_dir() / ".settings.ini.abc.tmp"  # not ours: another writer's
    unrelated.write_text("x")
    assert cli("profile", "add", "acme", "--sid", "S1").returncode == 0
    assert not stale.exists()
    assert unrelated.exists()


STALLING_ADD = """
import os, sys, time
from pathlib import Path

go = Path(sys.argv[1])
real_fsync = os.fsync

def stalling(descriptor):
    os.write(1, b"writing\\n")  # the temp file of profiles.json exists, the lock is held
    while not go.exists():
        time.sleep(0.01)
    os.fsync = real_fsync
    real_fsync(descriptor)

os.fsync = stalling
from rcs_composer.cli.main import main
raise SystemExit(main(["profile", "add", sys.argv[2], "--sid", "S9"]))
"""


def test_a_live_profile_write_keeps_its_temp_file_and_a_killed_one_goes_at_next_start(
    tmp_path: Path,
) -> None:
    go = tmp_path / "go"

    def stalled(name: str) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [sys.executable, "-c", STALLING_ADD, str(go), name],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "writing"
        return child

    def temps() -> list[str]:
        return sorted(p.name for p in config_dir().iterdir() if p.name.endswith(".tmp"))

    child = stalled("slow")
    try:
        [in_progress] = temps()
        assert cli("profile", "list", timeout=5).returncode == 0  # a start, while it writes
        assert temps() == [in_progress]
        go.touch()
        assert child.wait(timeout=10) == 0
    finally:
        child.kill()
        child.wait(timeout=10)
        if child.stdout is not None:
            child.stdout.close()
    assert temps() == []
    go.unlink()

    child = stalled("killed")
    child.kill()
    child.wait(timeout=10)
    if child.stdout is not None:
        child.stdout.close()
    assert len(temps()) == 1
    done = cli("profile", "list")  # the next start
    assert done.returncode == 0 and "slow" in done.stdout and "killed" not in done.stdout
    assert temps() == []
