"""The Kaleyra RCS API client: one requests.Session, timeouts, never a send twice by accident."""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import math
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from rcs_composer import __version__
from rcs_composer.core.codecs import wire_bytes
from rcs_composer.core.outgoing import (
    api_url,
    messages_path,
    template_history_path,
    templates_path,
)
from rcs_composer.services.deadline import Cancelled, DeadlinePassed, call_within
from rcs_composer.services.hosts import is_loopback
from rcs_composer.services.kaleyra_replies import (
    ApiError,
    AuthError,
    BadResponse,
    ConnectFailed,
    ConnectTimeout,
    Delivery,
    DnsFailed,
    KaleyraError,
    OutcomeUnknown,
    RateLimited,
    ReadFailed,
    SendResult,
    ServerUnavailable,
    TemplateResult,
    TlsFailed,
)
from rcs_composer.services.redaction import redact, redact_json, register_secret
from rcs_composer.services.secrets import SANDBOX_KEY

if TYPE_CHECKING:
    import requests

log = logging.getLogger("rcs_composer.kaleyra")
USER_AGENT = f"rcs-composer/{__version__} (+python-requests)"
MAX_RETRY_WAIT = 10.0  # seconds: a Retry-After longer than this is reported, not waited out
MAX_RESPONSE_BYTES = 2_000_000  # Kaleyra answers in a few kB; more is not an answer to read
DEADLINE_S = 60.0  # a whole call (connect, send, every byte of the answer) ends by then

# What a call does, which decides what a failure says and whether an answer like "busy, try
# later" may be retried: only a read is, since a busy gateway (503) may have passed the
# request on before it gave up, and even a 429 does not prove the request was not carried out.
SEND, CREATE, CHANGE, READ = "send", "create", "change", "read"


class InsecureUrl(KaleyraError):
    pass


