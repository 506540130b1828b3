"""The command line's parsers, built only when there are arguments to parse (the window's
own start, with none, skips them: argparse and its parsers cost ~2.5 ms)."""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar, cast

from rcs_composer import __version__

Number = TypeVar("Number", int, float)

MIN_RENDER_WIDTH_DP, MAX_RENDER_WIDTH_DP = 240, 800  # phones are 320-480 dp wide


def terminal_width() -> int:
    """Columns for help text: $COLUMNS, else the terminal's, else 80 (as shutil would say)."""
    try:
        return int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
    except (OSError, ValueError):
        return 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, told the width: left to itself it imports shutil to measure the
    terminal each time an argument is added, a few milliseconds of every command's start."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=max(terminal_width() - 2, 20))


class Parser(argparse.ArgumentParser):
    """The command line's parser; its subcommands' parsers are of this class too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


# Each command's parser is added by its own module; parsing one command imports only the module
# that defines it (``validate`` never loads the network stack). Function-local imports here are
# for start-up speed. A new command is one entry in COMMAND_PARSERS.
def _validate_command(sub: SubParsers) -> None:
    from rcs_composer.cli.content import add_validate_command

    add_validate_command(sub)


def _convert_command(sub: SubParsers) -> None:
    from rcs_composer.cli.content import add_convert_command

    add_convert_command(sub)


def _remote_commands(sub: SubParsers) -> None:
    from rcs_composer.cli.remote import add_remote_commands

    add_remote_commands(sub)


def _check_commands(sub: SubParsers) -> None:
    from rcs_composer.cli.check import add_check_command

    add_check_command(sub)


def _profile_commands(sub: SubParsers) -> None:
    from rcs_composer.cli.profile_cmd import add_profile_commands

    add_profile_commands(sub)


COMMAND_PARSERS: dict[str, Callable[[SubParsers], None]] = {
    "validate": _validate_command,
    "convert": _convert_command,
    "render": lambda sub: add_render_command(sub),
    "send": _remote_commands,
    "template": _remote_commands,
    "sandbox": _remote_commands,
    "profile": _profile_commands,
    "check": _check_commands,
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with only ``command``'s parser when it is a known one."""
    parser = Parser(
        prog="rcs-composer",
        description="Compose, preview, test-send and template RCS messages for Kaleyra. "
        "With no command, the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"rcs-composer {__version__}")
    parser.add_argument(
        "--exit-after-show",
        action="store_true",
        help="open the window, exit as soon as it has painted (start-up timing)",
    )
    # The program name given, argparse need not measure the terminal (and import shutil).
    sub = cast(  # of Parser (our formatter), typed as the command modules expect
        SubParsers, parser.add_subparsers(dest="command", metavar="COMMAND", prog="rcs-composer")
    )
    adders = (
        [COMMAND_PARSERS[command]]
        if command in COMMAND_PARSERS
        else list(dict.fromkeys(COMMAND_PARSERS.values()))
    )
    for add in adders:
        add(sub)
    return parser


def add_render_command(sub: SubParsers) -> None:
    render = sub.add_parser(
        "render",
        help="draw the phone preview of files to PNGs",
        description="Draw the phone preview of each file. With one file, OUT is the PNG to "
        "write; with several, OUT is a folder (made if missing) that gets NAME.png for each "
        "NAME.json. Qt starts once for all of them.",
    )
    render.add_argument("file", nargs="+", help="a message body, template body or draft")
    render.add_argument("-o", "--output", required=True, metavar="OUT.png|DIR")
    render.add_argument("--theme", choices=["light", "dark"], default="light")
    render.add_argument(
        "--width",
        type=render_width,
        default=360,
        metavar="DP",
        help=f"device width in dp, {MIN_RENDER_WIDTH_DP}-{MAX_RENDER_WIDTH_DP} (default 360)",
    )
    render.add_argument("--var", action="append", metavar="NAME=VALUE", help="fill a {{variable}}")
    from rcs_composer.cli.content import add_rows_arguments

    add_rows_arguments(render, render=True)


def number_argument(
    convert: Callable[[str], Number], low: Number, high: Number, *, what: str, outside: str
) -> Callable[[str], Number]:
    """An argparse ``type`` for a finite number from ``low`` to ``high``: text that is no number
    is "not {what}", a number outside the range is the value followed by ``outside``."""

    def parse(text: str) -> Number:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not (low <= value <= high and math.isfinite(value)):  # NaN fails both
            raise argparse.ArgumentTypeError(f"{text.strip()} {outside}")
        return value

    return parse


render_width = number_argument(
    int,
    MIN_RENDER_WIDTH_DP,
    MAX_RENDER_WIDTH_DP,
    what="a whole number of dp",
    outside=f"dp is not a phone: use {MIN_RENDER_WIDTH_DP} to {MAX_RENDER_WIDTH_DP}",
)


def gui_parser() -> argparse.ArgumentParser:
    """Just the app's own options: opening the window must not import every command's code."""
    parser = Parser(prog="rcs-composer", add_help=False)
    parser.add_argument("--version", action="version", version=f"rcs-composer {__version__}")
    parser.add_argument("--exit-after-show", action="store_true")
    parser.set_defaults(command=None)
    return parser
