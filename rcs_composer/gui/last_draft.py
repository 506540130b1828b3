"""The draft a returning user's window reopens, read in time for its first paint.

Read after the first paint, as the rest of the start-up is, the draft came ~0.3 s late: the
window showed an empty card (and, once checked, "1 error" for it) that the draft then
replaced. Read here, on a thread the start waits for a moment (``call_within``), the first
paint shows the draft itself. A read that is slow or fails changes nothing: the window opens
with an empty card and the reopen after the first paint reads it again and says what went
wrong.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSettings

from rcs_composer.services.deadline import DeadlinePassed, call_within

if TYPE_CHECKING:
    from rcs_composer.app.drafts import DraftLibrary, LoadedDraft

log = logging.getLogger(__name__)
LAST_DRAFT_KEY = "drafts/last"  # the draft the next start reopens
# How long the start waits for the read: past it the window shows without the draft. A draft
# on a local disk reads in a few milliseconds; a hung network folder must not hold the window.
READ_WAIT_S = 0.25


class ReadDraft(NamedTuple):
    """The last draft as read before the window was built."""

    draft_id: str
    loaded: LoadedDraft


def last_draft_id(settings: QSettings) -> str | None:
    value = settings.value(LAST_DRAFT_KEY)
    return value if isinstance(value, str) and value else None


def read_last_draft(
    library: DraftLibrary, draft_id: str, wait_s: float = READ_WAIT_S
) -> ReadDraft | None:
    """``draft_id``'s draft, when it is read within ``wait_s``; otherwise None (a failure is
    reported by the reopen after the first paint, which reads it again)."""
    try:
        return ReadDraft(draft_id, call_within(lambda: library.open(draft_id), wait_s))
    except DeadlinePassed:
        log.info("the last draft took over %.2f s to read; the window opens without it", wait_s)
    except Exception as error:  # the usual reopen says why, in the window
        log.info("the last draft was not read before the first paint: %s", error)
    return None
