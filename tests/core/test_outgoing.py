"""The outgoing body and the copy-as-curl command."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.core.outgoing import curl_command, messages_url, prepare_send


def test_prepare_send_fills_envelope_and_variables() -> None:
    message = m.Message(content=m.TextContent("Hi {{name}}, code {{code}}"))
    sent = prepare_send(
        message, sender="rcs-dev", recipients=["919876543210"], values={"name": "Asha"}
    )
    assert codecs.export_message(sent) == {
        "from": "rcs-dev",
        "to": ["919876543210"],
        "text": "Hi Asha, code {{code}}",
    }


def test_curl_uses_the_environment_variable_and_never_a_key() -> None:
    body = {"from": "rcs-dev", "to": ["919876543210"], "text": 'It\'s a "quoted" 🎉 $HOME message'}
    command = curl_command(messages_url("https://rcs-api.in.kaleyra.io/", "SID1"), body)
    assert command.startswith("printf 'api-key: %s\\n' \"$KALEYRA_API_KEY\" |")
    assert "https://rcs-api.in.kaleyra.io/v1/SID1/rcs/messages" in command
    words = shlex.split(command.replace("\\\n", " "))
    data = words[words.index("--data-raw") + 1]
    assert json.loads(data) == body  # single quotes keep $HOME and quotes literal


FAKE_CURL = """#!/bin/sh
printf '%s\\n' "$@" > "$0.argv"
cat > "$0.stdin"
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash to run the command")
@pytest.mark.parametrize("shell", ["bash", "sh"])
def test_the_key_reaches_curl_on_its_input_never_in_its_arguments(
    shell: str, tmp_path: Path
) -> None:
    """Arguments are visible to every user in ps; curl reads the header from its stdin."""
    fake = tmp_path / "curl"
    fake.write_text(FAKE_CURL)
    fake.chmod(0o755)
    body = {"text": "a 'single' and \"double\" quote, $HOME"}
    command = curl_command("http://127.0.0.1:1/v1/s/rcs/messages", body)
    environment = {"KALEYRA_API_KEY": "KEY-in-the-env-42", "PATH": f"{tmp_path}:/usr/bin:/bin"}
    subprocess.run([shell, "-c", command], env=environment, check=True, timeout=30)
    arguments = (tmp_path / "curl.argv").read_text().splitlines()
    assert not any("KEY-in-the-env-42" in argument for argument in arguments)
    assert arguments[arguments.index("@-") - 1] == "--header"
    assert (tmp_path / "curl.stdin").read_text() == "api-key: KEY-in-the-env-42\n"
    assert json.loads("\n".join(arguments[arguments.index("--data-raw") + 1 :])) == body


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_copied_command_sends_the_key_and_the_body_with_a_real_curl(tmp_path: Path) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[tuple[str | None, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append((self.headers["api-key"], self.rfile.read(length)))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        body = {"from": "rcs-dev", "to": ["919876543210"], "text": "Hi 🎉"}
        url = f"http://127.0.0.1:{server.server_address[1]}/v1/S1/rcs/messages"
        environment = {**os.environ, "KALEYRA_API_KEY": "KEY-for-curl-7"}
        subprocess.run(
            ["sh", "-c", curl_command(url, body) + " --silent --fail"],
            env=environment,
            check=True,
            timeout=30,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert [(key, json.loads(data)) for key, data in received] == [("KEY-for-curl-7", body)]


def test_every_api_path_is_spelled_in_one_place() -> None:
    from rcs_composer.core.outgoing import messages_path, template_history_path, templates_path

    assert messages_path("SID1") == "/v1/SID1/rcs/messages"
    assert templates_path("SID1") == "/v1/SID1/rcs/template"
    assert templates_path("SID1", "t/1 x") == "/v1/SID1/rcs/template/t%2F1%20x"  # one segment
    assert template_history_path("SID1", "t1") == "/v1/SID1/rcs/template_history/t1"
    assert messages_url("https://host/", "S 1") == "https://host/v1/S%201/rcs/messages"