class KaleyraClient:
    """Blocking calls to the paths of ``core.outgoing``; run them off the GUI thread."""

    def __init__(
        self,
        base_url: str,
        sid: str,
        api_key: str,
        *,
        session: requests.Session | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        send_retries: int = 1,
        template_retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
        deadline: float = DEADLINE_S,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InsecureUrl(f"{base_url!r} is not an http(s) address.")
        if parts.scheme == "http" and not is_loopback(base_url):
            raise InsecureUrl(
                f"Refusing plain http to {parts.hostname}: the API key would travel unencrypted. "
                "Use https (http is only allowed for the sandbox on this computer)."
            )
        import requests
        from requests.adapters import HTTPAdapter

        self.base_url = base_url.rstrip("/")
        self.sid = sid
        self.__api_key = api_key
        # Set by whoever may give up (Stop, quitting, Ctrl+C): a call then ends at once with
        # Cancelled, its request abandoned, instead of waiting out a silent server.
        self.cancelled: threading.Event | None = None
        if api_key != SANDBOX_KEY:  # the sandbox's fixed key is public: help text names it
            register_secret(api_key)  # anything that echoes it is redacted from now on
        self.session = session or requests.Session()
        self.session.verify = True  # TLS verification is never turned off
        if parts.scheme == "http":
            # Plain http goes to this computer only, never through a proxy: the key would
            # reach the proxy in clear. trust_env=False ignores HTTP(S)_PROXY, ALL_PROXY and
            # the system's proxy settings; proxies set on a session handed in are dropped too.
            self.session.trust_env = False
            self.session.proxies.clear()
        adapter = HTTPAdapter(max_retries=0)  # urllib3 must never resend on its own
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.timeout = (connect_timeout, read_timeout)
        self.deadline = deadline
        self.send_retries = send_retries
        self.template_retries = template_retries
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"KaleyraClient(base_url={self.base_url!r}, sid={self.sid!r})"

    # ------------------------------------------------------------ API

    def send(self, body: Mapping[str, Any]) -> SendResult:
        data = self._call(
            "POST", messages_path(self.sid), body, retries=self.send_retries, kind=SEND
        )
        result = parse_send_result(data)
        log.info(
            "send accepted; message ids: %s",
            ", ".join(f"{to}={mid}" for to, mid in result.message_ids.items()),
        )
        return result

    def send_by_template(
        self,
        template_id: str,
        sender: str,
        recipients: Sequence[str],
        params: Sequence[Mapping[str, str]],
    ) -> SendResult:
        """Send an approved template (India): ``templateId`` with ``messageParams``, one object
        of ``{{variable}}`` values for every recipient (K:send-template-message-with-dynamic-
        variables). A send: never retried once it may have arrived."""
        return self.send(template_send_body(template_id, sender, recipients, params))

    def create_template(self, body: Mapping[str, Any]) -> TemplateResult:
        """A create is treated as a send: never repeated once it may have reached Kaleyra."""
        return parse_template_result(
            self._template_call("POST", templates_path(self.sid), body, kind=CREATE)
        )

    def get_template(self, template_id: str) -> TemplateResult:
        return parse_template_result(
            self._template_call("GET", templates_path(self.sid, template_id))
        )

    def update_template(self, template_id: str, body: Mapping[str, Any]) -> TemplateResult:
        path = templates_path(self.sid, template_id)
        return parse_template_result(self._template_call("PUT", path, body, kind=CHANGE))

    def delete_template(self, template_id: str) -> None:
        self._template_call(
            "DELETE", templates_path(self.sid, template_id), allow_empty=True, kind=CHANGE
        )

    def template_history(self, template_id: str) -> list[dict[str, Any]]:
        data = self._template_call("GET", template_history_path(self.sid, template_id))
        inner = data.get("data", data) if isinstance(data, dict) else data
        if isinstance(inner, dict):
            inner = inner.get("history", [inner])
        return (
            [entry for entry in inner if isinstance(entry, dict)] if isinstance(inner, list) else []
        )

    # ------------------------------------------------------------ plumbing

    def _template_call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        allow_empty: bool = False,
        kind: str = READ,
    ) -> Any:
        return self._call(
            method, path, body, retries=self.template_retries, kind=kind, allow_empty=allow_empty
        )

    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        *,
        retries: int,
        kind: str,
        allow_empty: bool = False,
    ) -> Any:
        attempt = 0
        while True:
            try:
                return self._once(method, path, body, allow_empty=allow_empty, kind=kind)
            except (ConnectFailed, DnsFailed, TlsFailed, ConnectTimeout):
                # Certainly nothing reached the server: safe to retry, a bounded number of times.
                if attempt >= retries:
                    raise
            except (RateLimited, ServerUnavailable) as exc:
                wait = getattr(exc, "retry_after", None)
                if kind != READ or attempt >= retries or wait is None or wait > MAX_RETRY_WAIT:
                    raise
                self.sleep(max(wait, 0.0))
            attempt += 1

    def _once(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        *,
        allow_empty: bool,
        kind: str = SEND,
    ) -> Any:
        import requests

        url = api_url(self.base_url, path)
        headers = {
            "api-key": self.__api_key,
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        endpoint = f"{method} {path}"
        data = wire_bytes(dict(body)) if body is not None else None
        exchange = _Exchange(self.session, method, url, data, headers, self.timeout)
        try:
            status, response_headers, text = exchange.within(self.deadline, self.cancelled)
        except requests.exceptions.RequestException as exc:
            error = classify_failure(exc, self.base_url, kind=kind)
            log.warning("%s failed: %s", endpoint, type(error).__name__)
            raise error from None
        except DeadlinePassed:
            log.warning("%s passed its %.0f s deadline", endpoint, self.deadline)
            said = (
                f"{urlsplit(self.base_url).hostname} sent no complete answer within "
                f"{self.deadline:g} s"
            )
            if kind == READ:
                raise ReadFailed(
                    f"{said}, so the template could not be read. {_READ_AGAIN}"
                ) from None
            raise OutcomeUnknown(f"{said}, so {_maybe_done(kind)}. {_check_first(kind)}") from None
        except _TooLarge:
            limit = f"The server's answer was larger than {MAX_RESPONSE_BYTES // 1_000_000} MB"
            if kind == READ:
                raise BadResponse(f"{limit}, far more than a template. {_READ_AGAIN}") from None
            raise BadResponse(f"{limit}, so it was not read{_unknown_result(kind)}") from None
        return self._interpret(endpoint, status, response_headers, text, allow_empty, kind)

    def _interpret(
        self,
        endpoint: str,
        status: int,
        headers: Mapping[str, str],
        text: str,
        allow_empty: bool,
        kind: str = SEND,
    ) -> Any:
        data: Any = None
        if 300 <= status < 400:
            target = redact(headers.get("Location", "")) or "an address it did not name"
            log.warning("%s -> HTTP %s redirect, not followed", endpoint, status)
            raise BadResponse(
                f"The server answered with a redirect (HTTP {status}) to {target}. It was not "
                "followed: the API key goes only to the base URL in Profiles. Check that URL.",
                details=f"HTTP {status}\n{header_text(headers)}",
            )
        if text.strip():
            try:
                # Strings the JSON decoder unescapes (\u0041...) may spell a key: redact again.
                data = redact_json(json.loads(text))
            except RecursionError:
                raise BadResponse(
                    f"The server answered HTTP {status} with JSON nested too deeply to read"
                    + _unknown_result(kind, the_result=False),
                    details=f"HTTP {status}\n{header_text(headers)}\n\n{text[:2000]}",
                ) from None
            except ValueError:
                log.warning("%s -> HTTP %s with a non-JSON body", endpoint, status)
                raise BadResponse(
                    f"The server answered HTTP {status} with a page that is not Kaleyra's JSON "
                    "(often a proxy or gateway error). Try again later; if it persists, check the "
                    "base URL in Profiles.",
                    details=f"HTTP {status}\n{header_text(headers)}\n\n{text[:2000]}",
                ) from None
        code = data.get("code") if isinstance(data, dict) else None
        log.info("%s -> HTTP %s code=%s", endpoint, status, code)
        if status >= 400 or carries_error(data):
            raise api_error(status, headers, data, text, reading=kind == READ)
        if data is None and not allow_empty:
            what = "an empty body" if not text.strip() else f"{text.strip()[:10]} as its answer"
            raise BadResponse(
                f"Kaleyra answered HTTP {status} with {what}" + _unknown_result(kind, comma=True)
            )
        return data


def template_send_body(
    template_id: str,
    sender: str,
    recipients: Sequence[str],
    params: Sequence[Mapping[str, str]],
) -> dict[str, Any]:
    """The send-by-template body; ``messageParams`` is left out when there is nothing to fill."""
    body: dict[str, Any] = {"from": sender, "to": list(recipients), "templateId": template_id}
    if any(params):
        body["messageParams"] = [dict(values) for values in params]
    return body


def header_text(headers: Mapping[str, str]) -> str:
    """The response's headers, one per line and redacted, for the developer details."""
    return redact("\n".join(f"{name}: {value}" for name, value in headers.items()))


def api_error(
    status: int, headers: Mapping[str, str], data: Any, text: str, *, reading: bool = False
) -> ApiError:
    body = data if isinstance(data, dict) else {}
    error = body.get("error") if isinstance(body.get("error"), dict) else None
    inner = body.get("data")
    if error is None and isinstance(inner, dict) and isinstance(inner.get("error"), dict):
        error = inner["error"]
    fields: dict[str, Any] = {
        "status": status,
        "code": body.get("code"),
        "message": str(body.get("message") or ""),
        "error_code": (error or {}).get("error_code"),
        "error_message": (error or {}).get("error_message"),
        "body": text,
        "headers": header_text(headers),
        "reading": reading,
    }
    if status in (401, 403):
        return AuthError(**fields)
    if status == 429:
        return RateLimited(retry_after=_retry_after(headers), **fields)
    if status == 503 and _retry_after(headers) is not None:
        return RateLimited(retry_after=_retry_after(headers), **fields)
    if status >= 500 and str(fields["code"]) not in ("RCS502",):
        return ServerUnavailable(**fields)
    return ApiError(**fields)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait (RFC 9110 10.2.3: a number of seconds or an HTTP date), or None when the
    header is absent or makes no sense (nan, inf, words)."""
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        seconds = (moment - datetime.now(UTC)).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(seconds, 0.0)


def carries_error(data: Any) -> bool:
    """A 2xx body in Kaleyra's error shape: a non-empty ``error`` (top level or under ``data``)
    with a code or message, as some gateways answer HTTP 200 to a refused request."""
    if not isinstance(data, dict):
        return False
    inner = data.get("data")
    for error in (data.get("error"), inner.get("error") if isinstance(inner, dict) else None):
        if isinstance(error, dict) and (error.get("error_code") or error.get("error_message")):
            return True
    return False


_CHECK_SEND = "Check the delivery report or your phone before sending again."
# No answer means no template id, and Kaleyra has no call that lists templates: the only place
# to find it is Kaleyra's own console, and its id then links it here.
CHECK_CREATE = (
    "No id came back, and Kaleyra has no list of templates to find it by: look for it in "
    "Kaleyra's web console (or ask Kaleyra support) before creating it again. If it is there, "
    "open its id (Templates > Open id, or template open ID) to link it here."
)
_CHECK_CHANGE = "Read the template again (Refresh, or template get ID) before trying again."
_READ_AGAIN = "Reading changes nothing on the account: try again."
_MAYBE_DONE = {
    SEND: "the message may have been sent",
    CREATE: "the template may have been created",
    CHANGE: "the change may have been made",
}


def _check_first(kind: str) -> str:
    """What to look at before trying again, when the call's outcome is not known."""
    return {SEND: _CHECK_SEND, CREATE: CHECK_CREATE}.get(kind, _CHECK_CHANGE)


def _maybe_done(kind: str) -> str:
    return _MAYBE_DONE.get(kind, _MAYBE_DONE[CHANGE])


def _unknown_result(kind: str, *, the_result: bool = True, comma: bool = False) -> str:
    """The end of a sentence about an answer that cannot be read: for a read, try again; for
    anything else, the outcome is unknown and what to check first."""
    if kind == READ:
        return f", so the template could not be read. {_READ_AGAIN}"
    if not the_result:
        return f". {_maybe_done(kind).capitalize()}. {_check_first(kind)}"
    head = (", so" if comma else " and") + " the result is unknown"
    return f"{head}: {_maybe_done(kind)}. {_check_first(kind)}"


class _TooLarge(Exception):
    pass


class _Exchange:
    """One HTTP request and its whole answer, in a worker thread the caller waits for until a
    deadline: a server that drips its headers or body a byte at a time never holds the caller
    past it (a per-read timeout alone would not stop that)."""

    def __init__(
        self,
        session: requests.Session,
        method: str,
        url: str,
        data: bytes | None,
        headers: Mapping[str, str],
        timeout: tuple[float, float],
    ) -> None:
        self.session, self.method, self.url = session, method, url
        self.data, self.headers, self.timeout = data, headers, timeout
        self.response: requests.Response | None = None
        self.abandoned = threading.Event()

    def within(
        self, seconds: float, cancelled: threading.Event | None = None
    ) -> tuple[int, Mapping[str, str], str]:
        """The status, headers and redacted text; DeadlinePassed after ``seconds``, Cancelled
        as soon as ``cancelled`` is set (the request abandoned either way)."""
        try:
            return call_within(self._run, seconds, cancelled)
        except (DeadlinePassed, Cancelled):
            self.abandoned.set()
            self._hang_up()
            raise

    def _hang_up(self) -> None:
        """Shut the socket the worker reads from, so its read returns now (closing the response
        from here would wait for the worker's read to finish). Before the headers arrived there
        is no response to reach: the worker is left to end on its own, a daemon."""
        raw = getattr(self.response, "raw", None)
        connection = getattr(raw, "connection", None) or getattr(raw, "_connection", None)
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _run(self) -> tuple[int, Mapping[str, str], str]:
        response = self.response = self.session.request(
            self.method,
            self.url,
            data=self.data,
            headers=dict(self.headers),
            timeout=self.timeout,
            allow_redirects=False,
            stream=True,
        )
        with response:
            body = bytearray()
            for chunk in response.iter_content(65536):
                if self.abandoned.is_set():  # the caller has gone: stop reading
                    break
                body += chunk
                if len(body) > MAX_RESPONSE_BYTES:
                    raise _TooLarge
            text = redact(decoded(bytes(body), response.headers.get("Content-Type", "")))
            return response.status_code, response.headers, text


def decoded(body: bytes, content_type: str) -> str:
    """The body as text: in the charset the Content-Type names, else UTF-8 (RFC 8259: JSON is
    UTF-8; requests would take Latin-1 for any text/* type that names none)."""
    charset = ""
    for parameter in content_type.split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').strip("'")
    try:
        return body.decode(charset or "utf-8-sig", errors="replace")
    except LookupError:  # a charset Python does not know: JSON's own
        return body.decode("utf-8-sig", errors="replace")


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        nested = (
            current.args[0] if current.args and isinstance(current.args[0], BaseException) else None
        )
        reason = getattr(current, "reason", None)
        current = (
            current.__cause__
            or current.__context__
            or (reason if isinstance(reason, BaseException) else nested)
        )
    return chain


def classify_failure(exc: Exception, base_url: str, *, kind: str = SEND) -> KaleyraError:
    """Map a requests failure to what the user must know: was anything sent? A read that got no
    answer changed nothing, and says so."""
    import requests
    from urllib3.exceptions import NameResolutionError

    host = urlsplit(base_url).hostname or base_url
    chain = _causes(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return ConnectTimeout(
            f"Could not reach {host}: the connection timed out. Nothing was sent; "
            "check your network and try again."
        )
    tls = isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(c, ssl.SSLError) for c in chain
    )
    # A certificate refused ends the handshake before a byte of the request is written; any
    # other TLS failure may come after the whole request went out (a stream broken while the
    # answer is read), and urllib3 words both alike: only a read may call it harmless.
    if tls and (kind == READ or any(isinstance(c, ssl.SSLCertVerificationError) for c in chain)):
        return TlsFailed(
            f"The secure connection to {host} failed (certificate or TLS problem). "
            "Nothing was sent. Check the base URL and your network's proxy."
        )
    if tls:
        return OutcomeUnknown(
            f"The secure connection to {host} failed (a TLS problem, perhaps a proxy in the "
            f"way), perhaps after the request went out, so {_maybe_done(kind)}. "
            f"{_check_first(kind)}",
            details=type(exc).__name__,
        )
    if any(isinstance(c, NameResolutionError | socket.gaierror) for c in chain):
        return DnsFailed(
            f"Could not find the server {host} (DNS lookup failed). Nothing was sent; "
            "check the base URL in Profiles and your internet connection."
        )
    if any(isinstance(c, ConnectionRefusedError) for c in chain):
        return ConnectFailed(
            f"{host} refused the connection. Nothing was sent; check the base URL, "
            "or that the sandbox is running."
        )
    if isinstance(exc, requests.exceptions.ConnectionError) and "NewConnectionError" in repr(chain):
        return ConnectFailed(f"Could not connect to {host}. Nothing was sent.")
    timed_out = isinstance(exc, requests.exceptions.ReadTimeout) or any(
        isinstance(c, TimeoutError | socket.timeout) for c in chain
    )
    if kind == READ:
        said = f"{host} did not answer in time" if timed_out else f"The connection to {host} broke"
        return ReadFailed(
            f"{said}, so the template could not be read. {_READ_AGAIN}",
            details=type(exc).__name__,
        )
    what, check = _maybe_done(kind), _check_first(kind)
    if timed_out:
        return OutcomeUnknown(
            f"{host} did not answer in time after the request was sent, so {what}. {check}",
            details=type(exc).__name__,
        )
    return OutcomeUnknown(
        f"The connection to {host} broke after the request was sent, so {what}. {check}",
        details=type(exc).__name__,
    )


# ---------------------------------------------------------------- response shapes


def parse_send_result(data: Any) -> SendResult:
    """Both documented success shapes: ``recipientDetails[]`` and ``code``/``data``."""
    entries: list[Any] = []
    if isinstance(data, dict):
        if isinstance(data.get("recipientDetails"), list):
            entries = data["recipientDetails"]
        elif "data" in data:
            inner = data["data"]
            entries = inner if isinstance(inner, list) else [inner]
    deliveries = tuple(
        Delivery(str(entry.get("to", "")).strip(), str(entry["messageId"]).strip())
        for entry in entries
        if isinstance(entry, dict) and entry.get("messageId")
    )
    if not deliveries:
        raise BadResponse(
            "Kaleyra accepted the request but named no message ids, so the result is unknown. "
            "Check the delivery report before sending again.",
            details=json.dumps(data)[:2000],
        )
    return SendResult(deliveries, raw=data)


def parse_template_result(data: Any) -> TemplateResult:
    inner = data.get("data") if isinstance(data, dict) else None
    if not isinstance(inner, dict) or not inner.get("template_id"):
        raise BadResponse("Kaleyra's answer names no template id.", details=json.dumps(data)[:2000])
    placeholders: Any = inner.get("placeholders") or []
    if isinstance(placeholders, str):
        try:
            placeholders = json.loads(placeholders)
        except ValueError:
            placeholders = [placeholders]
    names = tuple(str(name) for name in placeholders) if isinstance(placeholders, list) else ()
    return TemplateResult(
        template_id=str(inner["template_id"]),
        template_number=str(inner["template_number"]) if inner.get("template_number") else None,
        status=str(inner["status"]) if inner.get("status") else None,
        placeholders=names,
        raw=data,
    )


# ---------------------------------------------------------------- connection test


@dataclass(frozen=True)
class ProbeAnswer:
    """What the server said to the connection test's GET, whatever its status."""

    status: int
    headers: Mapping[str, str]
    data: Any  # the JSON body (redacted), or None when there was none or it was not JSON
    text: str  # the body as text (redacted), cut to a few kB

    @property
    def is_kaleyra_json(self) -> bool:
        """Kaleyra's own error or result shape: an ``error`` object, or an ``RCS…`` code."""
        if not isinstance(self.data, dict):
            return False
        error = self.data.get("error")
        inner = self.data.get("data")
        code = str(self.data.get("code") or "")
        return bool(
            (isinstance(error, dict) and error)
            or (isinstance(inner, dict) and isinstance(inner.get("error"), dict))
            or code.upper().startswith("RCS")
        )


class ProbeFailed(KaleyraError):
    """The connection test got no answer; ``kind`` names what failed (see ``probe_failure``)."""

    def __init__(self, kind: str, message: str, *, details: str = "") -> None:
        super().__init__(message, details=details)
        self.kind = kind


def probe_template(client: KaleyraClient, template_id: str) -> ProbeAnswer:
    """One authenticated GET of ``template_id`` that changes nothing, answered whatever its
    status: a connection test tells a refused key (401/403) from an unknown id (404). Never
    retried. Raises ProbeFailed when no answer came (DNS, TLS, refused, timeout...)."""
    import requests

    path = templates_path(client.sid, template_id)
    url = api_url(client.base_url, path)
    headers = {
        "api-key": client._KaleyraClient__api_key,  # type: ignore[attr-defined]
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    exchange = _Exchange(client.session, "GET", url, None, headers, client.timeout)
    try:
        status, response_headers, text = exchange.within(client.deadline)
    except requests.exceptions.RequestException as exc:
        kind, sentence = probe_failure(exc, client.base_url)
        log.warning("connection test GET %s failed: %s", path, kind)
        raise ProbeFailed(kind, sentence, details=type(exc).__name__) from None
    except DeadlinePassed:
        host = urlsplit(client.base_url).hostname
        raise ProbeFailed(
            "timeout", f"{host} sent no complete answer within {client.deadline:g} s."
        ) from None
    except _TooLarge:
        raise ProbeFailed("unexpected", "The server's answer was far too large.") from None
    data: Any = None
    if text.strip():
        with contextlib.suppress(ValueError, RecursionError):
            data = redact_json(json.loads(text))
    log.info("connection test GET %s -> HTTP %s", path, status)
    return ProbeAnswer(status, dict(response_headers), data, text[:4000])


def probe_failure(exc: Exception, base_url: str) -> tuple[str, str]:
    """What kept a request from getting any answer, finer than ``classify_failure``: a kind
    (``no_network``, ``dns``, ``tls``, ``timeout``, ``refused``, ``connection``) and a
    sentence naming the host."""
    import errno

    import requests
    from urllib3.exceptions import NameResolutionError

    host = urlsplit(base_url).hostname or base_url
    chain = _causes(exc)
    numbers = {getattr(c, "errno", None) for c in chain if isinstance(c, OSError)}
    if numbers & {errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH}:
        return "no_network", (
            f"No network route to {host}: this computer seems to be offline, or a firewall "
            "blocks the way. Check your connection."
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "timeout", (
            f"Connecting to {host} timed out: the network is slow, offline, or a firewall "
            "drops the connection."
        )
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(c, ssl.SSLError) for c in chain
    ):
        return "tls", (
            f"The secure connection to {host} failed (certificate or TLS problem): check that "
            "the base URL is right, and any proxy that inspects secure traffic."
        )
    if any(isinstance(c, NameResolutionError | socket.gaierror) for c in chain):
        return "dns", (
            f"The name {host} could not be found (DNS): check the pod or base URL in the "
            "profile, and that this computer is online."
        )
    if any(isinstance(c, ConnectionRefusedError) for c in chain):
        return "refused", (
            f"{host} refused the connection: nothing listens at that address. Check the base "
            "URL and its port (or that the sandbox is running)."
        )
    if isinstance(exc, requests.exceptions.ReadTimeout) or any(
        isinstance(c, TimeoutError | socket.timeout) for c in chain
    ):
        return "timeout", f"{host} took the connection but did not answer in time."
    return "connection", f"The connection to {host} failed before it answered."
