"""Kaleyra account profiles, kept in profiles.json in the config folder (never with a key)."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rcs_composer.core.issues import Region
from rcs_composer.services.hosts import is_loopback
from rcs_composer.services.paths import atomic_write_text
from rcs_composer.services.secrets import KeyStore

SANDBOX = "sandbox"
PROFILES_FILE = "profiles.json"

# Pod hosts. Messaging pages name .kaleyra.ai for NA, template pages .kaleyra.io (reference,
# "Hosts and auth"): each profile can override the base URL when its account differs.
POD_HOSTS: Mapping[str, tuple[str, str]] = {
    # pod: (messages base URL, templates base URL)
    "IN": ("https://rcs-api.in.kaleyra.io", "https://rcs-api.in.kaleyra.io"),
    "NA": ("https://rcs-api.na.kaleyra.ai", "https://rcs-api.na.kaleyra.io"),
}
PODS = ("IN", "NA", "custom")
_NAME = re.compile(r"^[\w .@()-]{1,40}$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ProfileError(ValueError):
    """A profile that cannot be saved or read; the message names the field."""


@dataclass(frozen=True)
class Profile:
    name: str
    pod: str = "IN"
    base_url: str = ""  # used when pod is "custom"
    sid: str = ""
    sender: str = ""
    agent_number: str = ""
    region: Region = Region.IN
    agent_name: str = ""
    logo_url: str = ""
    brand_color: str = "#1A73E8"
    verified: bool = False

    @property
    def is_sandbox(self) -> bool:
        return self.name == SANDBOX

    @property
    def messages_base_url(self) -> str:
        return POD_HOSTS[self.pod][0] if self.pod in POD_HOSTS else self.base_url.rstrip("/")

    @property
    def templates_base_url(self) -> str:
        return POD_HOSTS[self.pod][1] if self.pod in POD_HOSTS else self.base_url.rstrip("/")

    @property
    def display_agent(self) -> str:
        return self.agent_name or self.sender or self.name

    def problems(self) -> list[str]:
        """What keeps this profile from being saved, as sentences naming the field."""
        found = []
        if not _NAME.match(self.name):
            found.append("Name: 1 to 40 letters, digits, spaces or . @ ( ) - _")
        if self.pod not in PODS:
            found.append(f"Pod: choose one of {', '.join(PODS)}")
        if self.pod == "custom":
            scheme = urlsplit(self.base_url).scheme
            if scheme not in ("http", "https") or not urlsplit(self.base_url).hostname:
                found.append(
                    "Base URL: an https:// address, for example https://rcs-api.in.kaleyra.io"
                )
            elif scheme == "http" and not is_loopback(self.base_url):
                found.append("Base URL: use https; plain http is only allowed on this computer")
        if not self.is_sandbox and not self.sid.strip():
            found.append("SID: copy it from the kaleyra.io dashboard")
        if self.brand_color and not _COLOR.match(self.brand_color):
            found.append("Brand colour: write it as #RRGGBB")
        return found

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["region"] = self.region.value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Profile:
        known = {field.name for field in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["region"] = Region(values.get("region", "IN"))
        return cls(**values)


def sandbox_profile(base_url: str = "http://127.0.0.1:0") -> Profile:
    return Profile(
        name=SANDBOX,
        pod="custom",
        base_url=base_url,
        sid="sandbox",
        sender="rcs-sandbox",
        agent_number="100001",
        region=Region.IN,
        agent_name="Sandbox Agent",
        brand_color="#0B57D0",
        verified=True,
    )


class ProfileStore:
    """Profiles in one JSON file; the built-in sandbox profile is always listed first."""

    def __init__(self, config_dir: Path, keys: KeyStore | None = None) -> None:
        self.path = config_dir / PROFILES_FILE
        self.keys = keys or KeyStore()
        self._sandbox = sandbox_profile()
        self.load_problem: str | None = None

    def set_sandbox_url(self, url: str) -> None:
        self._sandbox = sandbox_profile(url)

    def _read(self) -> list[Profile]:
        self.load_problem = None
        if not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [Profile.from_json(entry) for entry in data["profiles"]]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            kept = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            self.path.replace(kept)
            self.load_problem = (
                f"The profiles file could not be read ({type(exc).__name__}); "
                f"it was kept as {kept.name} and a new one started."
            )
            return []

    def _write(self, profiles: list[Profile]) -> None:
        data = {"version": 1, "profiles": [p.to_json() for p in profiles if not p.is_sandbox]}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def list(self) -> list[Profile]:
        return [self._sandbox, *[p for p in self._read() if not p.is_sandbox]]

    def get(self, name: str) -> Profile:
        for profile in self.list():
            if profile.name == name:
                return profile
        raise ProfileError(f"There is no profile named '{name}'.")

    def save(self, profile: Profile, *, replacing: str | None = None) -> None:
        """Add a profile, or edit the one named ``replacing`` (which may rename it)."""
        if profile.is_sandbox or replacing == SANDBOX:
            raise ProfileError("The built-in sandbox profile cannot be changed.")
        problems = profile.problems()
        if problems:
            raise ProfileError("; ".join(problems))
        profiles = [p for p in self._read() if p.name != replacing]
        if any(p.name == profile.name for p in profiles):
            raise ProfileError(f"Name: a profile named '{profile.name}' already exists.")
        self._write([*profiles, profile])
        if replacing and replacing != profile.name:
            key = self.keys.get(replacing)
            if key:
                # The key already sits in this keyring, plain-text file or not: moving it to
                # the new name exposes nothing new, so it is not refused here.
                self.keys.set(profile.name, key, allow_plaintext=True)
            self.keys.delete(replacing)

    def remove(self, name: str) -> None:
        """Remove the profile and its key from the keyring."""
        if name == SANDBOX:
            raise ProfileError("The built-in sandbox profile cannot be removed.")
        profiles = self._read()
        if not any(p.name == name for p in profiles):
            raise ProfileError(f"There is no profile named '{name}'.")
        self._write([p for p in profiles if p.name != name])
        self.keys.delete(name)
