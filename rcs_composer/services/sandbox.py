"""A local stand-in for Kaleyra's RCS API: real HTTP on loopback, the core's validation."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from typing import Any

from rcs_composer.core import codecs
from rcs_composer.core.issues import Issue, Region
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.core.validation import validate, validate_data
from rcs_composer.core.variables import find_variables
from rcs_composer.services.sandbox_http import handler_for
from rcs_composer.services.secrets import SANDBOX_KEY

log = logging.getLogger("rcs_composer.sandbox")


@dataclass
class SentMessage:
    message_id: str
    recipient: str
    sender: str
    sent_at: float


@dataclass
class Template:
    body: dict[str, Any]
    template_id: str
    template_number: str
    created: float
    history: list[dict[str, Any]] = field(default_factory=list)


class _QuietServer(ThreadingHTTPServer):
    """A client that gave up (a timeout test, a closed app) is normal here, not an error."""

    daemon_threads = True
    request_queue_size = 128  # a burst of parallel tests is queued, not refused

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("sandbox connection from %s ended early", client_address, exc_info=True)


class SandboxServer:
    """``with SandboxServer() as server: server.url``. Delivery events follow each send."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        api_key: str = SANDBOX_KEY,
        error_prefix: str = "91999",
        event_delays: tuple[float, float, float] = (0.5, 1.5, 3.0),
        clock: Callable[[], float] = time.time,
        region: Region | None = Region.IN,
    ) -> None:
        self.api_key = api_key
        self.error_prefix = error_prefix
        self.event_delays = event_delays
        self.clock = clock
        self.region = region
        self.lock = threading.Lock()
        self.send_count = 0  # every POST to /rcs/messages that arrived, whatever the answer
        self.request_count = 0
        self.messages: dict[str, SentMessage] = {}
        self.templates: dict[str, Template] = {}
        self._httpd = _QuietServer((host, port), handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        shown = host.decode() if isinstance(host, bytes) else host
        return f"http://{shown}:{port}"

    def start(self) -> SandboxServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="sandbox",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------ hooks for test servers

    def answer_instead(self, handler: Any) -> bool:
        """Before a request is handled: True when ``handler`` has answered it itself. The
        sandbox always handles it; a test server that misbehaves on purpose overrides this."""
        return False

    def after_handling(self, handler: Any) -> bool:
        """After the request was handled, before the answer: True when the answer was replaced
        (or the connection dropped) instead."""
        return False

    # ------------------------------------------------------------ events

    def events(self, message_id: str | None = None) -> list[dict[str, Any]]:
        """Delivery events that have happened by now, in Kaleyra's webhook shape."""
        now = self.clock()
        with self.lock:
            sent = (
                [self.messages[message_id]]
                if message_id in self.messages
                else ([] if message_id else list(self.messages.values()))
            )
        found: list[dict[str, Any]] = []
        for message in sent:
            kinds = (
                ("ERROR",)
                if message.recipient.startswith(self.error_prefix)
                else ("SENT", "DELIVERED", "READ")
            )
            for kind, delay in zip(kinds, self.event_delays, strict=False):
                at = message.sent_at + delay
                if at <= now:
                    found.append(_event(kind, message, at) | _error_detail(kind, self.error_prefix))
        return sorted(found, key=lambda event: event["sentAt"])

    # ------------------------------------------------------------ handlers

    def handle_send(self, body: Any) -> tuple[int, dict[str, Any]]:
        try:
            kind = codecs.detect_format(body)
        except codecs.ParseError as exc:
            return 400, invalid_request(f"Request invalid: Path {exc.path}: {exc.reason}")
        if kind is not codecs.Format.MESSAGE:
            return 400, invalid_request(
                f"Request invalid: this endpoint takes a send-message body, not a {kind.value}"
            )
        issues = [issue for issue in validate_data(body, self.region) if issue.is_error]
        if issues:
            return 400, _send_error(issues[0])
        message = codecs.decode_message(body)
        now = self.clock()
        details = []
        with self.lock:
            for recipient in message.recipients or ():
                message_id = str(uuid.uuid4())
                self.messages[message_id] = SentMessage(
                    message_id, recipient, message.sender or "", now
                )
                details.append({"to": recipient, "messageId": message_id})
        log.info("sandbox accepted a send to %d recipients", len(details))
        return 200, {"recipientDetails": details}

    def handle_template(
        self, method: str, template_id: str | None, body: Any
    ) -> tuple[int, dict[str, Any]]:
        if method == "POST" and template_id is None:
            return self._create_template(body)
        with self.lock:
            template = self.templates.get(template_id or "")
        if template is None:
            return _not_found(template_id)
        if method == "GET":
            return 200, _template_success("RCS1101", "RCS Template fetched successfully", template)
        if method == "DELETE":
            with self.lock:
                del self.templates[template.template_id]
            return 200, {
                "code": "RCS1103",
                "message": "RCS Template deleted successfully",
                "data": {},
                "error": {},
            }
        if method == "PUT":
            if template.body.get("status") == "ACTIVE":
                return 400, template_error(
                    "RCS1104",
                    "Template Type and Value mismatch Error.",
                    "FIELD_VALUE_ERROR",
                    "An ACTIVE template cannot be edited.",
                )
            problem = self._check_template(body, exclude=template.template_id)
            if problem:
                return problem
            with self.lock:
                template.body = {k: v for k, v in body.items() if k != "template_number"}
                template.history.append(_history_entry(template.body.get("status"), self.clock()))
            return 200, _template_success("RCS1102", "RCS Template updated successfully", template)
        return 405, template_error(
            "RCS405", "Method not allowed.", "METHOD_NOT_ALLOWED", "Method not allowed."
        )

    def history(self, template_id: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            template = self.templates.get(template_id)
        if template is None:
            return _not_found(template_id)
        return 200, {
            "code": "RCS1105",
            "message": "History",
            "data": list(template.history),
            "error": {},
        }

    def _check_template(
        self, body: Any, exclude: str | None = None
    ) -> tuple[int, dict[str, Any]] | None:
        if not isinstance(body, dict):
            return 400, template_error(
                "RCS701",
                "Invalid JSON format passed.",
                "INVALID_JSON_PAYLOAD",
                "Invalid JSON format passed.",
            )
        missing = [
            key for key in ("agent_number", "template_type", "template_name") if not body.get(key)
        ]
        if missing:
            return 400, template_error(
                "RCS1104",
                "Required fields are missing.",
                "MISSING_REQUIRED_FIELDS",
                f"Missing required fields: {', '.join(missing)}.",
            )
        if str(body["template_type"]) not in ("1", "3", "4", "5"):
            return 400, template_error(
                "RCS1104",
                "Invalid field values are passed.",
                "FIELD_VALUE_ERROR",
                f"Invalid template_type: {body['template_type']}, "
                "Allowed values are: 1, 3, 4, or 5.",
            )
        try:
            message, info = codecs.decode_template(body)
        except DecodeError as exc:
            return 400, template_error(
                "RCS1104",
                "Template Type and Value mismatch Error.",
                "INVALID_FIELD_VALUES",
                f"Path {exc.path}: {exc.reason}",
            )
        errors = [
            issue for issue in validate(message, self.region, template=info) if issue.is_error
        ]
        if errors:
            first = errors[0]
            kind = "MAX_CHAR_LIMIT_EXCEEDED" if "too_long" in first.code else "FIELD_VALUE_ERROR"
            return 400, template_error(
                "RCS1104",
                "Template validation failed.",
                kind,
                f"Path {first.path}: {first.message}",
            )
        with self.lock:
            taken = any(
                t.body.get("template_name") == info.name and t.template_id != exclude
                for t in self.templates.values()
            )
        if taken:
            return 409, template_error(
                "RCS1104",
                "Invalid field values are passed.",
                "FIELD_VALUE_ERROR",
                f"A template named {info.name} already exists.",
            )
        return None

    def _create_template(self, body: Any) -> tuple[int, dict[str, Any]]:
        problem = self._check_template(body)
        if problem:
            return problem
        now = self.clock()
        template = Template(
            body=dict(body),
            template_id=str(uuid.uuid4()),
            template_number="MM" + uuid.uuid4().hex[:10].upper(),
            created=now,
        )
        template.body.setdefault("status", "CREATED")
        template.history.append(_history_entry(template.body["status"], now))
        with self.lock:
            self.templates[template.template_id] = template
        return 200, _template_success("RCS1102", "RCS Template created successfully", template)


def _event(kind: str, message: SentMessage, at: float) -> dict[str, Any]:
    return {
        "type": kind,
        "eventId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{message.message_id}/{kind}")),
        "from": message.recipient,
        "to": message.sender,
        "sentAt": datetime.fromtimestamp(at, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "messageId": message.message_id,
    }


def _error_detail(kind: str, prefix: str) -> dict[str, Any]:
    """What an ERROR event says went wrong, in the shape of Kaleyra's error objects: the
    sandbox fails every number that starts with its error prefix as if RCS were off there."""
    if kind != "ERROR":
        return {}
    return {
        "error": {
            "code": "1423",
            "error_code": "CHANNEL_UNSUPPORTED",
            "error_message": f"The sandbox fails every number starting {prefix}, as if the "
            "recipient's phone had no RCS.",
        }
    }


def _history_entry(status: Any, at: float) -> dict[str, Any]:
    return {"status": status, "updated_at": datetime.fromtimestamp(at, UTC).isoformat()}


def invalid_request(message: str) -> dict[str, Any]:
    """Kaleyra's shape for a request it cannot take (code 1400)."""
    return {
        "code": 1400,
        "message": message,
        "data": {"error": {"error_code": "INVALID_REQUEST", "error_message": message}},
    }


def _send_error(issue: Issue) -> dict[str, Any]:
    if issue.code.startswith("envelope.to"):
        code, error_code = 1417, "INVALID_NUMBER"
    elif issue.code == "envelope.ttl.invalid":
        code, error_code = 1420, "INVALID_TTL"
    elif issue.code.endswith("missing"):
        code, error_code = 1400, "MISSING_REQUIRED_FIELD"
    else:
        code, error_code = 1400, "INVALID_FIELD_FORMAT"
    message = f"Request invalid: Path {issue.path}: {issue.message}"
    return {
        "code": code,
        "message": message,
        "data": {"error": {"error_code": error_code, "error_message": message}},
    }


def _not_found(template_id: str | None) -> tuple[int, dict[str, Any]]:
    return 404, template_error(
        "RCS1104",
        "Template not found.",
        "TEMPLATE_NOT_FOUND",
        f"No template with id {template_id}.",
    )


def template_error(code: str, message: str, error_code: str, error_message: str) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "data": [],
        "error": {"error_code": error_code, "error_message": error_message},
    }


def _template_success(code: str, message: str, template: Template) -> dict[str, Any]:
    data = {
        "template_id": template.template_id,
        "created_date": int(template.created * 1000),
        **template.body,
        "template_number": template.template_number,
    }
    try:
        body_message, _ = codecs.decode_template(template.body)
        data["placeholders"] = json.dumps(find_variables(body_message), indent=2)
    except DecodeError:
        data["placeholders"] = "[]"
    return {"code": code, "message": message, "data": data, "error": {}}


def serve_forever(port: int = 0, host: str = "127.0.0.1") -> None:
    """Run the sandbox in the foreground until interrupted (``rcs-composer sandbox``)."""
    server = SandboxServer(host, port).start()
    print(f"Sandbox listening on {server.url}  (api-key: {SANDBOX_KEY}, any SID)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
