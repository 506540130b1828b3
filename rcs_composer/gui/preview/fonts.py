"""The bundled fonts: registered once, chained per script, and the only glyphs the preview draws."""

from __future__ import annotations

import bisect
import functools
import json
import logging
import re
import sys
import unicodedata
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QFont, QFontDatabase

from rcs_composer.gui.package_data import package_folder
from rcs_composer.gui.preview.font_table import COVERAGE_FILE, EMOJI_FAMILY, FACES, FALLBACK_CHAIN

log = logging.getLogger(__name__)
FONTS_PACKAGE = "rcs_composer.fonts"
MISSING_GLYPH = "\ufffd"  # drawn by Roboto, the same on every machine
# Kept as they are: line breaks, tabs, and the invisible characters that shape the glyphs around
# them without drawing one themselves: format characters (joiners, direction marks, emoji tags)
# and variation selectors (U+FE0F asks for an emoji's colour form).
_KEPT_CATEGORIES = frozenset({"Cf"})
_INVISIBLE_RANGES = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF), (0x034F, 0x034F), (0x180B, 0x180F))
_PLAIN_ASCII = re.compile(r"[\n\t\x20-\x7e]*")

# The families a preview font asks for. Qt takes a text item's glyphs from the first family that
# supports the item's script, and for the characters that family lacks, from the families after
# the *first* one, then the host's. An item in another script than Latin (a "&" or "₹" after a
# Hindi word belongs to the Devanagari item) would never come back to Roboto, the first, and took
# its symbols from the host's fonts; named again second, Roboto heads those fallbacks, as it heads
# Android's. Every character reaching Qt is in a bundled face (drawable()), so no host font is
# ever asked.
FAMILIES: tuple[str, ...] = (FALLBACK_CHAIN[0], *FALLBACK_CHAIN)

_registered: list[str] | None = None


def register_bundled_fonts() -> list[str]:
    """Add every bundled face to Qt's font database, once; returns the files that failed.

    Needs a QGuiApplication. The files are read by FreeType on demand, so registering all of
    them costs a few milliseconds, not the 13 MB they hold.
    """
    global _registered
    if _registered is not None:
        return _registered
    failed: list[str] = []
    folder = package_folder(FONTS_PACKAGE)
    for face in FACES:
        entry = folder / face.file
        if isinstance(entry, Path):  # on disk: FreeType reads the file when a glyph is drawn
            added = QFontDatabase.addApplicationFont(str(entry))
        else:  # inside a zip: Qt keeps the bytes
            added = QFontDatabase.addApplicationFontFromData(QByteArray(entry.read_bytes()))
        if added < 0:
            failed.append(face.file)
    if failed:
        log.warning("bundled fonts not loaded: %s", ", ".join(failed))
    _antialias_bundled_fonts_whatever_the_host_says()
    QFontDatabase.setApplicationEmojiFontFamilies([EMOJI_FAMILY])
    _registered = failed
    return failed


# Qt's fontconfig font engine takes antialiasing from the host's fontconfig ("antialias" false on
# some desktops and in "crisp fonts" tweaks) over the font's own PreferAntialias, and every glyph
# of the preview would turn jagged there. A rule read after the host's, for our renamed families
# only, says what Android does: greyscale antialiased (subpixel is off in the QFont). The window's
# own fonts are not named, so they keep the host's settings.
_ANTIALIAS_RULE = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>{matches}</fontconfig>
"""
_ANTIALIAS_MATCH = """
<match target="font">
<test name="family"><string>{family}</string></test>
<edit name="antialias" mode="assign"><bool>true</bool></edit>
</match>"""


def _antialias_bundled_fonts_whatever_the_host_says() -> None:
    """Add ``_ANTIALIAS_RULE`` to the fontconfig that Qt uses (Linux and other Unix only)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return  # no fontconfig: Qt's Windows and macOS engines honour PreferAntialias
    import ctypes  # only here: nothing else of the app needs it

    try:
        library = ctypes.CDLL("libfontconfig.so.1")  # the one Qt already loaded
        library.FcConfigGetCurrent.restype = ctypes.c_void_p
        library.FcConfigParseAndLoadFromMemory.argtypes = [
            ctypes.c_void_p,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        config = library.FcConfigGetCurrent()
        matches = "".join(
            _ANTIALIAS_MATCH.format(family=_xml_text(name)) for name in FALLBACK_CHAIN
        )
        rule = _ANTIALIAS_RULE.format(matches=matches).encode()
        loaded = config and library.FcConfigParseAndLoadFromMemory(config, rule, 1)
    except (OSError, AttributeError):
        loaded = False
    if not loaded:
        log.warning("could not tell fontconfig to antialias the bundled fonts")


def _xml_text(text: str) -> str:
    """``text`` for an XML element (our own family names). Not xml.sax.saxutils: importing it
    imports urllib.request, http.client, email and ssl, some 17 ms before the first paint."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def preview_font(pixels: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """A font that takes each character from the first bundled family that has it.

    Unhinted, as Android draws, antialiased in grey without subpixel colour fringes: a host's
    fontconfig settings would otherwise change glyph widths and pixels from machine to machine.
    """
    register_bundled_fonts()
    font = QFont()
    font.setFamilies(list(FAMILIES))
    font.setPixelSize(round(pixels))
    font.setWeight(weight)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    font.setStyleStrategy(
        QFont.StyleStrategy.PreferAntialias | QFont.StyleStrategy.NoSubpixelAntialias
    )
    font.setKerning(True)
    return font


@functools.cache
def _coverage() -> tuple[list[int], list[int]]:
    runs = json.loads((package_folder(FONTS_PACKAGE) / COVERAGE_FILE).read_text())
    return [first for first, _ in runs], [last for _, last in runs]


def has_glyph(char: str) -> bool:
    """Whether a bundled font draws ``char`` (or it needs no glyph of its own)."""
    point = ord(char)
    if char in "\n\t\u2028":
        return True
    category = unicodedata.category(char)
    if category in _KEPT_CATEGORIES:
        return True
    if category == "Cc":  # a font's glyph for NUL or BEL is no character a phone shows
        return False
    if any(first <= point <= last for first, last in _INVISIBLE_RANGES):
        return True
    starts, ends = _coverage()
    index = bisect.bisect_right(starts, point) - 1
    return index >= 0 and point <= ends[index]


@functools.lru_cache(maxsize=4096)
def drawable(text: str) -> str:
    """``text`` with each character no bundled font draws replaced by U+FFFD.

    Qt would otherwise borrow the glyph from whatever font the host has, and the preview would
    differ between machines; a phone has its own fonts, and the preview says honestly that this
    one cannot show the character.
    """
    if _PLAIN_ASCII.fullmatch(text):
        return text
    return "".join(char if has_glyph(char) else MISSING_GLYPH for char in text)
