"""``validate`` and ``convert``: commands that work on content alone, with no account."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys

from rcs_composer.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    read_parsed,
)
from rcs_composer.core import codecs
from rcs_composer.core.codecs import Dropped, Format
from rcs_composer.core.issues import Issue, Region
from rcs_composer.core.model import Draft, TemplateInfo
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.core.validation import normalize_recipient, validate_data
from rcs_composer.core.variables import substitute


def issues_of(path: str, region: Region | None) -> list[Issue]:
    parsed = read_parsed(path)
    return validate_data(parsed.data, region, duplicates=parsed.duplicates)


def run_validate(args: argparse.Namespace) -> int:
    region = Region(args.region) if args.region else None
    issues = issues_of(args.file, region)
    errors = [issue for issue in issues if issue.is_error]
    warnings = [issue for issue in issues if not issue.is_error]
    if args.json:
        report = {
            "errors": [issue.as_json() for issue in errors],
            "warnings": [issue.as_json() for issue in warnings],
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for issue in issues:
            print(f"{issue.severity.value:7} {issue.path}: {issue.message} [{issue.code}]")
        print(f"{args.file}: {_count(len(errors), 'error')}, {_count(len(warnings), 'warning')}")
    return EXIT_FAILED if errors else EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def apply_options(draft: Draft, args: argparse.Namespace, values: dict[str, str]) -> Draft:
    """Fill or override envelope and template fields from the command line."""
    message = draft.message
    if args.sender is not None:
        message = dataclasses.replace(message, sender=args.sender)
    if args.recipient:
        try:
            numbers = tuple(normalize_recipient(number) for number in args.recipient)
        except ValueError as exc:
            raise CommandError(f"--recipient: {exc}") from None
        message = dataclasses.replace(message, recipients=numbers)
    template = draft.template or TemplateInfo()
    changes = {
        attr: value
        for attr, value in (
            ("agent_number", args.agent_number),
            ("name", args.template_name),
            ("status", args.status),
        )
        if value is not None
    }
    if changes:
        template = dataclasses.replace(template, **changes)
    if args.format == Format.DRAFT.value:
        # A draft keeps its variables and stores the given values as its sample values.
        merged = {**draft.variables, **values}
        return dataclasses.replace(draft, message=message, template=template, variables=merged)
    message = substitute(message, values)
    return dataclasses.replace(draft, message=message, template=template)


def run_convert(args: argparse.Namespace, values: dict[str, str]) -> int:
    data = read_parsed(args.file).data
    try:
        document = codecs.import_document(data)
    except DecodeError as exc:
        raise CommandError(f"{args.file}: {exc.path}: {exc.reason}", EXIT_FAILED) from None
    target = Format(args.format)
    draft = apply_options(document.draft, args, values)
    try:
        text = codecs.dumps(codecs.export_as(target, draft))
        text.encode("utf-8")
    except ValueError as exc:  # NaN or Infinity, or a lone surrogate (UnicodeEncodeError)
        raise CommandError(f"the converted file would not be valid JSON text: {exc}") from None
    dropped = codecs.dropped_fields(document, data, target)
    print(text, end="")
    _report_dropped(dropped, as_json=args.json)
    return EXIT_OK


def _report_dropped(dropped: list[Dropped], *, as_json: bool) -> None:
    """Say on stderr what the converted file leaves out, so nothing is lost silently."""
    if as_json:
        report = {"dropped": [entry.as_json() for entry in dropped]}
        print(json.dumps(report, ensure_ascii=False), file=sys.stderr)
        return
    for entry in dropped:
        print(f"rcs-composer: convert drops {entry.path} ({entry.reason})", file=sys.stderr)


def add_content_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    validate_cmd = sub.add_parser(
        "validate",
        help="check a message body, template body or draft against every documented limit",
        description="Exit 0: no errors (warnings allowed). 1: errors. 2: unreadable file.",
    )
    validate_cmd.add_argument(
        "file", help="a JSON file in any of the three formats, or - for stdin"
    )
    validate_cmd.add_argument(
        "--region",
        choices=[r.value for r in Region],
        help="limits of this Kaleyra region (default: the stricter of both)",
    )
    validate_cmd.add_argument("--json", action="store_true", help="print a JSON report")

    convert_cmd = sub.add_parser(
        "convert", help="convert between the message body, the template body and the draft format"
    )
    convert_cmd.add_argument("file", help="a JSON file in any of the three formats, or - for stdin")
    convert_cmd.add_argument("--format", required=True, choices=[f.value for f in Format])
    convert_cmd.add_argument("--sender", metavar="FROM", help="the agent's service code (from)")
    convert_cmd.add_argument(
        "--recipient",
        action="append",
        metavar="NUMBER",
        help="a recipient, any common form; repeat for more",
    )
    convert_cmd.add_argument("--agent-number", metavar="N", help="template agent number")
    convert_cmd.add_argument("--template-name", metavar="NAME")
    convert_cmd.add_argument("--status", metavar="STATUS", help="template status, e.g. CREATED")
    convert_cmd.add_argument(
        "--var", action="append", metavar="NAME=VALUE", help="fill a {{variable}}; repeat for more"
    )
    convert_cmd.add_argument(
        "--json",
        action="store_true",
        help='list the fields the conversion drops on stderr as JSON: {"dropped": [{"path", '
        '"reason"}]} (without it, one line per field)',
    )
