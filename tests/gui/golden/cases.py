"""The golden preview cases: each a message, a theme and a phone width, drawn from bundled fonts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rcs_composer.core import model as m

Url = Callable[[str], str]  # a picture's path on the test's image server -> its URL


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Url], m.Message]
    theme: str = "light"
    width_dp: int = 360


def slot(text: str, action: m.Action | None = None) -> m.SuggestionSlot:
    if action is None:
        return m.SuggestionSlot(m.Reply(text=text, postback_data="reply"))
    return m.SuggestionSlot(m.ActionChip(text=text, postback_data="action", action=action))


SHOP = m.OpenUrl(url="https://shop.example.in/diwali")


def card(
    url: Url,
    title: str,
    description: str,
    height: m.MediaHeight | None = m.MediaHeight.SHORT,
    chips: tuple[str, ...] = ("Shop now",),
    picture: str = "/gradient.png",
) -> m.CardContent:
    return m.CardContent(
        title=title,
        description=description,
        media=m.Media(height=height, file=m.FileRef(file_url=url(picture))) if height else None,
        suggestions=tuple(
            slot(text, SHOP if index == 0 else None) for index, text in enumerate(chips)
        ),
    )


def standalone(content: m.CardContent, *, horizontal: bool = False) -> m.Message:
    if horizontal:
        return m.Message(
            content=m.RichCard(
                orientation=m.Orientation.HORIZONTAL,
                thumbnail_alignment=m.ThumbnailAlignment.LEFT,
                content=content,
            )
        )
    return m.Message(content=m.RichCard(content=content))


OFFER = "Up to 40% off on sweets and gift boxes. Order before 12 Nov for delivery in time."


def vertical(height: m.MediaHeight) -> Callable[[Url], m.Message]:
    return lambda url: standalone(
        card(url, f"Diwali offers: {height.value.title()} picture", OFFER, height, ("Shop now",))
    )


def horizontal(url: Url) -> m.Message:
    content = card(url, "Kaju katli, 500 g", "Rs 999 ₹499 · free delivery", m.MediaHeight.SHORT)
    return standalone(content, horizontal=True)


def ten_cards(url: Url) -> m.Message:
    pictures = ("/gradient.png", "/red.png", "/green.png", "/blue.png")
    cards = tuple(
        card(
            url,
            f"Gift box {index + 1}",
            " ".join(["Fresh sweets, gift wrapped, delivered today."] * (3 if index == 1 else 1)),
            m.MediaHeight.MEDIUM,
            ("Order", "Details"),
            pictures[index % len(pictures)],
        )
        for index in range(10)
    )
    return m.Message(content=m.Carousel(card_width=m.CardWidth.MEDIUM, cards=cards))


def every_action(_url: Url) -> m.Message:
    chips = (
        slot("Yes, please"),
        slot("Open site", m.OpenUrl(url="https://shop.example.in")),
        slot("Call us", m.Dial(phone_number="+919876543210")),
        slot("Find a store", m.ViewLocation(query="sweet shop near me")),
        slot(
            "Remind me",
            m.CalendarEvent(
                start_time="2026-11-12T10:00:00Z", end_time="2026-11-12T11:00:00Z", title="Sale"
            ),
        ),
        slot("Share location", m.ShareLocation()),
    )
    text = "Which would you like? Flat 30% off until 9:41 PM, Rs 999 and up."
    return m.Message(content=m.TextContent(text), chips=chips)


def script_card(title: str, description: str, chip: str) -> Callable[[Url], m.Message]:
    return lambda url: standalone(card(url, title, description, m.MediaHeight.SHORT, (chip,)))


def every_indian_script(_url: Url) -> m.Message:
    lines = (
        "Telugu: దీపావళి శుభాకాంక్షలు",
        "Gujarati: દિવાળીની શુભેચ્છા",
        "Kannada: ದೀಪಾವಳಿಯ ಶುಭಾಶಯಗಳು",
        "Malayalam: ദീപാവലി ആശംസകൾ",
        "Punjabi: ਦੀਵਾਲੀ ਦੀਆਂ ਮੁਬਾਰਕਾਂ",
        "Odia: ଦୀପାବଳିର ଶୁଭେଚ୍ଛା",
        "Hindi: दीपावली की शुभकामनाएँ",
    )
    return m.Message(content=m.TextContent("\n".join(lines)))


def emoji(_url: Url) -> m.Message:
    text = "Happy Diwali 🪔✨🎆 Flat 30% off till 9:41 PM 🎁\nFamily packs 👨‍👩‍👧‍👦 👍🏽 ❤️ 1️⃣ 🇮🇳"
    return m.Message(
        content=m.TextContent(text), chips=(slot("🎉 Count me in"), slot("🛍️ Shop", SHOP))
    )


def long_title(url: Url) -> m.Message:
    title = "https://shop.example.in/offers/diwali-2026/sweets-and-gift-boxes-with-free-delivery"
    return standalone(card(url, title, "Supercalifragilisticexpialidocious" * 3, None))


CASES: tuple[Case, ...] = (
    Case("vertical-short", vertical(m.MediaHeight.SHORT)),
    Case("vertical-medium", vertical(m.MediaHeight.MEDIUM)),
    Case("vertical-tall-dark", vertical(m.MediaHeight.TALL), theme="dark"),
    Case("horizontal", horizontal),
    Case("carousel-ten-cards", ten_cards),
    Case("carousel-ten-cards-dark", ten_cards, theme="dark", width_dp=412),
    Case("chips-every-action", every_action, width_dp=412),
    Case(
        "hindi",
        script_card(
            "दिवाली धमाका सेल 🪔",
            "सभी मिठाइयों और उपहार बॉक्स पर 40% तक की छूट। 12 नवंबर से पहले ऑर्डर करें।",
            "अभी खरीदें",
        ),
    ),
    Case(
        "tamil-dark",
        script_card(
            "தீபாவளி சிறப்பு சலுகை",
            "அனைத்து இனிப்புகளுக்கும் 40% வரை தள்ளுபடி. இன்றே ஆர்டர் செய்யுங்கள்.",
            "இப்போது வாங்கு",
        ),
        theme="dark",
    ),
    Case(
        "bengali",
        script_card(
            "দীপাবলির বিশেষ অফার",
            "সব মিষ্টি ও উপহার বাক্সে ৪০% পর্যন্ত ছাড়। আজই অর্ডার করুন।",
            "এখনই কিনুন",
        ),
    ),
    Case(
        "urdu",
        script_card(
            "دیوالی کی خاص پیشکش",
            "تمام مٹھائیوں اور تحفے کے ڈبوں پر 40٪ تک رعایت۔ آج ہی آرڈر کریں۔",
            "ابھی خریدیں",
        ),
    ),
    Case("every-indian-script", every_indian_script),
    Case("emoji-dark", emoji, theme="dark"),
    Case("long-unbroken-title", long_title, width_dp=320),
)
