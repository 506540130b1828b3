"""Refreshes resources/fonts from Debian's font packages: python packaging/vendor_fonts.py [DEBS]

Run it by hand when a font should be updated, then commit resources/fonts. It needs fontTools
(``pip install fonttools``) and, without DEBS (a folder of already downloaded .deb files),
``apt-get download`` and ``dpkg-deb``. It installs nothing on the system: each package is only
unpacked into a temporary folder.

Each face is renamed (family ``RCS Roboto`` and so on, see font_table.py) so that no font a
host has installed can take its place, and the code points all faces draw together are written
to coverage.json, which the preview uses to replace what no bundled font draws.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rcs_composer.gui.preview.font_table import (  # noqa: E402
    COVERAGE_FILE,
    FACES,
    BundledFace,
)

TARGET = ROOT / "resources" / "fonts"
LICENCES = {
    "fonts-roboto-unhinted": "Apache-2.0",
    "fonts-noto-core": "OFL-1.1",
    "fonts-noto-color-emoji": "OFL-1.1 (font), Apache-2.0 (emoji images)",
}


def unpack(debs: Path | None, work: Path) -> Path:
    """Unpack the packages FACES names into ``work``; download them first when ``debs`` is None."""
    packages = sorted({face.package for face in FACES})
    if debs is None:
        debs = work / "debs"
        debs.mkdir()
        subprocess.run(["apt-get", "download", *packages], cwd=debs, check=True)
    tree = work / "tree"
    for package in packages:
        found = sorted(debs.glob(f"{package}_*.deb"))
        if not found:
            raise SystemExit(f"no {package}_*.deb in {debs}")
        subprocess.run(["dpkg-deb", "-x", str(found[-1]), str(tree)], check=True)
        version = found[-1].name.split("_")[1].replace("%3a", ":")
        (work / f"{package}.version").write_text(version)
    return tree


def rename(face: BundledFace, source: Path, target: Path) -> set[int]:
    """Copy ``source`` to ``target`` with our family names; returns the code points it maps."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    names = font["name"]
    ribbi = face.style in ("Regular", "Bold")
    legacy_family = face.family if ribbi else f"{face.family} {face.style}"
    full = f"{face.family} {face.style}"
    postscript = full.replace(" ", "")
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    for name_id, value in (
        (1, legacy_family),
        (2, face.style if ribbi else "Regular"),
        (3, f"rcs-composer: {postscript}"),
        (4, full),
        (6, postscript),
        (16, face.family),
        (17, face.style),
    ):
        names.setName(value, name_id, 3, 1, 0x409)  # Windows, Unicode BMP, US English
    cmap = set(font.getBestCmap())
    font.save(str(target))
    return cmap


def ranges(points: set[int]) -> list[list[int]]:
    """Sorted code points as inclusive [first, last] runs."""
    runs: list[list[int]] = []
    for point in sorted(points):
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return runs


def write_notes(tree: Path, work: Path) -> None:
    """Licence texts, Debian's copyright files, and a README naming every file's origin."""
    for package in LICENCES:
        shutil.copy(tree / "usr/share/doc" / package / "copyright", TARGET / f"{package}.copyright")
    shutil.copy("/usr/share/common-licenses/Apache-2.0", TARGET / "LICENSE-Apache-2.0.txt")
    copyright_text = (tree / "usr/share/doc/fonts-noto-core/copyright").read_text()
    marker = "\nLicense: OFL-1.1\n PREAMBLE"
    ofl = copyright_text[copyright_text.index(marker) + len("\nLicense: OFL-1.1\n") :]
    lines = [line[1:] for line in ofl.split("\n\nLicense:", 1)[0].splitlines()]
    body = "\n".join("" if line == "." else line for line in lines).rstrip()
    (TARGET / "LICENSE-OFL-1.1.txt").write_text(
        f"SIL OPEN FONT LICENSE Version 1.1 - 26 February 2007\n\n{body}\n"
    )
    rows = "\n".join(
        f"| `{face.file}` | {face.family} {face.style} | {face.script} | {face.package} "
        f"{(work / f'{face.package}.version').read_text()} | {LICENCES[face.package]} |"
        for face in FACES
    )
    (TARGET / "README.md").write_text(
        "# Fonts the phone preview draws with\n\n"
        "Written by `packaging/vendor_fonts.py` from Debian's packages. Each face is the "
        "package's file with its family renamed (prefix `RCS `) so that fonts installed on a "
        "host never replace it; the glyphs are unchanged. `coverage.json` lists the code points "
        "the faces draw together.\n\n"
        "| file | family | for | from (Debian package, version) | licence |\n"
        "|---|---|---|---|---|\n"
        f"{rows}\n\n"
        "Licences: `LICENSE-OFL-1.1.txt` (SIL Open Font License 1.1, the Noto fonts), "
        "`LICENSE-Apache-2.0.txt` (Roboto; the emoji images). The `*.copyright` files are "
        "Debian's records of each package's authors and licences.\n"
    )


def main() -> int:
    debs = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        tree = unpack(debs, work)
        TARGET.mkdir(parents=True, exist_ok=True)
        for old in TARGET.glob("*.ttf"):
            old.unlink()
        covered: set[int] = set()
        for face in FACES:
            covered |= rename(face, tree / face.source_dir / face.file, TARGET / face.file)
            print(f"{face.file}: {face.family} {face.style}")
        (TARGET / COVERAGE_FILE).write_text(json.dumps(ranges(covered), separators=(",", ":")))
        write_notes(tree, work)
    init = TARGET / "__init__.py"
    if not init.exists():
        init.write_text("")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
