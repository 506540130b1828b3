"""No server's words and no hand-edited file's name reach the terminal with their control
characters: an escape sequence, a carriage return or a bell is shown as ``\\x1b``, ``\\r``,
``\\x07``, so it can neither clear the screen nor overwrite a line, nor forge a row of a list."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rcs_composer.cli import main

CARD = str(Path(__file__).parent.parent / "fixtures" / "seed000_standalone_card.json")
HOSTILE = "Request invalid: \x1b[2J\x1b[31mPWNED"
REASON = "\x1b[2Jbad\rOK sent \x1b]0;title\x07 \x9b2J\x7f"
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\n\t"]


class Hostile(BaseHTTPRequestHandler):
    """Kaleyra's 400 answer, its words full of terminal escapes."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        error = {"error_code": "X", "error_message": REASON}
        body = json.dumps({"code": 1400, "message": HOSTILE, "data": {"error": error}}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def hostile_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_servers_escape_sequences_in_a_send_error_are_shown_not_obeyed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, hostile_url: str
) -> None:
    added = run(capsys, "profile", "add", "ansi", "--pod", "custom", "--base-url", hostile_url,
                "--sid", "S1", "--sender", "acme")  # fmt: skip
    assert added[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("ansi-key-0123456789abcdef\n"))
    assert run(capsys, "profile", "set-key", "ansi")[0] == 0

    code, out, err = run(capsys, "send", CARD, "--profile", "ansi", "--recipient", "919876543210")

    assert code == 1
    assert out == ""
    assert not [c for c in CONTROLS if c in err], f"a control character reached stderr: {err!r}"
    assert err.startswith("rcs-composer: ")
    # the user still reads what the server said, with each control character visible
    assert "\\x1b[2Jbad\\rOK sent \\x1b]0;title\\x07 \\x9b2J\\x7f" in err


def test_a_command_error_keeps_its_own_line_breaks_and_plain_text(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rcs_composer.cli.output import error

    error("line one\n\tindented, C:\\drafts\\é 😀 \x1b[2J\r\x00")
    assert capsys.readouterr().err == (
        "rcs-composer: line one\n\tindented, C:\\drafts\\é 😀 \\x1b[2J\\r\\x00\n"
    )


def test_profile_list_cannot_be_forged_by_a_name_in_the_file(
    capsys: pytest.CaptureFixture[str], isolated_dirs: Path
) -> None:
    forged = "\x1b[2Jevil\nsandbox\tcustom\tIN\tfake\r"
    profiles = [
        {"name": forged, "pod": "IN", "sid": "S1", "sender": "acme\x07\t-", "region": "IN"},
        {"name": "acme", "pod": "IN", "sid": "S2", "sender": "acme-rcs", "region": "IN"},
    ]
    (isolated_dirs / "config" / "profiles.json").write_text(
        json.dumps({"version": 1, "profiles": profiles}), encoding="utf-8"
    )

    code, out, err = run(capsys, "profile", "list")

    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 3, lines  # the sandbox and the two profiles: one line each
    assert [line.split("\t")[0] for line in lines].count("sandbox") == 1
    assert all(line.count("\t") == 4 for line in lines), "five columns on every row"
    assert not [c for c in CONTROLS if c in out]
    assert (
        "\\x1b[2Jevil\\nsandbox\\tcustom\\tIN\\tfake\\r\tIN\tIN\tacme\\x07\\t-\t"
        "https://rcs-api.in.kaleyra.io"
    ) in lines
    assert "acme\tIN\tIN\tacme-rcs\thttps://rcs-api.in.kaleyra.io" in lines
