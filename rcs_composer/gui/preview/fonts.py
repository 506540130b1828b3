"""The bundled fonts: registered once, chained per script, and the only glyphs the preview draws."""

from __future__ import annotations

import bisect
import functools
import json
import logging
import re
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
    QFontDatabase.setApplicationEmojiFontFamilies([EMOJI_FAMILY])
    _registered = failed
    return failed


def preview_font(pixels: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """A font that takes each character from the first bundled family that has it.

    Unhinted, as Android draws, and without subpixel colour fringes: a host's fontconfig
    settings would otherwise change glyph widths and pixels from machine to machine.
    """
    register_bundled_fonts()
    font = QFont()
    font.setFamilies(list(FALLBACK_CHAIN))
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
