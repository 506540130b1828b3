"""A second rcs-composer process on a library folder, driven one JSON command a line.

    python -m tests.support.library_writer FOLDER
    {"do": "open", "id": "..."} | {"do": "save", "text": "..."} | {"do": "overwrite", ...}
    | {"do": "new", "name": "...", "count": N} | {"do": "quit"}

Each command answers one JSON line. The settings and data folders are this process's own
(RCS_COMPOSER_* variables), as for a second user on the same shared folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rcs_composer.app.drafts import DraftConflict, OpenDraft
from rcs_composer.app.services import Services
from rcs_composer.core import model as m
from tests.support.drafts import text_draft


def main(folder: str) -> int:
    services = Services()
    library = services.library
    key = library.add_folder(Path(folder)).key
    opened = OpenDraft()
    conflict: DraftConflict | None = None
    print(json.dumps({"ready": key}), flush=True)
    for line in sys.stdin:
        command: dict[str, Any] = json.loads(line)
        answer: dict[str, Any] = {}
        if command["do"] == "open":
            draft_id = f"{key}/{command['id']}"
            loaded = library.open(draft_id)
            opened.draft_id, opened.name, opened.version = (
                draft_id,
                loaded.draft.name,
                loaded.version,
            )
            answer = {"opened": draft_id}
        elif command["do"] in ("save", "overwrite"):
            base = conflict.version if command["do"] == "overwrite" and conflict else opened.version
            assert opened.draft_id is not None and opened.name is not None
            try:
                saved = library.save(
                    opened.draft_id, text_draft(opened.name, command["text"]), loaded=base
                )
            except DraftConflict as exc:
                conflict = exc
                theirs = exc.theirs.message.content
                assert isinstance(theirs, m.TextContent)
                answer = {"conflict": str(exc), "theirs": theirs.text}
            else:
                opened.saved(saved.draft_id, saved.draft.name, saved.version)
                answer = {"saved": saved.draft_id}
        elif command["do"] == "new":
            ids = [
                library.save(
                    None, text_draft(command["name"], f"{command['tag']} {n}"), into=key
                ).draft_id.partition("/")[2]
                for n in range(command["count"])
            ]
            answer = {"created": ids}
        elif command["do"] == "quit":
            print(json.dumps({"bye": True}), flush=True)
            return 0
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
