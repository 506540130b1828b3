"""A local stand-in for Kaleyra's RCS API: real HTTP on loopback, the core's validation."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rcs_composer.core import codecs
from rcs_composer.core.issues import Issue, Region
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.core.validation import validate, validate_data
from rcs_composer.core.variables import find_variables
from rcs_composer.services.paths import FileLock, atomic_write_text
from rcs_composer.services.sandbox_http import handler_for
from rcs_composer.services.secrets import SANDBOX_KEY

log = logging.getLogger("rcs_composer.sandbox")
DEFAULT_TEMPLATE_STEP_S = 4.0  # seconds between the lifecycle steps of a new template
TEMPLATES_FILE = "templates.json"  # in the sandbox's own folder of the data directory
REJECTION_REASON = (
    "Rejected by the sandbox: the template name contains 'reject' (a real account gives the "
    "operator's reason here)."
)


@dataclass
class SentMessage:
    message_id: str
    recipient: str
    sender: str
    sent_at: float


@dataclass
class Step:
    """One status a template takes, from the moment ``at`` (the server's clock)."""

    status: str
    at: float
    reason: str | None = None


@dataclass
class Template:
    body: dict[str, Any]
    template_id: str
    template_number: str
    created: float
    steps: list[Step] = field(default_factory=list)  # past and planned: the clock decides

    def reached(self, now: float) -> list[Step]:
        return [step for step in self.steps if step.at <= now] or self.steps[:1]

    def status_at(self, now: float) -> str:
        reached = self.reached(now)
        return reached[-1].status if reached else str(self.body.get("status") or "CREATED")

    def history_at(self, now: float) -> list[dict[str, Any]]:
        return [_history_entry(step) for step in self.reached(now)]

    def to_json(self) -> dict[str, Any]:
        return {
            "template_id": self.template_id,
            "template_number": self.template_number,
            "created": self.created,
            "body": self.body,
            "steps": [dataclasses.asdict(step) for step in self.steps],
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Template:
        return Template(
            body=dict(data["body"]),
            template_id=str(data["template_id"]),
            template_number=str(data["template_number"]),
            created=float(data["created"]),
            steps=[
                Step(str(step["status"]), float(step["at"]), step.get("reason"))
                for step in data["steps"]
            ],
        )


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
        template_step_s: float = DEFAULT_TEMPLATE_STEP_S,
        templates_file: Path | None = None,
    ) -> None:
        """``template_step_s``: seconds between a template's lifecycle steps (0 in tests).
        ``templates_file``: where templates persist across restarts (None: in memory)."""
        self.api_key = api_key
        self.template_step_s = template_step_s
        self.templates_file = templates_file
        self._templates_seen: tuple[int, int, int] | None = None
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
        if isinstance(body, dict) and "templateId" in body and not (_CONTENT_KEYS & body.keys()):
            return self._send_by_template(body)
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

    def _send_by_template(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """``templateId`` + ``messageParams`` (India only): the template must be ACTIVE and
        every placeholder needs a value, in one object for all recipients or one each."""
        if self.region is not Region.IN:
            return 400, invalid_request(
                "Request invalid: Path $.templateId: sending by template is available in India only"
            )
        sender, recipients = body.get("from"), body.get("to")
        if not isinstance(sender, str) or not sender.strip():
            return 400, _error(1400, "MISSING_REQUIRED_FIELD", "Path $.from: the sender is missing")
        if (
            not isinstance(recipients, list)
            or not recipients
            or len(recipients) > 100
            or not all(isinstance(n, str) and n.isdigit() and 8 <= len(n) <= 15 for n in recipients)
        ):
            return 400, _error(
                1417, "INVALID_NUMBER", "Path $.to: 1 to 100 numbers, country code and digits"
            )
        now = self.clock()
        with self.lock:
            self._reload_templates()
            template = self.templates.get(str(body.get("templateId")))
        if template is None:
            return 400, invalid_request(
                f"Request invalid: Path $.templateId: no template {body.get('templateId')}"
            )
        status = template.status_at(now)
        if status not in ("ACTIVE", "APPROVED"):
            return 400, invalid_request(
                f"Request invalid: Path $.templateId: the template is {status}; "
                "only an ACTIVE template can be sent"
            )
        params = body.get("messageParams", [])
        if not isinstance(params, list) or not all(isinstance(p, dict) for p in params):
            return 400, invalid_request(
                "Request invalid: Path $.messageParams: a list of objects of variable values"
            )
        if len(params) not in (0, 1, len(recipients)):
            return 400, invalid_request(
                "Request invalid: Path $.messageParams: one object for all recipients or one each"
            )
        try:
            message, _ = codecs.decode_template(template.body)
            needed = find_variables(message)
        except DecodeError:
            needed = []
        for index, values in enumerate(params or [{}]):
            missing = [name for name in needed if not str(values.get(name, "")).strip()]
            if missing:
                return 400, invalid_request(
                    f"Request invalid: Path $.messageParams[{index}]: no value for "
                    + ", ".join(f"{{{{{name}}}}}" for name in missing)
                )
        details = []
        with self.lock:
            for recipient in recipients:
                message_id = str(uuid.uuid4())
                self.messages[message_id] = SentMessage(message_id, recipient, sender, now)
                details.append({"to": recipient, "messageId": message_id})
        log.info("sandbox accepted a template send to %d recipients", len(details))
        return 200, {"recipientDetails": details}

    def handle_template(
        self, method: str, template_id: str | None, body: Any
    ) -> tuple[int, dict[str, Any]]:
        if method == "POST" and template_id is None:
            return self._create_template(body)
        now = self.clock()
        with self.lock:
            self._reload_templates()
            template = self.templates.get(template_id or "")
        if template is None:
            return _not_found(template_id)
        if method == "GET":
            return 200, _template_success(
                "RCS1101", "RCS Template fetched successfully", template, now
            )
        if method == "DELETE":
            with self._changing_templates():
                self.templates.pop(template.template_id, None)
            return 200, {
                "code": "RCS1103",
                "message": "RCS Template deleted successfully",
                "data": {},
                "error": {},
            }
        if method == "PUT":
            if template.status_at(now) == "ACTIVE":
                return 400, template_error(
                    "RCS1104",
                    "Template Type and Value mismatch Error.",
                    "FIELD_VALUE_ERROR",
                    "An ACTIVE template cannot be edited.",
                )
            problem = self._check_template(body, exclude=template.template_id)
            if problem:
                return problem
            with self._changing_templates():
                # The file may have been read again: change the template as it is now.
                template = self.templates.setdefault(template.template_id, template)
                template.body = {k: v for k, v in body.items() if k != "template_number"}
                template.body.setdefault("status", "CREATED")
                template.steps = [step for step in template.steps if step.at <= now]
                template.steps += self._lifecycle(template.body, now)
            return 200, _template_success(
                "RCS1102", "RCS Template updated successfully", template, now
            )
        return 405, template_error(
            "RCS405", "Method not allowed.", "METHOD_NOT_ALLOWED", "Method not allowed."
        )

    def history(self, template_id: str) -> tuple[int, dict[str, Any]]:
        now = self.clock()
        with self.lock:
            self._reload_templates()
            template = self.templates.get(template_id)
        if template is None:
            return _not_found(template_id)
        return 200, {
            "code": "RCS1105",
            "message": "History",
            "data": template.history_at(now),
            "error": {},
        }

    def _lifecycle(self, body: dict[str, Any], now: float) -> list[Step]:
        """The steps a template takes from ``now``: CREATED, then SUBMITTEDFORAPPROVAL (India),
        then ACTIVE, each ``template_step_s`` after the one before; a name with "reject" in it
        ends REJECTED with a reason. DRAFT stays a draft; ACTIVE is approved at once."""
        first = str(body.get("status") or "CREATED")
        steps = [Step(first, now)]
        if first in ("DRAFT", "ACTIVE"):
            return steps
        later = ["SUBMITTEDFORAPPROVAL"] if self.region is Region.IN else []
        later = [status for status in later if status != first]
        rejected = "reject" in str(body.get("template_name", "")).lower()
        later.append("REJECTED" if rejected else "ACTIVE")
        for index, status in enumerate(later, start=1):
            reason = REJECTION_REASON if status == "REJECTED" else None
            steps.append(Step(status, now + index * self.template_step_s, reason))
        return steps

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
            self._reload_templates()
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
        template.steps = self._lifecycle(template.body, now)
        with self._changing_templates():
            self.templates[template.template_id] = template
        return 200, _template_success("RCS1102", "RCS Template created successfully", template, now)

    # ------------------------------------------------------------ templates on disk

    @contextlib.contextmanager
    def _changing_templates(self) -> Iterator[None]:
        """One change of the templates: this server's lock and, when they live in a file, a
        lock between processes (the app's sandbox and a command's may share the file); the
        file is read again first and written after."""
        between = (
            FileLock(self.templates_file.with_name(f".{self.templates_file.name}.lock"))
            if self.templates_file is not None
            else None
        )
        with self.lock, between.held() if between else contextlib.nullcontext():
            self._reload_templates()
            yield
            self._save_templates()

    def _reload_templates(self) -> None:
        """Read the templates file again when another process changed it (call with the lock)."""
        if self.templates_file is None:
            return
        try:
            stat = self.templates_file.stat()
        except FileNotFoundError:
            if self._templates_seen is not None:
                self.templates.clear()
            self._templates_seen = None
            return
        except OSError:
            return
        seen = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if seen == self._templates_seen:
            return
        self._templates_seen = seen
        try:
            document = json.loads(self.templates_file.read_bytes())
            loaded = {
                item["template_id"]: Template.from_json(item) for item in document["templates"]
            }
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
            aside = self.templates_file.with_name(
                f"{self.templates_file.stem}.unreadable-{int(time.time())}.json"
            )
            log.warning("sandbox templates file unreadable (%s); set aside as %s", exc, aside)
            with contextlib.suppress(OSError):
                os.replace(self.templates_file, aside)
            self._templates_seen = None
            loaded = {}
        self.templates.clear()
        self.templates.update(loaded)

    def _save_templates(self) -> None:
        """Write every template (call with the lock held, after a change)."""
        if self.templates_file is None:
            return
        document = {
            "format": "rcs-composer-sandbox-templates",
            "templates": [template.to_json() for template in self.templates.values()],
        }
        atomic_write_text(self.templates_file, json.dumps(document, indent=1))
        with contextlib.suppress(OSError):
            stat = self.templates_file.stat()
            self._templates_seen = (stat.st_mtime_ns, stat.st_size, stat.st_ino)


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


def _history_entry(step: Step) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "status": step.status,
        "updated_at": datetime.fromtimestamp(step.at, UTC).isoformat(),
    }
    if step.reason:
        entry["reason"] = step.reason
    return entry


def invalid_request(message: str) -> dict[str, Any]:
    """Kaleyra's shape for a request it cannot take (code 1400)."""
    return {
        "code": 1400,
        "message": message,
        "data": {"error": {"error_code": "INVALID_REQUEST", "error_message": message}},
    }


_CONTENT_KEYS = frozenset({"text", "file", "richCardStandalone", "richCardCarousel"})


def _error(code: int, error_code: str, message: str) -> dict[str, Any]:
    text = f"Request invalid: {message}"
    return {
        "code": code,
        "message": text,
        "data": {"error": {"error_code": error_code, "error_message": text}},
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


def _template_success(code: str, message: str, template: Template, now: float) -> dict[str, Any]:
    data = {
        "template_id": template.template_id,
        "created_date": int(template.created * 1000),
        **template.body,
        "status": template.status_at(now),
        "template_number": template.template_number,
    }
    reason = template.reached(now)[-1].reason if template.steps else None
    if reason:
        data["reason"] = reason
    try:
        body_message, _ = codecs.decode_template(template.body)
        data["placeholders"] = json.dumps(find_variables(body_message), indent=2)
    except DecodeError:
        data["placeholders"] = "[]"
    return {"code": code, "message": message, "data": data, "error": {}}


def serve_forever(
    port: int = 0,
    host: str = "127.0.0.1",
    *,
    templates_file: Path | None = None,
    template_step_s: float = DEFAULT_TEMPLATE_STEP_S,
) -> None:
    """Run the sandbox in the foreground until interrupted (``rcs-composer sandbox``)."""
    server = SandboxServer(
        host, port, templates_file=templates_file, template_step_s=template_step_s
    ).start()
    print(f"Sandbox listening on {server.url}  (api-key: {SANDBOX_KEY}, any SID)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
