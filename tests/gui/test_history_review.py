"""The Send history dialog lists every record whatever time a record or an event holds: a time
no calendar here can show (year 1, year 9999, NaN) is shown as written, never an error that
leaves the list empty."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from rcs_composer.gui.history_dialog import HistoryDialog
from rcs_composer.gui.tasks import TaskRunner
from rcs_composer.services.history import EVENTS_FILE, HISTORY_FILE, SendHistory

BAD_TIMES = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "NaN"]


def record(time: str, number: str, message_id: str) -> dict[str, object]:
    return {
        "time": time,
        "profile": "sandbox",
        "endpoint": "POST /v1/sandbox/rcs/messages",
        "draft_name": f"Offer {message_id}",
        "recipients": [number],
        "outcome": "sent",
        "message_ids": {number: message_id},
        "error": None,
    }


def write_lines(path: Path, values: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(value) + "\n" for value in values), encoding="utf-8")


def open_history(qtbot: QtBot, root: Path) -> HistoryDialog:
    runner = TaskRunner()
    dialog = HistoryDialog(SendHistory(root), runner)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=5000):
        dialog.show()
    runner.drain()
    return dialog


def test_bad_times_in_events_and_records_never_hide_the_history(
    qtbot: QtBot, tmp_path: Path, india_time: None
) -> None:
    good = [record("2025-11-24T11:02:15+00:00", f"9199900000{i:02}", f"m-{i}") for i in range(40)]
    odd = [record(time, "919990000099", f"odd-{i}") for i, time in enumerate(BAD_TIMES)]
    write_lines(tmp_path / HISTORY_FILE, [*good, *odd])
    # events a user pasted (or a file hand-edited) for the first message, and for an odd one
    events = [{"type": "DELIVERED", "messageId": "m-0", "sentAt": time} for time in BAD_TIMES]
    events.append({"type": "READ", "messageId": "m-0", "sentAt": None})
    events.append({"type": "SENT", "messageId": "odd-0", "sentAt": "2025-11-24T11:02:16Z"})
    write_lines(tmp_path / EVENTS_FILE, [{"messageId": e["messageId"], "event": e} for e in events])

    dialog = open_history(qtbot, tmp_path)

    tree = dialog.tree
    assert tree.topLevelItemCount() == 43, "every record is listed"
    assert "could not be read" not in dialog.filter.placeholderText()
    shown = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    times = {item.text(2): item.text(0) for item in shown if item is not None}
    # newest first: the odd records were written last; their times read as they were written
    assert [times[f"Offer odd-{i}"] for i in range(3)] == BAD_TIMES
    assert times["Offer m-0"] == "24 Nov 2025, 16:32:15"
    first = next(item for item in shown if item is not None and item.text(2) == "Offer m-0")
    message = first.child(0)
    assert message is not None and message.text(4) == "m-0"
    rows = [message.child(i) for i in range(message.childCount())]
    assert [(row.text(0), row.text(5)) for row in rows if row is not None] == [
        *[(time, "DELIVERED") for time in BAD_TIMES],
        ("", "READ"),  # no time given: an empty cell, not "None"
    ]
    odd = next(item for item in shown if item is not None and item.text(2) == "Offer odd-0")
    sent = odd.child(0).child(0)  # type: ignore[union-attr]
    assert sent is not None and sent.text(0) == "24 Nov 2025, 16:32:16"


def test_filtering_a_history_with_bad_times_keeps_the_matching_rows(
    qtbot: QtBot, tmp_path: Path, india_time: None
) -> None:
    write_lines(
        tmp_path / HISTORY_FILE,
        [record(time, f"91999000001{i}", f"m-{i}") for i, time in enumerate(BAD_TIMES)],
    )
    events = [{"type": "DELIVERED", "messageId": "m-1", "sentAt": "0001-01-01T00:00:00+05:00"}]
    write_lines(tmp_path / EVENTS_FILE, [{"messageId": "m-1", "event": e} for e in events])
    dialog = open_history(qtbot, tmp_path)
    assert dialog.tree.topLevelItemCount() == 3
    dialog.filter.setText("m-1")
    assert dialog.tree.topLevelItemCount() == 1
    item = dialog.tree.topLevelItem(0)
    assert item is not None and item.text(0) == BAD_TIMES[1]
