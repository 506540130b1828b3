"""Saves drafts and autosaves in a tight loop until killed (for the crash-safety test)."""

import sys
from pathlib import Path

from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore


def main(root: str, session: str) -> None:
    store = DraftStore(Path(root))
    counter = 0
    ids = [None, None, None]
    print("ready", flush=True)
    while True:
        counter += 1
        text = f"edit {counter} " + "x" * (counter % 5000)
        draft = m.Draft(name=f"Draft {counter % 3}", message=m.Message(content=m.TextContent(text)))
        slot = counter % 3
        ids[slot], _ = store.save(ids[slot], draft)
        store.save_autosave(session, draft, ids[slot])
        if counter % 7 == 0:
            store.entries()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
