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
from urllib.parse import quote, urlsplit

from rcs_composer import __version__
from rcs_composer.core.codecs import wire_bytes
from rcs_composer.services.deadline import DeadlinePassed, call_within
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


class InsecureUrl(KaleyraError):
    pass


class KaleyraClient:
    """Blocking calls to ``{base_url}/v1/{sid}/rcs/...``; run them off the GUI thread."""

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
        data = self._call("POST", "rcs/messages", body, retries=self.send_retries, is_send=True)
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
        return parse_template_result(self._template_call("POST", "rcs/template", body))

    def get_template(self, template_id: str) -> TemplateResult:
        return parse_template_result(
            self._template_call("GET", f"rcs/template/{_seg(template_id)}")
        )

    def update_template(self, template_id: str, body: Mapping[str, Any]) -> TemplateResult:
        path = f"rcs/template/{_seg(template_id)}"
        return parse_template_result(self._template_call("PUT", path, body))

    def delete_template(self, template_id: str) -> None:
        self._template_call("DELETE", f"rcs/template/{_seg(template_id)}", allow_empty=True)

    def template_history(self, template_id: str) -> list[dict[str, Any]]:
        data = self._template_call("GET", f"rcs/template_history/{_seg(template_id)}")
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
    ) -> Any:
        return self._call(
            method,
            path,
            body,
            retries=self.template_retries,
            is_send=False,
            allow_empty=allow_empty,
        )

    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None,
        *,
        retries: int,
        is_send: bool,
        allow_empty: bool = False,
    ) -> Any:
        attempt = 0
        while True:
            try:
                return self._once(method, path, body, allow_empty=allow_empty)
            except (ConnectFailed, DnsFailed, TlsFailed, ConnectTimeout):
                # Certainly nothing reached the server: safe to retry, a bounded number of times.
                if attempt >= retries:
                    raise
            except (RateLimited, ServerUnavailable) as exc:
                wait = getattr(exc, "retry_after", None)
                if is_send or attempt >= retries or wait is None or wait > MAX_RETRY_WAIT:
                    raise
                self.sleep(max(wait, 0.0))
            attempt += 1

    def _once(
        self, method: str, path: str, body: Mapping[str, Any] | None, *, allow_empty: bool
    ) -> Any:
        import requests

        url = f"{self.base_url}/v1/{_seg(self.sid)}/{path}"
        headers = {
            "api-key": self.__api_key,
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        endpoint = f"{method} /v1/{self.sid}/{path}"
        is_send = path.endswith("messages")
        data = wire_bytes(dict(body)) if body is not None else None
        exchange = _Exchange(self.session, method, url, data, headers, self.timeout)
        try:
            status, response_headers, text = exchange.within(self.deadline)
        except requests.exceptions.RequestException as exc:
            error = classify_failure(exc, self.base_url, is_send=is_send)
            log.warning("%s failed: %s", endpoint, type(error).__name__)
            raise error from None
        except DeadlinePassed:
            log.warning("%s passed its %.0f s deadline", endpoint, self.deadline)
            raise OutcomeUnknown(
                f"{urlsplit(self.base_url).hostname} sent no complete answer within "
                f"{self.deadline:g} s, so the request may have been carried out. "
                + _check_first(is_send)
            ) from None
        except _TooLarge:
            raise BadResponse(
                f"The server's answer was larger than {MAX_RESPONSE_BYTES // 1_000_000} MB, so it "
                "was not read and the result is unknown. " + _check_first(is_send)
            ) from None
        return self._interpret(endpoint, status, response_headers, text, allow_empty, is_send)

    def _interpret(
        self,
        endpoint: str,
        status: int,
        headers: Mapping[str, str],
        text: str,
        allow_empty: bool,
        is_send: bool = True,
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
                    f"The server answered HTTP {status} with JSON nested too deeply to read. "
                    + _check_first(is_send),
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
            raise api_error(status, headers, data, text)
        if data is None and not allow_empty:
            raise BadResponse(
                f"Kaleyra answered HTTP {status} with an empty body, so the result is unknown. "
                + _check_first(is_send)
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


def _seg(value: str) -> str:
    return quote(value, safe="")


def api_error(status: int, headers: Mapping[str, str], data: Any, text: str) -> ApiError:
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
_CHECK_TEMPLATE = "Look the template up (template get, or the Templates list) before trying again."


def _check_first(is_send: bool) -> str:
    """What to look at before trying again, when the call's outcome is not known."""
    return _CHECK_SEND if is_send else _CHECK_TEMPLATE


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

    def within(self, seconds: float) -> tuple[int, Mapping[str, str], str]:
        """The status, headers and redacted text; DeadlinePassed after ``seconds``."""
        try:
            return call_within(self._run, seconds)
        except DeadlinePassed:
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
            text = redact(bytes(body).decode(response.encoding or "utf-8", errors="replace"))
            return response.status_code, response.headers, text


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


def classify_failure(exc: Exception, base_url: str, *, is_send: bool = True) -> KaleyraError:
    """Map a requests failure to what the user must know: was anything sent?"""
    import requests
    from urllib3.exceptions import NameResolutionError

    host = urlsplit(base_url).hostname or base_url
    chain = _causes(exc)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return ConnectTimeout(
            f"Could not reach {host}: the connection timed out. Nothing was sent; "
            "check your network and try again."
        )
    if isinstance(exc, requests.exceptions.SSLError) or any(
        isinstance(c, ssl.SSLError) for c in chain
    ):
        return TlsFailed(
            f"The secure connection to {host} failed (certificate or TLS problem). "
            "Nothing was sent. Check the base URL and your network's proxy."
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
    what = "the message may have been sent" if is_send else "the request may have been carried out"
    check = _check_first(is_send)
    if isinstance(exc, requests.exceptions.ReadTimeout) or any(
        isinstance(c, TimeoutError | socket.timeout) for c in chain
    ):
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

    path = f"rcs/template/{_seg(template_id)}"
    url = f"{client.base_url}/v1/{_seg(client.sid)}/{path}"
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
        log.warning("connection test GET /v1/%s/%s failed: %s", client.sid, path, kind)
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
    log.info("connection test GET /v1/%s/%s -> HTTP %s", client.sid, path, status)
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
