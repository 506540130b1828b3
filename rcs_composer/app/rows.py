"""Variable rows: columns mapped to ``{{variables}}``, each row's message filled and validated."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rcs_composer.app.sending import (
    COUNTRY_OF_REGION,
    RECIPIENTS,
    RecipientEntry,
    SendOutcome,
    SendPlan,
    plan_send,
    range_warning,
    send_test,
)
from rcs_composer.core import model as m
from rcs_composer.core.field_paths import FieldPath, human_label, located
from rcs_composer.core.issues import Issue, Region, Severity
from rcs_composer.core.message_schemas import message_texts
from rcs_composer.core.rules import RULES
from rcs_composer.core.urls import url_findings
from rcs_composer.core.validation import normalize_recipient, validate
from rcs_composer.core.variables import (
    find_variables,
    substitute,
    substitute_text,
    variable_pattern,
)
from rcs_composer.services.row_files import (
    LoadCancelled,
    Row,
    RowTable,
    read_rows,
    without_collections,
    write_problems_csv,
)

if TYPE_CHECKING:
    from rcs_composer.app.services import Services
    from rcs_composer.services.profiles import Profile

MAX_ROW_SENDS = 20  # a test of a design on real handsets, not a campaign
PROGRESS_EVERY = 2000
# Column names taken for the recipient's number (compared without case, spaces or punctuation).
RECIPIENT_NAMES = (
    "recipient",
    "phone",
    "phonenumber",
    "phoneno",
    "mobile",
    "mobilenumber",
    "mobileno",
    "msisdn",
    "number",
    "to",
    "cell",
    "tel",
    "telephone",
    "whatsapp",
)
CutCheck = Callable[[m.Message], Sequence[str]]  # the paths of the cards the device cuts
# (cell, default country) -> (True, the number in the API's form) or (False, why it is not one)
NumberCache = dict[tuple[str, str | None], tuple[bool, str]]
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class Status(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


def comparable(name: str) -> str:
    """A name as matching sees it: ``First Name``, ``first_name`` and ``FIRST-NAME`` are one."""
    return re.sub(r"[\W_]+", "", name).casefold()


# ---------------------------------------------------------------- mapping


@dataclass(frozen=True)
class ColumnMap:
    """Which column fills each variable (None: none does), and which holds the number."""

    variables: Mapping[str, int | None]
    recipient: int | None = None

    def with_variable(self, name: str, column: int | None) -> ColumnMap:
        return dataclasses.replace(self, variables={**self.variables, name: column})

    def with_recipient(self, column: int | None) -> ColumnMap:
        return dataclasses.replace(self, recipient=column)

    @property
    def unmapped(self) -> list[str]:
        return [name for name, column in self.variables.items() if column is None]


def auto_map(variables: Sequence[str], columns: Sequence[str]) -> ColumnMap:
    """Each variable to the column of the same name (exactly, then ignoring case, spaces and
    punctuation); the recipient to the first column named like a phone number."""
    exact = {name: index for index, name in reversed(list(enumerate(columns)))}
    loose = {comparable(name): index for index, name in reversed(list(enumerate(columns)))}
    mapping: dict[str, int | None] = {}
    for name in variables:
        mapping[name] = exact.get(name, loose.get(comparable(name)))
    recipient = next((loose[key] for key in RECIPIENT_NAMES if key in loose), None)
    return ColumnMap(mapping, recipient)


_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"  # zero-width: a cell of them looks empty
_BLANK = re.compile(rf"[\s{_INVISIBLE}]*")


def is_blank(cell: str) -> bool:
    """Whether a cell holds nothing a person sees: empty, spaces (no-break ones too), line
    breaks, zero-width characters. Such a value would go out as a gap in the text."""
    if not cell:
        return True
    first = cell[0]
    if not first.isspace() and first not in _INVISIBLE:
        return False  # most cells: one look at the first character
    return _BLANK.fullmatch(cell) is not None


def row_values(table: RowTable, mapping: ColumnMap, row: Row) -> dict[str, str]:
    """The row's values for the variables; an empty cell, or one of spaces only, fills
    nothing (the braces stay, and validation calls it empty)."""
    values: dict[str, str] = {}
    for name, column in mapping.variables.items():
        if column is not None and not is_blank(cell := row.cells[column]):
            values[name] = cell
    return values


def preview_values(
    table: RowTable, mapping: ColumnMap, row: Row, names: Iterable[str]
) -> dict[str, str]:
    """The row's values as the row sends them, for drawing it (the preview, the contact sheet,
    ``render --rows``): a variable the row does not fill shows its braces, never the draft's
    sample value, as validation calls it an error."""
    values = row_values(table, mapping, row)
    for name in names:
        values.setdefault(name, f"{{{{{name}}}}}")
    return values


def follow_variables(mapping: ColumnMap, names: Sequence[str], table: RowTable) -> ColumnMap:
    """The mapping for the message's variables now: new ones mapped by name, the rest kept."""
    if list(mapping.variables) == list(names):
        return mapping
    fresh = auto_map(names, table.columns)
    kept = {name: mapping.variables.get(name, fresh.variables[name]) for name in names}
    return ColumnMap(kept, mapping.recipient)


