"""The README's Linux notes name every library Qt's xcb plugin needs, and CI installs that list."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
MARKER = "<!-- qt-libraries:"


def readme_packages() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    after = text[text.index(MARKER) :]
    block = after.split("```", 2)[1]
    command = block.replace("\\\n", " ")
    assert "sudo apt install" in command
    return command.split("sudo apt install", 1)[1].split()


def ci_packages() -> list[str]:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    match = re.search(r"^qt_packages=\(([^)]*)\)", script, re.MULTILINE)
    assert match, "no qt_packages=(...) in .ci/run"
    return match.group(1).split()


def test_the_readme_and_ci_install_the_same_libraries() -> None:
    readme, ci = readme_packages(), ci_packages()
    assert len(readme) == len(set(readme))
    assert sorted(readme) == sorted(ci)
    # Qt 6.5 and later will not load the xcb plugin without the cursor library.
    for needed in ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0"):
        assert needed in readme


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the xcb plugin is Linux's")
def test_every_library_of_the_xcb_plugin_is_found() -> None:
    """What a user on a minimal install would meet as a cryptic plugin error, found here first:
    ldd names every library the plugin cannot load. CI installs the README's list, so there
    this must pass; on a developer's machine a gap is reported as a skip naming the packages."""
    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    ldd = shutil.which("ldd")
    if ldd is None or not plugin.exists():
        pytest.skip("no ldd or no xcb plugin to check")
    out = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, check=False).stdout
    missing = sorted({line.split()[0] for line in out.splitlines() if "not found" in line})
    if missing and not os.environ.get("CI"):
        pytest.skip(
            f"this machine lacks {', '.join(missing)}: install the README's Linux notes list"
        )
    assert not missing, f"Qt's xcb plugin cannot load {missing}; add their packages"
