"""Where everything goes on the phone screen, in dp: a flat list of boxes the painter draws."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QRectF

from rcs_composer.core import model as m
from rcs_composer.core.field_paths import ROOT, FieldPath
from rcs_composer.gui.preview import geometry as g
from rcs_composer.gui.preview.icons import icon_for
from rcs_composer.gui.preview.text import Fonts, TextStyle

__all__ = ["Fonts", "Item", "Layout", "LayoutCache", "build_layout"]

VIDEO_SUFFIXES = (".mp4", ".m4v", ".mpeg", ".mpg", ".webm", ".3gp", ".h263")
# The fields the preview shows, by their addresses: a click on one selects it in the editor.
TEXT = ROOT.child("text")
FILE_URL = ROOT.join("file", "fileUrl")
STANDALONE_CARD = ROOT.join("richCardStandalone", "content")
CARDS = ROOT.join("richCardCarousel", "cardContents")
CHIPS = ROOT.child("suggestions")
# Drawn at most, past the API's limits (4 on a card, 11 chips; RBM's newer model says 10 on a
# card); the rest is one "+N more" row or chip. 10,000 pasted suggestions once made the phone
# 400,000 dp tall, and Fit then shrank it to a few pixels.
SHOWN_CARD_SUGGESTIONS = 10
SHOWN_CHIPS = 20


@dataclass
class Item:
    """One thing to draw: ``kind`` says how, ``path`` is the message field it shows."""

    kind: str
    rect: QRectF
    path: str | None = None
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    clip: QRectF | None = None  # a scrolling row clips its items to its own band


@dataclass
class Layout:
    items: list[Item]
    width: float  # screen width, dp
    height: float  # screen height, dp
    carousel_band: QRectF | None = None
    carousel_extent: float = 0.0  # total width of the cards, for scrolling
    chip_band: QRectF | None = None
    chip_extent: float = 0.0
    cut_cards: list[int] = field(default_factory=list)


def media_url(media: m.Media | None) -> str | None:
    if media is None or media.file is None:
        return None
    file_url = media.file.file_url or ""
    if file_url.lower().split("?")[0].endswith(VIDEO_SUFFIXES) or not file_url:
        return media.file.thumbnail_url or file_url or None
    return file_url


def _suggestion_path(slot: m.SuggestionSlot, owner: FieldPath, *steps: str | int) -> str:
    """A suggestion's row or chip (at ``steps`` under ``owner``) selects its label."""
    key = "reply" if isinstance(slot.suggestion, m.Reply) else "action"
    return _path(owner, *steps, key, "text")


@functools.lru_cache(maxsize=4096)
def _path(base: FieldPath, *parts: str | int) -> str:
    """The JSONPath of ``base`` joined with ``parts``: the same few addresses come back at
    every edit, and building one checks it against the message's fields."""
    return str(base.join(*parts))


@dataclass
class CardPlan:
    """A card's content after the device's cut order has been applied."""

    title: str | None
    description: str | None
    title_lines: int | None = None  # None: wrap freely
    description_lines: int | None = None
    suggestions: int = 0
    cut: bool = False


CardKey = tuple[Hashable, ...]
V = TypeVar("V")
CARD_CACHE_SIZE = 256  # laid-out cards kept: a few carousels' worth, scrolled a little


def card_key(card: m.CardContent, media_height: float) -> CardKey:
    """Everything of ``card`` its laid-out boxes depend on, as a hashable value (the model's
    dataclasses are not hashable: their extras are dicts, which the preview never draws)."""
    return (
        card.title or None,
        card.description or None,
        card.media is not None,
        media_url(card.media),
        media_height,
        tuple(
            (
                isinstance(slot.suggestion, m.Reply),
                slot.suggestion.text or "",
                icon_for(slot.suggestion),
            )
            for slot in card.suggestions
        ),
    )


