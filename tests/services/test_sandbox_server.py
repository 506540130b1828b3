"""Issue 20, items 15-17: the sandbox answers anything in JSON, holds a crowd, guards its knobs."""

from __future__ import annotations

import concurrent.futures
import json
import socket
from pathlib import Path

import pytest
import requests

from rcs_composer.services.sandbox import SandboxServer
from rcs_composer.services.sandbox_http import MAX_BODY_BYTES
from rcs_composer.services.secrets import SANDBOX_KEY

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def sandbox() -> SandboxServer:
    with SandboxServer() as server:
        yield server  # type: ignore[misc]


def exchange(
    server: SandboxServer, raw: bytes, timeout: float = 5.0
) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read one whole answer: its status, headers and body."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])
        }
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            body += chunk
    assert lines[0].startswith("HTTP/1."), f"no HTTP answer: {data[:80]!r}"
    return int(lines[0].split()[1]), headers, body


def request(method: str, path: str, body: bytes = b"", extra: str = "") -> bytes:
    return (
        f"{method} {path} HTTP/1.1\r\nHost: x\r\napi-key: {SANDBOX_KEY}\r\n{extra}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


def assert_json_error(status: int, headers: dict[str, str], body: bytes, expected: int) -> dict:
    assert status == expected
    assert headers.get("content-type") == "application/json"
    return json.loads(body)


@pytest.mark.parametrize(
    "fixture", ["seed003_template_card_variables.json", "seed003_template_text.json"]
)
def test_a_template_body_posted_to_messages_is_a_json_400(
    sandbox: SandboxServer, fixture: str
) -> None:
    body = (FIXTURES / fixture).read_bytes()
    answer = assert_json_error(*exchange(sandbox, request("POST", "/v1/S/rcs/messages", body)), 400)
    assert answer["code"] == 1400 and "template" in answer["message"]


def test_a_draft_posted_to_messages_is_a_json_400(sandbox: SandboxServer) -> None:
    draft = (
        Path(__file__).parent.parent.parent / "resources" / "samples" / "standalone_card.json"
    ).read_bytes()
    answer = assert_json_error(
        *exchange(sandbox, request("POST", "/v1/S/rcs/messages", draft)), 400
    )
    assert "draft" in answer["message"]


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"POST /v1/S/rcs/messages HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400),
        (b"POST /v1/S/rcs/messages HTTP/1.1\r\nHost: x\r\nContent-Length: -4\r\n\r\n", 400),
        (
            f"POST /v1/S/rcs/messages HTTP/1.1\r\nHost: x\r\nContent-Length: {MAX_BODY_BYTES + 1}\r\n\r\n".encode(),
            413,
        ),
        (
            b"POST /v1/S/rcs/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            411,
        ),
        (b"OPTIONS /v1/S/rcs/messages HTTP/1.1\r\nHost: x\r\n\r\n", 405),
        (b"BREW /v1/S/rcs/messages HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        (b"this is not http\r\n\r\n", 400),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
)
def test_malformed_requests_get_a_json_error_never_html(
    sandbox: SandboxServer, raw: bytes, status: int
) -> None:
    answer = assert_json_error(*exchange(sandbox, raw), status)
    assert answer["message"]


def test_head_is_refused_without_a_body(sandbox: SandboxServer) -> None:
    status, headers, body = exchange(
        sandbox, b"HEAD /v1/S/rcs/messages HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    assert status == 405 and headers["content-type"] == "application/json" and body == b""


def test_an_unexpected_handler_error_is_a_json_500(
    sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_body: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(sandbox, "handle_send", broken)
    body = (FIXTURES / "seed000_standalone_card.json").read_bytes()
    answer = assert_json_error(*exchange(sandbox, request("POST", "/v1/S/rcs/messages", body)), 500)
    assert "boom" not in answer["message"]


def test_three_hundred_parallel_requests_are_all_answered(sandbox: SandboxServer) -> None:
    url = f"{sandbox.url}/v1/S/rcs/template/none"

    def one(_index: int) -> int:
        return requests.get(url, headers={"api-key": SANDBOX_KEY}, timeout=30).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=300) as pool:
        statuses = list(pool.map(one, range(300)))
    assert len(statuses) == 300 and set(statuses) == {404}


def test_replies_go_out_without_nagle_and_idle_connections_are_closed() -> None:
    from rcs_composer.services.sandbox_http import IDLE_TIMEOUT_S, handler_for

    with SandboxServer() as server:
        handler = handler_for(server)
        assert handler.disable_nagle_algorithm is True
        assert handler.timeout == IDLE_TIMEOUT_S
        assert server._httpd.request_queue_size >= 128


def test_an_idle_connection_is_closed_by_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    import rcs_composer.services.sandbox_http as http_side

    monkeypatch.setattr(http_side, "IDLE_TIMEOUT_S", 0.5)
    with SandboxServer() as server:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as connection:
            connection.sendall(
                b"POST /v1/S/rcs/messages HTTP/1.1\r\nHost: x\r\n"
            )  # and then nothing
            assert connection.recv(100) == b""  # the server hung up rather than wait for ever


def test_fault_injection_is_not_part_of_the_sandbox_users_run(sandbox: SandboxServer) -> None:
    knobs = json.dumps({"status": 500}).encode()
    answer = assert_json_error(*exchange(sandbox, request("POST", "/sandbox/faults", knobs)), 404)
    assert "no such sandbox endpoint" in answer["message"]
    assert not hasattr(sandbox, "set_faults")  # it lives in tests/support/faulty_sandbox.py
    body = (FIXTURES / "seed000_standalone_card.json").read_bytes()
    status, _, _ = exchange(sandbox, request("POST", "/v1/S/rcs/messages", body))
    assert status == 200  # and the next send is handled normally
