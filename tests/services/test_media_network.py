"""Preview media over the standard library's client: TLS checked, hang-ups and resets named."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from rcs_composer.services.media import MediaError, fetch
from tests.services.rawserver import RawServer, half_response_then_reset, reset, respond


@pytest.fixture
def self_signed(tmp_path: Path) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed: cannot make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_a_self_signed_image_server_is_refused_as_a_tls_problem(
    self_signed: ssl.SSLContext,
) -> None:
    with RawServer(respond("200 OK", b"\x89PNG", "image/png"), tls=self_signed) as server:
        with pytest.raises(MediaError, match="TLS certificate problem"):
            fetch(server.url + "/a.png", deadline=10)
        assert server.requests == []  # refused at the handshake: no request was read


def test_a_reset_and_a_cut_answer_have_short_reasons() -> None:
    with RawServer(reset) as server:
        with pytest.raises(MediaError, match="could not connect"):
            fetch(server.url + "/a.png", deadline=10)
    with RawServer(half_response_then_reset) as server:
        with pytest.raises(MediaError) as caught:
            fetch(server.url + "/a.png", deadline=10)
        assert str(caught.value).startswith(("could not connect", "not an image"))


def test_an_error_status_is_named() -> None:
    with RawServer(respond("404 Not Found", b"gone", "text/plain")) as server:
        with pytest.raises(MediaError, match="HTTP 404") as caught:
            fetch(server.url + "/a.png", deadline=10)
        assert caught.value.info is not None
        assert caught.value.info.status == 404
