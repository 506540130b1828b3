"""Issue 20, item 4: a plain-http (loopback) profile never goes through a proxy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rcs_composer.cli import main
from rcs_composer.services.kaleyra import KaleyraClient
from rcs_composer.services.sandbox import SandboxServer
from rcs_composer.services.secrets import SANDBOX_KEY
from tests.services.rawserver import RawServer, respond

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD = str(FIXTURES / "seed000_standalone_card.json")
KEY = "proxy-key-8a2f-UNIQUE"
SUCCESS = json.dumps({"recipientDetails": [{"to": "919876543210", "messageId": "m-1"}]}).encode()
PROXY_VARIABLES = ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[RawServer]:
    """A proxy on loopback that would answer every request itself (and record it)."""
    with RawServer(respond("200 OK", SUCCESS)) as server:
        for name in PROXY_VARIABLES:
            monkeypatch.setenv(name, server.url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        yield server


def test_the_client_talks_to_the_http_sandbox_directly(proxy: RawServer) -> None:
    with SandboxServer() as sandbox:
        result = KaleyraClient(sandbox.url, "S", SANDBOX_KEY, read_timeout=5).send(
            json.loads(Path(CARD).read_text())
        )
        assert sandbox.send_count == 1
    assert len(result.message_ids) == 2
    assert proxy.requests == []


def test_a_session_handed_in_does_not_take_the_proxy_either(proxy: RawServer) -> None:
    import requests

    session = requests.Session()
    session.proxies = {"http": proxy.url, "all": proxy.url}
    with RawServer(respond("200 OK", SUCCESS)) as server:
        api = KaleyraClient(server.url, "S", KEY, session=session, read_timeout=5)
        api.send(json.loads(Path(CARD).read_text()))
    assert len(server.requests) == 1
    assert proxy.requests == []


def test_cli_send_to_a_loopback_http_profile_never_reaches_the_proxy(
    proxy: RawServer, capsys: pytest.CaptureFixture[str], memory_keyring: object
) -> None:
    with RawServer(respond("200 OK", SUCCESS)) as server:
        args = ["profile", "add", "local", "--pod", "custom", "--base-url", server.url]
        assert main([*args, "--sid", "S1"]) == 0
        memory_keyring.secrets[("rcs-composer", "local")] = KEY  # type: ignore[attr-defined]
        code = main(["send", CARD, "--profile", "local", "--recipient", "919876543210"])
        assert main(["send", CARD, "--profile", "sandbox", "--recipient", "919876543210"]) == 0
    out, _ = capsys.readouterr()
    assert code == 0
    assert "919876543210\tm-1" in out
    assert len(server.requests) == 1
    assert KEY.encode() in server.requests[0]
    assert proxy.requests == []


def test_https_still_honours_the_proxy_settings() -> None:
    client = KaleyraClient("https://rcs-api.in.kaleyra.io", "S", KEY)
    assert client.session.trust_env
