"""send, template and profile commands, against the sandbox and the in-memory keyring."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rcs_composer.cli import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD = str(FIXTURES / "seed000_standalone_card.json")
KEY = "cli-key-0c4e9-UNIQUE"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_send_through_the_sandbox_prints_ids_and_keeps_history(
    capsys: pytest.CaptureFixture[str], isolated_dirs: Path
) -> None:
    code, out, _ = run(
        capsys, "send", CARD, "--profile", "sandbox", "--recipient", "+91 98765 43210"
    )
    assert code == 0
    recipient, message_id = out.strip().split("\t")
    assert recipient == "919876543210"
    assert len(message_id) == 36
    history = (isolated_dirs / "data" / "history.jsonl").read_text()
    assert message_id in history
    log = (isolated_dirs / "log" / "rcs-composer.log").read_text()
    for words in ("profile sandbox", "POST /v1/sandbox/rcs/messages -> HTTP 200", message_id):
        assert words in log


def test_an_invalid_message_is_refused_before_sending(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = json.loads(Path(CARD).read_text())
    body["richCardStandalone"]["content"]["title"] = "T" * 300
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(body))
    code, out, _ = run(capsys, "send", str(path), "--profile", "sandbox")
    assert code == 1
    assert "$.richCardStandalone.content.title" in out
    assert "Not sent" in out


def test_template_create_through_the_sandbox(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "template",
        "create",
        str(FIXTURES / "seed003_template_card_variables.json"),
        "--profile",
        "sandbox",
        "--name",
        "bill_x",
    )
    assert code == 0
    assert json.loads(out)["placeholders"][0] == "custermername"
    code, _, err = run(
        capsys, "template", "create", CARD, "--profile", "sandbox", "--name", "has space"
    )
    assert code == 1
    assert "template_name" in err


def test_profile_lifecycle_with_the_key_from_stdin(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    isolated_dirs: Path,
    memory_keyring: object,
) -> None:
    assert run(capsys, "profile", "add", "acme", "--sid", "HXAP16", "--sender", "acme-rcs")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(KEY + "\n"))
    code, out, _ = run(capsys, "profile", "set-key", "acme")
    assert code == 0
    assert KEY not in out
    assert memory_keyring.secrets[("rcs-composer", "acme")] == KEY  # type: ignore[attr-defined]
    code, out, _ = run(capsys, "profile", "list")
    assert out.splitlines()[0].startswith("sandbox")
    assert "acme\tIN\tIN\tacme-rcs\thttps://rcs-api.in.kaleyra.io" in out
    for path in isolated_dirs.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace")
    assert run(capsys, "profile", "remove", "acme")[0] == 0
    assert ("rcs-composer", "acme") not in memory_keyring.secrets  # type: ignore[attr-defined]


def test_send_with_a_real_profile_and_no_key_says_how_to_fix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    run(capsys, "profile", "add", "acme", "--sid", "HXAP16", "--sender", "acme-rcs")
    code, _, err = run(capsys, "send", CARD, "--profile", "acme", "--recipient", "919876543210")
    assert code == 1
    assert "No API key is stored" in err


def braces_body(tmp_path: Path) -> str:
    body = json.loads(Path(CARD).read_text())
    body["richCardStandalone"]["content"]["title"] = "Hello {{first_name}}, {{offer}} inside"
    path = tmp_path / "braces.json"
    path.write_text(json.dumps(body))
    return str(path)


def test_send_refuses_unfilled_variables_and_names_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, isolated_dirs: Path
) -> None:
    code, out, _ = run(capsys, "send", braces_body(tmp_path), "--profile", "sandbox")
    assert code == 1
    title = "$.richCardStandalone.content.title"
    assert f"error   {title}: {{{{first_name}}}} has no value" in out
    assert f"error   {title}: {{{{offer}}}} has no value" in out
    assert "--var first_name=VALUE" in out
    assert "Not sent" in out
    assert not (isolated_dirs / "data" / "history.jsonl").exists()  # nothing went out


def body_with(tmp_path: Path, **extra: object) -> str:
    body = {**json.loads(Path(CARD).read_text()), **extra}
    path = tmp_path / "body.json"
    path.write_text(json.dumps(body))
    return str(path)


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        ({"ref": "order-{{id}}"}, "$.ref"),
        ({"ref3": "{{id}}"}, "$.ref3"),
        ({"futureFlag": {"note": ["{{id}}"]}}, "$.futureFlag.note[0]"),
    ],
)
def test_variables_in_the_references_and_unknown_keys_are_filled_or_refused(
    extra: dict[str, object],
    where: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    isolated_dirs: Path,
) -> None:
    path = body_with(tmp_path, **extra)
    code, out, _ = run(capsys, "send", path, "--profile", "sandbox")
    assert code == 1
    assert f"error   {where}: {{{{id}}}} has no value" in out
    assert not (isolated_dirs / "data" / "history.jsonl").exists()
    code, out, err = run(capsys, "send", path, "--profile", "sandbox", "--var", "id=5")
    assert code == 0, out + err
    code, out, _ = run(capsys, "convert", path, "--format", "message", "--var", "id=5")
    assert code == 0 and "{{" not in out  # what the send posted: every {{id}} filled
    sent = json.loads(out)
    assert sent.get("ref") in (None, "order-5") and sent.get("ref3") in (None, "5")


@pytest.mark.parametrize("text", ["Hi {{na me}}", "Hi {{}}", "Hi {{first", "Hi x}} {{x}}"])
def test_braces_that_make_no_variable_are_refused_unless_sent_literally(
    text: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = body_with(tmp_path, text=text)
    data = json.loads(Path(path).read_text())
    del data["richCardStandalone"]
    Path(path).write_text(json.dumps(data))
    code, out, _ = run(capsys, "send", path, "--profile", "sandbox", "--var", "x=1")
    assert code == 1
    assert "error   $.text: " in out and "would go out with its braces" in out
    code, out, err = run(
        capsys, "send", path, "--profile", "sandbox", "--var", "x=1", "--send-variables-literally"
    )
    assert code == 0, out + err


def test_send_goes_once_every_variable_has_a_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys,
        "send",
        braces_body(tmp_path),
        "--profile",
        "sandbox",
        "--var",
        "first_name=Asha",
        "--var",
        "offer=",  # an empty value is a choice
    )
    assert code == 0, out + err
    assert out.strip() and all(len(line.split("\t")) == 2 for line in out.strip().splitlines())


def test_send_variables_literally_is_an_explicit_choice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        "send",
        braces_body(tmp_path),
        "--profile",
        "sandbox",
        "--var",
        "first_name=Asha",
        "--send-variables-literally",
    )
    assert code == 0, out


def test_removing_a_profile_when_the_keyring_is_gone_says_what_happened(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import keyring
    from keyring.backends import fail

    assert main(["profile", "add", "gone", "--sid", "S1"]) == 0
    keyring.set_keyring(fail.Keyring())  # the conftest fixture puts the memory keyring back
    code = main(["profile", "remove", "gone"])
    err = capsys.readouterr().err
    assert code == 0  # the profile did go
    assert "Removed profile gone, but its key is still in the keyring" in err
    assert main(["profile", "list"]) == 0
    assert "gone" not in capsys.readouterr().out


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("14155550100", "14155550100"),  # a US number the API's way: no 91 before it
        ("447700900123", "447700900123"),
        ("9876543210", "919876543210"),  # a mobile of the profile's region (IN)
        ("09876543210", "919876543210"),
        ("919876543210", "919876543210"),
    ],
)
def test_a_recipient_written_with_its_country_code_is_sent_to_that_country(
    typed: str, sent: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "send", CARD, "--profile", "sandbox", "--recipient", typed)
    assert code == 0, err
    assert out.split("\t")[0] == sent


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--port", "65536"], "65536 is not a port: use 0 to 65535"),
        (["--port", "-1"], "-1 is not a port"),
        (["--template-step", "-5"], "-5 is not zero or more seconds"),
        (["--template-step", "nan"], "nan is not zero or more seconds"),
        (["--template-step", "inf"], "inf is not zero or more seconds"),
        (["--port", "80.5"], "'80.5' is not a port number"),
    ],
)
def test_sandbox_options_out_of_range_are_named(
    arguments: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["sandbox", *arguments])
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err


def test_a_sandbox_port_in_use_is_a_sentence_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _out, err = run(capsys, "sandbox", "--port", str(port))
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err and "choose another --port" in err
    assert "Traceback" not in err


def test_a_mobile_missing_a_digit_is_still_read_in_the_region() -> None:
    """987654321 is an Indian mobile short of a digit, not a number in Iran (+98)."""
    from rcs_composer.core.phones import normalize_recipient

    assert normalize_recipient("987654321", "IN") == "91987654321"


def account_at(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The profile acme, a custom pod at ``url``, its key in the environment."""
    assert (
        main(["profile", "add", "acme", "--pod", "custom", "--base-url", url, "--sid", "S1"]) == 0
    )
    monkeypatch.setenv("RCS_COMPOSER_API_KEY", "cli-account-key-6f1d-UNIQUE")


