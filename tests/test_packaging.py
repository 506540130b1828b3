"""The package list in pyproject.toml covers every package, and samples ship inside the package."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path

from rcs_composer.core import codecs

ROOT = Path(__file__).parent.parent


def test_every_python_package_is_listed_for_the_wheel() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "rcs_composer").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_samples_are_reachable_through_importlib_resources_and_open() -> None:
    samples = [
        entry
        for entry in resources.files("rcs_composer.samples").iterdir()
        if entry.name.endswith(".json")
    ]
    assert len(samples) >= 5
    for entry in samples:
        text = entry.read_text(encoding="utf-8")
        document = codecs.loads(text)
        assert document.format is codecs.Format.DRAFT
        assert codecs.export_draft(document.draft) == json.loads(text)


def test_every_bundled_font_and_its_licence_ship_inside_the_package() -> None:
    from rcs_composer.gui.preview.font_table import COVERAGE_FILE, FACES

    fonts = resources.files("rcs_composer.fonts")
    shipped = {entry.name for entry in fonts.iterdir()}
    assert {face.file for face in FACES} <= shipped
    assert {COVERAGE_FILE, "LICENSE-OFL-1.1.txt", "LICENSE-Apache-2.0.txt", "README.md"} <= shipped
    for face in FACES:
        assert (fonts / face.file).read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")


def test_the_readme_states_the_caps_the_code_applies() -> None:
    from rcs_composer.services import kaleyra, media

    readme = (ROOT / "README.md").read_text()
    assert f"capped at {media.MAX_BYTES // 1024 // 1024} MB" in readme
    assert f"{media.MAX_PIXELS // 1_000_000} megapixels" in readme
    assert (
        f"{media.TIMEOUT[1]:g} s\n  between bytes" in readme
        or f"{media.TIMEOUT[1]:g} s between bytes" in readme
    )
    assert f"{media.FETCH_DEADLINE_S:g} s in all" in readme
    assert f"ends within {kaleyra.DEADLINE_S:g} s" in readme
    assert f"over {kaleyra.MAX_RESPONSE_BYTES // 1_000_000} MB" in readme
