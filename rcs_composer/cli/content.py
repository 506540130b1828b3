"""``validate`` and ``convert``: commands that work on content alone, with no account."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rcs_composer.cli.common import read_document, read_parsed
from rcs_composer.cli.output import EXIT_FAILED, EXIT_OK, CommandError
from rcs_composer.core import codecs
from rcs_composer.core.codecs import Dropped, Format
from rcs_composer.core.issues import Issue, Region
from rcs_composer.core.model import Draft, TemplateInfo
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.core.validation import normalize_recipient, validate_data
from rcs_composer.core.variables import substitute
from rcs_composer.core.wire import child_path

if TYPE_CHECKING:
    from rcs_composer.app.rows import ColumnMap, RowsReport
    from rcs_composer.cli.main import Desktop
    from rcs_composer.services.row_files import RowTable


def issues_of(path: str, region: Region | None) -> list[Issue]:
    parsed = read_parsed(path)
    return validate_data(parsed.data, region, duplicates=parsed.duplicates)


def run_validate(args: argparse.Namespace, desktop: Desktop | None = None) -> int:
    region = Region(args.region) if args.region else None
    if args.rows:
        return run_validate_rows(args, region, desktop)
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
    parsed = read_parsed(args.file)
    data = parsed.data
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
    repeated = [  # JSON keeps the last of a key written twice: the others are dropped too
        Dropped(
            child_path(found.path, found.key), f"written {found.count} times: only the last is kept"
        )
        for found in parsed.duplicates
    ]
    dropped = repeated + codecs.dropped_fields(document, data, target)
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


def add_validate_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    add_rows_arguments(validate_cmd)


def add_convert_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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


# ---------------------------------------------------------------- variable rows


def add_rows_arguments(parser: argparse.ArgumentParser, *, render: bool = False) -> None:
    parser.add_argument(
        "--rows",
        metavar="ROWS.csv",
        help="a CSV or .xlsx file of variable values, one message per row (row 1 names the "
        "columns); columns map to {{variables}} by name",
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME",
        help="the sheet of an .xlsx workbook to read (default: the one it opens on, if "
        "visible, else the first visible one)",
    )
    parser.add_argument(
        "--map",
        action="append",
        metavar="VARIABLE=COLUMN",
        help="fill {{VARIABLE}} from COLUMN (its name in row 1, or its letter); repeat for more",
    )
    if render:
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--row", type=int, metavar="N", help="the row to draw, numbered as the sheet shows it"
        )
        which.add_argument(
            "--all", action="store_true", help="draw every row: -o is a folder, one PNG per row"
        )
    else:
        parser.add_argument(
            "--recipient-column",
            metavar="COLUMN",
            help="the column of phone numbers (default: one named phone, mobile, ...)",
        )


def _column_index(table: RowTable, name: str, option: str) -> int:
    from rcs_composer.app.rows import comparable

    for index, column in enumerate(table.columns):
        if column == name:
            return index
    for index, column in enumerate(table.columns):
        if comparable(column) == comparable(name):
            return index
    for index in range(len(table.columns)):
        if table.column_letter(index) == name.upper():
            return index
    raise CommandError(
        f"{option} {name!r}: {table.source} has no such column "
        f"(its columns: {', '.join(table.columns[:20])})"
    )


def load_rows(args: argparse.Namespace, variables: list[str]) -> tuple[RowTable, ColumnMap]:
    """The rows file and the mapping: by name, then ``--map`` and ``--recipient-column``."""
    from rcs_composer.app.rows import load_row_file
    from rcs_composer.services.row_files import RowFileError

    try:
        table, mapping = load_row_file(Path(args.rows), variables, sheet=args.sheet)
    except RowFileError as exc:
        raise CommandError(str(exc)) from None
    if not table.rows:
        where = f"sheet “{table.sheet}” of {table.source}" if table.sheet else table.source
        other = table.data_elsewhere
        elsewhere = (
            f"; sheet “{other}” has rows: read it with --sheet "
            + (other if other.isalnum() else f'"{other}"')
            if other
            else ""
        )
        raise CommandError(
            f"{where} has no data rows: row 1 names the columns, and the rows to check "
            f"or draw start at row 2{elsewhere}",
            EXIT_FAILED,
        )
    for pair in args.map or []:
        name, sep, column = pair.partition("=")
        name = name.strip().strip("{}").strip()
        if not sep or not name or not column.strip():
            raise CommandError(f"--map {pair!r}: write it as VARIABLE=COLUMN")
        if name not in mapping.variables:
            known = ", ".join(variables) or "none"
            raise CommandError(f"--map {pair!r}: the message has no {{{{{name}}}}} ({known})")
        mapping = mapping.with_variable(name, _column_index(table, column.strip(), "--map"))
    chosen = getattr(args, "recipient_column", None)
    if chosen:
        mapping = mapping.with_recipient(_column_index(table, chosen, "--recipient-column"))
    for problem in table.problems:
        where = f"row {problem.row}: " if problem.row else ""
        print(f"rcs-composer: {table.source}: {where}{problem.message}", file=sys.stderr)
    if table.more_problems:
        print(
            f"rcs-composer: {table.source}: and {table.more_problems:,} more notes",
            file=sys.stderr,
        )
    return table, mapping


def _mapping_lines(table: RowTable, mapping: ColumnMap) -> list[str]:
    lines = []
    for name, column in mapping.variables.items():
        target = (
            f"column {table.column_letter(column)} “{table.columns[column]}”"
            if column is not None
            else "no column"
        )
        lines.append(f"{{{{{name}}}}} <- {target}")
    if mapping.recipient is not None:
        column = mapping.recipient
        lines.append(f"recipient <- column {table.column_letter(column)} “{table.columns[column]}”")
    return lines


def run_validate_rows(
    args: argparse.Namespace, region: Region | None, desktop: Desktop | None
) -> int:
    """Every row's filled message through the validator; exit 1 if any row has an error."""
    from rcs_composer.app.rows import row_checker, validate_rows
    from rcs_composer.core.variables import find_variables

    message = read_document(args.file).draft.message
    table, mapping = load_rows(args, find_variables(message))
    cut_finder = desktop.cut_finder if desktop is not None else None
    report = validate_rows(row_checker(message, region, table, mapping, cut_finder=cut_finder))
    if args.json:
        print(json.dumps(_rows_json(args, table, mapping, report), ensure_ascii=False, indent=2))
    else:
        for line in _mapping_lines(table, mapping):
            print(line)
        design = report.design_summary()
        if design:
            print(f"{design}:")
            for issue, line in zip(report.design, report.design_lines(), strict=True):
                print(f"  {issue.severity.value:7} {line} [{issue.code}]")
        for result in report.results:
            for problem in result.problems:
                print(
                    f"row {result.number}: {problem.severity.value:7} {problem.label}: "
                    f"{problem.message} [{problem.code}]"
                )
        groups = report.groups()
        if groups:
            print("Worst problems:")
        for group in groups[:10]:
            print(f"  {group.severity.value:7} {group.text} [{group.code}]")
        print(f"{args.rows}: {report.summary()}")
    return EXIT_FAILED if report.has_errors else EXIT_OK


