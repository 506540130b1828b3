"""Which carousel cards the device cuts with a row's values, from the preview's own layout."""

from __future__ import annotations

from rcs_composer.core import model as m
from rcs_composer.gui.preview.layout import CARDS, Fonts, build_layout

DEVICE_WIDTH_DP = 360  # the preview's default phone


class CutFinder:
    """``finder(message)``: the paths of the cards taller than phones allow, cut in the spec's
    order. Keeps its own fonts, so a worker thread can use one without sharing the preview's
    text cache."""

    def __init__(self, width_dp: float = DEVICE_WIDTH_DP) -> None:
        self.width_dp = width_dp
        self.fonts = Fonts()

    def __call__(self, message: m.Message) -> list[str]:
        if not isinstance(message.content, m.Carousel):
            return []  # a standalone card grows freely; only carousel cards have a height cap
        layout = build_layout(message, self.width_dp, self.fonts)
        return [str(CARDS.at(index)) for index in layout.cut_cards]


def make_cut_finder(width_dp: float = DEVICE_WIDTH_DP) -> CutFinder:
    """For the command line: a finder, with the Qt application its fonts need made if none."""
    from rcs_composer.gui.render import _application

    _application()
    return CutFinder(width_dp)