def load_row_file(
    path: Path,
    variables: Sequence[str],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    sheet: str | None = None,
) -> tuple[RowTable, ColumnMap]:
    """A rows file read (``sheet``: a workbook's sheet of that name, by default the one it
    opens on) and its columns mapped to ``variables`` by name. Blocking."""
    table = read_rows(path, progress, cancelled, sheet=sheet)
    return table, auto_map(variables, table.columns)


def field_label(where: str) -> str:
    """A problem's field as a person names it: ``Card > Title``, ``{{name}}``, ``Recipient``."""
    if where.startswith("$"):
        return human_label(where)
    return "Recipient" if where == "recipient" else where


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class RowProblem:
    row: int  # spreadsheet numbering: the header is row 1
    severity: Severity
    field: str  # the message field's JSONPath, {{variable}}, or "recipient"
    code: str
    message: str
    values: tuple[tuple[str, object], ...] = ()  # what the rule's sentence was filled with

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def label(self) -> str:
        return field_label(self.field)


@dataclass(frozen=True)
class RowResult:
    number: int
    problems: tuple[RowProblem, ...] = ()
    recipient: str | None = None  # the number in the API's form, when the row has a valid one

    @property
    def status(self) -> Status:
        if any(problem.is_error for problem in self.problems):
            return Status.ERROR
        return Status.WARNING if self.problems else Status.OK

    @property
    def first_problem(self) -> str:
        return self.problems[0].message if self.problems else ""


@dataclass(frozen=True)
class ProblemGroup:
    """One kind of problem at one field, with how many rows have it and the first few."""

    severity: Severity
    code: str
    field: str
    message: str  # the rule's wording for the field, without any one row's values
    count: int
    rows: tuple[int, ...]  # the first rows that have it

    @property
    def text(self) -> str:
        """``Card > Image address is not a web address…: 2 rows (3, 10)``."""
        shown = ", ".join(str(row) for row in self.rows)
        more = ", …" if self.count > len(self.rows) else ""
        noun = "row" if self.count == 1 else "rows"
        return f"{self.message.rstrip('.')}: {self.count:,} {noun} ({shown}{more})"


_NEUTRAL = {"value": "", "where": "…", "count": "N", "why": ""}


def _shared(problems: list[RowProblem]) -> dict[str, object]:
    """The values every problem of a group was worded with alike (the column of a recipient
    whose numbers differ row by row)."""
    shared = dict(problems[0].values)
    for problem in problems[1:]:
        shared = {
            key: value for key, value in problem.values if key in shared and shared[key] == value
        }
    return shared


def group_wording(
    code: str,
    where: str,
    messages: set[str],
    region: Region | None,
    shared: dict[str, object] | None = None,
) -> str:
    """One sentence for a group: the rows' own sentence when they all say the same, else the
    rule's wording with the field's name and no row's values."""
    label = field_label(where)
    rule = RULES.get(code)
    if len(messages) == 1 or rule is None:
        said = next(iter(messages))
        return said if said.startswith(label) else f"{label}: {said}"
    fills: dict[str, object] = dict(_NEUTRAL)
    if shared and "where" in shared:  # the rows differ in what they hold, not where it is
        fills["where"] = shared["where"]
    if rule.limits:
        fills["limit"] = rule.limit(region)
    if where.startswith("{{"):
        fills["value"] = where[2:-2]
    text = rule.message
    if text.startswith("{value} "):
        return f"{label} {text[len('{value} ') :]}".format(**fills).rstrip(": ")
    try:
        body = re.sub(r" {2,}", " ", text.format(**fills)).replace(" ()", "")
    except (KeyError, IndexError):
        body = next(iter(messages))
    return body.rstrip(": ") if body.startswith(label) else f"{label}: {body}".rstrip(": ")


