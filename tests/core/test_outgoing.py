"""The outgoing body and the copy-as-curl command."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess

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
    assert '"api-key: $KALEYRA_API_KEY"' in command
    assert "https://rcs-api.in.kaleyra.io/v1/SID1/rcs/messages" in command
    words = shlex.split(command.replace("\\\n", " "))
    data = words[words.index("--data-raw") + 1]
    assert json.loads(data) == body  # single quotes keep $HOME and quotes literal


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash to parse the command")
def test_curl_command_parses_in_a_real_shell() -> None:
    body = {"text": "a 'single' and \"double\" quote"}
    command = curl_command("http://127.0.0.1:1/v1/s/rcs/messages", body).replace(
        "curl ", "printf '%s\\n' ", 1
    )
    result = subprocess.run(
        ["bash", "-c", command],
        capture_output=True,
        text=True,
        env={"KALEYRA_API_KEY": "k"},
        check=True,
    )
    lines = result.stdout.splitlines()
    assert "api-key: k" in lines
    assert json.loads("\n".join(lines[lines.index("--data-raw") + 1 :])) == body


def test_every_api_path_is_spelled_in_one_place() -> None:
    from rcs_composer.core.outgoing import messages_path, template_history_path, templates_path

    assert messages_path("SID1") == "/v1/SID1/rcs/messages"
    assert templates_path("SID1") == "/v1/SID1/rcs/template"
    assert templates_path("SID1", "t/1 x") == "/v1/SID1/rcs/template/t%2F1%20x"  # one segment
    assert template_history_path("SID1", "t1") == "/v1/SID1/rcs/template_history/t1"
    assert messages_url("https://host/", "S 1") == "https://host/v1/S%201/rcs/messages"
