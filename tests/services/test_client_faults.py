"""Network faults: each gets a clear message, and nothing is ever sent twice."""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from rcs_composer.services.kaleyra import KaleyraClient
from rcs_composer.services.kaleyra_replies import (
    BadResponse,
    ConnectFailed,
    DnsFailed,
    KaleyraError,
    OutcomeUnknown,
    TlsFailed,
)
from rcs_composer.services.secrets import SANDBOX_KEY
from tests.services.rawserver import RawServer, half_response_then_reset, reset, respond, silent
from tests.support.faulty_sandbox import Faults
from tests.support.faulty_sandbox import FaultySandbox as SandboxServer

FIXTURES = Path(__file__).parent.parent / "fixtures"
KEY = "fault-key-31c9-UNIQUE"


def body() -> dict[str, object]:
    return json.loads((FIXTURES / "seed000_standalone_card.json").read_text())


def fast_client(url: str, key: str = KEY, **options: object) -> KaleyraClient:
    return KaleyraClient(
        url, "S", key, connect_timeout=1, read_timeout=0.5, sleep=lambda _s: None, **options
    )  # type: ignore[arg-type]


def assert_clean(error: KaleyraError) -> None:
    for text in (str(error), repr(error), error.details()):
        assert KEY not in text
    assert "Traceback" not in error.user_message()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_refused_says_nothing_was_sent() -> None:
    with pytest.raises(ConnectFailed) as caught:
        fast_client(f"http://127.0.0.1:{free_port()}").send(body())
    assert "Nothing was sent" in caught.value.user_message()
    assert not caught.value.may_have_been_sent
    assert_clean(caught.value)


def test_dns_failure_says_nothing_was_sent() -> None:
    with pytest.raises(DnsFailed) as caught:
        fast_client("https://rcs-api.nonexistent.invalid").send(body())
    assert "DNS" in caught.value.user_message()
    assert_clean(caught.value)


def test_read_timeout_after_the_request_arrived_is_sent_exactly_once() -> None:
    with SandboxServer() as server:
        server.set_faults(Faults(latency=1.5, remaining=1))
        with pytest.raises(OutcomeUnknown) as caught:
            fast_client(server.url, SANDBOX_KEY).send(body())
        assert caught.value.may_have_been_sent
        assert "may have been sent" in caught.value.user_message()
        assert server.send_count == 1
        assert len(server.messages) == 2  # the sandbox did accept it, for both recipients


def test_dropped_connection_after_handling_is_outcome_unknown_once() -> None:
    with SandboxServer() as server:
        server.set_faults(Faults(drop=True, remaining=1))
        with pytest.raises(OutcomeUnknown):
            fast_client(server.url, SANDBOX_KEY).send(body())
        assert server.send_count == 1


@pytest.mark.parametrize(
    "behaviour", [reset, half_response_then_reset], ids=["reset", "reset-mid-response"]
)
def test_reset_after_sending_is_outcome_unknown_and_not_resent(behaviour: object) -> None:
    with RawServer(behaviour) as server:  # type: ignore[arg-type]
        with pytest.raises((OutcomeUnknown, BadResponse)) as caught:
            fast_client(server.url).send(body())
        assert caught.value.may_have_been_sent or isinstance(caught.value, BadResponse)
        assert len(server.requests) == 1
        assert_clean(caught.value)


def test_silence_is_a_read_timeout_and_not_resent() -> None:
    with RawServer(silent(2.0)) as server:
        with pytest.raises(OutcomeUnknown):
            fast_client(server.url).send(body())
        assert len(server.requests) == 1


def test_empty_200_and_html_from_a_raw_proxy() -> None:
    with RawServer(respond("200 OK", b"")) as server:
        with pytest.raises(BadResponse, match="empty body"):
            fast_client(server.url).send(body())
    with RawServer(respond("502 Bad Gateway", b"<html>bad gateway</html>", "text/html")) as server:
        with pytest.raises(BadResponse, match="not Kaleyra's JSON"):
            fast_client(server.url).send(body())


@pytest.fixture
def self_signed(tmp_path: Path) -> Iterator[ssl.SSLContext]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",  # a test that trusts it verifies the address too
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_self_signed_tls_is_refused_and_nothing_is_sent(self_signed: ssl.SSLContext) -> None:
    with RawServer(respond("200 OK", b'{"recipientDetails": []}'), tls=self_signed) as server:
        with pytest.raises(TlsFailed) as caught:
            fast_client(server.url).send(body())
        assert "Nothing was sent" in caught.value.user_message()
        assert server.requests == []  # the handshake failed before any request was read


def test_a_tls_stream_broken_after_the_request_is_outcome_unknown_and_not_resent(
    self_signed: ssl.SSLContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy or middlebox that breaks the TLS stream while the answer comes: the request was
    read in full, so it is no 'Nothing was sent', and it is not sent again on its own."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "cert.pem"))  # trusted this time

    def garbage_after_request(connection: socket.socket, _request: bytes) -> None:
        socket.socket.sendall(connection, b"HTTP/1.1 200 OK\r\n\r\n")  # not a TLS record
        connection.close()

    with RawServer(garbage_after_request, tls=self_signed) as server:
        with pytest.raises(OutcomeUnknown) as caught:
            fast_client(server.url).send(body())
        assert "may have been sent" in caught.value.user_message()
        assert len(server.requests) == 1
        assert_clean(caught.value)


def test_certainly_unsent_failures_are_retried_a_bounded_number_of_times() -> None:
    import requests

    session = requests.Session()
    calls: list[str] = []
    original = session.request

    def counting(method: str, url: str, **kwargs: object) -> requests.Response:
        calls.append(method)
        return original(method, url, **kwargs)  # type: ignore[arg-type]

    session.request = counting  # type: ignore[method-assign]
    url = f"http://127.0.0.1:{free_port()}"
    api = KaleyraClient(
        url, "S", KEY, session=session, connect_timeout=1, send_retries=1, template_retries=2
    )
    with pytest.raises(ConnectFailed):
        api.get_template("abc")
    assert calls == ["GET"] * 3
    calls.clear()
    with pytest.raises(ConnectFailed):
        api.send(body())
    assert calls == ["POST"] * 2