@dataclass(frozen=True)
class RowsReport:
    results: tuple[RowResult, ...]
    # The design's own problems, whatever the row: shown once, not counted on every row.
    design: tuple[Issue, ...] = ()
    region: Region | None = None

    def design_summary(self) -> str | None:
        """``The design itself: 1 warning`` (None when it has no problem of its own)."""
        if not self.design:
            return None
        errors = sum(1 for issue in self.design if issue.is_error)
        warnings = len(self.design) - errors
        parts = [f"{errors} {'error' if errors == 1 else 'errors'}"] if errors else []
        if warnings:
            parts.append(f"{warnings} {'warning' if warnings == 1 else 'warnings'}")
        return "The design itself (every row): " + ", ".join(parts)

    def design_lines(self) -> list[str]:
        return [located(issue.path, issue.message) for issue in self.design]

    @cached_property
    def _counts(self) -> Counter[Status]:
        return Counter(result.status for result in self.results)

    def count(self, status: Status) -> int:
        return self._counts[status]

    @property
    def has_errors(self) -> bool:
        """Whether any row, or the design itself (whatever the row), has an error."""
        return self.count(Status.ERROR) > 0 or any(issue.is_error for issue in self.design)

    def summary(self) -> str:
        """``12,480 rows: 12,391 ok, 61 warnings, 28 errors``."""
        total = len(self.results)
        ok, warnings, errors = (
            self.count(Status.OK),
            self.count(Status.WARNING),
            self.count(Status.ERROR),
        )
        return (
            f"{total:,} {'row' if total == 1 else 'rows'}: {ok:,} ok, "
            f"{warnings:,} {'warning' if warnings == 1 else 'warnings'}, "
            f"{errors:,} {'error' if errors == 1 else 'errors'}"
        )

    def problems(self) -> Iterable[RowProblem]:
        for result in self.results:
            yield from result.problems

    def groups(self) -> list[ProblemGroup]:
        """Problems of one code at one field together: errors first, then the most rows (with
        the first five rows of each)."""
        return list(self._groups)

    @cached_property
    def _groups(self) -> tuple[ProblemGroup, ...]:
        first_rows = 5
        found: dict[tuple[str, str], list[RowProblem]] = {}
        for problem in self.problems():
            found.setdefault((problem.code, problem.field), []).append(problem)
        groups = []
        for (code, where), problems in found.items():
            rows = tuple(dict.fromkeys(problem.row for problem in problems))
            first = problems[0]
            messages = {problem.message for problem in problems}
            wording = group_wording(code, where, messages, self.region, _shared(problems))
            groups.append(
                ProblemGroup(first.severity, code, where, wording, len(rows), rows[:first_rows])
            )
        return tuple(
            sorted(groups, key=lambda group: (group.severity is not Severity.ERROR, -group.count))
        )

    def export_problems(self, path: Path) -> int:
        """Write every problem as CSV (row, field as people name it, message, severity, code,
        and the field's JSONPath); the design's own problems first, as row "design"."""
        records = [
            (
                "design",
                human_label(issue.path),
                issue.message,
                issue.severity.value,
                issue.code,
                issue.path,
            )
            for issue in self.design
        ]
        records.extend(
            (
                str(problem.row),
                problem.label,
                problem.message,
                problem.severity.value,
                problem.code,
                problem.field if problem.field.startswith("$") else "",
            )
            for problem in self.problems()
        )
        header = ("row", "field", "message", "severity", "code", "path")
        write_problems_csv(path, header, records)
        return len(records)


# ---------------------------------------------------------------- validating rows

