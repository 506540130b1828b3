"""The ``check`` use case: every draft, message and template file under some paths -> problems."""

from __future__ import annotations

import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rcs_composer.core import codecs
from rcs_composer.core.draft_files import (
    DRAFT_SUFFIX,
    conflict_copy,
    has_conflict_markers,
    split_conflict,
)
from rcs_composer.core.issues import Issue, Region, Severity
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.core.validation import validate_data
from rcs_composer.services.regular_files import read_regular_file

__all__ = ["CheckReport", "FileCheck", "check_paths", "junit_xml"]

# Folders no design lives in: version control, dependencies, our own trash.
SKIPPED_FOLDERS = frozenset(
    {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".rcs-trash"}
)
SOURCE = "rcs-composer check"


@dataclass(frozen=True)
class FileCheck:
    """One file checked: its problems (a file-level one has the path ``$``), and what it held
    when it could be read as a document (to render it)."""

    path: Path
    shown: str  # the path as printed: relative to the current folder when inside it
    format: codecs.Format | None
    issues: tuple[Issue, ...]
    seconds: float = 0.0
    document: codecs.Document | None = None

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if not issue.is_error]


@dataclass
class CheckReport:
    files: list[FileCheck] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # other JSON found in folders
    missing: list[str] = field(default_factory=list)  # paths given that do not exist

    @property
    def errors(self) -> int:
        return sum(len(result.errors) for result in self.files)

    @property
    def warnings(self) -> int:
        return sum(len(result.warnings) for result in self.files)

    @property
    def failed(self) -> list[FileCheck]:
        return [result for result in self.files if result.errors]

    def summary(self) -> str:
        files = _count(len(self.files), "file")
        line = (
            f"{files} checked: {len(self.failed)} with errors "
            f"({_count(self.errors, 'error')}, {_count(self.warnings, 'warning')})"
        )
        if self.skipped:
            line += f"; {_count(len(self.skipped), 'other JSON file')} skipped"
        if self.missing:
            line += f"; {_count(len(self.missing), 'path')} not found"
        return line


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _file_issue(code: str, message: str, severity: Severity = Severity.ERROR) -> Issue:
    return Issue(severity, "$", code, message, SOURCE)


def _shown(path: Path, base: Path) -> str:
    try:
        return _escaped(path.relative_to(base).as_posix(), _UNSHOWABLE)
    except ValueError:
        return _escaped(path.as_posix(), _UNSHOWABLE)


