"""Every size and colour the phone preview draws with, in one table, each with its source.

Sources (preview-spec.md): G-RC Google's RBM rich-card guide, RBM the RBM v1 reference, DF
Dialogflow's RBM types, AWS End User Messaging RCS pages, Sinch quoting Google, M3 Material 3
tokens. "ours" marks a value we chose where nothing is documented.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rcs_composer.core.model import CardWidth, MediaHeight

# ---------------------------------------------------------------- sizes in dp
MEDIA_HEIGHT_DP: Mapping[MediaHeight | None, float] = {
    MediaHeight.SHORT: 112,  # G-RC, DF
    MediaHeight.MEDIUM: 168,  # G-RC, DF
    MediaHeight.TALL: 264,  # G-RC, DF
    None: 112,  # omitted = SHORT (G-RC, DF)
}
HORIZONTAL_MEDIA_WIDTH_DP = 128  # RBM, AWS ("about 128 dp")
# ours: a horizontal card's text column is at least what a 320 dp phone (the narrowest common
# width) gives it; on a narrower screen the card stacks its media on top, like a vertical card.
HORIZONTAL_MIN_TEXT_COLUMN_DP = 128
CAROUSEL_CARD_WIDTH_DP: Mapping[CardWidth | None, float] = {
    CardWidth.SMALL: 180,  # AWS, Sinch (DF says 120: maybe the media area)
    CardWidth.MEDIUM: 296,  # AWS, Sinch (DF says 232)
    CardWidth.UNSPECIFIED: 296,  # ours: devices default to MEDIUM
    None: 296,
}
CAROUSEL_MAX_HEIGHT_DP: Mapping[CardWidth | None, float] = {
    CardWidth.SMALL: 542,  # AWS: tallest allowed
    CardWidth.MEDIUM: 592,  # AWS
    CardWidth.UNSPECIFIED: 592,
    None: 592,
}
CAROUSEL_GAP_DP = 8  # ours
CARD_CORNER_DP = 12  # M3 card
CARD_PADDING_DP = 16  # ours (M3 card content padding)
CARD_TEXT_GAP_DP = 4  # ours
SUGGESTION_ROW_DP = 48  # ours
CHIP_HEIGHT_DP = 32  # M3 chip
CHIP_GAP_DP = 8  # ours
CHIP_PADDING_DP = 16  # M3 chip horizontal padding
CHIP_ICON_DP = 18  # M3 chip leading icon
BUBBLE_CORNER_DP = 18  # ours
BUBBLE_PADDING_DP = 12  # ours
STATUS_BAR_DP = 28  # ours
APP_BAR_DP = 64  # ours
LOGO_DP = 40  # ours (header logo)
AVATAR_DP = 28  # ours (logo beside the message)
MESSAGE_LEFT_DP = 12  # ours
MESSAGE_INDENT_DP = 48  # ours: avatar + gap
MESSAGE_RIGHT_DP = 16  # ours
STANDALONE_MAX_WIDTH_DP = 320  # ours: Google Messages keeps cards narrower than the screen
COMPOSER_BAR_DP = 72  # ours
PHONE_BEZEL_DP = 10  # ours
PHONE_CORNER_DP = 36  # ours
MIN_SCREEN_HEIGHT_DP = 680  # ours: a phone shape even for a one-line message
DEVICE_WIDTHS_DP = (320, 360, 412)  # ours: 360 default, a common Android width

# ---------------------------------------------------------------- type (sp / weight)
TITLE_SP, TITLE_LINE_SP = 16, 24  # M3 title
BODY_SP, BODY_LINE_SP = 14, 20  # M3 body
SMALL_SP, SMALL_LINE_SP = 12, 16  # M3 small
CHIP_LABEL_SP, CHIP_LINE_SP = 14, 20  # M3 chip label (label-large), weight 500
HEADER_SP, HEADER_LINE_SP = 18, 24  # ours: the agent's name in the app bar, weight 500


@dataclass(frozen=True)
class Palette:
    surface: str
    on_surface: str
    on_surface_variant: str
    outline: str
    outline_variant: str
    surface_container: str
    frame: str
    placeholder: str
    failed: str


PALETTES: Mapping[str, Palette] = {
    # M3 baseline tokens; frame, placeholder and failed are ours.
    "light": Palette(
        "#FEF7FF",
        "#1D1B20",
        "#49454F",
        "#79747E",
        "#CAC4D0",
        "#F3EDF7",
        "#202124",
        "#E8E0EC",
        "#B3261E",
    ),
    "dark": Palette(
        "#141218",
        "#E6E0E9",
        "#CAC4D0",
        "#938F99",
        "#49454F",
        "#211F26",
        "#000000",
        "#2B2930",
        "#F2B8B5",
    ),
}
