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


def local_time(
    moment: datetime | float | str | None, now: datetime | None = None, *, seconds: bool = True
) -> str:
    """A moment in this computer's time zone: the time alone when it is today, with the date
    when not (and the year when not this year). ``moment`` is an aware or UTC datetime, epoch
    seconds, or ISO text; text that is no time, or a time no calendar here can show (year 1 or
    9999 moved into this zone, an epoch number past year 9999, NaN), comes back as it was
    written, never hidden and never an error."""
    if moment is None or moment == "":
        return ""
    try:
        local, today = _local(moment), (now or datetime.now(UTC)).astimezone()
    except (OverflowError, OSError, ValueError):  # out of datetime's range, or not a number
        local = None
    if local is None:
        return _as_written(moment)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    if local.date() == today.date():
        return clock
    day = f"{local.day} {local.strftime('%b')}"
    if local.year != today.year:
        day += f" {local.year}"
    return f"{day}, {clock}"


def _local(moment: datetime | float | str) -> datetime | None:
    """``moment`` in the local zone, or None for text that is no time; raises when the moment
    lies outside what datetime can hold here."""
    if isinstance(moment, str):
        parsed = parse_moment(moment)
        if parsed is None:
            return None
    elif isinstance(moment, datetime):
        parsed = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    else:
        parsed = datetime.fromtimestamp(moment, UTC)
    return parsed.astimezone()


def _as_written(moment: datetime | float | str) -> str:
    if isinstance(moment, str):
        return moment
    return moment.isoformat() if isinstance(moment, datetime) else str(moment)


def now_text() -> str:
    """The time now, as a status line says when something happened."""
    return local_time(datetime.now(UTC), seconds=False)