# What a line of output cannot carry as it is (controls, a name's own line breaks among them,
# and lone surrogates: a file name's bytes that were not UTF-8), and what XML 1.0 cannot hold
# (the same but tab and line breaks, and U+FFFE, U+FFFF): one odd name must not stop a
# terminal's output or make a CI's whole report unreadable.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escaped(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with each character ``pattern`` finds written as its escape: \\x01, and \\xff
    for a byte of a file name that was not UTF-8 (os.fsdecode reads it as U+DCFF)."""

    def escape(found: re.Match[str]) -> str:
        code = ord(found.group())
        if 0xDC80 <= code <= 0xDCFF:
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return pattern.sub(escape, text) if pattern.search(text) else text


def _xml_safe(text: str) -> str:
    return _escaped(text, _NOT_XML)


def collect(
    paths: Sequence[Path], unreadable: list[OSError], *, skip_unknown: bool = False
) -> Iterator[tuple[Path, bool]]:
    """Each file to check, and whether it must be a document (``strict``): a ``*.rcs.json``
    file always, another file named on the command line unless ``skip_unknown``; other JSON
    found in folders is checked only when it is one of the formats. Sorted, recursive. A
    folder that cannot be listed goes to ``unreadable``: its files are not checked, and a CI
    run must not pass as if they had been."""
    for path in paths:
        if os.path.isdir(path):  # False, not an error, when a closed folder hides it
            for root, folders, names in os.walk(path, onerror=unreadable.append):
                folders[:] = sorted(f for f in folders if f not in SKIPPED_FOLDERS)
                for name in sorted(names):
                    if name.startswith("."):
                        continue
                    if name.endswith(".json") or conflict_copy(name, names.__contains__):
                        yield Path(root, name), name.endswith(DRAFT_SUFFIX)
        else:
            yield path, path.name.endswith(DRAFT_SUFFIX) or not skip_unknown


def _gone_reason(path: Path) -> str:
    """Why a file listed (or named) cannot be found now: a link to nothing, or deleted."""
    if path.is_symlink():
        return f"a link to {os.readlink(path)}, which does not exist"
    return "the file is gone (deleted while checking)"


def check_file(
    path: Path,
    region: Region | None = None,
    *,
    strict: bool = True,
    keep_document: bool = False,
    base: Path | None = None,
) -> FileCheck | None:
    """The problems of one file; None when it is not strict and not one of our formats."""
    started = time.perf_counter()
    shown = _shown(path, base or Path.cwd())

    def result(
        issues: Iterable[Issue],
        fmt: codecs.Format | None = None,
        document: codecs.Document | None = None,
    ) -> FileCheck:
        spent = time.perf_counter() - started
        return FileCheck(path, shown, fmt, tuple(issues), spent, document)

    try:  # a FIFO or a device named .json never hangs the run
        data, _stat = read_regular_file(path, codecs.MAX_DOCUMENT_BYTES)
    except FileNotFoundError:
        return result([_file_issue("file.missing", _gone_reason(path))])
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return result([_file_issue("file.unreadable", f"cannot be read: {reason}")])
    extra: list[Issue] = []
    copy = conflict_copy(path.name, lambda name: path.with_name(name).exists())
    if copy is not None:
        extra.append(
            _file_issue(
                "file.conflict_copy",
                f"a conflict copy of {copy.original} left by {copy.made_by}: compare the two "
                "in rcs-composer, keep one and delete the other",
                Severity.WARNING,
            )
        )
    try:
        parsed = codecs.parse_json_text(data)
        fmt = codecs.detect_format(parsed.data)
    except codecs.ParseError as exc:
        text = data.decode("utf-8", errors="replace")
        conflicted = has_conflict_markers(text)
        kind = _conflicted_kind(path, text) if conflicted else None
        if conflicted and (kind is not None or strict):
            how = (
                "open it in rcs-composer to pick a side, or resolve it by hand"
                if kind is codecs.Format.DRAFT
                else "resolve it, keeping one side"
            )
            message = f"holds git merge conflict markers (<<<<<<< ======= >>>>>>>): {how}"
            return result([_file_issue("file.merge_conflict", message), *extra])
        if not strict:
            return None
        return result([Issue(Severity.ERROR, exc.path, "file.not_a_document", exc.reason, SOURCE)])
    issues = validate_data(parsed.data, region, duplicates=parsed.duplicates)
    document = None
    if keep_document:
        try:
            document = codecs.import_document(parsed.data)
        except DecodeError:
            document = None  # its shape problem is among the issues already
    return result([*extra, *issues], fmt, document)


def _conflicted_kind(path: Path, text: str) -> codecs.Format | None:
    """The format of a file with git conflict markers, told by either side (a draft by its
    name too); None for JSON that is none of ours, which a design check leaves alone."""
    if path.name.endswith(DRAFT_SUFFIX):
        return codecs.Format.DRAFT
    sides = split_conflict(text)
    for side in (sides.ours, sides.theirs) if sides is not None else ():
        try:
            return codecs.detect_format(codecs.parse_json_text(side).data)
        except codecs.ParseError:
            continue
    return None


def check_paths(
    paths: Sequence[Path],
    region: Region | None = None,
    *,
    skip_unknown: bool = False,
    keep_documents: bool = False,
    base: Path | None = None,
) -> CheckReport:
    """Check every file under ``paths``; a path that does not exist is reported, not fatal."""
    report = CheckReport()
    base = base or Path.cwd()
    present: list[Path] = []
    for path in paths:
        try:
            os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            report.missing.append(_escaped(str(path), _UNSHOWABLE))
            continue
        except OSError:  # there, but a closed folder above hides it: its reason is reported
            pass
        present.append(path)
    seen: set[Path] = set()
    unreadable: list[OSError] = []
    for path, strict in collect(present, unreadable, skip_unknown=skip_unknown):
        if path in seen:
            continue
        seen.add(path)
        checked = check_file(path, region, strict=strict, keep_document=keep_documents, base=base)
        if checked is None:
            report.skipped.append(_shown(path, base))
        else:
            report.files.append(checked)
    for error in unreadable:
        folder = Path(error.filename or "")
        reason = (
            f"the folder cannot be read ({error.strerror or error}): its files were not checked"
        )
        problem = _file_issue("folder.unreadable", reason)
        report.files.append(FileCheck(folder, _shown(folder, base), None, (problem,)))
    return report


def problem_line(result: FileCheck, issue: Issue) -> str:
    return f"{result.shown}: {issue.severity.value} {issue.path}: {issue.message} [{issue.code}]"


def junit_xml(report: CheckReport, name: str = SOURCE) -> bytes:
    """JUnit XML: one test case per file, failed by its errors, its warnings in system-out."""
    failures = len(report.failed) + len(report.missing)
    total = len(report.files) + len(report.missing)
    seconds = f"{sum(result.seconds for result in report.files):.3f}"
    suites = ET.Element(
        "testsuites", name=name, tests=str(total), failures=str(failures), errors="0"
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=name,
        tests=str(total),
        failures=str(failures),
        errors="0",
        skipped="0",
        time=seconds,
    )
    for result in report.files:
        shown = _xml_safe(result.shown)
        folder = str(Path(shown).parent.as_posix())
        classname = "rcs-composer" if folder in ("", ".") else folder.replace("/", ".")
        case = ET.SubElement(
            suite,
            "testcase",
            classname=classname,
            name=shown,
            file=shown,
            time=f"{result.seconds:.3f}",
        )
        errors = result.errors
        if errors:
            failure = ET.SubElement(
                case,
                "failure",
                message=_xml_safe(f"{_count(len(errors), 'error')}: {errors[0].message}"[:500]),
                type="rcs-composer.validation",
            )
            failure.text = _xml_safe("\n".join(problem_line(result, issue) for issue in errors))
        if result.warnings:
            out = ET.SubElement(case, "system-out")
            lines = (problem_line(result, issue) for issue in result.warnings)
            out.text = _xml_safe("\n".join(lines))
    for missing in report.missing:
        shown = _xml_safe(missing)
        case = ET.SubElement(suite, "testcase", classname="rcs-composer", name=shown)
        failure = ET.SubElement(case, "failure", message="no such file or folder", type="missing")
        failure.text = f"{shown}: no such file or folder"
    ET.indent(suites)
    body: bytes = ET.tostring(suites, encoding="utf-8", xml_declaration=True)
    return body + b"\n"