def _rows_json(
    args: argparse.Namespace, table: RowTable, mapping: ColumnMap, report: RowsReport
) -> dict[str, object]:
    from rcs_composer.app.rows import Status, field_label

    return {
        "file": args.file,
        "rows_file": args.rows,
        "read_as": table.description,
        "mapping": {
            name: (table.columns[column] if column is not None else None)
            for name, column in mapping.variables.items()
        },
        "recipient_column": (
            table.columns[mapping.recipient] if mapping.recipient is not None else None
        ),
        "file_problems": [
            {"row": problem.row, "message": problem.message} for problem in table.problems
        ],
        "design_problems": [issue.as_json() for issue in report.design],
        "summary": {
            "rows": len(report.results),
            "ok": report.count(Status.OK),
            "warnings": report.count(Status.WARNING),
            "errors": report.count(Status.ERROR),
            "text": report.summary(),
        },
        "groups": [
            {
                "severity": group.severity.value,
                "code": group.code,
                "field": group.field,
                "label": field_label(group.field),
                "message": group.message,
                "rows": group.count,
                "first_rows": list(group.rows),
            }
            for group in report.groups()
        ],
        "rows": [
            {
                "row": result.number,
                "status": result.status.value,
                "problems": [
                    {
                        "severity": problem.severity.value,
                        "field": problem.field,
                        "code": problem.code,
                        "message": problem.message,
                    }
                    for problem in result.problems
                ],
            }
            for result in report.results
        ],
    }


def run_render_rows(args: argparse.Namespace, desktop: Desktop, cache_dir: Path) -> int:
    """``render FILE --rows ROWS.csv --row N -o OUT.png`` or ``--all -o FOLDER``."""
    from rcs_composer.app.rows import preview_values
    from rcs_composer.core.variables import find_variables

    files = args.file if isinstance(args.file, list) else [args.file]
    if len(files) != 1:
        raise CommandError("--rows draws one message file: give one FILE")
    draft = read_document(files[0]).draft
    names = find_variables(draft.message)
    table, mapping = load_rows(args, names)
    out = Path(args.output)
    if args.all:
        if out.suffix.lower() == ".png":
            raise CommandError(f"-o {args.output}: with --all, -o is a folder (one PNG per row)")
        chosen = list(table.rows)
    elif args.row is not None:
        chosen = [row for row in table.rows if row.number == args.row]
        if not chosen:
            first = table.rows[0].number if table.rows else 2
            last = table.rows[-1].number if table.rows else 2
            raise CommandError(
                f"--row {args.row}: {table.source} has no data in row {args.row} "
                f"(its data rows are {first} to {last}; row 1 names the columns)"
            )
    else:
        raise CommandError("--rows needs --row N (one row) or --all (every row)")
    folder = out if (args.all or out.is_dir()) else None
    if args.var:
        raise CommandError(
            "--var and --rows: each row brings its own values (a blank cell is drawn with its "
            "braces, as validate --rows reports it); choose columns with --map"
        )
    for row in chosen:
        values = preview_values(table, mapping, row, names)
        target = folder / f"row-{row.number}.png" if folder is not None else out
        try:
            desktop.render(
                draft.message,
                target,
                theme=args.theme,
                width_dp=args.width,
                values=values,
                cache_dir=cache_dir,
            )
        except OSError as exc:
            raise CommandError(f"{target}: {exc}") from None
        print(target)
    return EXIT_OK
