"""Small drafts for tests: a text message with a name, reading its text back, and the
unsaved work a killed window leaves."""

from __future__ import annotations

from pathlib import Path

from rcs_composer.core import model as m
from rcs_composer.services.drafts import DraftStore


def text_draft(name: str, text: str = "hello") -> m.Draft:
    return m.Draft(name=name, message=m.Message(content=m.TextContent(text)))


def text_of(draft: m.Draft) -> str:
    content = draft.message.content
    assert isinstance(content, m.TextContent)
    return content.text


def picture_carousel(urls: list[str], height: m.MediaHeight = m.MediaHeight.MEDIUM) -> m.Message:
    """A carousel with one titled card per picture URL."""
    cards = tuple(
        m.CardContent(
            title=f"Card {index}", media=m.Media(height=height, file=m.FileRef(file_url=url))
        )
        for index, url in enumerate(urls)
    )
    return m.Message(content=m.Carousel(cards=cards))


def crashed_session(root: Path, draft: m.Draft, draft_id: str | None = None) -> str:
    """A window that autosaved ``draft`` and was killed: its lock names a pid nobody has."""
    store = DraftStore(root)
    session = store.start_session()
    store.save_autosave(session, draft, draft_id)
    store.release_session(session)  # the OS drops a killed process's lock...
    (store.autosave_dir / f"{session}.lock").write_text("999999999\n")  # ...the file stays
    return session
