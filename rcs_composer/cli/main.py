"""Argument parsing and dispatch; with no command, the desktop app opens."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rcs_composer import __version__
from rcs_composer.cli.common import (
    EXIT_BUG,
    EXIT_UNREADABLE,
    CommandError,
    error,
    parse_vars,
    redacted_output,
    report_crash,
)

if TYPE_CHECKING:
    from rcs_composer.core.model import Message

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


@dataclass(frozen=True)
class Desktop:
    """What only the desktop part can do, handed in by the entry point: the command line
    itself never imports the window's code."""

    open_window: Callable[[bool], int]
    render: Render
    # Which carousel cards phones cut, from the preview's layout (validate --rows).
    cut_finder: Callable[[], Callable[[Message], Sequence[str]]] | None = None


def build_parser() -> argparse.ArgumentParser:
    from rcs_composer.cli.content import add_content_commands
    from rcs_composer.cli.profile_cmd import add_profile_commands
    from rcs_composer.cli.remote import add_remote_commands

    parser = argparse.ArgumentParser(
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_content_commands(sub)
    add_render_command(sub)
    add_remote_commands(sub)
    add_profile_commands(sub)
    return parser


def add_render_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    render = sub.add_parser("render", help="draw the phone preview of a file to a PNG")
    render.add_argument("file", help="a message body, template body or draft")
    render.add_argument("-o", "--output", required=True, metavar="OUT.png")
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


def run_render(args: argparse.Namespace, desktop: Desktop) -> int:
    from rcs_composer.cli.common import EXIT_OK, read_document
    from rcs_composer.services.paths import app_paths

    if args.rows:
        from rcs_composer.cli.content import run_render_rows

        return run_render_rows(args, desktop)
    draft = read_document(args.file).draft
    try:
        desktop.render(
            draft.message,
            Path(args.output),
            theme=args.theme,
            width_dp=args.width,
            values={**draft.variables, **parse_vars(args.var)},
            cache_dir=app_paths().cache_dir,
        )
    except OSError as exc:
        raise CommandError(f"{args.output}: {exc}") from None
    return EXIT_OK


def dispatch(args: argparse.Namespace, desktop: Desktop | None = None) -> int:
    if args.command == "validate":
        from rcs_composer.cli.content import run_validate

        return run_validate(args, desktop)
    if args.command == "convert":
        from rcs_composer.cli.content import run_convert

        return run_convert(args, parse_vars(args.var))
    if args.command in ("send", "template", "sandbox", "profile"):
        return dispatch_remote(args)
    if desktop is None:
        raise CommandError("the desktop part of rcs-composer is not available here")
    if args.command == "render":
        return run_render(args, desktop)
    return launch_gui(desktop, exit_after_show=args.exit_after_show)


def dispatch_remote(args: argparse.Namespace) -> int:
    from rcs_composer.cli.common import check_folders
    from rcs_composer.services.logs import setup_logging
    from rcs_composer.services.paths import app_paths

    check_folders()
    setup_logging(app_paths().log_dir)
    if args.command == "profile":
        from rcs_composer.cli.profile_cmd import run_profile

        return run_profile(args)
    from rcs_composer.cli import remote

    if args.command == "send":
        return remote.run_send(args, parse_vars(args.var))
    if args.command == "template":
        return remote.run_template(args)
    return remote.run_sandbox(args)


def launch_gui(desktop: Desktop, *, exit_after_show: bool = False) -> int:
    try:
        return desktop.open_window(exit_after_show)
    except ImportError as exc:
        error(f"the desktop app cannot start: {exc}")
        return EXIT_UNREADABLE


COMMANDS = frozenset({"validate", "convert", "render", "send", "template", "sandbox", "profile"})


def gui_parser() -> argparse.ArgumentParser:
    """Just the app's own options: opening the window must not import every command's code."""
    parser = argparse.ArgumentParser(prog="rcs-composer", add_help=False)
    parser.add_argument("--version", action="version", version=f"rcs-composer {__version__}")
    parser.add_argument("--exit-after-show", action="store_true")
    parser.set_defaults(command=None)
    return parser


def main(argv: Sequence[str] | None = None, desktop: Desktop | None = None) -> int:
    """Run one command; ``desktop`` (from rcs_composer.entry) opens the window and renders."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    wants_command = any(arg in COMMANDS or arg in ("-h", "--help") for arg in arguments)
    parser = build_parser() if wants_command else gui_parser()
    args = parser.parse_args(arguments)
    try:
        if args.command is None:
            return dispatch(args, desktop)  # the window has its own error report (gui.app)
        with redacted_output():
            return dispatch(args, desktop)
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