class _Bounded(Generic[V]):
    """At most ``size`` values, the least recently used falling out first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.values: OrderedDict[Hashable, V] = OrderedDict()

    def fetch(self, key: Hashable, make: Callable[[], V]) -> V:
        found = self.values.get(key)
        if found is None:
            found = self.values[key] = make()
            if len(self.values) > self.size:
                self.values.popitem(last=False)
        else:
            self.values.move_to_end(key)
        return found

    def clear(self) -> None:
        self.values.clear()


# One card of a carousel as last built: the card, its sizes (media height, card width, row
# maximum), its key, its plan and natural height, its place in the row, and its boxes.
_Placed = tuple[
    m.CardContent,
    tuple[float, ...],
    CardKey,
    tuple[CardPlan, float],
    tuple[Hashable, ...],
    tuple[Item, ...],
]


class LayoutCache:
    """Carousel cards laid out by earlier builds, by value: an edit of one card lays out that
    card again and reuses the boxes of the others (they are pure functions of their inputs).

    Cards are kept by their ``card_key`` value, and the last build's row by position: a card
    still at its index and place (the same immutable object) takes its boxes back without its
    key even being read again.
    """

    def __init__(self, size: int = CARD_CACHE_SIZE) -> None:
        self.plans: _Bounded[tuple[CardPlan, float]] = _Bounded(size)  # plan, natural height
        self.cards: _Bounded[tuple[Item, ...]] = _Bounded(size)
        self.row: list[_Placed] = []
        self.fonts: Fonts | None = None

    def use(self, fonts: Fonts) -> None:
        """Boxes measured with other fonts are not these fonts' boxes: forget them."""
        if fonts is not self.fonts:
            self.plans.clear()
            self.cards.clear()
            self.row = []
            self.fonts = fonts


