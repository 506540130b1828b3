"""The preview's row values: over the sample values, kept through edits, gone when cleared."""

from __future__ import annotations

from rcs_composer.core import model as m
from rcs_composer.gui.preview.widget import PhonePreview


def title(preview: PhonePreview) -> str:
    return next(item.text for item in preview.layout_.items if item.kind == "title")


def card(text: str) -> m.Message:
    return m.Message(content=m.RichCard(content=m.CardContent(title=text, description="d")))


def test_row_values_win_over_samples_and_stay_through_an_edit(qtbot: object) -> None:
    preview = PhonePreview()
    qtbot.addWidget(preview)  # type: ignore[attr-defined]
    preview.set_message(card("Hi {{name}}"), {"name": "Sample"})
    assert title(preview) == "Hi Sample"
    preview.set_row_values({"name": "Row two"})
    assert title(preview) == "Hi Row two"
    preview.set_message(card("Hello {{name}}!"), {"name": "Sample"})  # an edit of the message
    assert title(preview) == "Hello Row two!"
    preview.set_row_values(None)
    assert title(preview) == "Hello Sample!"
