"""Issue 20, item 1: a key a server echoes back never reaches the screen or the disk."""

from __future__ import annotations

import json
import logging
import logging.handlers
import stat
from pathlib import Path

import pytest

from rcs_composer.cli import main
from rcs_composer.core import model as m
from rcs_composer.services.history import SendHistory, SendRecord
from rcs_composer.services.kaleyra import KaleyraClient
from rcs_composer.services.kaleyra_replies import KaleyraError
from rcs_composer.services.logs import DeferredLogFile, register_secret, setup_logging
from tests.services.echoserver import ECHO_KEY, ECHOES, ENCODED_FORMS
from tests.services.rawserver import RawServer, respond

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD = str(FIXTURES / "seed000_standalone_card.json")
FORMS = (ECHO_KEY, *ENCODED_FORMS)


def body() -> dict[str, object]:
    return json.loads(Path(CARD).read_text())


def assert_no_key(text: str, where: str) -> None:
    for form in FORMS:
        assert form not in text, f"the key ({form!r}) is in {where}"
    # A key cut in two by truncation must not leave a usable half either.
    assert ECHO_KEY[:12] not in text, f"the first half of the key is in {where}"


def texts_of(error: KaleyraError) -> dict[str, str]:
    found = {
        "str": str(error),
        "repr": repr(error),
        "user_message": error.user_message(),
        "details": error.details(),
        "args": repr(error.args),
    }
    for name, value in vars(error).items():
        found[f"attribute {name}"] = repr(value)
    return found


@pytest.mark.parametrize("echo", sorted(ECHOES))
def test_an_echoed_key_is_in_no_part_of_the_error(echo: str) -> None:
    with RawServer(ECHOES[echo]) as server:
        with pytest.raises(KaleyraError) as caught:
            KaleyraClient(server.url, "S", ECHO_KEY, read_timeout=5).send(body())
    assert len(server.requests) == 1
    for where, text in texts_of(caught.value).items():
        assert_no_key(text, where)
    # The echo was there and was replaced, not lost: the details still help a developer.
    assert "[redacted]" in caught.value.details()


def test_response_headers_are_in_the_details_with_the_key_redacted() -> None:
    with RawServer(ECHOES["header-value"]) as server:
        with pytest.raises(KaleyraError) as caught:
            KaleyraClient(server.url, "S", ECHO_KEY, read_timeout=5).send(body())
    details = caught.value.details()
    assert "X-Echo-Api-Key: [redacted]" in details
    assert_no_key(details, "details")


def test_a_long_echo_cut_at_the_details_limit_leaves_no_half_key() -> None:
    padding = b"x" * (2000 - 10)

    def echo_at_the_cut(connection: object, request: bytes) -> None:
        from tests.services.echoserver import api_key_of

        payload = padding + api_key_of(request).encode()
        respond("502 Bad Gateway", payload, "text/plain")(connection, request)  # type: ignore[arg-type]

    with RawServer(echo_at_the_cut) as server:
        with pytest.raises(KaleyraError) as caught:
            KaleyraClient(server.url, "S", ECHO_KEY, read_timeout=5).send(body())
    assert ECHO_KEY[:10] not in caught.value.details()


def add_profile(capsys: pytest.CaptureFixture[str], url: str, memory_keyring: object) -> None:
    code = main(["profile", "add", "echo", "--pod", "custom", "--base-url", url, "--sid", "S1"])
    capsys.readouterr()
    assert code == 0
    memory_keyring.secrets[("rcs-composer", "echo")] = ECHO_KEY  # type: ignore[attr-defined]