_URL_KEYS = ("fileUrl", "thumbnailUrl")
_EXACT_KEYS = ("phoneNumber", "startTime", "endTime")
# A filled text that may hold a variable (its braces are checked and quoted), cannot be
# encoded, or holds a control character the validator names (C0 but tab and line breaks, DEL,
# C1): validated as it is. Quotes, backslashes, tabs and line breaks only lengthen the JSON on
# the wire, which the shape counts.
_UNUSUAL = re.compile(r'[\x00-\x1f\x7f-\x9f"\\{}\ud800-\udfff]')  # none: the quick shape holds
_NEEDS_EXACT = re.compile(r"\{\{|\}\}|[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A web link of printable ASCII: the validator's findings for it are those of its scheme and
# authority, unless its path, query or fragment holds a character no URL may hold unencoded
# or a % that starts no escape (``core.urls.url_findings``).
_PLAIN_LINK = re.compile(r"(?:https?)://([^/?#]*)(?:[/?#][\x21-\x7e]*)?\Z", re.IGNORECASE)
_TAIL_FINDING = re.compile(r'[<>"{}|\\^`]|%(?![0-9A-Fa-f]{2})')
_QUOTED_URL = 60  # the validator quotes a link's first 60 characters in its warnings


def _issue_problem(row: int, issue: Issue) -> RowProblem:
    return RowProblem(row, issue.severity, issue.path, issue.code, issue.message)


def _rule_problem(row: int, code: str, at: str, **values: object) -> RowProblem:
    rule = RULES[code]
    message = rule.message.format(**values)
    return RowProblem(row, rule.severity, at, code, message, tuple(values.items()))


class _Filler:
    """``substitute_text(text, values)`` for one text, with the text split once: a row's
    filled text is a join, not a regular-expression pass."""

    def __init__(self, text: str) -> None:
        self.pieces: list[tuple[str, str, str]] = []  # (text before, name, as written)
        last = 0
        for match in variable_pattern().finditer(text):
            self.pieces.append((text[last : match.start()], match.group(1), match.group(0)))
            last = match.end()
        self.tail = text[last:]

    def __call__(self, values: Mapping[str, str]) -> str:
        parts = []
        for before, name, written in self.pieces:
            parts.append(before)
            parts.append(values.get(name, written))
        parts.append(self.tail)
        return "".join(parts)


class RowChecker:
    """Validates the message filled with each row's values through the full validator.

    The validator's result for a plain text field depends on its length in characters and in
    bytes, whether it is blank, and its braces; for a link, on the link itself unless it is a
    clean https one, whose length alone matters. Rows alike in all of these share one
    validation (``key``), which is what makes 100,000 rows take seconds, not minutes. The test
    suite checks the shortcut against validating every row in full.
    """

    def __init__(
        self,
        message: m.Message,
        region: Region | None,
        table: RowTable,
        mapping: ColumnMap,
        *,
        country: str | None = None,
        cuts: CutCheck | None = None,
        numbers: NumberCache | None = None,
    ) -> None:
        """``numbers``: recipients already read, kept by the caller across checks of the same
        file (an edit of the message does not change them, and reading one costs more than
        validating a message)."""
        self.message, self.region, self.table, self.mapping = message, region, table, mapping
        self.country = country
        self.cuts = cuts
        self.numbers: NumberCache = {} if numbers is None else numbers
        self.names = find_variables(message)
        # Every text field with a variable, and how the shortcut may compare its filled value.
        self.fields: list[tuple[str, _Filler]] = []
        self.paths: list[str] = []
        for path, text in message_texts(message):
            if "{{" in text:
                self.fields.append((self._kind(path), _Filler(text)))
                self.paths.append(path)
        self.kinds = [kind for kind, _fill in self.fields]
        self.fillers = [fill for _kind, fill in self.fields]
        self.links = [index for index, kind in enumerate(self.kinds) if kind == "url"]
        self.card_fields = self._card_texts(message)
        self.design = design_issues(message, region, self.paths)
        # key -> (the issues, the filled texts they were found with)
        self._validated: dict[tuple[object, ...], tuple[tuple[Issue, ...], list[str]]] = {}
        self._cut: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._hosts: dict[str, bool] = {}  # a link's scheme and authority -> no findings

    @staticmethod
    def _kind(path: str) -> str:
        key = path.rsplit(".", 1)[-1]
        if key in _URL_KEYS or (key == "url" and ".action." in path):
            return "url"
        if key in _EXACT_KEYS or key == "url":  # a reply's link is quoted in its warning
            return "exact"
        return "text"

    @staticmethod
    def _card_texts(message: m.Message) -> list[str]:
        """The carousel's card texts that hold a variable: the only texts that can change how
        tall a card is (a standalone card grows freely; phones cut only carousel cards)."""
        content = message.content
        if not isinstance(content, m.Carousel):
            return []
        texts = [text for card in content.cards for text in (card.title, card.description) if text]
        return [text for text in texts if "{{" in text]

    def _clean_link(self, url: str) -> bool:
        """``not url_findings(url)``, with the scheme and authority checked once per host."""
        match = _PLAIN_LINK.match(url)
        if match is None:
            return not url_findings(url)
        if _TAIL_FINDING.search(url, match.end(1)) is not None:
            return False
        start = url[: match.end(1)]
        clean = self._hosts.get(start)
        if clean is None:
            clean = self._hosts[start] = not url_findings(start)
        return clean

    def _shape(self, kind: str, filled: str) -> object:
        """What the validator's result depends on in ``filled``, or ``filled`` itself."""
        if kind == "exact":
            return filled
        size = len(filled.encode("utf-8"))
        wire = 0  # the JSON's bytes are the text's, and its two quotes
        if _UNUSUAL.search(filled) is not None:
            if _NEEDS_EXACT.search(filled) is not None:
                return filled
            # The message's size is measured on its JSON: an escaped character counts more.
            wire = len(json.dumps(filled, ensure_ascii=False).encode("utf-8")) - size
        if kind == "url":
            scheme = filled[:6].lower()
            if scheme == "https:" and self._clean_link(filled):
                return ("url", len(filled), size, wire)
            if scheme[:5] == "http:" and self._clean_link(filled):
                # Warned about and quoted: shared, the quote put right per row (``issues``).
                return ("http", len(filled), size, wire)
            return filled
        if not filled.strip():
            return filled
        return (kind, len(filled), size, wire)

    def key(self, values: Mapping[str, str]) -> tuple[object, ...]:
        return tuple(self._shape(kind, fill(values)) for kind, fill in self.fields)

    def issues(self, values: Mapping[str, str]) -> tuple[Issue, ...]:
        """The validator's issues for the message filled with ``values``."""
        filled = [fill(values) for fill in self.fillers]
        key = tuple(map(self._shape, self.kinds, filled))
        known = self._validated.get(key)
        if known is None:
            found = tuple(validate(substitute(self.message, values), self.region))
            if len(self._validated) < 200_000:
                self._validated[key] = (found, filled)
            return found
        found, seen = known
        for index in self.links:
            shape = key[index]
            if isinstance(shape, tuple) and shape[0] == "http" and filled[index] != seen[index]:
                found = self._requoted(found, self.paths[index], seen[index], filled[index])
        return found

    @staticmethod
    def _requoted(
        issues: tuple[Issue, ...], path: str, before: str, after: str
    ) -> tuple[Issue, ...]:
        """``issues`` with another row's link quoted at ``path`` where the first row's was."""
        old, new = repr(before[:_QUOTED_URL]), repr(after[:_QUOTED_URL])
        return tuple(
            Issue(issue.severity, path, issue.code, issue.message.replace(old, new), issue.source)
            if issue.path == path and old in issue.message
            else issue
            for issue in issues
        )

    def cut_cards(self, values: Mapping[str, str]) -> tuple[str, ...]:
        if self.cuts is None or not self.card_fields:
            return ()
        key = tuple(substitute_text(text, values) for text in self.card_fields)
        found = self._cut.get(key)
        if found is None:
            found = tuple(self.cuts(substitute(self.message, values)))
            if len(self._cut) < 200_000:
                self._cut[key] = found
        return found

    def check(self, row: Row) -> RowResult:
        number = row.number
        problems: list[RowProblem] = []
        values = row_values(self.table, self.mapping, row)
        for name in self.names:
            column = self.mapping.variables.get(name)
            if column is None:
                problems.append(
                    _rule_problem(number, "row.variable.unmapped", f"{{{{{name}}}}}", value=name)
                )
                continue
            cell = row.cells[column]
            if is_blank(cell):
                label = f"{self.table.column_letter(column)} “{self.table.columns[column]}”"
                if cell:
                    label += " holds only spaces" if cell.isspace() else " holds nothing visible"
                problems.append(
                    _rule_problem(
                        number, "row.cell.empty", f"{{{{{name}}}}}", value=name, where=label
                    )
                )
            elif "{{" in cell and (inner := variable_pattern().search(cell)) is not None:
                shown = inner.group(0)
                problems.append(
                    _rule_problem(
                        number, "row.value.variable", f"{{{{{name}}}}}", value=name, where=shown
                    )
                )
            elif cell.startswith("="):
                problems.append(
                    _rule_problem(
                        number,
                        "row.cell.formula",
                        f"{{{{{name}}}}}",
                        value=name,
                        where=repr(cell[:40]),
                    )
                )
        recipient = self._recipient(row, problems)
        design = self.design
        problems.extend(
            _issue_problem(number, issue)
            for issue in self.issues(values)
            if not design or issue not in design
        )
        for path in self.cut_cards(values):
            problems.append(_rule_problem(number, "row.card.cut", path))
        problems.sort(key=lambda problem: not problem.is_error)
        return RowResult(number, tuple(problems), recipient)

    def _recipient(self, row: Row, problems: list[RowProblem]) -> str | None:
        column = self.mapping.recipient
        if column is None:
            return None
        cell = row.cells[column].strip()
        if is_blank(cell):
            letter = self.table.column_letter(column)
            problems.append(
                _rule_problem(row.number, "row.recipient.missing", "recipient", where=letter)
            )
            return None
        key = (cell, self.country)
        known = self.numbers.get(key)
        if known is None:
            try:
                known = (True, normalize_recipient(cell, self.country))
            except ValueError as exc:
                known = (False, str(exc).split(": ", 1)[-1])
            self.numbers[key] = known
        valid, text = known
        if valid:
            return text
        letter = self.table.column_letter(column)
        problems.append(
            _rule_problem(
                row.number,
                "row.recipient.invalid",
                "recipient",
                value=repr(cell[:40]),
                where=letter,
                why=text[:1].upper() + text[1:] + ".",
            )
        )
        return None


def design_issues(
    message: m.Message, region: Region | None, variable_paths: Sequence[str]
) -> tuple[Issue, ...]:
    """The message's problems that no row's values can change: those of the unfilled message
    at a field that neither holds a variable nor contains or lies within one that does."""

    def related(path: str, other: str) -> bool:
        return (
            path == other
            or other.startswith((path + ".", path + "["))
            or path.startswith((other + ".", other + "["))
        )

    return tuple(
        issue
        for issue in validate(message, region)
        if not any(related(issue.path, where) for where in variable_paths)
    )


def row_checker(
    message: m.Message,
    region: Region | None,
    table: RowTable,
    mapping: ColumnMap,
    *,
    cut_finder: Callable[[], CutCheck] | None = None,
    numbers: NumberCache | None = None,
) -> RowChecker:
    """The checker the window and the command line both use: numbers read in the region's
    country, and the preview's layout asked about cut cards when a carousel card has a
    variable (``cut_finder`` makes one; only then, as it needs fonts)."""
    checker = RowChecker(
        message,
        region,
        table,
        mapping,
        country=COUNTRY_OF_REGION.get(region) if region else None,
        numbers=numbers,
    )
    if checker.card_fields and cut_finder is not None:
        checker.cuts = cut_finder()
    return checker


def validate_rows(
    checker: RowChecker,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> RowsReport:
    """Every row of the checker's table, checked. Blocking: call it off the GUI thread."""
    rows = checker.table.rows
    results = []
    with without_collections():
        for index, row in enumerate(rows):
            results.append(checker.check(row))
            if index % PROGRESS_EVERY == PROGRESS_EVERY - 1:
                if cancelled is not None and cancelled():
                    raise LoadCancelled()
                if progress is not None:
                    progress(index + 1, len(rows))
    if progress is not None:
        progress(len(rows), len(rows))
    report = RowsReport(tuple(results), checker.design, checker.region)
    report.summary(), report.groups()  # counted here, off the GUI thread, once
    return report


# ---------------------------------------------------------------- test sends of rows


@dataclass(frozen=True)
class RowSelection:
    """Rows chosen for a test send: the file, its mapping, and the rows' numbers."""

    table: RowTable
    mapping: ColumnMap
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class RowSend:
    row: int
    plan: SendPlan


@dataclass(frozen=True)
class RowSendBatch:
    """One test send per row, each with its own row's values, to the row's own number."""

    sends: tuple[RowSend, ...]
    problems: tuple[str, ...] = ()  # why the batch may not go, beyond each row's own reasons
    entries: tuple[RecipientEntry, ...] = ()  # each selected row as the send dialog lists it
    no_number: tuple[int, ...] = ()  # selected rows whose recipient cell is empty
    RECIPIENTS: ClassVar[FieldPath] = RECIPIENTS

    @property
    def note(self) -> str | None:
        """The rows that cannot go, named: ``Rows 4, 7 and 9 have no recipient number.``"""
        if not self.no_number:
            return None
        rows = self.no_number
        verb = "has" if len(rows) == 1 else "have"
        return f"{_rows_text(rows).capitalize()} {verb} no recipient number."

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(number for send in self.sends for number in send.plan.recipients)

    def reasons_besides(self, within: FieldPath | None) -> list[str]:
        """Every reason: a row's number is its own row's, so a row's recipient problem stays
        among the batch's reasons whatever ``within`` says."""
        return self.reasons

    @property
    def reasons(self) -> list[str]:
        reasons = list(self.problems)
        for send in self.sends:
            reasons.extend(f"row {send.row}: {reason}" for reason in send.plan.reasons)
        return reasons

    @property
    def ready(self) -> bool:
        return bool(self.sends) and not self.reasons

    @property
    def bodies(self) -> list[dict[str, object]]:
        return [send.plan.body for send in self.sends]

    @property
    def body(self) -> dict[str, object]:
        """What the send dialog shows as the JSON: every row's body, keyed by its row."""
        return {f"row {send.row}": send.plan.body for send in self.sends}

    @property
    def unfilled(self) -> tuple[str, ...]:
        return ()  # each row's own unfilled variables are among its reasons


def plan_row_sends(
    draft: m.Draft,
    profile: Profile,
    table: RowTable,
    mapping: ColumnMap,
    numbers: Sequence[int],
    *,
    country: str | None = None,
    sent: Collection[int] = (),
) -> RowSendBatch:
    """A plan (``plan_send``) per selected row: at most ``MAX_ROW_SENDS`` rows, each to the
    number in its recipient column with its own values. Rows in ``sent`` went out already
    (from the same dialog): they are listed as sent and left out of the batch."""
    problems: list[str] = []
    if mapping.recipient is None:
        problems.append("No column holds the recipient's number: choose one in the mapping.")
    if len(numbers) > MAX_ROW_SENDS:
        problems.append(
            f"{len(numbers)} rows are selected: a test send takes at most {MAX_ROW_SENDS}. This is "
            "for checking a design on real handsets, not for campaigns."
        )
    if not numbers:
        problems.append("No rows are selected.")
    by_number = {row.number: row for row in table.rows}
    sends: list[RowSend] = []
    entries: list[RecipientEntry] = []
    no_number: list[int] = []
    chosen = list(dict.fromkeys(numbers))
    for number in chosen[:MAX_ROW_SENDS]:
        row = by_number.get(number)
        if row is None:
            problems.append(f"Row {number} is not in {table.source}.")
            continue
        cell = row.cells[mapping.recipient] if mapping.recipient is not None else ""
        typed = f"row {number}: {cell}" if cell else f"row {number}"
        if number in sent:  # it went out from this dialog already: never a second time
            entries.append(RecipientEntry(typed, sent=True))
            continue
        if is_blank(cell):
            no_number.append(number)
            entries.append(RecipientEntry(typed, problem="No recipient number in this row."))
            problems.append(f"row {number}: no recipient number")
            continue
        try:
            recipient = normalize_recipient(cell, country)
        except ValueError as exc:
            entries.append(RecipientEntry(typed, problem=f"{exc}."))
            problems.append(f"row {number}: {exc}")
            continue
        values = row_values(table, mapping, row)
        plan = plan_send(draft, profile, [recipient], values)
        problem = "; ".join(plan.reasons) or None
        warning = range_warning(recipient)
        entries.append(
            RecipientEntry(typed, recipient, problem=problem, warning=warning, values=values)
        )
        sends.append(RowSend(number, plan))
    for number in chosen[MAX_ROW_SENDS:]:
        entries.append(
            RecipientEntry(f"row {number}", problem=f"past the {MAX_ROW_SENDS} rows of one test")
        )
    done = [number for number in chosen[:MAX_ROW_SENDS] if number in sent]
    if done and not sends and not problems:
        problems.append(
            f"Every selected row has been sent from this dialog ({_rows_text(done)}): select "
            "rows in the rows table and open Test-send again to send more."
        )
    return RowSendBatch(tuple(sends), tuple(problems), tuple(entries), tuple(no_number))


def _rows_text(rows: Sequence[int], first: int = 8) -> str:
    """``row 4``, ``rows 4, 7 and 9``, ``rows 4, 7, 9, … (12 rows)``."""
    if len(rows) == 1:
        return f"row {rows[0]}"
    if len(rows) <= first:
        return "rows " + ", ".join(str(row) for row in rows[:-1]) + f" and {rows[-1]}"
    return "rows " + ", ".join(str(row) for row in rows[:first]) + f", … ({len(rows):,} rows)"


@dataclass(frozen=True)
class RowSendOutcome:
    """What went out, row by row: each row's outcome, and why the rest did not go."""

    sent: tuple[tuple[int, SendOutcome], ...] = ()
    failed: tuple[int, BaseException] | None = None  # the row whose send failed, and why
    not_sent: tuple[int, ...] = ()  # rows not tried after the failure
    notes: tuple[str, ...] = field(default=())

    @property
    def sent_rows(self) -> tuple[int, ...]:
        return tuple(row for row, _outcome in self.sent)

    @property
    def unknown_row(self) -> int | None:
        """The row whose send may have arrived though no answer came (the connection
        dropped): it must not be sent again without asking."""
        if self.failed is None:
            return None
        row, error = self.failed
        return row if getattr(error, "may_have_been_sent", False) else None

    @property
    def message_ids(self) -> dict[str, str]:
        ids: dict[str, str] = {}
        for _row, outcome in self.sent:
            ids.update(outcome.message_ids)
        return ids

    @property
    def history_problem(self) -> str | None:
        notes = [outcome.history_problem for _row, outcome in self.sent if outcome.history_problem]
        if self.failed is not None:
            row, error = self.failed
            text = getattr(error, "user_message", lambda: str(error))()
            if getattr(error, "may_have_been_sent", False):
                notes.append(
                    f"row {row}: no answer came, so it may have arrived ({text}); check the "
                    "phone before sending it again"
                )
            else:
                notes.append(f"row {row} was not sent: {text}")
        if self.not_sent:
            notes.append(
                "not tried after that: rows " + ", ".join(str(row) for row in self.not_sent)
            )
        return "; ".join(notes) if notes else None


def _naming_row(error: Exception, send: RowSend, rest: Sequence[int]) -> Exception:
    """``error`` with its sentence prefixed by the row (and its number) it was for, and the
    rows not tried after it: the same error, so whoever shows it still knows its kind."""
    number = ", ".join(send.plan.recipients)
    untried = f" Not tried after it: {_rows_text(rest)}." if rest else ""
    error.args = (f"row {send.row} ({number}): {error}{untried}", *error.args[1:])
    return error


def send_rows(
    services: Services,
    profile: Profile,
    batch: RowSendBatch,
    draft_name: str,
    *,
    again: bool = False,
) -> RowSendOutcome:
    """Each row's plan posted once through ``send_test`` (which records it). The first failure
    stops the batch: nothing is retried, and the rows after it are listed as not tried."""
    from rcs_composer.services.kaleyra_replies import KaleyraError

    if not batch.ready:
        raise ValueError("the row sends have problems: " + "; ".join(batch.reasons))
    sent: list[tuple[int, SendOutcome]] = []
    for index, send in enumerate(batch.sends):
        try:
            name = f"{draft_name} (row {send.row})"
            outcome = send_test(services, profile, send.plan, name, again=again)
        except KaleyraError as exc:
            rest = tuple(later.row for later in batch.sends[index + 1 :])
            if not sent:
                # Nothing went out: the failure is the answer, as for a typed send (its kind
                # says whether it may have arrived), worded with the row it was for.
                raise _naming_row(exc, send, rest) from exc.__cause__
            return RowSendOutcome(tuple(sent), (send.row, exc), rest)
        sent.append((send.row, outcome))
    return RowSendOutcome(tuple(sent))
