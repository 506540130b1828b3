"""What a new user sees first: the sample rich card, on the built-in sandbox profile."""

from __future__ import annotations

from rcs_composer.core import codecs
from rcs_composer.core.model import Draft
from rcs_composer.gui.package_data import package_folder

FIRST_SAMPLE = "standalone_card.json"
SANDBOX_BANNER = (
    "You are on the built-in sandbox: sends are simulated. Add your Kaleyra account in Profiles."
)


def sample_names() -> list[str]:
    folder = package_folder("rcs_composer.samples")
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))


def load_sample(name: str) -> Draft:
    text = package_folder("rcs_composer.samples").joinpath(name).read_text(encoding="utf-8")
    return codecs.loads(text).draft


def starting_draft() -> Draft:
    return load_sample(FIRST_SAMPLE)
