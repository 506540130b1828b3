"""Small drafts for tests: a text message with a name, and reading its text back."""

from __future__ import annotations

from rcs_composer.core import model as m


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