def test_a_send_with_no_answer_is_not_sent_again_by_a_second_run_unless_asked(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.services.rawserver import RawServer, reset

    with RawServer(reset) as server:
        account_at(server.url, monkeypatch)
        send = ["send", CARD, "--profile", "acme", "--recipient", "+91 98765 43210"]
        code, _out, err = run(capsys, *send)
        assert code == 1 and "may have been sent" in err
        code, _out, err = run(capsys, *send)  # a script's retry, a user's up-arrow
        assert code == 1 and "Not sent again" in err and "--send-again" in err
        assert len(server.requests) == 1
        run(capsys, *send, "--send-again")
        assert len(server.requests) == 2


def test_a_number_given_twice_on_the_command_line_gets_one_message(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "send",
        CARD,
        "--profile",
        "sandbox",
        "--recipient",
        "+91 98765 43210",
        "--recipient",
        "0091 98765 43210",
    )
    assert code == 0, err
    assert "919876543210 is given 2 times: it gets one message" in err
    assert out.count("919876543210\t") == 1


def test_message_ids_a_server_writes_reach_the_terminal_without_their_controls(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.services.rawserver import RawServer, respond

    answer = {"recipientDetails": [{"to": "919876543210", "messageId": "m-1\x1b[2J\rforged\tid"}]}
    with RawServer(respond("200 OK", json.dumps(answer).encode())) as server:
        account_at(server.url, monkeypatch)
        code, out, _ = run(capsys, "send", CARD, "--profile", "acme", "--recipient", "919876543210")
    assert code == 0
    assert "\x1b" not in out and "\r" not in out
    assert out.splitlines()[-1] == "919876543210\tm-1\\x1b[2J\\rforged\\tid"
