"""A raw socket server on loopback for failures an HTTP library cannot stage: resets, silence, TLS."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Callable
from types import TracebackType

Behaviour = Callable[[socket.socket, bytes], None]


def read_request(connection: socket.socket) -> bytes:
    """Read one whole HTTP request (headers and Content-Length body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def reset(connection: socket.socket, _request: bytes) -> None:
    """Close with RST after the request arrived: the client cannot know what happened."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    connection.close()


def half_response_then_reset(connection: socket.socket, _request: bytes) -> None:
    connection.sendall(
        b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"recip'
    )
    reset(connection, _request)


def silent(seconds: float) -> Behaviour:
    def behaviour(connection: socket.socket, _request: bytes) -> None:
        threading.Event().wait(seconds)
        connection.close()

    return behaviour


def respond(status: str, body: bytes, content_type: str = "application/json") -> Behaviour:
    def behaviour(connection: socket.socket, _request: bytes) -> None:
        head = (
            f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        )
        connection.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)
        connection.close()

    return behaviour


class RawServer:
    """Accepts connections on ``host`` (127.0.0.1 by default) and applies ``behaviour`` to each request; counts them."""

    def __init__(
        self, behaviour: Behaviour, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.behaviour = behaviour
        self.tls = tls
        self.host = host
        self.requests: list[bytes] = []
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.listener = socket.create_server((host, 0), family=family)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection: socket.socket) -> None:
        try:
            if self.tls is not None:
                connection = self.tls.wrap_socket(connection, server_side=True)
            request = read_request(connection)
            if request:
                self.requests.append(request)
                self.behaviour(connection, request)
        except (OSError, ssl.SSLError):
            connection.close()

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self.listener.close()
