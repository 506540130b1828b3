"""Issue 20, items 11, 12, 14: odd answers give one line, every call ends by its deadline."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rcs_composer.services.kaleyra import MAX_RESPONSE_BYTES, KaleyraClient
from rcs_composer.services.kaleyra_replies import (
    ApiError,
    BadResponse,
    KaleyraError,
    OutcomeUnknown,
    RateLimited,
)
from tests.services.rawserver import RawServer, respond

FIXTURES = Path(__file__).parent.parent / "fixtures"
KEY = "odd-key-92be-UNIQUE"


def body() -> dict[str, object]:
    return json.loads((FIXTURES / "seed000_standalone_card.json").read_text())


def client(url: str, **options: object) -> KaleyraClient:
    slept: list[float] = []
    api = KaleyraClient(
        url, "S", KEY, connect_timeout=1, read_timeout=3, sleep=slept.append, **options
    )  # type: ignore[arg-type]
    api.slept = slept  # type: ignore[attr-defined]
    return api


def with_headers(
    status: str, headers: str, payload: bytes = b"{}"
) -> Callable[[socket.socket, bytes], None]:
    def behaviour(connection: socket.socket, _request: bytes) -> None:
        connection.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: "
            f"{len(payload)}\r\n{headers}Connection: close\r\n\r\n".encode()
            + payload
        )
        connection.close()

    return behaviour


def one_line(error: KaleyraError) -> str:
    text = error.user_message()
    assert "\n" not in text and "Traceback" not in text and KEY not in text
    return text


@pytest.mark.parametrize(
    "value", ["nan", "inf", "-inf", "-5", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", ""]
)
def test_an_odd_retry_after_is_never_waited_on_as_given(value: str) -> None:
    behaviour = with_headers("429 Too Many Requests", f"Retry-After: {value}\r\n", b'{"code": 429}')
    with RawServer(behaviour) as server:
        api = client(server.url)
        with pytest.raises(RateLimited) as caught:
            api.get_template("x")
    assert all(0 <= wait <= 10 for wait in api.slept)  # type: ignore[attr-defined]
    assert "nan" not in one_line(caught.value) and "inf" not in one_line(caught.value)


def test_a_retry_after_date_in_the_future_is_seconds_from_now() -> None:
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    when = format_datetime(datetime.now(UTC) + timedelta(seconds=5), usegmt=True)
    behaviour = with_headers(
        "503 Service Unavailable", f"Retry-After: {when}\r\n", b'{"code": 503}'
    )
    with RawServer(behaviour) as server:
        api = client(server.url)
        with pytest.raises(RateLimited) as caught:
            api.get_template("x")
    assert api.slept and 2 <= api.slept[0] <= 6  # type: ignore[attr-defined]
    assert "HTTP 503" in one_line(caught.value) and "429" not in one_line(caught.value)


def test_deeply_nested_json_is_one_line() -> None:
    nested = b"[" * 200_000 + b"]" * 200_000
    with RawServer(respond("200 OK", nested)) as server:
        with pytest.raises(BadResponse) as caught:
            client(server.url).send(body())
    assert "nested too deeply" in one_line(caught.value)


def test_a_huge_answer_is_not_read_to_the_end() -> None:
    size = 600_000_000

    def flood(connection: socket.socket, _request: bytes) -> None:
        connection.sendall(
            f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n".encode()
        )
        chunk = b" " * 65536
        try:
            for _ in range(size // len(chunk)):
                connection.sendall(chunk)
        except OSError:
            pass  # the client hung up, as it should
        connection.close()

    with RawServer(flood) as server:
        started = time.monotonic()
        with pytest.raises(BadResponse) as caught:
            client(server.url).send(body())
    assert time.monotonic() - started < 10
    assert f"larger than {MAX_RESPONSE_BYTES // 1_000_000} MB" in one_line(caught.value)
    assert "delivery report" in one_line(caught.value)


def test_a_200_in_kaleyras_error_shape_shows_kaleyras_code_and_message() -> None:
    answer = {
        "code": 1417,
        "message": "Invalid number",
        "data": {"error": {"error_code": "INVALID_NUMBER", "error_message": "9 is not a number"}},
    }
    with RawServer(respond("200 OK", json.dumps(answer).encode())) as server:
        with pytest.raises(ApiError) as caught:
            client(server.url).send(body())
    text = one_line(caught.value)
    assert "1417" in text and "9 is not a number" in text


def test_a_redirect_is_named_and_not_followed() -> None:
    behaviour = with_headers(
        "302 Found", "Location: https://elsewhere.example/v1/S/rcs/messages\r\n"
    )
    with RawServer(behaviour) as server:
        with pytest.raises(BadResponse) as caught:
            client(server.url).send(body())
        assert len(server.requests) == 1
    text = one_line(caught.value)
    assert (
        "redirect (HTTP 302)" in text
        and "https://elsewhere.example" in text
        and "not followed" in text
    )


def drip(headers_too: bool) -> Callable[[socket.socket, bytes], None]:
    """A byte every 0.2 s, for ever (well, 60 s): a per-read timeout never fires."""

    def behaviour(connection: socket.socket, _request: bytes) -> None:
        head = (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
        )
        try:
            if not headers_too:
                connection.sendall(head)
                head = b" " * 1000
            for byte in head * 10:
                connection.sendall(bytes([byte]))
                threading.Event().wait(0.2)
        except OSError:
            pass
        connection.close()

    return behaviour


@pytest.mark.parametrize("headers_too", [True, False])
def test_a_dripping_server_ends_the_send_by_its_deadline(headers_too: bool) -> None:
    with RawServer(drip(headers_too)) as server:
        started = time.monotonic()
        with pytest.raises(OutcomeUnknown) as caught:
            client(server.url, deadline=1.5).send(body())
        took = time.monotonic() - started
        assert len(server.requests) == 1  # never resent
    assert took < 3, f"the call took {took:.1f} s"
    text = one_line(caught.value)
    assert "within 1.5 s" in text and "delivery report" in text


def test_a_template_call_past_its_deadline_does_not_talk_about_delivery() -> None:
    with RawServer(drip(True)) as server:
        with pytest.raises(OutcomeUnknown) as caught:
            client(server.url, deadline=1.0, template_retries=0).create_template(
                {"template_name": "x"}
            )
    text = one_line(caught.value)
    assert "delivery" not in text and "template" in text.lower()


def test_a_read_timeout_is_not_called_a_broken_connection() -> None:
    def silent(connection: socket.socket, _request: bytes) -> None:
        threading.Event().wait(3)
        connection.close()

    with RawServer(silent) as server:
        with pytest.raises(OutcomeUnknown) as caught:
            KaleyraClient(server.url, "S", KEY, connect_timeout=1, read_timeout=0.5).send(body())
    text = one_line(caught.value)
    assert "did not answer in time" in text and "broke" not in text
