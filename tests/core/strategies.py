"""Hypothesis strategies that build any model object the codecs must carry."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from rcs_composer.core import model as m

texts = st.text(max_size=30)
maybe_text = st.none() | texts
json_scalars = st.none() | st.booleans() | st.integers(-1000, 1000) | texts
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)
# Unknown keys carried through; the x_ prefix keeps them apart from every known wire key.
extras = st.dictionaries(st.from_regex(r"x_[a-z]{1,6}", fullmatch=True), json_values, max_size=2)
coordinates = st.floats(-180, 180, allow_nan=False, allow_infinity=False)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


open_urls = st.builds(
    m.OpenUrl,
    url=maybe_text,
    application=_maybe(st.sampled_from(m.UrlApplication)),
    webview_mode=_maybe(st.sampled_from(m.WebviewMode)),
    description=maybe_text,
    extras=extras,
)
actions = st.one_of(
    open_urls,
    st.builds(m.Dial, phone_number=maybe_text, extras=extras),
    st.builds(
        m.ViewLocation,
        lat_long=_maybe(
            st.builds(
                m.LatLong,
                latitude=_maybe(coordinates),
                longitude=_maybe(coordinates),
                extras=extras,
            )
        ),
        label=maybe_text,
        query=maybe_text,
        extras=extras,
    ),
    st.builds(
        m.CalendarEvent,
        start_time=maybe_text,
        end_time=maybe_text,
        title=maybe_text,
        description=maybe_text,
        extras=extras,
    ),
    st.builds(m.ShareLocation, extras=extras),
)
suggestions = st.one_of(
    st.builds(
        m.Reply,
        text=maybe_text,
        postback_data=maybe_text,
        button_id=maybe_text,
        open_url=_maybe(open_urls),
        extras=extras,
    ),
    st.builds(
        m.ActionChip,
        text=maybe_text,
        postback_data=maybe_text,
        button_id=maybe_text,
        action=_maybe(actions),
        extras=extras,
    ),
)
slots = st.builds(m.SuggestionSlot, suggestion=suggestions, extras=extras)
slot_lists = st.lists(slots, max_size=3).map(tuple)
file_refs = st.builds(
    m.FileRef,
    file_url=maybe_text,
    thumbnail_url=maybe_text,
    content_description=maybe_text,
    extras=extras,
)
media = st.builds(
    m.Media, height=_maybe(st.sampled_from(m.MediaHeight)), file=_maybe(file_refs), extras=extras
)
cards = st.builds(
    m.CardContent,
    title=maybe_text,
    description=maybe_text,
    media=_maybe(media),
    suggestions=slot_lists,
    extras=extras,
)
contents = st.one_of(
    st.builds(m.TextContent, text=texts),
    st.builds(m.FileContent, file=file_refs),
    st.builds(
        m.RichCard,
        orientation=_maybe(st.sampled_from(m.Orientation)),
        thumbnail_alignment=_maybe(st.sampled_from(m.ThumbnailAlignment)),
        content=cards,
        extras=extras,
    ),
    st.builds(
        m.Carousel,
        card_width=_maybe(st.sampled_from(m.CardWidth)),
        cards=st.lists(cards, max_size=3).map(tuple),
        extras=extras,
    ),
)
# What a template body can hold: content and chip list, no envelope.
template_messages = st.builds(m.Message, content=contents, chips=slot_lists)
messages = st.builds(
    m.Message,
    content=contents,
    chips=slot_lists,
    sender=maybe_text,
    recipients=_maybe(st.lists(texts, max_size=3).map(tuple)),
    ref=maybe_text,
    ref1=maybe_text,
    ref2=maybe_text,
    ref3=maybe_text,
    ttl_seconds=_maybe(st.integers(0, 10**9)),
    extras=extras,
)
template_infos = st.builds(
    m.TemplateInfo,
    name=maybe_text,
    agent_number=maybe_text,
    status=maybe_text,
    template_id=maybe_text,
    template_number=maybe_text,
    extras=extras,
)
drafts = st.builds(
    m.Draft,
    name=texts,
    message=messages,
    variables=st.dictionaries(texts, texts, max_size=3),
    created=maybe_text,
    modified=maybe_text,
    template=_maybe(template_infos),
    extras=extras,
)
