"""Moments as a person reads them: local time, with the date when it is not today."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_moment(text: str) -> datetime | None:
    """An ISO 8601 time as the API and our files write it (``2026-11-24T11:02:15.703Z``)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def when_text(moment: datetime | float | str | None, now: datetime | None = None) -> str:
    """``14:02`` today, ``24 Nov 14:02`` this year, ``24 Nov 2025 14:02`` before; ``None`` is
    now. A text that is not a time is returned as it is, never hidden."""
    if isinstance(moment, str):
        parsed = parse_moment(moment)
        if parsed is None:
            return moment
        moment = parsed
    now = (now or datetime.now(UTC)).astimezone()
    if moment is None:
        local = now
    elif isinstance(moment, datetime):
        local = moment.astimezone()
    else:
        local = datetime.fromtimestamp(moment).astimezone()
    clock = f"{local:%H:%M}"
    if local.date() == now.date():
        return clock
    day = f"{local.day} {local:%b}"
    return f"{day} {clock}" if local.year == now.year else f"{day} {local.year} {clock}"
