"""One memory of sends for the whole process, so nothing goes twice by accident.

Each Send window used to remember its own send: closing it and opening another forgot that a
send was still out, or that one had gone with no answer; and on the sandbox, which answers in
milliseconds, a double click or a held Enter sent again as soon as the first answer was in.
The guard knows every send by its account and the exact body it posts:

- the same body is never out twice at once (SendInFlight, whatever the user says);
- the same body again after one that went with no answer, or a moment after one that went,
  needs the user's explicit "again" (SentBefore names the earlier send);
- the send history keeps each body's digest, so a command run again after "may have been
  sent" is asked the same, across processes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
import time
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from rcs_composer.core.local_time import local_time
from rcs_composer.services.kaleyra_replies import KaleyraError

if TYPE_CHECKING:
    from rcs_composer.services.history import SendHistory

JUST_SENT_S = 3.0  # past a double click and a key's auto-repeat; a deliberate resend is asked
Key = tuple[str, str]  # (profile name, SHA-256 of the body as posted)


def body_digest(body: Mapping[str, Any]) -> str:
    from rcs_composer.core.codecs import wire_bytes
    from rcs_composer.services.digests import sha256_hex

    return sha256_hex(wire_bytes(dict(body)))


@dataclasses.dataclass(frozen=True)
class Earlier:
    """A send of the same body before this one: ``unknown`` (no answer came) or just sent."""

    unknown: bool
    time: str  # ISO 8601, as the history records it

    def sentence(self) -> str:
        when = local_time(self.time)
        if self.unknown:
            return (
                f"The same message went to the same numbers at {when} and no answer came "
                "back, so it may have arrived: check your phone or the delivery report first."
            )
        return f"The same message went to the same numbers a moment ago ({when})."


class SentBefore(KaleyraError):
    """Not sent: the same body went before (``earlier``); it goes again only when asked to."""

    def __init__(self, earlier: Earlier) -> None:
        super().__init__(f"Not sent again. {earlier.sentence()}")
        self.earlier = earlier


class SendInFlight(KaleyraError):
    """Not sent: the same body is out now, and its answer has not come back."""

    def __init__(self) -> None:
        super().__init__(
            "Not sent: the same message to the same numbers is being sent now (from another "
            "window) and its answer has not come back yet. Wait for it."
        )


class SendGuard:
    """The sends of this process, by account and body; thread-safe (sends run on workers)."""

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._out: set[Key] = set()
        self._last: dict[Key, tuple[Earlier, float]] = {}

    def earlier(self, key: Key) -> Earlier | None:
        """What this process knows of an earlier send of ``key`` that needs an explicit
        "again": one with no answer, or one a moment ago."""
        with self._lock:
            found = self._last.get(key)
        if found is None:
            return None
        earlier, at = found
        if earlier.unknown or self._clock() - at < JUST_SENT_S:
            return earlier
        return None

    def is_out(self, key: Key) -> bool:
        with self._lock:
            return key in self._out

    @contextlib.contextmanager
    def sending(
        self, key: Key, *, again: bool, history: SendHistory | None = None
    ) -> Iterator[None]:
        """Hold ``key`` as out for the block; SendInFlight when it is out already, SentBefore
        when an earlier send needs an explicit ``again`` (this process's, or the history's)."""
        with self._lock:
            if key in self._out:
                raise SendInFlight
            self._out.add(key)
        try:
            if not again:
                earlier = self.earlier(key) or _unknown_in_history(history, key)
                if earlier is not None:
                    raise SentBefore(earlier)
            yield
        finally:
            with self._lock:
                self._out.discard(key)

    def finished(self, key: Key, outcome: str, at: str) -> None:
        """Remember how the send of ``key`` ended: ``sent``, ``unknown`` or ``failed``."""
        with self._lock:
            if outcome == "failed":  # it certainly did not go: nothing to ask next time
                self._last.pop(key, None)
            else:
                self._last[key] = (Earlier(outcome == "unknown", at), self._clock())


def _unknown_in_history(history: SendHistory | None, key: Key) -> Earlier | None:
    """The newest recorded send of ``key`` when it had no answer (a later one that did answer,
    or failed, clears it)."""
    if history is None:
        return None
    profile, digest = key
    try:
        records = history.records()
    except OSError:
        return None  # an unreadable history must not stop a send; this process's memory holds
    for record in records:  # newest first
        if record.profile == profile and record.body_digest == digest:
            return Earlier(True, record.time) if record.outcome == "unknown" else None
    return None
