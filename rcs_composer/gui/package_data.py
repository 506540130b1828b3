"""The folders of the data the app ships (samples, fonts, the guide), found cheaply."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


def package_folder(package: str) -> Traversable:
    """The folder of the data package ``package``.

    Installed from a wheel, run from a checkout or from the one-folder build, it is a folder on
    disk, and that is what this returns, without loading ``importlib.resources`` (a few
    milliseconds of the start-up). Anywhere else (a zip), it is what importlib.resources gives.
    """
    module = importlib.import_module(package)
    file = getattr(module, "__file__", None)
    if file:
        folder = Path(file).parent
        if folder.is_dir():
            return folder
    from importlib import resources

    return resources.files(package)
