"""A sandbox that misbehaves on purpose, for tests: forced statuses, HTML pages, latency, drops."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any

from rcs_composer.services.sandbox import SandboxServer

HTML_502 = (
    "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
)


@dataclass
class Faults:
    """How the next requests misbehave (``remaining`` None = every request)."""

    latency: float = 0.0  # seconds before answering (after the request was read and handled)
    status: int | None = None  # answer with this status instead of handling the request
    body: str | None = None  # body for a forced status
    html: bool = False  # answer 502 with an HTML page, as a proxy would
    drop: bool = False  # handle the request, then close the connection without answering
    retry_after: float | None = None  # sent with a forced 429/503
    remaining: int | None = None

    def active(self) -> bool:
        return self.remaining is None or self.remaining > 0


class FaultySandbox(SandboxServer):
    """The real sandbox, with ``set_faults`` to make the next requests fail as asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.faults = Faults(remaining=0)
        self._current = threading.local()  # the faults the request on this thread is under

    def set_faults(self, faults: Faults) -> None:
        with self.lock:
            self.faults = faults

    def answer_instead(self, handler: Any) -> bool:
        with self.lock:
            faults = self.faults if self.faults.active() else None
            if faults is not None and faults.remaining is not None:
                faults.remaining -= 1
        self._current.faults = faults
        if faults is None:
            return False
        if faults.html:
            handler._reply(502, HTML_502, content_type="text/html")
            return True
        if faults.status is not None:
            extra = (
                {"Retry-After": str(faults.retry_after)} if faults.retry_after is not None else None
            )
            body = (
                faults.body
                if faults.body is not None
                else json.dumps({"code": faults.status, "message": "Forced by the sandbox"})
            )
            handler._reply(faults.status, body, extra=extra)
            return True
        return False

    def after_handling(self, handler: Any) -> bool:
        faults = getattr(self._current, "faults", None)
        if faults is None:
            return False
        if faults.latency:
            threading.Event().wait(faults.latency)
        if faults.drop:
            handler.close_connection = True
            handler.connection.close()
            return True
        return False
