"""Golden images: fresh renders match the references, and a machine with no fonts draws the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tests.gui.golden.cases import CASES
from tests.gui.golden.render_cases import GOLDEN_DIR, render_all, render_without_host_fonts

OUT = Path(__file__).parent.parent.parent / "test-output" / "golden"
CHANNEL_TOLERANCE = 40  # a pixel differs when a channel moves more than this (of 255)
PIXEL_TOLERANCE = 0.0005  # and at most this share of pixels may differ: less than one glyph


def differing_share(first: Path, second: Path, diff_to: Path | None = None) -> float:
    """The share of pixels that differ noticeably; writes a diff image to ``diff_to``."""
    a, b = Image.open(first).convert("RGBA"), Image.open(second).convert("RGBA")
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b)
    worst = diff.convert("RGB").split()
    mask = ImageChops.lighter(ImageChops.lighter(worst[0], worst[1]), worst[2])
    mask = mask.point(lambda value: 255 if value > CHANNEL_TOLERANCE else 0)
    share = mask.histogram()[255] / (a.width * a.height)
    if share and diff_to is not None:
        mask.save(diff_to)
    return share


@pytest.fixture(scope="module")
def fresh(qapp: object) -> Path:
    folder = OUT / "here"
    folder.mkdir(parents=True, exist_ok=True)
    render_all(folder)
    return folder


def test_there_are_reference_images_for_every_case() -> None:
    names = {case.name for case in CASES}
    assert len(names) >= 12
    assert {path.stem for path in GOLDEN_DIR.glob("*.png")} == names


@pytest.mark.parametrize("name", [case.name for case in CASES])
def test_a_fresh_render_matches_its_reference_image(fresh: Path, name: str) -> None:
    share = differing_share(
        GOLDEN_DIR / f"{name}.png", fresh / f"{name}.png", OUT / f"{name}-diff.png"
    )
    assert share <= PIXEL_TOLERANCE, (
        f"{name}: {share:.2%} of pixels differ from tests/gui/golden/{name}.png (diff in "
        f"{OUT}); if the change is intended, run python -m tests.gui.golden.render_cases --update"
    )


def test_a_machine_without_any_font_draws_the_same_pixels(fresh: Path) -> None:
    bare = OUT / "no-fonts"
    bare.mkdir(parents=True, exist_ok=True)
    done = render_without_host_fonts(bare)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", f"Qt complained without host fonts:\n{done.stderr}"
    for case in CASES:
        ours, theirs = fresh / f"{case.name}.png", bare / f"{case.name}.png"
        assert Image.open(ours).tobytes() == Image.open(theirs).tobytes(), (
            f"{case.name}: the preview drew different pixels once the host's fonts were gone"
        )
