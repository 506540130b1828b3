"""Issue 20, item 2: plain http only to an address that is loopback, decided by ``ipaddress``."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from rcs_composer.cli import main
from rcs_composer.services.hosts import is_loopback
from rcs_composer.services.kaleyra import InsecureUrl, KaleyraClient
from rcs_composer.services.profiles import Profile
from rcs_composer.services.secrets import SANDBOX_KEY
from tests.services.rawserver import RawServer, respond

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD = str(FIXTURES / "seed000_standalone_card.json")
KEY = "loop-key-5e1d-UNIQUE"
SUCCESS = json.dumps({"recipientDetails": [{"to": "919876543210", "messageId": "m-1"}]}).encode()

HOSTILE = [
    "127.attacker.example",  # a name that only starts like a loopback address
    "127.0.0.1.nip.io",
    "localhost.evil.com",
    "localhost.",  # a trailing dot can send the name to DNS instead of the hosts file
    "0x7f.1",  # inet_aton reads these as 127.0.0.1; they are not literal addresses
    "127.1",
    "2130706433",
    "0177.0.0.1",
    "10.0.0.1",
    "[::ffff:10.0.0.1]",
]


def body() -> dict[str, Any]:
    return json.loads(Path(CARD).read_text())


@pytest.mark.parametrize("host", HOSTILE)
def test_plain_http_to_a_host_that_is_not_loopback_is_refused(
    host: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    connects: list[object] = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connects.append(a))
    url = f"http://{host}:8080"
    assert not is_loopback(url)
    with pytest.raises(InsecureUrl, match="plain http"):
        KaleyraClient(url, "S", KEY).send(body())
    problems = Profile(name="p", pod="custom", base_url=url, sid="S").problems()
    assert any("use https" in problem for problem in problems)
    code = main(["profile", "add", "p", "--pod", "custom", "--base-url", url, "--sid", "S"])
    assert code == 1
    assert "use https" in capsys.readouterr().err
    assert connects == []


def test_localhost_is_refused_when_it_does_not_resolve_to_loopback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo

    def hijacked(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "localhost":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.5", 8080))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hijacked)
    assert not is_loopback("http://localhost:8080")
    with pytest.raises(InsecureUrl):
        KaleyraClient("http://localhost:8080", "S", KEY)


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize(
    ("bind", "host"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.0.0.2", "127.0.0.2"),
        ("::1", "[::1]"),
        ("127.0.0.1", "localhost"),
    ],
)
def test_plain_http_to_a_real_loopback_server_is_allowed(bind: str, host: str) -> None:
    if ":" in bind and not ipv6_loopback():
        pytest.skip("no IPv6 loopback on this machine")
    if host == "localhost" and not any(
        info[4][0] == "127.0.0.1" for info in socket.getaddrinfo("localhost", 80)
    ):
        pytest.skip("localhost does not resolve to 127.0.0.1 here")
    with RawServer(respond("200 OK", SUCCESS), host=bind) as server:
        url = f"http://{host}:{server.port}"
        assert is_loopback(url)
        assert Profile(name="p", pod="custom", base_url=url, sid="S").problems() == []
        result = KaleyraClient(url, "S", SANDBOX_KEY, read_timeout=5).send(body())
    assert result.message_ids == {"919876543210": "m-1"}
    assert len(server.requests) == 1


def test_ipv4_mapped_loopback_literal_counts_as_loopback() -> None:
    assert is_loopback("http://[::ffff:127.0.0.1]:8080")
    assert not is_loopback("https://rcs-api.in.kaleyra.io")
    assert not is_loopback("not a url")
