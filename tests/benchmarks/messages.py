"""The messages the benchmarks measure: model only, so a measured child imports nothing extra."""

from __future__ import annotations

from rcs_composer.core import model as m


def carousel(urls: list[str]) -> m.Message:
    """A carousel with one card per URL, each with a title, a description and two chips."""

    def card(index: int, url: str) -> m.CardContent:
        actions = tuple(
            m.SuggestionSlot(
                m.ActionChip(
                    text=f"Go {j}", postback_data=f"p{j}", action=m.OpenUrl(url="https://e.in/x")
                )
            )
            for j in range(2)
        )
        return m.CardContent(
            title=f"Card {index}",
            description="Fresh sweets, gift wrapped, delivered today.",
            media=m.Media(height=m.MediaHeight.MEDIUM, file=m.FileRef(file_url=url)),
            suggestions=actions,
        )

    return m.Message(content=m.Carousel(cards=tuple(card(i, url) for i, url in enumerate(urls))))


def text(words: str = "Diwali sale: 20% off every box of sweets until Sunday.") -> m.Message:
    return m.Message(content=m.TextContent(words))
