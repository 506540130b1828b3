"""A hostile fake Kaleyra on loopback: its error answers echo the request's headers, key included."""

from __future__ import annotations

import html
import json
import socket
from urllib.parse import quote, quote_plus

from tests.services.rawserver import Behaviour

# A key with characters that change under URL encoding and HTML escaping, so that every
# encoded form of it differs from the plain one.
ECHO_KEY = "sk+Echo/7f3a=&UNIQUE-9c41=="
ENCODED_FORMS = (quote(ECHO_KEY, safe=""), quote_plus(ECHO_KEY), html.escape(ECHO_KEY))


def request_headers(request: bytes) -> list[tuple[str, str]]:
    head = request.partition(b"\r\n\r\n")[0].decode("latin-1")
    pairs = []
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        pairs.append((name.strip(), value.strip()))
    return pairs


def header_text(request: bytes) -> str:
    return "\n".join(f"{name}: {value}" for name, value in request_headers(request))


def api_key_of(request: bytes) -> str:
    return next((v for n, v in request_headers(request) if n.lower() == "api-key"), "")


def _send(
    connection: socket.socket,
    status: str,
    body: bytes,
    content_type: str,
    extra: list[tuple[str, str]] | None = None,
) -> None:
    lines = [
        f"HTTP/1.1 {status}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in extra or []),
    ]
    connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
    connection.close()


def echo_in_kaleyra_json(connection: socket.socket, request: bytes) -> None:
    """A 400 in Kaleyra's error shape whose ``message`` and ``error_message`` echo the headers."""
    key = api_key_of(request)
    answer = {
        "code": 1400,
        "message": f"Request invalid: header api-key {key} is not allowed here",
        "data": {
            "error": {
                "error_code": "E1400",
                "error_message": f"headers were:\n{header_text(request)}",
            }
        },
    }
    _send(connection, "400 Bad Request", json.dumps(answer).encode(), "application/json")


def echo_in_json_error_body(connection: socket.socket, request: bytes) -> None:
    """A 403 from a proxy with its own JSON: the headers as an object, no Kaleyra fields."""
    answer = {"proxy": "edge-7", "denied": dict(request_headers(request))}
    _send(connection, "403 Forbidden", json.dumps(answer).encode(), "application/json")


def echo_in_html(connection: socket.socket, request: bytes) -> None:
    """A proxy's 502 page that prints the request headers, HTML-escaped."""
    page = f"<html><body><h1>502 Bad Gateway</h1><pre>{html.escape(header_text(request))}</pre>"
    page += f"<p>key={html.escape(api_key_of(request))}</p></body></html>"
    _send(connection, "502 Bad Gateway", page.encode(), "text/html")


def echo_url_encoded(connection: socket.socket, request: bytes) -> None:
    """A gateway that puts the headers in a query string it prints back, URL-encoded."""
    key = api_key_of(request)
    text = (
        f"upstream refused https://gw.example/auth?api-key={quote(key, safe='')}"
        f"&k2={quote_plus(key)}&k3={quote(key, safe='').lower()}"
    )
    _send(connection, "502 Bad Gateway", text.encode(), "text/plain")


def echo_in_header(connection: socket.socket, request: bytes) -> None:
    """A 401 whose response headers carry the key back."""
    key = api_key_of(request)
    answer = {"code": 401, "message": "unauthorised"}
    extra = [("X-Echo-Api-Key", key), ("WWW-Authenticate", f'ApiKey realm="rcs", key="{key}"')]
    _send(connection, "401 Unauthorized", json.dumps(answer).encode(), "application/json", extra)


ECHOES: dict[str, Behaviour] = {
    "kaleyra-message-field": echo_in_kaleyra_json,
    "json-error-body": echo_in_json_error_body,
    "html-body": echo_in_html,
    "url-encoded": echo_url_encoded,
    "header-value": echo_in_header,
}
