"""The sandbox's HTTP side: routing, the api-key check, and its own sandbox-only endpoints."""

from __future__ import annotations

import json
import logging
import re
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from rcs_composer.services.sandbox import SandboxServer

log = logging.getLogger("rcs_composer.sandbox")

_ROUTE = re.compile(
    r"^/v1/(?P<sid>[^/]+)/rcs/(?P<kind>messages|template|template_history)(?:/(?P<id>[^/]+))?/?$"
)
MAX_BODY_BYTES = 2_000_000  # Kaleyra's bodies are a few kB; more is refused unread
IDLE_TIMEOUT_S = 15.0  # a connection that sends nothing for this long is closed (slow loris)


def read_json_body(raw: bytes) -> tuple[Any, str | None]:
    """(the body's JSON, None), or (None, why it is none) as Kaleyra's 400 words it: JSON is
    UTF-8 (one leading byte order mark is let go), so UTF-16 and UTF-32 bodies, which
    ``json.loads`` would read from bytes, are refused; so is nesting too deep to read."""
    if not raw:
        return None, None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:4]:
        return None, "the body is UTF-16 or UTF-32 text, not UTF-8"
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"the body is not UTF-8 text (byte {exc.start})"
    try:
        return json.loads(text), None
    except RecursionError:  # [[[[... past what the parser can follow
        return None, "malformed JSON: nested too deeply"
    except ValueError:
        return None, "malformed JSON"


def handler_for(server: SandboxServer) -> type[BaseHTTPRequestHandler]:
    """The request handler class bound to ``server`` (its state and counters)."""
    from rcs_composer.services.sandbox import template_error  # the module that calls us

    class BodyRefused(Exception):
        def __init__(self, status: int, message: str) -> None:
            super().__init__(message)
            self.status, self.message = status, message

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "rcs-composer-sandbox"
        disable_nagle_algorithm = True  # keep-alive answers in about 1 ms, not 40
        timeout = IDLE_TIMEOUT_S

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            """Whatever http.server refuses (a bad request line, huge headers, an unknown
            method) is answered in JSON too, never as an HTML page."""
            self.close_connection = True
            self.request_version = "HTTP/1.1"  # an unparsable line would get no status line
            text = message or self.responses.get(code, ("Error",))[0]
            self._reply(code, {"code": code, "message": text})

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except TimeoutError:
                self.close_connection = True  # idle past IDLE_TIMEOUT_S

        def do_HEAD(self) -> None:
            self.close_connection = True
            self.send_response(405)
            self.send_header("Allow", "GET, POST, PUT, DELETE")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_OPTIONS(self) -> None:
            self._reply(
                405,
                {"code": 1405, "message": "Method not allowed"},
                extra={"Allow": "GET, POST, PUT, DELETE"},
            )

        def log_message(self, format: str, *args: Any) -> None:
            log.debug(format, *args)

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def do_PATCH(self) -> None:
            self._dispatch("PATCH")

        def _read_body(self) -> bytes:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                raise BodyRefused(411, "Send the body with a Content-Length, not chunked")
            text = (self.headers.get("Content-Length") or "0").strip()
            if not text.isdigit():
                raise BodyRefused(400, f"Content-Length {text[:20]!r} is not a number of bytes")
            length = int(text)
            if length > MAX_BODY_BYTES:
                raise BodyRefused(413, f"The body is larger than {MAX_BODY_BYTES} bytes")
            return self.rfile.read(length) if length else b""

        def _reply(
            self,
            status: int,
            payload: Any,
            *,
            content_type: str = "application/json",
            extra: dict[str, str] | None = None,
        ) -> None:
            data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _dispatch(self, method: str) -> None:
            try:
                self._handle(method)
            except BodyRefused as refused:
                self.close_connection = True  # the unread body must not be taken for a request
                self._reply(refused.status, {"code": refused.status, "message": refused.message})
            except (ConnectionError, TimeoutError):
                self.close_connection = True
            except Exception:
                log.exception("sandbox handler failed")
                self.close_connection = True
                self._reply(500, {"code": 500, "message": "The sandbox failed on this request"})

        def _handle(self, method: str) -> None:
            raw = self._read_body()
            parts = urlsplit(self.path)
            with server.lock:
                server.request_count += 1
            if parts.path.startswith("/sandbox/"):
                self._sandbox_endpoint(method, parts.path, parse_qs(parts.query), raw)
                return
            route = _ROUTE.match(parts.path)
            if route is None:
                self._reply(404, {"code": 404, "message": f"No such endpoint: {parts.path}"})
                return
            if route["kind"] == "messages" and method == "POST":
                with server.lock:
                    server.send_count += 1
            if self.headers.get("api-key") != server.api_key:
                self._reply(
                    401,
                    {
                        "code": 401,
                        "message": "Unauthorized: missing or invalid api-key",
                        "error": {
                            "error_code": "UNAUTHORIZED",
                            "error_message": "Invalid API key.",
                        },
                    },
                )
                return
            if server.answer_instead(self):  # a test server misbehaving on purpose
                return
            status, payload = self._route(method, route, raw)
            if server.after_handling(self):
                return
            self._reply(status, payload)

        def _route(self, method: str, route: re.Match[str], raw: bytes) -> tuple[int, Any]:
            body, unreadable = read_json_body(raw)
            if unreadable is not None:
                if route["kind"] == "messages":
                    return 400, {
                        "code": 1400,
                        "message": f"Request invalid: {unreadable}",
                        "data": {
                            "error": {"error_code": "INVALID_REQUEST", "error_message": unreadable}
                        },
                    }
                return 400, template_error(
                    "RCS701",
                    "Invalid JSON format passed.",
                    "INVALID_JSON_PAYLOAD",
                    "Invalid JSON format passed.",
                )
            kind, item = route["kind"], route["id"]
            if kind == "messages":
                if method != "POST" or item:
                    return 405, {"code": 1405, "message": "Method not allowed"}
                return server.handle_send(body)
            if kind == "template_history":
                if method != "GET" or not item:
                    return 405, template_error(
                        "RCS405", "Method not allowed.", "METHOD_NOT_ALLOWED", "Method not allowed."
                    )
                return server.history(item)
            if (item is None and method != "POST") or (item is not None and method == "POST"):
                return 405, template_error(
                    "RCS405", "Method not allowed.", "METHOD_NOT_ALLOWED", "Method not allowed."
                )
            return server.handle_template(method, item, body)

        def _sandbox_endpoint(
            self, method: str, path: str, query: dict[str, list[str]], raw: bytes
        ) -> None:
            if path == "/sandbox/events" and method == "GET":
                message_id = query["messageId"][0] if query.get("messageId") else None
                self._reply(200, {"events": server.events(message_id)})
            elif path == "/sandbox/stats" and method == "GET":
                self._reply(200, {"sends": server.send_count, "requests": server.request_count})
            else:
                self._reply(404, {"message": "no such sandbox endpoint"})

    return Handler
