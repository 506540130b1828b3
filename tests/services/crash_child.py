"""Saves drafts and autosaves in a tight loop until killed, reporting each finished write."""

import sys
from pathlib import Path

from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore

SLOTS = 3


def draft_number(counter: int) -> m.Draft:
    # Sizes vary from a few bytes to ~60 kB so that some writes take several blocks.
    text = f"edit {counter} " + "x" * (counter * 7919 % 60_000)
    return m.Draft(name=f"Draft {counter}", message=m.Message(content=m.TextContent(text)))


def main(root: str, first_counter: int) -> None:
    store = DraftStore(Path(root))
    session = store.start_session()
    ids: list[str | None] = [None] * SLOTS
    print(f"ready {session}", flush=True)
    counter = first_counter
    while True:
        counter += 1
        draft = draft_number(counter)
        slot = counter % SLOTS
        ids[slot] = store.save(ids[slot], draft).draft_id
        print(f"saved {ids[slot]} {counter}", flush=True)
        store.save_autosave(session, draft, ids[slot])
        print(f"autosaved {counter}", flush=True)
        if counter % 5 == 0:
            store.list()  # rewrites the index, so kills land in index writes too


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
