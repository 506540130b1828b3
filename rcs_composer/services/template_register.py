"""The local register of a profile's Kaleyra templates: one JSON file per profile, atomic saves."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeGuard
from urllib.parse import quote, unquote

from rcs_composer.services.paths import FileLock, StorageError, atomic_write_text, unused_name

log = logging.getLogger(__name__)

REGISTER_FORMAT = "rcs-composer-templates"
REGISTER_VERSION = 1
FOLDER = "templates"
LOCK = ".templates.lock"
MAX_REGISTER_BYTES = 20 * 1024 * 1024  # thousands of templates fit in a few MB
# The steps of a template's history kept with its entry (the newest), and the longest text a
# server's field may fill: a lifecycle has a handful of steps, so thousands are not a history
# to keep, and a register that outgrew its own reader would lose every entry at the next load.
MAX_HISTORY_STEPS = 50
MAX_FIELD_CHARS = 2000
ORIGINS = ("created", "opened", "imported")
FRESH = "it was set aside and a new, empty list started."


@dataclass(frozen=True)
class StatusChange:
    """One step of a template's life as ``template_history`` reports it."""

    status: str
    at: str  # ISO 8601 as the server wrote it ("" when it gave none)
    reason: str | None = None


@dataclass(frozen=True)
class RegisteredTemplate:
    """What the app remembers of one template; the server's copy is the truth."""

    template_id: str
    name: str = ""
    template_number: str | None = None
    template_type: str = ""  # "1" text, "3" file, "4" rich card, "5" carousel
    region: str = ""
    draft_id: str | None = None  # the draft it was created from or opened into
    draft_name: str | None = None
    origin: str = "created"  # one of ORIGINS
    status: str | None = None  # last known
    reason: str | None = None  # why it was rejected, when the server says
    checked_at: str | None = None  # when the status was last read from the server
    recorded_at: str | None = None
    problem: str | None = None  # the last refresh's error sentence, cleared by a good one
    history: tuple[StatusChange, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The entry as written: a lone surrogate a server sent becomes U+FFFD (no file can
        hold it)."""
        data = dataclasses.asdict(self)
        data["history"] = [
            {key: _clean(value) for key, value in dataclasses.asdict(step).items()}
            for step in self.history
        ]
        return {key: _clean(value) for key, value in data.items() if value not in (None, (), [])}


class RegisterProblem(Exception):
    """Part of a register file could not be read; what could be read is kept."""


@dataclass(frozen=True)
class RegisterLoad:
    """The entries read, and a sentence for each thing that was wrong with the file."""

    entries: tuple[RegisteredTemplate, ...]
    problems: tuple[str, ...] = ()
    kept_aside: Path | None = None  # where the original file went, when it was set aside


_TEXT_FIELDS = (
    "name",
    "template_number",
    "template_type",
    "region",
    "draft_id",
    "draft_name",
    "origin",
    "status",
    "reason",
    "checked_at",
    "recorded_at",
    "problem",
)


_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON can spell them; no file can hold them


def _clean(value: Any) -> Any:
    return _SURROGATE.sub("\ufffd", value) if isinstance(value, str) else value


def _text(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and _SURROGATE.search(value) is None


# What each field is called in a sentence for the person who keeps the register.
FIELD_WORDS = {
    "name": "name",
    "template_number": "template number",
    "template_type": "type",
    "region": "region",
    "draft_id": "link to its draft",
    "draft_name": "draft name",
    "origin": "origin",
    "status": "status",
    "reason": "rejection reason",
    "checked_at": "time of the last check",
    "recorded_at": "time it was recorded",
    "problem": "last refresh error",
    "history": "status history",
}


def _called(value: dict[str, Any], template_id: str | None) -> str:
    """How an entry is named in a sentence: its name, else its id."""
    name = value.get("name")
    return (name.strip() if _text(name) and name.strip() else template_id or "").strip()


def entry_from(value: Any, number: int) -> tuple[RegisteredTemplate, list[str]]:
    """Entry ``number`` (1-based) read back: a field that is wrong is left out and said so in a
    sentence for a person; ValueError (also a sentence) when there is no entry to keep at all
    (not an object, or no template id)."""
    if not isinstance(value, dict):
        raise ValueError(f"Entry {number} of the template list is not a template; it was left out.")
    template_id = value.get("template_id")
    if not _text(template_id) or not template_id.strip():
        called = _called(value, None)
        named = f" (‘{called}’)" if called else ""
        raise ValueError(
            f"Entry {number} of the template list{named} has no readable template id; "
            "it was left out."
        )
    template_id = template_id.strip()
    called = _called(value, template_id)
    problems: list[str] = []

    def unreadable(key: str, what: str = "") -> None:
        problems.append(
            f"The entry for ‘{called}’ had {what or 'an unreadable ' + FIELD_WORDS[key]}; "
            "it was left out."
        )

    texts: dict[str, Any] = {}
    for key in _TEXT_FIELDS:
        item = value.get(key)
        if item is None:
            continue
        if not _text(item):
            unreadable(key)
            continue
        texts[key] = item
    if texts.get("origin", "created") not in ORIGINS:
        unreadable("origin", "an unknown origin")
        del texts["origin"]
    steps = value.get("history", [])
    history = []
    if not isinstance(steps, list):
        unreadable("history")
        steps = []
    bad_steps = 0
    for step in steps:
        if not isinstance(step, dict) or not _text(step.get("status")):
            bad_steps += 1
            continue
        at, reason = step.get("at"), step.get("reason")
        history.append(
            StatusChange(step["status"], at if _text(at) else "", reason if _text(reason) else None)
        )
    if bad_steps:
        steps_word = "an unreadable step" if bad_steps == 1 else f"{bad_steps} unreadable steps"
        problems.append(
            f"The entry for ‘{called}’ had {steps_word} in its status history; "
            f"{'it was' if bad_steps == 1 else 'they were'} left out."
        )
    entry = RegisteredTemplate(template_id=template_id, history=tuple(history), **texts)
    return entry, problems


def now_stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class TemplateRegister:
    """``root/templates/<profile>.json``: ``{"format", "version", "profile", "templates": []}``.

    Every change is one locked read-modify-write (another process, the command line, may
    write the same register), written atomically. A file that cannot be read whole is moved
    aside beside itself (``<name>.unreadable-<time>.json``) before anything is written, so
    nothing a user wrote by hand is ever overwritten; the entries that could be read stay.
    """

    def __init__(self, root: Path, clock: Callable[[], str] = now_stamp) -> None:
        self.folder = root / FOLDER
        self.lock = FileLock(self.folder / LOCK, guards=self.folder)
        self.clock = clock
        self._listeners: list[Callable[[str], None]] = []

    def subscribe(self, listener: Callable[[str], None]) -> None:
        """``listener(profile)`` after every change of that profile's register, on the thread
        that made it (a window relays it to its own thread)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[str], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def path_of(self, profile: str) -> Path:
        if not profile:
            raise ValueError("a register needs a profile name")
        return self.folder / f"{quote(profile, safe='@()-_ ').replace(' ', '+')}.json"

    # ------------------------------------------------------------ reading

    def load(self, profile: str) -> RegisterLoad:
        """The profile's entries (newest first). A damaged file is set aside and reported."""
        with self.lock.held():
            return self._load(profile)

    def entries(self, profile: str) -> list[RegisteredTemplate]:
        return list(self.load(profile).entries)

    def get(self, profile: str, template_id: str) -> RegisteredTemplate | None:
        return next((e for e in self.load(profile).entries if e.template_id == template_id), None)

    def _load(self, profile: str) -> RegisterLoad:
        path = self.path_of(profile)
        try:
            size = path.stat().st_size
            if size > MAX_REGISTER_BYTES:
                return self._set_aside(
                    path, [f"The template list is too large to read ({size:,} bytes); {FRESH}"], []
                )
            data = path.read_bytes()
        except FileNotFoundError:
            return RegisterLoad(())
        except OSError as exc:
            raise StorageError(path, exc.strerror or "it cannot be read") from None
        try:
            document = json.loads(data)
        except (ValueError, RecursionError) as exc:
            log.warning("template register %s is not JSON: %s", path, str(exc)[:200])
            return self._set_aside(path, [f"The template list is damaged (not JSON); {FRESH}"], [])
        if not isinstance(document, dict) or not isinstance(document.get("templates"), list):
            return self._set_aside(
                path, [f"The template list has no templates in a form the app reads; {FRESH}"], []
            )
        problems: list[str] = []
        if document.get("format") != REGISTER_FORMAT:
            problems.append(
                "The template list is not marked as this app's; the templates it holds were read."
            )
        entries: dict[str, RegisteredTemplate] = {}
        for number, value in enumerate(document["templates"], start=1):
            try:
                entry, wrong = entry_from(value, number)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if entry.template_id in entries:  # the first copy is the one kept
                first = entries[entry.template_id]
                problems.append(
                    f"‘{first.name or first.template_id}’ ({entry.template_id}) was listed "
                    f"twice; the first copy was kept and entry {number} was left out."
                )
                continue
            problems.extend(wrong)
            entries[entry.template_id] = entry
        if problems:
            return self._set_aside(path, problems, list(entries.values()))
        return RegisterLoad(tuple(entries.values()))

    def _set_aside(
        self, path: Path, problems: list[str], kept: list[RegisteredTemplate]
    ) -> RegisterLoad:
        """Move the damaged file beside itself and write back the entries that were read."""
        stamp = self.clock().replace(":", "").replace("-", "")
        aside = unused_name(path.parent, f"{path.stem}.unreadable-{stamp}", path.suffix)
        try:
            os.replace(path, aside)
        except OSError as exc:
            raise StorageError(path, f"it is damaged and could not be set aside: {exc}") from None
        log.warning("template register %s set aside as %s: %s", path, aside.name, problems)
        self._write(path, kept, profile_of(path))
        sentences = tuple(problems[:10]) + (
            (f"and {len(problems) - 10} more",) if len(problems) > 10 else ()
        )
        return RegisterLoad(tuple(kept), sentences, aside)

    # ------------------------------------------------------------ writing

    def _write(self, path: Path, entries: Iterable[RegisteredTemplate], profile: str) -> None:
        """Save the entries, never as a file ``_load`` would refuse: past its size the status
        histories (which a refresh reads again) are left out first; if even that is too large,
        nothing is written and the previous file stays (StorageError)."""
        kept = list(entries)
        text = _document(kept, profile)
        if len(text.encode()) > MAX_REGISTER_BYTES:
            log.warning("template register %s too large with histories; saved without", path)
            text = _document([dataclasses.replace(e, history=()) for e in kept], profile)
        size = len(text.encode())
        if size > MAX_REGISTER_BYTES:
            raise StorageError(
                path, f"the template list would be too large to read back ({size:,} bytes)"
            )
        atomic_write_text(path, text)

    def change(
        self,
        profile: str,
        edit: Callable[[dict[str, RegisteredTemplate]], None],
    ) -> RegisterLoad:
        """Apply ``edit`` to the entries (by id, in order) in one locked step and save them."""
        with self.lock.held():
            loaded = self._load(profile)
            entries = {entry.template_id: entry for entry in loaded.entries}
            edit(entries)
            self._write(self.path_of(profile), entries.values(), profile)
            changed = dataclasses.replace(loaded, entries=tuple(entries.values()))
        for listener in list(self._listeners):
            try:
                listener(profile)
            except Exception:  # one listener's failure must not undo the change
                log.exception("a template register listener failed")
        return changed

    def record(self, profile: str, entry: RegisteredTemplate) -> RegisteredTemplate:
        """Add or replace the entry; what the new one leaves empty is kept from the old one."""
        stored: list[RegisteredTemplate] = []

        def edit(entries: dict[str, RegisteredTemplate]) -> None:
            old = entries.pop(entry.template_id, None)
            merged = capped(entry if old is None else merge(old, entry))
            if merged.recorded_at is None:
                merged = dataclasses.replace(merged, recorded_at=self.clock())
            stored.append(merged)
            entries_list = [merged, *entries.values()]  # the newest first
            entries.clear()
            entries.update((e.template_id, e) for e in entries_list)

        self.change(profile, edit)
        return stored[0]

    def update_many(self, profile: str, updates: Sequence[RegisteredTemplate]) -> RegisterLoad:
        """Replace the known entries among ``updates`` (a refresh): one write for all of them."""
        by_id = {update.template_id: update for update in updates}

        def edit(entries: dict[str, RegisteredTemplate]) -> None:
            for template_id, update in by_id.items():
                if template_id in entries:
                    entries[template_id] = capped(merge(entries[template_id], update))

        return self.change(profile, edit)

    def forget(self, profile: str, template_id: str) -> None:
        def edit(entries: dict[str, RegisteredTemplate]) -> None:
            entries.pop(template_id, None)

        self.change(profile, edit)


def _document(entries: Sequence[RegisteredTemplate], profile: str) -> str:
    document = {
        "format": REGISTER_FORMAT,
        "version": REGISTER_VERSION,
        "profile": profile,
        "templates": [entry.to_json() for entry in entries],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def capped(entry: RegisteredTemplate) -> RegisteredTemplate:
    """The entry as the register keeps it: the newest ``MAX_HISTORY_STEPS`` steps of its
    history, and no text longer than ``MAX_FIELD_CHARS``."""

    def cut(text: str | None) -> str | None:
        return text[: MAX_FIELD_CHARS - 1] + "…" if text and len(text) > MAX_FIELD_CHARS else text

    steps = tuple(
        StatusChange(cut(step.status) or "", cut(step.at) or "", cut(step.reason))
        for step in entry.history[-MAX_HISTORY_STEPS:]
    )
    texts: dict[str, Any] = {name: cut(getattr(entry, name)) for name in _TEXT_FIELDS}
    return dataclasses.replace(entry, history=steps, **texts)


def merge(old: RegisteredTemplate, new: RegisteredTemplate) -> RegisteredTemplate:
    """``new`` over ``old``, keeping what ``new`` does not know (its None and empty fields);
    ``problem`` is taken as given, so a good refresh clears the last error, and so is
    ``reason`` when ``new`` carries a status: a status read without a reason has none (a
    rejection fixed and approved leaves no old reason behind)."""
    values: dict[str, Any] = {}
    for item in dataclasses.fields(RegisteredTemplate):
        value = getattr(new, item.name)
        given = item.name == "problem" or (item.name == "reason" and new.status is not None)
        if given or (value not in (None, "", ()) and item.name != "origin"):
            values[item.name] = value
        else:
            values[item.name] = getattr(old, item.name)
    return RegisteredTemplate(**values)


def profile_of(path: Path) -> str:
    return unquote(path.stem.replace("+", " "))


def counts(entries: Iterable[RegisteredTemplate]) -> Mapping[str, int]:
    """How many templates are in each last known status (None counts as "unknown")."""
    found: dict[str, int] = {}
    for entry in entries:
        key = entry.status or "unknown"
        found[key] = found.get(key, 0) + 1
    return found
