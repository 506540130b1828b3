"""A stand-in Kaleyra on loopback for template calls, answering each method as a test says."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from rcs_composer.app.services import Services
from rcs_composer.core.issues import Region
from rcs_composer.services.profiles import Profile
from rcs_composer.services.template_register import RegisteredTemplate

# An answer: (status, headers, body), or "drop" (the connection is shut without a word after
# the request arrived), or "hang" (nothing is said until the server stops).
Answer = tuple[int, dict[str, str], bytes] | str
Behaviour = Callable[[str, bytes], Answer]
KEY = "hostile-templates-key-5d1e-UNIQUE"


class Call:
    def __init__(self, method: str, path: str, body: bytes) -> None:
        self.method, self.path, self.body = method, path, body

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: TemplateServer

    def log_message(self, *_args: Any) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server = self.server
        with server.lock:
            server.calls.append(Call(self.command, self.path, body))
        behaviour = server.behaviours.get(self.command) or server.behaviours.get("*")
        answer: Answer = behaviour(self.path, body) if behaviour else (500, {}, b'{"code": "none"}')
        if answer == "hang":
            server.stopping.wait(60)
            self.close_connection = True
            return
        if answer == "drop":
            self.close_connection = True
            with suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        assert not isinstance(answer, str)
        status, headers, data = answer
        self.send_response(status)
        headers = {"Content-Type": "application/json", **headers}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 (the handler's names)


class TemplateServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.behaviours: dict[str, Behaviour] = {}
        self.calls: list[Call] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def made(self, method: str, containing: str = "") -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method and containing in c.path]


@contextmanager
def template_server() -> Iterator[TemplateServer]:
    server = TemplateServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


def answer(status: int, value: Any, **headers: str) -> Answer:
    return status, dict(headers), json.dumps(value).encode()


def template(template_id: str, name: str = "promo", status: str = "CREATED", **extra: Any) -> Any:
    """Kaleyra's answer to a template GET (or create, or update)."""
    data = {
        "template_id": template_id,
        "template_number": "MM1",
        "template_name": name,
        "template_type": "1",
        "agent_number": "A1",
        "text": "hello {{name}}",
        "status": status,
        **extra,
    }
    return {"code": "RCS1101", "message": "ok", "data": data}


def account_profile(url: str, name: str = "acct") -> Profile:
    return Profile(
        name=name,
        pod="custom",
        base_url=url,
        sid="SID1",
        sender="snd",
        agent_number="A1",
        region=Region.IN,
    )


# Fixtures for the tests of templates against this stand-in (registered by tests/conftest.py):
# ``server`` running, ``services`` of their own, and ``profile``, an account on the server
# with its key stored. A test module may define its own of any of these names instead.


@pytest.fixture
def server() -> Iterator[TemplateServer]:
    with template_server() as running:
        yield running


@pytest.fixture
def services() -> Services:
    return Services()


@pytest.fixture
def profile(services: Services, server: TemplateServer) -> Profile:
    made = account_profile(server.url)
    services.profiles.save(made)
    services.keys.set(made.name, KEY)
    return made


def recorded(services: Services, profile: Profile, count: int, **fields: Any) -> None:
    """``count`` templates in the profile's register, ``id0``, ``id1``..., named ``n0``..."""
    for n in range(count):
        entry = RegisteredTemplate(**{"template_id": f"id{n}", "name": f"n{n}", **fields})
        services.template_register.record(profile.name, entry)
