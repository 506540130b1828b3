"""Test connection: one harmless request over loopback says "key accepted" or exactly what
failed, and never shows the key."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from rcs_composer.app.connection import Verdict, check_connection
from rcs_composer.app.services import Services
from rcs_composer.cli import main
from rcs_composer.services.profiles import Profile
from rcs_composer.services.sandbox import SandboxServer

KEY = "conn-key-7d2a9-UNIQUE-planted"
WRONG = "conn-wrong-41b8e-UNIQUE"


@pytest.fixture
def services() -> Iterator[Services]:
    made = Services()
    yield made
    made.stop_sandbox()


@pytest.fixture
def account() -> Iterator[SandboxServer]:
    """A stand-in for a real pod: the sandbox with an account key of its own."""
    with SandboxServer(api_key=KEY) as server:
        yield server


def real(url: str, name: str = "acme") -> Profile:
    return Profile(name=name, pod="custom", base_url=url, sid="HXAP16", sender="acme-rcs")


def test_the_built_in_sandbox_accepts_its_key(services: Services) -> None:
    check = check_connection(services, services.profiles.get("sandbox"))
    assert check.verdict is Verdict.ACCEPTED
    assert check.message.startswith("Key accepted by the built-in sandbox")
    assert "HTTP 404" in check.details  # the test id does not exist: nothing was created
    sandbox = services.sandbox
    assert sandbox is not None and sandbox.send_count == 0 and not sandbox.templates


def test_a_stored_key_is_accepted_and_a_wrong_one_refused_with_401(
    services: Services, account: SandboxServer
) -> None:
    services.keys.set("acme", KEY)
    accepted = check_connection(services, real(account.url))
    assert accepted.ok, accepted.message
    refused = check_connection(services, real(account.url), WRONG)
    assert refused.verdict is Verdict.KEY_REFUSED
    assert "HTTP 401" in refused.message and "SID (HXAP16)" in refused.message
    assert account.send_count == 0
    for text in (accepted.message, accepted.details, refused.message, refused.details):
        assert KEY not in text and WRONG not in text


def test_the_sandbox_refuses_a_bad_key_with_401_as_kaleyra_does(account: SandboxServer) -> None:
    """K:rcs-error-codes: 401 "missing or contains an invalid authorization header", 403
    "Unauthorised Access to Resources"; a wrong or missing api-key is the first."""
    import requests

    answer = requests.get(
        f"{account.url}/v1/S1/rcs/template/x", headers={"api-key": WRONG}, timeout=5
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["error_code"] == "UNAUTHORIZED"
    missing = requests.get(f"{account.url}/v1/S1/rcs/template/x", timeout=5)
    assert missing.status_code == 401


def test_no_key_stored_says_so(services: Services, account: SandboxServer) -> None:
    check = check_connection(services, real(account.url))
    assert check.verdict is Verdict.NO_KEY
    assert "No API key is stored" in check.message


def test_a_wrong_base_url_path_is_told_from_a_refused_key(
    services: Services, account: SandboxServer
) -> None:
    check = check_connection(services, real(account.url + "/api"), KEY)
    assert check.verdict is Verdict.WRONG_ADDRESS
    assert "not as Kaleyra's RCS API" in check.message


def test_nothing_listening_dns_and_tls(services: Services, account: SandboxServer) -> None:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    closed = check_connection(services, real(f"http://127.0.0.1:{port}"), KEY)
    assert closed.verdict is Verdict.WRONG_ADDRESS
    assert "refused the connection" in closed.message
    dns = check_connection(services, real("https://rcs-composer-test.invalid"), KEY)
    assert dns.verdict is Verdict.DNS
    assert "rcs-composer-test.invalid could not be found" in dns.message
    tls = check_connection(services, real(account.url.replace("http:", "https:")), KEY)
    assert tls.verdict is Verdict.TLS  # plain http where TLS was expected
    assert "secure connection" in tls.message


def test_plain_http_to_another_host_is_refused_before_any_request(services: Services) -> None:
    check = check_connection(services, real("http://rcs-composer-test.invalid"), KEY)
    assert check.verdict is Verdict.WRONG_ADDRESS
    assert "unencrypted" in check.message


def test_a_server_that_never_answers_is_a_timeout(services: Services) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # the kernel completes the handshake; nobody ever answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        check = check_connection(services, real(url), KEY, timeout=0.5)
    assert check.verdict is Verdict.TIMEOUT
    assert check.message.startswith("127.0.0.1 ")  # "did not answer in time" (or the deadline)


def test_cli_profile_test(
    capsys: pytest.CaptureFixture[str], account: SandboxServer, isolated_dirs: Path
) -> None:
    argv = ["profile", "add", "acme", "--pod", "custom", "--base-url", account.url, "--sid", "S1"]
    assert main(argv) == 0
    capsys.readouterr()
    assert main(["profile", "test", "acme"]) == 1
    out, err = capsys.readouterr()
    assert "No API key is stored" in out and "no key" in err
    Services().keys.set("acme", WRONG)
    assert main(["profile", "test", "acme"]) == 1
    out, err = capsys.readouterr()
    assert "Key refused" in out and "key refused" in err
    Services().keys.set("acme", KEY)
    assert main(["profile", "test", "acme", "--details"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("acme: Key accepted")
    assert "GET http://127.0.0.1:" in out and "TEMPLATE_NOT_FOUND" in out
    assert main(["profile", "test", "sandbox"]) == 0
    out, err = capsys.readouterr()
    assert "built-in sandbox" in out
    for path in isolated_dirs.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(errors="replace"), path
    assert KEY not in out + err
    assert main(["profile", "test", "nobody"]) == 1
    assert "no profile named 'nobody'" in capsys.readouterr().err


def test_a_profile_without_a_sid_is_told_so_before_any_request(services: Services) -> None:
    profile = Profile(name="acme", pod="custom", base_url="http://127.0.0.1:9", sid="")
    check = check_connection(services, profile, KEY)
    assert check.verdict is Verdict.NO_SID
    assert "no SID" in check.message
