"""A real (non-sandbox) profile that talks to a local sandbox: the real-account paths, offline."""

from __future__ import annotations

from rcs_composer.gui.app_context import AppContext
from rcs_composer.services.profiles import Profile

REAL_PROFILE = "acme"


def add_real_account(context: AppContext, base_url: str, key: str) -> Profile:
    """Save the profile ``acme`` (a custom pod at ``base_url``) and its key in the keyring."""
    profile = Profile(
        name=REAL_PROFILE, pod="custom", base_url=base_url, sid="S1", sender="acme-rcs"
    )
    context.profiles.save(profile)
    context.keys.set(REAL_PROFILE, key)
    return profile
