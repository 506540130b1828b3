"""Kaleyra account profiles, kept in profiles.json in the config folder (never with a key)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from rcs_composer.core.issues import Region
from rcs_composer.services.hosts import is_loopback
from rcs_composer.services.paths import (
    FileLock,
    StorageError,
    atomic_write_text,
    remove_stale_temps,
    unused_name,
)
from rcs_composer.services.secrets import KeyringUnavailable, KeyStore

SANDBOX = "sandbox"
PROFILES_FILE = "profiles.json"
FILE_VERSION = 1  # the format this version writes; a higher one is a newer app's
MAX_FILE_BYTES = 1024 * 1024  # thousands of profiles; anything larger is not ours to parse

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


class UnknownSetting(ValueError):
    """A profile entry this version cannot use as it is (a newer version's value or type)."""


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
            found += _base_url_problems(self.base_url)
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
        """The profile in ``data``; unknown keys are ignored here (``unknown_keys`` names them),
        a value this version cannot use raises UnknownSetting naming it."""
        values: dict[str, Any] = {}
        for spec in dataclasses.fields(cls):
            if spec.name not in data:
                continue
            value = data[spec.name]
            expected = bool if spec.name == "verified" else str
            if type(value) is not expected:
                raise UnknownSetting(
                    f"{spec.name} is {json.dumps(value)[:40]}, not a {expected.__name__}"
                )
            values[spec.name] = value
        if "name" not in values:
            raise UnknownSetting("it has no name")
        region = values.get("region", "IN")
        if region not in {member.value for member in Region}:
            raise UnknownSetting(f"region {region!r} is not one this version knows")
        values["region"] = Region(region)
        if values.get("pod", "IN") not in PODS:
            raise UnknownSetting(f"pod {values['pod']!r} is not one this version knows")
        return cls(**values)

    @classmethod
    def unknown_keys(cls, data: Mapping[str, Any]) -> list[str]:
        known = {spec.name for spec in dataclasses.fields(cls)}
        return sorted(str(key) for key in data if key not in known)


def _base_url_problems(base_url: str) -> list[str]:
    try:
        parts = urlsplit(base_url)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return ["Base URL: not an address, for example https://rcs-api.in.kaleyra.io"]
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ["Base URL: an https:// address, for example https://rcs-api.in.kaleyra.io"]
    if parts.username is not None or parts.password is not None:
        # It would be shown in the list and stored in profiles.json: a key goes in the keyring.
        return ["Base URL: no user name or password in it; the API key goes in the keyring"]
    if parts.query or parts.fragment:
        return ["Base URL: the address only, without ?… or #… (the API's paths follow it)"]
    lookalike = _non_ascii_host(base_url)
    if lookalike:
        return [f"Base URL: {lookalike}"]
    if parts.scheme == "http" and not is_loopback(base_url):
        return ["Base URL: use https; plain http is only allowed on this computer"]
    return []


def _non_ascii_host(base_url: str) -> str | None:
    """Why a host outside ASCII is refused, or None: a letter of another script can pass for a
    Latin one (``kаleyra.io`` with a Cyrillic а), so the profile would show one host and the
    key go to another. The character is named, with the host's ASCII (xn--) form to write."""
    try:
        parts = urlsplit(base_url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host or host.isascii():
        return None
    import idna  # requests' own: the form it would have sent the request to

    from rcs_composer.core.urls import char_name

    position, char = next((i, c) for i, c in enumerate(host, start=1) if not c.isascii())
    sentence = (
        f"character {position} of the host {host} is {char_name(char)}, not plain ASCII, so "
        "the address may not be the one it looks like (a letter of another script can pass "
        "for a Latin one)"
    )
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:  # no name the DNS could hold either
        return f"{sentence}. Write the host in plain ASCII."
    at = f"{parts.scheme}://{ascii_host}" + (f":{port}" if port is not None else "") + parts.path
    return f"{sentence}. If it is the host you mean, write its ASCII form: {at}"


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


@dataclass
class _Entry:
    """One item of the file as read: kept as it was unless this profile is changed."""

    raw: Any
    profile: Profile | None  # None when this version cannot use it

    @property
    def name(self) -> str | None:
        if self.profile is not None:
            return self.profile.name
        name = self.raw.get("name") if isinstance(self.raw, dict) else None
        return name if isinstance(name, str) else None


@dataclass
class _Contents:
    entries: list[_Entry] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)  # top-level keys of newer versions
    problems: list[str] = field(default_factory=list)
    read_only: str | None = None  # why the file must not be rewritten, when it must not

    @property
    def profiles(self) -> list[Profile]:
        return [e.profile for e in self.entries if e.profile is not None]


class ProfileStore:
    """Profiles in one JSON file; the built-in sandbox profile is always listed first.

    Every change reads, changes and writes the file under one lock between processes, so
    parallel edits all land. What this version does not understand (a newer region, an unknown
    setting, a newer file format) is reported in ``problems`` and kept in the file; only a file
    that is not JSON at all is moved aside, and one that cannot be read is left alone.
    """

    def __init__(self, config_dir: Path, keys: KeyStore) -> None:
        self.path = config_dir / PROFILES_FILE
        self.keys = keys  # given by the Services container: one key store per front end
        self._sandbox = sandbox_profile()
        self._lock = FileLock(config_dir / f".{PROFILES_FILE}.lock", guards=self.path)
        self.problems: list[str] = []  # what the last read found, as sentences
        self.unreadable: str | None = None  # why the last read got nothing from the file
        self._cleaned = False

    @property
    def load_problem(self) -> str | None:
        return " ".join(self.problems) or None

    def set_sandbox_url(self, url: str) -> None:
        self._sandbox = sandbox_profile(url)

    # ------------------------------------------------------------ the file

    def _read(self) -> _Contents:
        contents = self._parse()
        self.problems = list(contents.problems)
        self.unreadable = contents.read_only if not contents.entries else None
        return contents

    def _parse(self) -> _Contents:
        try:
            with open(self.path, "rb") as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return _Contents()
        except OSError as exc:
            reason = "permission denied" if isinstance(exc, PermissionError) else exc.strerror
            return self._read_only(f"The profiles file {self.path} cannot be read ({reason})")
        if len(data) > MAX_FILE_BYTES:
            return self._read_only(
                f"The profiles file {self.path} is larger than {MAX_FILE_BYTES // 1024} kB"
            )
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            return self._move_aside(_why_not_json(exc))
        if not isinstance(document, dict):
            return self._move_aside("it is not a JSON object")
        version = document.get("version", FILE_VERSION)
        newer = type(version) is int and version > FILE_VERSION
        items = document.get("profiles")
        if not isinstance(items, list):
            if newer:
                return self._read_only(_newer_note(self.path, version))
            return self._move_aside("it has no list of profiles")
        contents = _Contents(extras={k: v for k, v in document.items() if k != "profiles"})
        if newer:
            contents.read_only = _newer_note(self.path, version)
            contents.problems.append(contents.read_only + ".")
        for number, raw in enumerate(items, start=1):
            contents.entries.append(_entry(raw, number, contents.problems))
        return contents

    def _read_only(self, reason: str) -> _Contents:
        return _Contents(
            problems=[f"{reason}. It is left as it is; profiles cannot be changed until it can."],
            read_only=reason,
        )

    def _move_aside(self, why: str) -> _Contents:
        """Only for a file that is not the JSON of a profiles file at all: keep it under another
        name, start a new one, and say so."""
        with self._lock.held():
            stamp = f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
            kept = unused_name(self.path.parent, stamp)
            try:
                if not self.path.exists():
                    return _Contents()  # another process moved it meanwhile
                self.path.replace(kept)
            except OSError as exc:
                return self._read_only(
                    f"The profiles file {self.path} cannot be parsed ({why}) nor moved aside "
                    f"({exc.strerror})"
                )
        return _Contents(
            problems=[
                f"The profiles file could not be parsed ({why}); it was kept as {kept.name} "
                "and a new one started."
            ]
        )

    def _write(self, contents: _Contents) -> None:
        items = [
            entry.raw
            for entry in contents.entries
            if entry.profile is None or not entry.profile.is_sandbox
        ]
        data = {**contents.extras, "version": FILE_VERSION, "profiles": items}
        atomic_write_text(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def _change(self) -> _Locked:
        """Read the file for a change, under the lock: what is written is based on it."""
        return _Locked(self)

    # ------------------------------------------------------------ profiles

    def list(self) -> list[Profile]:
        if not self._cleaned:
            self._cleaned = True
            self.clean_leftovers()
        return [self._sandbox, *[p for p in self._read().profiles if not p.is_sandbox]]

    def clean_leftovers(self) -> None:
        """Remove temporary files of profile writes that were killed; only when no process is
        writing the profiles now (the lock is free), so a live write keeps its file."""
        with contextlib.suppress(OSError), self._lock.held_if_free() as free:
            if free:
                remove_stale_temps(self.path.parent, prefix=f".{PROFILES_FILE}.")

    def get(self, name: str) -> Profile:
        for profile in self.list():
            if profile.name == name:
                return profile
        # one the file holds but this version does not use: say why, not that it is not there
        why = next((p for p in self.problems if p.startswith(f"Profile '{name}' ")), None)
        raise ProfileError(why or f"There is no profile named '{name}'.")

    def save(self, profile: Profile, *, replacing: str | None = None) -> None:
        """Add a profile, or edit the one named ``replacing`` (which may rename it)."""
        if profile.is_sandbox or replacing == SANDBOX:
            raise ProfileError("The built-in sandbox profile cannot be changed.")
        problems = profile.problems()
        if problems:
            raise ProfileError("; ".join(problems))
        with self._change() as contents:
            replaced = next((e for e in contents.entries if e.name == replacing), None)
            others = [e for e in contents.entries if e is not replaced]
            if any(e.name == profile.name for e in others):
                raise ProfileError(f"Name: a profile named '{profile.name}' already exists.")
            # Settings of a newer version in the profile being edited stay with it.
            kept = (
                {k: v for k, v in replaced.raw.items() if k in Profile.unknown_keys(replaced.raw)}
                if replaced is not None and isinstance(replaced.raw, dict)
                else {}
            )
            entry = _Entry({**kept, **profile.to_json()}, profile)
            if replaced is not None:
                contents.entries[contents.entries.index(replaced)] = entry
            else:
                contents.entries.append(entry)
            self._write(contents)
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
        with self._change() as contents:
            remaining = [e for e in contents.entries if e.name != name]
            if len(remaining) == len(contents.entries):
                raise ProfileError(f"There is no profile named '{name}'.")
            contents.entries = remaining
            self._write(contents)
        try:
            self.keys.delete(name)
        except KeyringUnavailable as exc:
            raise KeyLeftBehind(name, exc) from None


class KeyLeftBehind(KeyringUnavailable):
    """The profile is gone, but its key could not be taken out of the keyring."""

    def __init__(self, name: str, cause: KeyringUnavailable) -> None:
        super().__init__(
            f"Removed profile {name}, but its key is still in the keyring: {cause} "
            f"Remove the entry 'rcs-composer' / '{name}' with your keyring's own tool."
        )


class _Locked:
    """``with store._change() as contents``: the lock, the file read under it, and refusal
    to rewrite a file that was not fully understood."""

    def __init__(self, store: ProfileStore) -> None:
        self.store = store
        self._held = store._lock.held()

    def __enter__(self) -> _Contents:
        try:
            self._held.__enter__()
        except StorageError as exc:
            raise ProfileError(f"{exc}") from None
        try:
            # Temporary files of a killed write: nobody else can be writing now.
            remove_stale_temps(self.store.path.parent, prefix=f".{PROFILES_FILE}.")
            contents = self.store._read()
            if contents.read_only:
                raise ProfileError(
                    f"{contents.read_only}. It is left as it is, and nothing was changed."
                )
        except BaseException:
            self._held.__exit__(None, None, None)
            raise
        return contents

    def __exit__(self, *exc: object) -> None:
        self._held.__exit__(None, None, None)


def _entry(raw: Any, number: int, problems: list[str]) -> _Entry:
    if not isinstance(raw, dict):
        problems.append(f"Profile {number} in the file is not a profile; it is kept as it is.")
        return _Entry(raw, None)
    label = f"'{raw['name']}'" if isinstance(raw.get("name"), str) else str(number)
    try:
        profile = Profile.from_json(raw)
    except UnknownSetting as exc:
        problems.append(
            f"Profile {label} cannot be used by this version: {exc}. It is kept in the file "
            "as it is (a newer rcs-composer may have written it)."
        )
        return _Entry(raw, None)
    lookalike = _non_ascii_host(profile.base_url) if profile.pod == "custom" else None
    if lookalike:  # written by hand: never used, so no key goes to a host that only looks right
        problems.append(
            f"Profile {label} is not used (it is kept in the file as it is): in its base URL, "
            + lookalike
        )
        return _Entry(raw, None)
    unknown = Profile.unknown_keys(raw)
    if unknown:
        problems.append(
            f"Profile {label} has settings this version does not know ({', '.join(unknown)}); "
            "they are kept."
        )
    return _Entry(raw, profile)


def _newer_note(path: Path, version: object) -> str:
    return (
        f"The profiles file {path} was written by a newer rcs-composer (format {version}); "
        "it is not changed by this one"
    )


def _why_not_json(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno}: {exc.msg}"
    if isinstance(exc, RecursionError):
        return "it is nested too deeply"
    return type(exc).__name__
