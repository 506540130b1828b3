"""The name Save offers for a draft that has none yet."""

from __future__ import annotations

import pytest

from rcs_composer.core import model as m
from rcs_composer.core.naming import suggested_name


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (m.Draft(name="Named already"), "Named already"),
        (
            m.Draft(message=m.Message(content=m.TextContent("\n  Hello {{name}}!\nmore"))),
            "Hello name!",
        ),
        (m.Draft(message=m.Message(content=m.RichCard())), "Untitled"),
        (
            m.Draft(
                message=m.Message(
                    content=m.Carousel(cards=(m.CardContent(), m.CardContent(title="Second")))
                )
            ),
            "Second",
        ),
        (
            m.Draft(
                message=m.Message(
                    content=m.FileContent(m.FileRef(file_url="https://x.test/a/menu.pdf?x=1"))
                )
            ),
            "menu.pdf",
        ),
        (m.Draft(message=m.Message(content=m.TextContent("word " * 40))), "word " * 11 + "word…"),
    ],
)
def test_suggested_names(draft: m.Draft, expected: str) -> None:
    assert suggested_name(draft) == expected
