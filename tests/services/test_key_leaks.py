"""The key in forms a plain search misses: encoded or cut short in an answer, left in the
environment of what the app starts, or with a character no request header can carry."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from rcs_composer.cli import main
from rcs_composer.services import redaction
from rcs_composer.services.env_key import take_env_key
from rcs_composer.services.secrets import KeyStore, MissingApiKey, resolve_api_key
from tests.services.echoserver import ECHO_KEY, api_key_of
from tests.services.rawserver import RawServer, respond
from tests.services.test_secrets_redaction import CARD, add_profile, all_files

ZERO_WIDTH = "\u200b"


def echoed_forms(key: str) -> list[str]:
    """The key as base64, as hex, and every run of 12 of its characters."""
    raw = key.encode()
    runs = [key[start : start + redaction.PARTIAL_RUN] for start in range(len(key) - 11)]
    return [
        base64.b64encode(raw).decode(),
        base64.urlsafe_b64encode(raw).decode(),
        raw.hex(),
        *runs,
    ]


def assert_none_of_the_key(text: str, where: str, key: str = ECHO_KEY) -> None:
    for form in [key, *echoed_forms(key)]:
        assert form.lower() not in text.lower(), f"{form!r} (from the key) is in {where}"


@pytest.fixture
def registered() -> str:
    key = "5f8e2c1d9ab3Key+Part/0c77d1e4"
    redaction.register_secret(key)
    return key


def test_base64_hex_and_any_long_run_of_the_key_are_redacted(registered: str) -> None:
    texts = [
        f"invalid key {registered[:14]}…",
        f"id-{base64.b64encode(registered.encode()).decode().rstrip('=')}-x",
        f"hex {registered.encode().hex().upper()}",
        f"middle:{registered[5:25]}:end",
        f"{registered[:13]}{registered[:13]}",  # the same start twice
        f"cased {registered.upper()[2:20]}",
    ]
    for text in texts:
        assert_none_of_the_key(redaction.redact(text), repr(text), registered)
        assert redaction.REDACTED in redaction.redact(text)


def test_runs_shorter_than_twelve_and_ordinary_text_are_left_alone(registered: str) -> None:
    text = f"key starts {registered[:8]}; order 5f8e2c1d9a; a 0123456789abcdef hash, Diwali"
    assert redaction.redact(text) == text


def test_a_short_key_is_redacted_whole_only() -> None:
    redaction.register_secret("short-key-123")  # 13 characters: no runs
    assert redaction.redact("the short-key-123 here") == "the [redacted] here"
    assert redaction.redact("short-key-12") == "short-key-12"


def echo_in_the_message_ids(connection: socket.socket, request: bytes) -> None:
    """An accepted send whose message id carries the key in base64 and its first 16
    characters: the id goes to the screen, the log and the history."""
    key = api_key_of(request)
    encoded = base64.b64encode(key.encode()).decode()
    answer = {"recipientDetails": [{"to": "919876543210", "messageId": f"m-{encoded}-{key[:16]}"}]}
    respond("200 OK", json.dumps(answer).encode())(connection, request)


def test_a_send_whose_ids_echo_the_key_encoded_and_in_part_keeps_none_of_it(
    capsys: pytest.CaptureFixture[str], isolated_dirs: Path, memory_keyring: object
) -> None:
    with RawServer(echo_in_the_message_ids) as server:
        add_profile(capsys, server.url, memory_keyring)
        code = main(["send", CARD, "--profile", "echo", "--recipient", "919876543210"])
        out, err = capsys.readouterr()
    assert code == 0, err
    assert len(server.requests) == 1
    assert "m-[redacted]-[redacted]" in out
    assert_none_of_the_key(out + err, "the command's output")
    for path, text in all_files(isolated_dirs).items():
        assert_none_of_the_key(text, str(path))


def test_the_window_takes_the_environment_key_out_so_programs_it_opens_never_see_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file manager of "Show log folder", a browser: children of the window's process."""
    from rcs_composer.cli.main import Desktop

    monkeypatch.setenv("RCS_COMPOSER_API_KEY", "  env-KEY-for-scripts-0042  ")
    seen_by_window: list[str | None] = []

    def open_window(_exit_after_show: bool) -> int:
        seen_by_window.append(os.environ.get("RCS_COMPOSER_API_KEY"))
        return 0

    assert main([], Desktop(open_window=open_window, render=lambda *_a, **_k: Path())) == 0
    assert seen_by_window == [None]
    assert "RCS_COMPOSER_API_KEY" not in os.environ
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ.get('RCS_COMPOSER_API_KEY'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert child.stdout.strip() == "None"  # a child of the process inherits no key
    assert resolve_api_key(KeyStore(), "acme", is_sandbox=False) == "env-KEY-for-scripts-0042"
    assert take_env_key() == "env-KEY-for-scripts-0042"  # read again: the process keeps it


@pytest.mark.parametrize(
    ("character", "named"),
    [
        (ZERO_WIDTH, "U+200B ZERO WIDTH SPACE"),
        ("\u00a0", "U+00A0 NO-BREAK SPACE"),
        ("\t", "U+0009"),
        (" ", "U+0020 SPACE"),
        ("é", "U+00E9 LATIN SMALL LETTER E WITH ACUTE"),
    ],
)
def test_a_key_no_request_header_can_carry_is_not_stored(
    character: str, named: str, memory_keyring: object
) -> None:
    key = f"abcdefgh12345678{character}ijkl"
    with pytest.raises(ValueError, match="Did not store") as refused:
        KeyStore().set("acme", key)
    assert f"character 17 is {named}" in str(refused.value)
    assert "abcdefgh" not in str(refused.value)
    assert memory_keyring.secrets == {}  # type: ignore[attr-defined]


def test_profile_set_key_refuses_a_pasted_zero_width_space(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, memory_keyring: object
) -> None:
    assert main(["profile", "add", "acme", "--sid", "S1", "--sender", "acme-rcs"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", _Typed(f"live-key-123456{ZERO_WIDTH}\n"))
    code = main(["profile", "set-key", "acme"])
    out, err = capsys.readouterr()
    assert code != 0
    assert "U+200B ZERO WIDTH SPACE" in err
    assert "Traceback" not in out + err
    assert memory_keyring.secrets == {}  # type: ignore[attr-defined]


def test_a_bad_key_stored_earlier_stops_the_send_with_a_message_and_sends_nothing(
    capsys: pytest.CaptureFixture[str], isolated_dirs: Path, memory_keyring: object
) -> None:
    with RawServer(respond("200 OK", b"{}")) as server:
        add_profile(capsys, server.url, memory_keyring)
        memory_keyring.secrets[("rcs-composer", "echo")] = f"old-key-1234{ZERO_WIDTH}"  # type: ignore[attr-defined]
        code = main(["send", CARD, "--profile", "echo", "--recipient", "919876543210"])
        out, err = capsys.readouterr()
    assert code != 0
    assert server.requests == []
    assert "The API key stored for the profile 'echo' cannot be used" in err
    assert "ZERO WIDTH SPACE" in err and "Store it again in Profiles" in err
    assert "Traceback" not in out + err and "bug" not in err


def test_a_bad_environment_key_is_named_not_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCS_COMPOSER_API_KEY", f"env-key{ZERO_WIDTH}99")
    with pytest.raises(MissingApiKey, match="RCS_COMPOSER_API_KEY cannot be used: its char"):
        resolve_api_key(KeyStore(), "acme", is_sandbox=False)


class _Typed:
    """Standard input that is not a terminal, holding what a script pipes in."""

    def __init__(self, text: str) -> None:
        self.text = text

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self.text

    def read(self) -> str:
        return self.text


def test_a_command_that_reads_the_key_takes_it_out_of_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RCS_COMPOSER_API_KEY", "env-KEY-7781-for-ci")
    assert resolve_api_key(KeyStore(), "acme", is_sandbox=False) == "env-KEY-7781-for-ci"
    assert "RCS_COMPOSER_API_KEY" not in os.environ


def test_a_log_record_with_its_stack_is_redacted_there_too(tmp_path: Path) -> None:
    """A stack shows each frame's source line: here the line that logs names the key."""
    import logging

    from rcs_composer.services.logs import setup_logging

    key = "stack-KEY-5c1e77aa90d4"
    redaction.register_secret(key)
    path = setup_logging(tmp_path)
    logger = logging.getLogger("rcs_composer.test")
    logger.warning("sending", stack_info=True, extra={"k": "stack-KEY-5c1e77aa90d4"})
    for handler in logging.getLogger("rcs_composer").handlers:
        handler.flush()
    written = path.read_text()
    assert "Stack (most recent call last)" in written
    assert_none_of_the_key(written, "the log", key)