class LayoutBuilder:
    def __init__(
        self,
        fonts: Fonts,
        width_dp: float,
        carousel_offset: float = 0.0,
        chip_offset: float = 0.0,
        cache: LayoutCache | None = None,
    ) -> None:
        self.fonts = fonts
        self.cache = cache or LayoutCache()
        self.cache.use(fonts)
        self.width = width_dp
        self.carousel_offset = carousel_offset
        self.chip_offset = chip_offset
        self.items: list[Item] = []

    # ------------------------------------------------------------ text blocks

    def _text_height(
        self, style: TextStyle, width: float, text: str | None, lines: int | None
    ) -> float:
        if not text:
            return 0.0
        return self.fonts.block(style, text, width, lines).height

    def _card_text_height(self, plan: CardPlan, width: float) -> float:
        inner = width - 2 * g.CARD_PADDING_DP
        title = self._text_height(self.fonts.title, inner, plan.title, plan.title_lines)
        description = self._text_height(
            self.fonts.body, inner, plan.description, plan.description_lines
        )
        if not title and not description:
            return 0.0
        gap = g.CARD_TEXT_GAP_DP if title and description else 0
        return g.CARD_PADDING_DP * 2 + title + gap + description

    def _card_height(
        self, card: m.CardContent, plan: CardPlan, width: float, media_height: float
    ) -> float:
        return (
            media_height
            + self._card_text_height(plan, width)
            + plan.suggestions * g.SUGGESTION_ROW_DP
        )

    def plan_card(
        self, card: m.CardContent, width: float, media_height: float, max_height: float | None
    ) -> CardPlan:
        """The device's cut order for content past the card's maximum height (preview-spec.md)."""
        rows = min(len(card.suggestions), SHOWN_CARD_SUGGESTIONS + 1)  # the last: "+N more"
        plan = CardPlan(card.title or None, card.description or None, suggestions=rows)
        if max_height is None or self._card_height(card, plan, width, media_height) <= max_height:
            return plan
        plan.cut = True
        for step in self._cut_steps(plan, rows):
            step(plan)
            if self._card_height(card, plan, width, media_height) <= max_height:
                break
        return plan

    @staticmethod
    def _cut_steps(plan: CardPlan, suggestions: int) -> list[Callable[[CardPlan], None]]:
        """Google's order: description to one line, title to one line, suggestions from the
        end, then the description, then the title."""

        def one_line_description(p: CardPlan) -> None:
            p.description_lines = 1 if p.description else None

        def one_line_title(p: CardPlan) -> None:
            p.title_lines = 1 if p.title else None

        def drop_suggestion(p: CardPlan) -> None:
            p.suggestions = max(p.suggestions - 1, 0)

        def drop_description(p: CardPlan) -> None:
            p.description = None

        def drop_title(p: CardPlan) -> None:
            p.title = None

        return [
            one_line_description,
            one_line_title,
            *[drop_suggestion] * suggestions,
            drop_description,
            drop_title,
        ]

    # ------------------------------------------------------------ a card

    def card(
        self,
        card: m.CardContent,
        base: FieldPath,
        x: float,
        y: float,
        width: float,
        height: float | None,
        plan: CardPlan,
        *,
        horizontal: m.ThumbnailAlignment | None = None,
        media_height: float = 0.0,
        clip: QRectF | None = None,
        brand: str = "",
    ) -> float:
        """Add one card's items at (x, y); returns its height."""
        items: list[Item] = []
        url = media_url(card.media)
        text_height = self._card_text_height(
            plan, width - (g.HORIZONTAL_MEDIA_WIDTH_DP if horizontal else 0)
        )
        if horizontal is not None:
            top_height = max(text_height, 128.0) if card.media else text_height
            media_x = (
                x
                if horizontal is m.ThumbnailAlignment.LEFT
                else x + width - g.HORIZONTAL_MEDIA_WIDTH_DP
            )
            text_x = (
                x + g.HORIZONTAL_MEDIA_WIDTH_DP if horizontal is m.ThumbnailAlignment.LEFT else x
            )
            text_width = width - g.HORIZONTAL_MEDIA_WIDTH_DP
            if card.media is not None:
                items.append(
                    Item(
                        "media",
                        QRectF(media_x, y, g.HORIZONTAL_MEDIA_WIDTH_DP, top_height),
                        _path(base, "media"),
                        data={"url": url, "side": horizontal.value},
                    )
                )
            text_top = y
        else:
            top_height = media_height + text_height
            text_x, text_width = x, width
            if card.media is not None:
                items.append(
                    Item(
                        "media",
                        QRectF(x, y, width, media_height),
                        _path(base, "media"),
                        data={"url": url, "side": "TOP"},
                    )
                )
            text_top = y + media_height
        self._card_texts(items, plan, base, text_x, text_top, text_width)
        rows_top = y + top_height
        for index, slot in enumerate(card.suggestions[: plan.suggestions]):
            row = QRectF(x, rows_top + index * g.SUGGESTION_ROW_DP, width, g.SUGGESTION_ROW_DP)
            if index == SHOWN_CARD_SUGGESTIONS:
                more = f"+{len(card.suggestions) - index} more"  # no path: nothing to select
                items.append(Item("suggestion", row, None, more, data={"brand": brand}))
                break
            items.append(
                Item(
                    "suggestion",
                    row,
                    _suggestion_path(slot, base, "suggestions", index),
                    slot.suggestion.text or "",
                    data={"icon": icon_for(slot.suggestion), "brand": brand},
                )
            )
        natural = top_height + plan.suggestions * g.SUGGESTION_ROW_DP
        total = max(natural, height or 0.0)
        background = Item("card", QRectF(x, y, width, total), _path(base), data={"cut": plan.cut})
        self.items.append(background)
        self.items.extend(items)
        if plan.cut:  # no path: the marker must not hide the fields under it from clicks
            self.items.append(Item("cut", QRectF(x, y, width, total), None))
        for item in [background, *items]:
            item.clip = clip
        return total

    def _card_texts(
        self,
        items: list[Item],
        plan: CardPlan,
        base: FieldPath,
        x: float,
        top: float,
        width: float,
    ) -> None:
        inner = width - 2 * g.CARD_PADDING_DP
        cursor = top + g.CARD_PADDING_DP
        if plan.title:
            height = self._text_height(self.fonts.title, inner, plan.title, plan.title_lines)
            items.append(
                Item(
                    "title",
                    QRectF(x + g.CARD_PADDING_DP, cursor, inner, height),
                    _path(base, "title"),
                    plan.title,
                    data={"lines": plan.title_lines},
                )
            )
            cursor += height + g.CARD_TEXT_GAP_DP
        if plan.description:
            height = self._text_height(
                self.fonts.body, inner, plan.description, plan.description_lines
            )
            items.append(
                Item(
                    "description",
                    QRectF(x + g.CARD_PADDING_DP, cursor, inner, height),
                    _path(base, "description"),
                    plan.description,
                    data={"lines": plan.description_lines},
                )
            )

    # ------------------------------------------------------------ message kinds

    def standalone(self, card: m.RichCard, x: float, y: float, brand: str) -> float:
        width = min(self.width - x - g.MESSAGE_RIGHT_DP, g.STANDALONE_MAX_WIDTH_DP)
        content = card.content
        horizontal = None
        # Without media there is no thumbnail column: the text takes the card's width. On a
        # phone too narrow for the column and readable text, the card stacks like a vertical one.
        if (
            card.orientation is m.Orientation.HORIZONTAL
            and content.media is not None
            and width - g.HORIZONTAL_MEDIA_WIDTH_DP >= g.HORIZONTAL_MIN_TEXT_COLUMN_DP
        ):
            horizontal = card.thumbnail_alignment or m.ThumbnailAlignment.LEFT
        media_height = 0.0
        if content.media is not None and horizontal is None:
            media_height = g.MEDIA_HEIGHT_DP[content.media.height]
        plan = self.plan_card(content, width, media_height, None)
        return self.card(
            content,
            STANDALONE_CARD,
            x,
            y,
            width,
            None,
            plan,
            horizontal=horizontal,
            media_height=media_height,
            brand=brand,
        )

    def carousel(
        self, carousel: m.Carousel, x: float, y: float, brand: str
    ) -> tuple[float, QRectF, float, list[int]]:
        width = g.CAROUSEL_CARD_WIDTH_DP[carousel.card_width]
        max_height = g.CAROUSEL_MAX_HEIGHT_DP[carousel.card_width]
        cards, last = carousel.cards, self.cache.row
        kept: list[_Placed | None] = [
            last[index] if index < len(last) and last[index][0] is card else None
            for index, card in enumerate(cards)
        ]
        sizes, keys, plans = [], [], []
        for card, was in zip(cards, kept, strict=True):
            media_height = g.MEDIA_HEIGHT_DP[card.media.height] if card.media else 0.0
            size = (media_height, width, max_height)
            if was is not None and was[1] == size:
                key, planned = was[2], was[3]
            else:
                key = card_key(card, media_height)
                planned = self.cache.plans.fetch(
                    (key, width, max_height), self._planner(card, width, media_height, max_height)
                )
            sizes.append(size)
            keys.append(key)
            plans.append(planned)
        height = max((natural for _, natural in plans), default=0.0)
        band = QRectF(0, y, self.width, height)
        cursor = x - self.carousel_offset
        row: list[_Placed] = []
        for index, card in enumerate(cards):
            place = (index, cursor, y, height, self.width, brand)
            was = kept[index]
            if was is not None and was[1] == sizes[index] and was[4] == place:
                items = was[5]
            else:
                lay_out = functools.partial(
                    self._placed_card,
                    card,
                    index,
                    cursor,
                    y,
                    width,
                    height,
                    plans[index][0],
                    sizes[index][0],
                    band,
                    brand,
                )
                items = self.cache.cards.fetch((keys[index], sizes[index], place), lay_out)
            row.append((card, sizes[index], keys[index], plans[index], place, items))
            self.items.extend(items)
            cursor += width + g.CAROUSEL_GAP_DP
        self.cache.row = row
        extent = len(cards) * (width + g.CAROUSEL_GAP_DP) - g.CAROUSEL_GAP_DP
        return height, band, extent, [i for i, (plan, _) in enumerate(plans) if plan.cut]

    def _planner(
        self, card: m.CardContent, width: float, media_height: float, max_height: float
    ) -> Callable[[], tuple[CardPlan, float]]:
        def plan() -> tuple[CardPlan, float]:
            planned = self.plan_card(card, width, media_height, max_height)
            return planned, self._card_height(card, planned, width, media_height)

        return plan

    def _placed_card(
        self,
        card: m.CardContent,
        index: int,
        x: float,
        y: float,
        width: float,
        height: float,
        plan: CardPlan,
        media_height: float,
        band: QRectF,
        brand: str,
    ) -> tuple[Item, ...]:
        """Carousel card ``index``'s boxes, on their own (they are kept apart, by value)."""
        into, self.items = self.items, []
        try:
            self.card(
                card,
                CARDS.at(index),
                x,
                y,
                width,
                height,
                plan,
                media_height=media_height,
                clip=band,
                brand=brand,
            )
            return tuple(self.items)
        finally:
            self.items = into

    def text_bubble(self, text: str, x: float, y: float) -> float:
        max_width = self.width - x - g.MESSAGE_INDENT_DP
        pad = g.BUBBLE_PADDING_DP
        natural = self.fonts.block(self.fonts.body, text, max_width - 2 * pad).width
        width = min(max_width, natural + 2 * pad + 1)
        height = self.fonts.height(self.fonts.body, width - 2 * pad, text) + 2 * pad
        self.items.append(Item("bubble", QRectF(x, y, width, height), str(TEXT)))
        self.items.append(
            Item(
                "text",
                QRectF(x + pad, y + pad, width - 2 * pad, height - 2 * pad),
                str(TEXT),
                text,
            )
        )
        return height

    def file(self, file: m.FileRef, x: float, y: float) -> float:
        url = media_url(m.Media(file=file))
        if url and not (file.file_url or "").lower().split("?")[0].endswith(".pdf"):
            rect = QRectF(x, y, min(240.0, self.width - x - g.MESSAGE_RIGHT_DP), 168)
            self.items.append(Item("media", rect, str(FILE_URL), data={"url": url, "side": "ALL"}))
            return rect.height()
        name = (file.file_url or "file").rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "file"
        rect = QRectF(x, y, min(240.0, self.width - x - g.MESSAGE_RIGHT_DP), 64)
        self.items.append(Item("filechip", rect, str(FILE_URL), name))
        return rect.height()

    def chips(
        self, chips: tuple[m.SuggestionSlot, ...], x: float, y: float, brand: str
    ) -> tuple[QRectF, float]:
        band = QRectF(0, y, self.width, g.CHIP_HEIGHT_DP)
        cursor = x - self.chip_offset
        for index, slot in enumerate(chips[: SHOWN_CHIPS + 1]):
            icon = icon_for(slot.suggestion)
            label = slot.suggestion.text or ""
            if index == SHOWN_CHIPS:  # the rest, as one chip that selects nothing
                icon, label = None, f"+{len(chips) - index} more"
            width = self.fonts.width(self.fonts.chip, label) + 2 * g.CHIP_PADDING_DP
            if icon:
                width += g.CHIP_ICON_DP + 8
            rect = QRectF(cursor, y, width, g.CHIP_HEIGHT_DP)
            self.items.append(
                Item(
                    "chip",
                    rect,
                    _suggestion_path(slot, CHIPS, index) if index < SHOWN_CHIPS else None,
                    label,
                    data={"icon": icon, "brand": brand},
                    clip=band,
                )
            )
            cursor += width + g.CHIP_GAP_DP
        return band, cursor + self.chip_offset - x - g.CHIP_GAP_DP


