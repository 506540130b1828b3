"""Argument parsing and dispatch; with no command, the desktop app opens."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

from rcs_composer import __version__
from rcs_composer.cli.output import (
    EXIT_BUG,
    EXIT_OK,
    EXIT_UNREADABLE,
    CommandError,
    error,
    redacted_output,
    report_crash,
)

if TYPE_CHECKING:
    from rcs_composer.app.services import Services
    from rcs_composer.core.model import Message

# What parsing the arguments needs, and no more: the window comes this way too (entry.py), so
# the documents' code (cli.common, core.codecs) is imported only by the commands that read one.

MIN_RENDER_WIDTH_DP, MAX_RENDER_WIDTH_DP = 240, 800  # phones are 320-480 dp wide


class Render(Protocol):
    def __call__(
        self,
        message: Message,
        out_path: Path,
        *,
        theme: str,
        width_dp: int,
        values: Mapping[str, str],
        cache_dir: Path | None,
    ) -> Path: ...


class Desktop:
    """What only the desktop part can do, handed in by the entry point: the command line
    itself never imports the window's code (nor, for the window's start, dataclasses)."""

    __slots__ = ("cut_finder", "open_window", "render")

    def __init__(
        self,
        open_window: Callable[[bool], int],
        render: Render,
        # Which carousel cards phones cut, from the preview's layout (validate --rows).
        cut_finder: Callable[[], Callable[[Message], Sequence[str]]] | None = None,
    ) -> None:
        self.open_window = open_window
        self.render = render
        self.cut_finder = cut_finder


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


def render_width(text: str) -> int:
    try:
        width = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of dp") from None
    if not MIN_RENDER_WIDTH_DP <= width <= MAX_RENDER_WIDTH_DP:
        raise argparse.ArgumentTypeError(
            f"{width} dp is not a phone: use {MIN_RENDER_WIDTH_DP} to {MAX_RENDER_WIDTH_DP}"
        )
    return width


def render_targets(files: list[str], output: str) -> list[tuple[str, Path]]:
    """Which PNG each file becomes: OUT itself for one file, OUT/NAME.png for several."""
    out = Path(output)
    if len(files) == 1 and not out.is_dir():
        return [(files[0], out)]
    if out.exists() and not out.is_dir():
        raise CommandError(f"{output}: several files render into a folder, and this is a file")
    targets: dict[Path, str] = {}
    for name in files:
        target = out / f"{Path(name).stem if name != '-' else 'stdin'}.png"
        if target in targets:
            raise CommandError(f"{targets[target]} and {name} would both write {target}")
        targets[target] = name
    return [(name, target) for target, name in targets.items()]


def run_render(args: argparse.Namespace, desktop: Desktop, services: Services) -> int:
    from rcs_composer.cli.common import parse_vars, read_document

    if args.rows:
        from rcs_composer.cli.content import run_render_rows

        return run_render_rows(args, desktop, services.folders.cache_dir)
    targets = render_targets(args.file, args.output)
    cache_dir = services.folders.cache_dir
    extra = parse_vars(args.var)
    worst = EXIT_OK
    for name, target in targets:
        try:
            draft = read_document(name).draft
            try:
                desktop.render(
                    draft.message,
                    target,
                    theme=args.theme,
                    width_dp=args.width,
                    values={**draft.variables, **extra},
                    cache_dir=cache_dir,
                )
            except OSError as exc:
                raise CommandError(f"{target}: {exc}") from None
        except CommandError as exc:
            if len(targets) == 1:
                raise
            error(str(exc))  # one bad file of many: say which, draw the others
            worst = max(worst, exc.exit_code)
    return worst


def dispatch(
    args: argparse.Namespace, desktop: Desktop | None = None, services: Services | None = None
) -> int:
    """Run the command; the window builds its own services (gui's composition root). The
    content commands (validate, convert, check) need no services, so they never import the
    container; the others get the one made here (or ``services``, a test's) and its sandbox
    stops with it."""
    if args.command is None:
        if desktop is None:
            raise CommandError("the desktop part of rcs-composer is not available here")
        return launch_gui(desktop, exit_after_show=args.exit_after_show)
    if args.command in CONTENT_COMMANDS:
        return dispatch_content(args, desktop)
    if services is None:
        from rcs_composer.app.services import Services

        services = Services()
    try:
        if args.command in ("send", "template", "sandbox", "profile"):
            return dispatch_remote(args, services)
        if desktop is None:
            raise CommandError("the desktop part of rcs-composer is not available here")
        return run_render(args, desktop, services)
    finally:
        services.stop_sandbox()


CONTENT_COMMANDS = ("validate", "convert", "check")


def dispatch_content(args: argparse.Namespace, desktop: Desktop | None) -> int:
    if args.command == "validate":
        from rcs_composer.cli.content import run_validate

        return run_validate(args, desktop)
    if args.command == "convert":
        from rcs_composer.cli.common import parse_vars
        from rcs_composer.cli.content import run_convert

        return run_convert(args, parse_vars(args.var))
    from rcs_composer.cli.check import run_check

    return run_check(args, desktop)


def dispatch_remote(args: argparse.Namespace, services: Services) -> int:
    from rcs_composer.cli.common import check_folders, parse_vars

    check_folders(services.folders)
    services.paths  # noqa: B018 (made, and the log file opened, before anything is sent)
    if args.command == "profile":
        from rcs_composer.cli.profile_cmd import run_profile

        return run_profile(args, services)
    from rcs_composer.cli import remote

    if args.command == "send":
        return remote.run_send(args, parse_vars(args.var), services)
    if args.command == "template":
        return remote.run_template(args, services)
    return remote.run_sandbox(args, services)


def launch_gui(desktop: Desktop, *, exit_after_show: bool = False) -> int:
    try:
        return desktop.open_window(exit_after_show)
    except ImportError as exc:
        error(f"the desktop app cannot start: {exc}")
        return EXIT_UNREADABLE


COMMANDS = frozenset(COMMAND_PARSERS)


def command_of(arguments: Sequence[str]) -> str | None:
    """The command word: the first argument that is no option (the app's own take no value)."""
    return next((arg for arg in arguments if not arg.startswith("-")), None)


def gui_parser() -> argparse.ArgumentParser:
    """Just the app's own options: opening the window must not import every command's code."""
    parser = Parser(prog="rcs-composer", add_help=False)
    parser.add_argument("--version", action="version", version=f"rcs-composer {__version__}")
    parser.add_argument("--exit-after-show", action="store_true")
    parser.set_defaults(command=None)
    return parser


def main(
    argv: Sequence[str] | None = None,
    desktop: Desktop | None = None,
    services: Services | None = None,
) -> int:
    """Run one command; ``desktop`` (from rcs_composer.entry) opens the window and renders;
    ``services``: the container a test gives the command instead of the real one."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    command = command_of(arguments)
    wants_command = command is not None or any(arg in ("-h", "--help") for arg in arguments)
    parser = build_parser(command) if wants_command else gui_parser()
    args = parser.parse_args(arguments)
    try:
        if args.command is None:
            return dispatch(args, desktop)  # the window has its own error report (gui.app)
        with redacted_output():
            return dispatch(args, desktop, services)
    except CommandError as exc:
        error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:
        if args.command is None:
            raise
        report_crash()
        return EXIT_BUG
