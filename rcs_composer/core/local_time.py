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
    seconds, or ISO text; text that is no time comes back as it is, never hidden."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        parsed = parse_moment(moment)
        if parsed is None:
            return moment
    elif isinstance(moment, datetime):
        parsed = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    else:
        parsed = datetime.fromtimestamp(moment, UTC)
    local = parsed.astimezone()
    today = (now or datetime.now(UTC)).astimezone()
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    if local.date() == today.date():
        return clock
    day = f"{local.day} {local.strftime('%b')}"
    if local.year != today.year:
        day += f" {local.year}"
    return f"{day}, {clock}"


def now_text() -> str:
    """The time now, as a status line says when something happened."""
    return local_time(datetime.now(UTC), seconds=False)
