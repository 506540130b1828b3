"""The sandbox refuses a body nested past reading, or not in UTF-8 (UTF-16, UTF-32, Latin-1),
as Kaleyra refuses malformed JSON: a 400 in Kaleyra's shape, never a 500 and a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from rcs_composer.services.sandbox import SandboxServer
from rcs_composer.services.secrets import SANDBOX_KEY

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD = (FIXTURES / "seed000_standalone_card.json").read_text(encoding="utf-8")
TEMPLATE = (FIXTURES / "seed003_template_text.json").read_text(encoding="utf-8")

DEEP = {
    "arrays": b"[" * 100_000,
    "objects": b'{"a":' * 100_000,
    "closed arrays": b"[" * 50_000 + b"]" * 50_000,
}


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


def post(server: SandboxServer, path: str, body: bytes, method: str = "POST") -> requests.Response:
    headers = {"api-key": SANDBOX_KEY, "Content-Type": "application/json"}
    return requests.request(method, server.url + path, data=body, headers=headers, timeout=30)


def not_utf8(text: str) -> dict[str, bytes]:
    return {
        "UTF-16 with its mark": text.encode("utf-16"),
        "UTF-16 big-endian, no mark": text.encode("utf-16-be"),
        "UTF-16 little-endian, no mark": text.encode("utf-16-le"),
        "UTF-32": text.encode("utf-32"),
        "Latin-1": text.replace("}", ', "x": "café"}', 1).encode("latin-1"),
    }


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_a_nesting_bomb_sent_as_a_message_is_kaleyras_invalid_request(
    sandbox: SandboxServer, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    with caplog.at_level(logging.ERROR, "rcs_composer.sandbox"):
        answer = post(sandbox, "/v1/S/rcs/messages", DEEP[kind])
    assert answer.status_code == 400
    said = answer.json()
    assert said["code"] == 1400
    assert said["message"].startswith("Request invalid: malformed JSON")
    assert said["data"]["error"]["error_code"] == "INVALID_REQUEST"
    assert "sandbox handler failed" not in caplog.text


@pytest.mark.parametrize(("path", "method"), [("/v1/S/rcs/template", "POST"),
                                              ("/v1/S/rcs/template/any", "PUT")])  # fmt: skip
@pytest.mark.parametrize("kind", sorted(DEEP))
def test_a_nesting_bomb_sent_as_a_template_is_an_invalid_json_payload(
    sandbox: SandboxServer, path: str, method: str, kind: str
) -> None:
    answer = post(sandbox, path, DEEP[kind], method)
    assert answer.status_code == 400
    said = answer.json()
    assert said["code"] == "RCS701"
    assert said["error"]["error_code"] == "INVALID_JSON_PAYLOAD"


@pytest.mark.parametrize("encoding", sorted(not_utf8(CARD)))
def test_a_message_not_in_utf8_is_refused_as_an_invalid_request(
    sandbox: SandboxServer, encoding: str
) -> None:
    sends = sandbox.send_count
    answer = post(sandbox, "/v1/S/rcs/messages", not_utf8(CARD)[encoding])
    assert answer.status_code == 400, answer.text
    said = answer.json()
    assert said["code"] == 1400
    assert "not UTF-8" in said["message"]
    assert said["data"]["error"]["error_code"] == "INVALID_REQUEST"
    assert "recipientDetails" not in said
    assert sandbox.send_count == sends + 1  # counted as a send that was tried, and refused


@pytest.mark.parametrize("encoding", sorted(not_utf8(TEMPLATE)))
def test_a_template_not_in_utf8_is_refused_as_an_invalid_json_payload(
    sandbox: SandboxServer, encoding: str
) -> None:
    answer = post(sandbox, "/v1/S/rcs/template", not_utf8(TEMPLATE)[encoding])
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "RCS701"


def test_utf8_bodies_still_go_with_or_without_a_byte_order_mark() -> None:
    with SandboxServer() as sandbox:  # its own: no template of that name is there yet
        for body in (CARD.encode("utf-8"), b"\xef\xbb\xbf" + CARD.encode("utf-8")):
            answer = post(sandbox, "/v1/S/rcs/messages", body)
            assert answer.status_code == 200, answer.text
            assert answer.json()["recipientDetails"]
        created = post(sandbox, "/v1/S/rcs/template", TEMPLATE.encode("utf-8"))
        assert created.status_code == 200, created.text