def all_files(root: Path) -> dict[Path, str]:
    return {p: p.read_text(errors="replace") for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("echo", sorted(ECHOES))
def test_cli_send_prints_and_stores_no_echoed_key(
    echo: str,
    capsys: pytest.CaptureFixture[str],
    isolated_dirs: Path,
    memory_keyring: object,
) -> None:
    with RawServer(ECHOES[echo]) as server:
        add_profile(capsys, server.url, memory_keyring)
        code = main(["send", CARD, "--profile", "echo", "--recipient", "919876543210"])
        out, err = capsys.readouterr()
    assert code == 1
    assert len(server.requests) == 1
    assert err.startswith("rcs-composer: ")
    assert_no_key(out, "stdout")
    assert_no_key(err, "stderr")
    history = SendHistory(isolated_dirs / "data").records()
    assert [record.outcome for record in history] == ["failed"]
    for path, text in all_files(isolated_dirs).items():
        assert_no_key(text, str(path))


def test_cli_template_get_prints_no_key_a_server_echoes_in_a_success(
    capsys: pytest.CaptureFixture[str], memory_keyring: object
) -> None:
    def echo_success(connection: object, request: bytes) -> None:
        from tests.services.echoserver import api_key_of

        answer = {
            "code": "RCS1102",
            "data": {"template_id": "t-1", "seen_key": api_key_of(request)},
        }
        respond("200 OK", json.dumps(answer).encode())(connection, request)  # type: ignore[arg-type]

    with RawServer(echo_success) as server:
        add_profile(capsys, server.url, memory_keyring)
        code = main(["template", "get", "t-1", "--profile", "echo"])
        out, err = capsys.readouterr()
    assert code == 0
    assert '"seen_key": "[redacted]"' in out
    assert_no_key(out + err, "the printed template")


def test_history_redacts_a_registered_key_in_every_field(tmp_path: Path) -> None:
    register_secret(ECHO_KEY)
    history = SendHistory(tmp_path)
    history.append(
        SendRecord(
            time="2025-01-01T00:00:00+00:00",
            profile="p",
            endpoint="POST /v1/S/rcs/messages",
            draft_name=f"draft {ECHO_KEY}",
            recipients=("919876543210",),
            outcome="failed",
            error=f"the server said api-key={ENCODED_FORMS[0]}",
        )
    )
    history.add_event("m-1", {"type": "ERROR", "echo": ECHO_KEY})
    for path, text in all_files(tmp_path).items():
        assert_no_key(text, str(path))
    assert history.records()[0].error == "the server said api-key=[redacted]"


def test_an_unexpected_crash_in_a_command_prints_a_redacted_traceback(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_dirs: Path,
    memory_keyring: object,
) -> None:
    success = json.dumps({"recipientDetails": [{"to": "919876543210", "messageId": "m-1"}]})

    def broken_append(self: SendHistory, record: SendRecord) -> None:
        raise RuntimeError(f"disk refused the line for key {ECHO_KEY}")

    monkeypatch.setattr(SendHistory, "append", broken_append)
    with RawServer(respond("200 OK", success.encode())) as server:
        add_profile(capsys, server.url, memory_keyring)
        code = main(["send", CARD, "--profile", "echo", "--recipient", "919876543210"])
    out, err = capsys.readouterr()
    assert code == 70
    assert "RuntimeError: disk refused the line for key [redacted]" in err
    assert "Traceback" in err
    log = (isolated_dirs / "log" / "rcs-composer.log").read_text()
    assert "disk refused the line for key [redacted]" in log
    assert_no_key(out + err, "the crash report")
    for path, text in all_files(isolated_dirs).items():
        assert_no_key(text, str(path))


# ---------------------------------------------------------------- owner-only files


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def fresh_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """App folders that do not exist yet, so the app creates them."""
    root = tmp_path / "fresh"
    for name in ("CONFIG", "DATA", "CACHE", "LOG"):
        monkeypatch.setenv(f"RCS_COMPOSER_{name}_DIR", str(root / name.lower()))
    return root


def test_cli_send_creates_history_and_log_owner_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = fresh_dirs(monkeypatch, tmp_path)
    assert main(["profile", "add", "acme", "--sid", "S1", "--sender", "acme-rcs"]) == 0
    assert main(["send", CARD, "--profile", "sandbox", "--recipient", "919876543210"]) == 0
    capsys.readouterr()
    for name in ("config", "data", "cache", "log"):
        assert mode(root / name) == 0o700, name
    for path in (
        root / "data" / "history.jsonl",
        root / "config" / "profiles.json",
        root / "log" / "rcs-composer.log",
    ):
        assert mode(path) == 0o600, path


def test_history_and_events_already_world_readable_are_tightened(tmp_path: Path) -> None:
    for name in ("history.jsonl", "events.jsonl"):
        (tmp_path / name).write_text("")
        (tmp_path / name).chmod(0o644)
    history = SendHistory(tmp_path)
    history.append(
        SendRecord(
            time="t", profile="p", endpoint="e", draft_name="d", recipients=(), outcome="sent"
        )
    )
    history.add_event("m-1", {"type": "SENT"})
    assert mode(tmp_path / "history.jsonl") == 0o600
    assert mode(tmp_path / "events.jsonl") == 0o600


def test_drafts_and_autosave_are_owner_only(tmp_path: Path) -> None:
    from rcs_composer.services.drafts import DraftStore

    store = DraftStore(tmp_path / "data")
    draft = m.Draft(name="d", message=m.Message(content=m.TextContent("hello")))
    saved = store.save(None, draft)
    session = store.start_session()
    store.save_autosave(session, draft)
    assert mode(store.path_of(saved.draft_id)) == 0o600
    assert mode(store.autosave_dir / f"{session}.json") == 0o600
    for folder in (tmp_path / "data", store.folder, store.autosave_dir):
        assert mode(folder) == 0o700, folder
    store.end_session(session)


def test_the_log_and_its_rotated_files_are_owner_only(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    logger = logging.getLogger("rcs_composer.test")
    (log,) = [
        h for h in logging.getLogger("rcs_composer").handlers if isinstance(h, DeferredLogFile)
    ]
    logger.info("first")
    rotating = log.file()
    assert isinstance(rotating, logging.handlers.RotatingFileHandler)
    rotating.doRollover()
    logger.info("second")
    assert mode(tmp_path / "logs") == 0o700
    assert mode(path) == 0o600
    assert mode(path.with_name(path.name + ".1")) == 0o600
