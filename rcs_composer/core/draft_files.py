"""Draft file names that read well in git, sync-tool conflict copies, and git conflict markers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

DRAFT_SUFFIX = ".rcs.json"  # every draft file written under a readable name ends so
ID_SUFFIX = ".rcs"  # ...and its id is the file name less ".json", like the older opaque ids
MAX_STEM_CHARS = 60  # whole path under Windows' 260 even in a deep folder, and short in PRs
MAX_STEM_BYTES = 120  # ext4 and APFS allow 255 bytes a name; non-Latin letters take 3 each
FALLBACK_STEM = "draft"
# Names Windows reserves for devices, whatever the extension ("con.rcs.json" cannot be made).
# Source: Microsoft, "Naming Files, Paths, and Namespaces".
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in "123456789¹²³"}
    | {f"lpt{n}" for n in "123456789¹²³"}
)


def _fold(name: str) -> str:
    """What two names are the same file as on case-insensitive, normalising file systems
    (APFS, NTFS): NFC then casefold."""
    return unicodedata.normalize("NFC", name).casefold()


def slug(name: str) -> str:
    """A file stem from a draft's name: lowercase letters and digits of any script joined by
    hyphens (``Diwali offer!`` -> ``diwali-offer``); never empty, reserved or too long."""
    text = unicodedata.normalize("NFKC", name).casefold()
    out: list[str] = []
    pending_hyphen = False
    for char in text:
        category = unicodedata.category(char)
        if char.isalnum() or category in ("Mn", "Mc"):  # keep Devanagari vowel signs whole
            if pending_hyphen and out:
                out.append("-")
            out.append(char)
            pending_hyphen = False
        else:
            pending_hyphen = True
    stem = "".join(out)
    stem = _cap(stem)
    if not stem:
        stem = FALLBACK_STEM
    if stem.split(".")[0] in WINDOWS_RESERVED:
        stem = f"{stem}-draft"
    return stem


def _cap(stem: str) -> str:
    stem = stem[:MAX_STEM_CHARS]
    while len(stem.encode("utf-8")) > MAX_STEM_BYTES:
        stem = stem[:-1]
    # A cut may leave a hyphen or a lone combining mark at the end.
    while stem and (stem[-1] == "-" or unicodedata.category(stem[-1]) in ("Mn", "Mc")):
        stem = stem[:-1]
    return stem


def free_file_name(name: str, taken: Iterable[str]) -> str:
    """``<slug>.rcs.json`` for a draft called ``name``, with ``-2``, ``-3``... when a file of
    that name exists already, compared as a case-insensitive file system would."""
    used = {_fold(existing) for existing in taken}
    stem = slug(name)
    candidate = f"{stem}{DRAFT_SUFFIX}"
    number = 2
    while _fold(candidate) in used:
        tail = f"-{number}"
        candidate = f"{_cap(stem[: MAX_STEM_CHARS - len(tail)]) or FALLBACK_STEM}{tail}"
        candidate += DRAFT_SUFFIX
        number += 1
    return candidate


def id_of_file_name(file_name: str) -> str:
    """A draft's id is its file name without the final ``.json``."""
    return file_name[: -len(".json")] if file_name.endswith(".json") else file_name


# ---------------------------------------------------------------- sync-tool conflict copies


@dataclass(frozen=True)
class ConflictCopy:
    """A file a sync tool or merge tool left beside a draft: which draft, and who made it."""

    file_name: str
    original: str  # the file name of the draft it is a copy of
    made_by: str


# (pattern on the file name, tool); each pattern's group "stem" is the original's stem.
_COPY_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Dropbox: "name (conflicted copy).ext", "name (Asha's conflicted copy 2024-05-01).ext";
    # Nextcloud / ownCloud: "name (conflicted copy 2024-05-01 101010).ext".
    (re.compile(r"^(?P<stem>.+?) \([^()]*conflicted copy[^()]*\)(?P<ext>\.rcs\.json)$"), "sync"),
    # Google Drive for desktop / OneDrive: "name (Conflict).ext", "name (conflict 2).ext".
    (re.compile(r"^(?P<stem>.+?) \((?:c|C)onflict[^()]*\)(?P<ext>\.rcs\.json)$"), "sync"),
    # Syncthing: "name.sync-conflict-20240501-101010-ABCDEFG.ext".
    (re.compile(r"^(?P<stem>.+?)\.sync-conflict-[0-9]{8}-[0-9]{6}-[A-Z0-9]+(?P<ext>\.rcs\.json)$"),
     "Syncthing"),
    # git mergetool: "name.rcs.json.orig", and its "name_LOCAL_1234.rcs.json" side files.
    (re.compile(r"^(?P<stem>.+?)(?P<ext>\.rcs\.json)\.orig$"), "git mergetool"),
    (re.compile(r"^(?P<stem>.+?)_(?:LOCAL|REMOTE|BASE|BACKUP)_[0-9]+(?P<ext>\.rcs\.json)$"),
     "git mergetool"),
)  # fmt: skip


