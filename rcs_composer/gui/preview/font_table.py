"""The fonts the preview ships with: file, family, script and the package each came from.

Qt-free so that ``packaging/vendor_fonts.py`` can read it. Every family is renamed when it is
vendored (``RCS Roboto`` instead of ``Roboto``), so a host that has its own Roboto or Noto
installed can never stand in for ours: the preview draws the same pixels on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass

FAMILY_PREFIX = "RCS "


@dataclass(frozen=True)
class BundledFace:
    """One font file in ``resources/fonts``."""

    file: str  # our file name, also the name inside the Debian package
    family: str  # the family name as Qt sees it after vendoring
    style: str  # Regular, Medium or Bold
    weight: int  # OS/2 weight class
    script: str  # what it is for, in words
    package: str  # the Debian package it was taken from (see resources/fonts/README.md)
    source_dir: str  # where the package installs it


ROBOTO_DIR = "usr/share/fonts/truetype/roboto/unhinted/RobotoTTF"
NOTO_DIR = "usr/share/fonts/truetype/noto"


def _roboto(style: str, weight: int) -> BundledFace:
    return BundledFace(
        f"Roboto-{style}.ttf",
        f"{FAMILY_PREFIX}Roboto",
        style,
        weight,
        "Latin, Greek, Cyrillic, digits and punctuation (Google Messages' UI font)",
        "fonts-roboto-unhinted",
        ROBOTO_DIR,
    )


def _noto(name: str, script: str) -> BundledFace:
    """Regular only: Debian's Noto of 2020 has no Medium, and the preview draws nothing at 700,
    so titles and chips in these scripts draw at the nearest weight, Regular."""
    return BundledFace(
        f"NotoSans{name}-Regular.ttf",
        f"{FAMILY_PREFIX}Noto Sans {name}",
        "Regular",
        400,
        script,
        "fonts-noto-core",
        NOTO_DIR,
    )


# The order is the fallback chain: a character takes the first family that has it.
FACES: tuple[BundledFace, ...] = (
    _roboto("Regular", 400),
    _roboto("Medium", 500),
    _roboto("Bold", 700),
    _noto("Devanagari", "Hindi, Marathi, Nepali, Konkani"),
    _noto("Bengali", "Bengali, Assamese"),
    _noto("Tamil", "Tamil"),
    _noto("Telugu", "Telugu"),
    _noto("Gujarati", "Gujarati"),
    _noto("Kannada", "Kannada"),
    _noto("Malayalam", "Malayalam"),
    _noto("Gurmukhi", "Punjabi"),
    _noto("Oriya", "Odia"),
    _noto("Arabic", "Urdu, Arabic, Persian (right to left)"),
    BundledFace(
        "NotoColorEmoji.ttf",
        f"{FAMILY_PREFIX}Noto Color Emoji",
        "Regular",
        400,
        "colour emoji (as Android draws them)",
        "fonts-noto-color-emoji",
        NOTO_DIR,
    ),
)

EMOJI_FAMILY = FACES[-1].family
FALLBACK_CHAIN: tuple[str, ...] = tuple(dict.fromkeys(face.family for face in FACES))
COVERAGE_FILE = "coverage.json"  # the code points the bundled fonts draw, as ranges
