"""``check``: every draft, message and template under some paths, for CI and pre-commit."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rcs_composer.app.check import CheckReport, FileCheck, check_paths, junit_xml, problem_line
from rcs_composer.cli.output import EXIT_FAILED, EXIT_OK, EXIT_UNREADABLE, CommandError
from rcs_composer.core.issues import Issue, Region, Severity

if TYPE_CHECKING:
    from rcs_composer.cli.main import Desktop


def add_check_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = sub.add_parser(
        "check",
        help="validate every draft, message and template file under the paths (for CI)",
        description="Folders are searched recursively: every *.rcs.json file is checked, and "
        "any other *.json that is a message body, template body or draft. Exit 0: no errors "
        "(warnings allowed). 1: errors. 2: a path does not exist.",
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    check.add_argument(
        "--region",
        choices=[r.value for r in Region],
        help="limits of this Kaleyra region (default: the stricter of both)",
    )
    check.add_argument(
        "--junit", metavar="FILE", help="also write the results as JUnit XML, for CI test reports"
    )
    check.add_argument(
        "--render",
        metavar="DIR",
        help="also draw each file's phone preview to DIR/<path>.png (review artifacts)",
    )
    check.add_argument(
        "--skip-unknown",
        action="store_true",
        help="skip files named on the command line that are no document of ours (pre-commit "
        "passes every staged *.json); *.rcs.json files are always checked",
    )
    check.add_argument(
        "--quiet", action="store_true", help="print the errors and the summary, not warnings"
    )


def png_name(shown: str) -> Path:
    """``brand/diwali-offer.rcs.json`` -> ``brand/diwali-offer.png``, inside the render folder."""
    relative = Path(*[part for part in Path(shown).parts if part not in ("..", "/", "")])
    name = relative.name
    for suffix in (".json", ".rcs"):
        name = name.removesuffix(suffix)
    return relative.with_name(f"{name}.png")


def render_all(report: CheckReport, out_dir: Path, desktop: Desktop) -> list[tuple[FileCheck, str]]:
    """Draw every readable document; the failures, each with its reason."""
    failures: list[tuple[FileCheck, str]] = []
    used: set[Path] = set()
    for result in report.files:
        if result.document is None:
            continue
        draft = result.document.draft
        target = out_dir / png_name(result.shown)
        if target in used:  # offer.rcs.json beside offer.json: the longer name for the second
            target = target.with_name(f"{Path(result.shown).name.removesuffix('.json')}.png")
        used.add(target)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            desktop.render(
                draft.message,
                target,
                theme="light",
                width_dp=360,
                values=dict(draft.variables),
                cache_dir=None,
            )
        except OSError as exc:
            failures.append((result, f"{target}: {exc.strerror or exc}"))
    return failures


def run_check(args: argparse.Namespace, desktop: Desktop | None) -> int:
    region = Region(args.region) if args.region else None
    rendering = args.render is not None
    if rendering and desktop is None:
        raise CommandError("--render needs the desktop part of rcs-composer, not available here")
    report = check_paths(
        [Path(path) for path in args.paths],
        region,
        skip_unknown=args.skip_unknown,
        keep_documents=rendering,
    )
    for missing in report.missing:
        print(f"{missing}: no such file or folder")
    for result in report.files:
        for issue in result.issues:
            if issue.is_error or not args.quiet:
                print(problem_line(result, issue))
    if rendering and desktop is not None:
        for result, reason in render_all(report, Path(args.render), desktop):
            issue = Issue(Severity.ERROR, "$", "render.failed", f"not rendered: {reason}", "")
            print(problem_line(result, issue))
            # Kept in the report: the summary, the exit code and the JUnit file count it.
            report.files[report.files.index(result)] = replace(
                result, issues=(*result.issues, issue)
            )
    if args.junit:
        try:
            Path(args.junit).write_bytes(junit_xml(report))
        except OSError as exc:
            raise CommandError(f"{args.junit}: cannot be written ({exc.strerror or exc})") from None
    print(report.summary())
    if report.missing:
        return EXIT_UNREADABLE
    return EXIT_FAILED if report.errors else EXIT_OK
