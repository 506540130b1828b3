"""RCS_COMPOSER_API_KEY, taken out of the environment at start: no program the app starts (the
file manager of "Show log folder", a browser, a shell) inherits the key."""

from __future__ import annotations

import os

ENV_KEY = "RCS_COMPOSER_API_KEY"
_taken = ""  # the key, once out of the environment


def take_env_key() -> str:
    """The key RCS_COMPOSER_API_KEY held, removed from the environment the first time it is
    read (the process keeps it); "" when it was not set. The command line calls this first."""
    global _taken
    value = os.environ.pop(ENV_KEY, None)
    if value is not None:
        _taken = value.strip()
    return _taken
