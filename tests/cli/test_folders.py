"""Issue 20, item 10: a send that went out is always reported; unusable folders stop it first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rcs_composer.entry import main
from tests.services.rawserver import RawServer, respond

ROOT = Path(__file__).parents[2]
CARD = str(ROOT / "tests" / "fixtures" / "seed000_standalone_card.json")
ANSWER = json.dumps({"recipientDetails": [{"to": "919876543210", "messageId": "m-1"}]}).encode()


def add_profile(capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert (
        main(
            [
                "profile",
                "add",
                "local",
                "--pod",
                "custom",
                "--base-url",
                url,
                "--sid",
                "S",
                "--sender",
                "s",
            ]
        )
        == 0
    )
    capsys.readouterr()


@pytest.mark.parametrize(
    ("variable", "role"), [("RCS_COMPOSER_DATA_DIR", "data"), ("RCS_COMPOSER_LOG_DIR", "log")]
)
@pytest.mark.parametrize("kind", ["missing-parent", "a-file"])
def test_an_unusable_folder_is_one_line_before_anything_is_sent(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    variable: str,
    role: str,
    kind: str,
    isolated_dirs: Path,
) -> None:
    with RawServer(respond("200 OK", ANSWER)) as server:
        add_profile(capsys, server.url)
        folder = tmp_path / "a-file"
        if kind == "a-file":
            folder.write_text("not a folder")
        else:
            folder = Path("/proc/no-such-parent/folder")
        monkeypatch.setenv(variable, str(folder))
        monkeypatch.setenv("RCS_COMPOSER_API_KEY", "folder-key-77aa")
        code = main(["send", CARD, "--profile", "local"])
        assert server.requests == []
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and str(folder) in err and f"the {role} folder" in err


def test_the_ids_of_a_send_are_printed_even_when_the_history_cannot_be_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, isolated_dirs: Path
) -> None:
    with RawServer(respond("200 OK", ANSWER)) as server:
        add_profile(capsys, server.url)
        (isolated_dirs / "data" / "history.jsonl").mkdir()  # appending to it fails
        monkeypatch.setenv("RCS_COMPOSER_API_KEY", "folder-key-77aa")
        code = main(["send", CARD, "--profile", "local"])
        assert len(server.requests) == 1
    out, err = capsys.readouterr()
    assert code == 0
    assert "919876543210\tm-1" in out
    assert "warning" in err and "history" in err and "Traceback" not in err


def test_a_log_that_cannot_be_written_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    log_dir = tmp_path / "log"
    (log_dir / "rcs-composer.log").mkdir(parents=True)  # the log file is a folder
    env = {
        "RCS_COMPOSER_LOG_DIR": str(log_dir),
        "RCS_COMPOSER_CONFIG_DIR": str(tmp_path / "c"),
        "RCS_COMPOSER_DATA_DIR": str(tmp_path / "d"),
        "RCS_COMPOSER_CACHE_DIR": str(tmp_path / "k"),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "rcs_composer", "profile", "list"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "sandbox" in done.stdout
    assert done.stderr.count("\n") == 1 and "cannot be written" in done.stderr
