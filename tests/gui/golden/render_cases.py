"""Draws the golden cases to PNGs: python -m tests.gui.golden.render_cases [--update | OUT_DIR]

``--update`` rewrites the reference images in tests/gui/golden/ (run it after an intended change
to the preview's look, open the PNGs, and commit them). It renders under an empty font
configuration, so no host font can reach a reference image.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parent
ROOT = GOLDEN_DIR.parents[2]
EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def empty_font_environment(folder: Path) -> dict[str, str]:
    """The environment of a machine with no fonts at all: fontconfig finds none."""
    config = folder / "fonts.conf"
    config.write_text(EMPTY_FONTCONFIG.format(cache=folder / "fontconfig-cache"))
    return {**os.environ, "FONTCONFIG_FILE": str(config), "QT_QPA_PLATFORM": "offscreen"}


def render_all(out_dir: Path) -> list[Path]:
    """Render every case into ``out_dir`` in this process; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from rcs_composer.gui.render import render_png
    from tests.gui.golden.cases import CASES
    from tests.gui.imageserver import ImageServer

    written = []
    with ImageServer() as images, tempfile.TemporaryDirectory() as cache:
        for case in CASES:
            path = out_dir / f"{case.name}.png"
            render_png(
                case.build(images.url),
                path,
                theme=case.theme,
                width_dp=case.width_dp,
                cache_dir=Path(cache),
                wait_for_images_s=10,
            )
            written.append(path)
    return written


def render_without_host_fonts(out_dir: Path) -> subprocess.CompletedProcess[str]:
    """Render every case in a child process that sees no font of this machine."""
    with tempfile.TemporaryDirectory() as folder:
        return subprocess.run(
            [sys.executable, "-m", "tests.gui.golden.render_cases", str(out_dir)],
            cwd=ROOT,
            env=empty_font_environment(Path(folder)),
            capture_output=True,
            text=True,
            timeout=300,
        )


def main(argv: list[str]) -> int:
    if argv == ["--update"]:
        done = render_without_host_fonts(GOLDEN_DIR)
        sys.stderr.write(done.stderr)
        print(f"reference images rewritten in {GOLDEN_DIR}" if done.returncode == 0 else "failed")
        return done.returncode
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for path in render_all(Path(argv[0])):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