# Patterns that ordinary names can match too: a file is taken for such a copy only when the
# draft it would be a copy of is there beside it.
_WEAK_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # OneDrive ("keep both" in a sync conflict): the computer's name is appended to the file's,
    # "name-DESKTOP-AB12CD.ext", and a number when that is taken too, "name-DESKTOP-AB12CD-1.ext".
    # Windows computer names are upper case by default while this app's file names are all
    # lower case, so the appended part must hold a capital letter and no lower case letter.
    (re.compile(r"^(?P<stem>.+?)-(?P<by>[A-Z0-9][A-Z0-9_-]*[A-Z][A-Z0-9_-]*?)(?:-[0-9]+)?"
                r"(?P<ext>\.rcs\.json)$"), "OneDrive"),
    # OneDrive and Google Drive for desktop, when a file of the same name arrives: "name (1).ext".
    (re.compile(r"^(?P<stem>.+?) \([0-9]{1,3}\)(?P<ext>\.rcs\.json)$"), "sync"),
)  # fmt: skip


def conflict_copy(
    file_name: str, exists: Callable[[str], bool] | None = None
) -> ConflictCopy | None:
    """The conflict copy ``file_name`` is, or None for an ordinary file. ``exists`` says
    whether a file of a given name is in the same folder: without it, only the patterns no
    ordinary name can match are recognised."""
    for pattern, tool in _COPY_PATTERNS:
        found = pattern.match(file_name)
        if found:
            return ConflictCopy(file_name, found["stem"] + found["ext"], tool)
    if exists is None:
        return None
    for pattern, tool in _WEAK_PATTERNS:
        found = pattern.match(file_name)
        if found and exists(found["stem"] + found["ext"]):
            return ConflictCopy(file_name, found["stem"] + found["ext"], tool)
    return None


def is_candidate(file_name: str) -> bool:
    """Whether a file in a library folder may be a draft or a copy of one."""
    return file_name.endswith((DRAFT_SUFFIX, DRAFT_SUFFIX + ".orig"))


# ---------------------------------------------------------------- git conflict markers

_OURS, _BASE, _SPLIT, _THEIRS = "<<<<<<<", "|||||||", "=======", ">>>>>>>"


@dataclass(frozen=True)
class ConflictSides:
    """The two texts a file with git conflict markers holds, and the labels git gave them."""

    ours: str
    theirs: str
    ours_label: str
    theirs_label: str
    conflicts: int


def _marker(line: str, marker: str) -> bool:
    return line.startswith(marker) and (len(line) == 7 or line[7] in " \r\n")


def has_conflict_markers(text: str) -> bool:
    return any(_marker(line, _OURS) for line in text.splitlines())


def split_conflict(text: str) -> ConflictSides | None:
    """Both sides of every conflict in ``text`` (the diff3 base section dropped), or None when
    the text has no complete set of markers."""
    ours: list[str] = []
    theirs: list[str] = []
    labels = ["", ""]
    state = "both"
    conflicts = 0
    for line in text.splitlines(keepends=True):
        if state == "both" and _marker(line, _OURS):
            state, conflicts = "ours", conflicts + 1
            labels[0] = labels[0] or line[7:].strip()
        elif state in ("ours", "base") and _marker(line, _SPLIT):
            state = "theirs"
        elif state == "ours" and _marker(line, _BASE):
            state = "base"
        elif state == "theirs" and _marker(line, _THEIRS):
            state = "both"
            labels[1] = labels[1] or line[7:].strip()
        elif state == "both":
            ours.append(line)
            theirs.append(line)
        elif state == "ours":
            ours.append(line)
        elif state == "theirs":
            theirs.append(line)
    if state != "both" or conflicts == 0:
        return None
    return ConflictSides("".join(ours), "".join(theirs), labels[0], labels[1], conflicts)
