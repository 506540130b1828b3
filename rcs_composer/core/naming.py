"""The name a draft is offered when it is first saved: what the message says first."""

from __future__ import annotations

import re

from rcs_composer.core import model as m

UNTITLED = "Untitled"
MAX_SUGGESTED = 60  # characters: long enough to tell drafts apart, short enough for a list
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


def _first_words(text: str | None) -> str:
    line = next((part.strip() for part in (text or "").splitlines() if part.strip()), "")
    line = _VARIABLE.sub(r"\1", line)  # "{{name}}" reads as "name" in a draft's name
    if len(line) <= MAX_SUGGESTED:
        return line
    cut = line[:MAX_SUGGESTED].rsplit(" ", 1)[0] or line[:MAX_SUGGESTED]
    return cut.rstrip(" ,.;:-") + "…"


def _file_name(file: m.FileRef | None) -> str:
    url = (file.file_url or "") if file is not None else ""
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail if "." in tail else ""


def suggested_name(draft: m.Draft) -> str:
    """The draft's own name once it has one; before that, a card's title, the first line of
    the text, or the file's name, so Save offers something the user recognises."""
    if draft.name.strip() and draft.name.strip() != UNTITLED:
        return draft.name.strip()
    content = draft.message.content
    candidates: list[str | None] = []
    if isinstance(content, m.RichCard):
        candidates = [content.content.title, content.content.description]
    elif isinstance(content, m.Carousel):
        candidates = [card.title for card in content.cards]
        candidates += [card.description for card in content.cards]
    elif isinstance(content, m.TextContent):
        candidates = [content.text]
    elif isinstance(content, m.FileContent):
        candidates = [_file_name(content.file)]
    for candidate in candidates:
        words = _first_words(candidate)
        if words:
            return words
    return UNTITLED


LONGEST_NAME_SHOWN = 60  # characters of a name inside a sentence


def quoted(name: str) -> str:
    """``name`` in quotes for a sentence, its middle cut when long: a draft named with 20,000
    characters made the Unsaved changes question taller than the screen, its buttons gone."""
    if len(name) > LONGEST_NAME_SHOWN:
        half = LONGEST_NAME_SHOWN // 2
        name = f"{name[:half]}…{name[-half:]}"
    return f"“{name}”"