def build_layout(
    message: m.Message,
    width_dp: float,
    fonts: Fonts,
    *,
    carousel_offset: float = 0.0,
    chip_offset: float = 0.0,
    brand: str = "#1A73E8",
    cache: LayoutCache | None = None,
) -> Layout:
    """Lay ``message`` out; with a ``cache`` kept between calls, carousel cards whose content
    and place did not change reuse their boxes."""
    builder = LayoutBuilder(fonts, width_dp, carousel_offset, chip_offset, cache)
    top = g.STATUS_BAR_DP + g.APP_BAR_DP + 16
    builder.items.append(Item("daystamp", QRectF(0, top, width_dp, 16), None, "Today"))
    y: float = top + 28
    x = g.MESSAGE_INDENT_DP
    content = message.content
    layout = Layout([], width_dp, 0)
    if isinstance(content, m.TextContent):
        height = builder.text_bubble(content.text, x, y)
    elif isinstance(content, m.FileContent):
        height = builder.file(content.file, x, y)
    elif isinstance(content, m.RichCard):
        height = builder.standalone(content, x, y, brand)
    else:
        height, band, extent, cut = builder.carousel(content, x, y, brand)
        layout.carousel_band, layout.carousel_extent, layout.cut_cards = band, extent, cut
    builder.items.append(
        Item(
            "avatar", QRectF(g.MESSAGE_LEFT_DP, y + height - g.AVATAR_DP, g.AVATAR_DP, g.AVATAR_DP)
        )
    )
    y += height + 6
    builder.items.append(Item("timestamp", QRectF(x, y, width_dp - x, 16), None, "9:41 AM · RCS"))
    y += 16 + 16
    if message.chips:
        band, extent = builder.chips(message.chips, x, y, brand)
        layout.chip_band, layout.chip_extent = band, extent
        y += g.CHIP_HEIGHT_DP + 16
    layout.height = max(g.MIN_SCREEN_HEIGHT_DP, y + g.COMPOSER_BAR_DP)
    layout.items = builder.items
    return layout
