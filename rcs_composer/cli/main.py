"""The command line: what runs for each command (the parsers are in cli/parser.py); with no
command, the desktop app opens."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

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
    import argparse

    from rcs_composer.app.services import Services
    from rcs_composer.core.model import Message

# What parsing the arguments needs, and no more: the window comes this way too (entry.py), so
# the documents' code (cli.common, core.codecs) is imported only by the commands that read one.


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


def render_targets(files: list[str], output: str) -> list[tuple[str, Path]]:
    """Which PNG each file becomes: OUT itself for one file, OUT/NAME.png for several."""
    if not output.strip():
        raise CommandError("-o is empty: name a .png file, or a folder")
    out = Path(output)
    if len(files) == 1 and not out.is_dir():
        if out.suffix.lower() != ".png":  # Qt would write a JPEG for .jpg, nothing for none
            raise CommandError(
                f"-o {output}: render writes PNG images; name the file .png, or give a folder "
                "that exists"
            )
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


def launch_gui(desktop: Desktop | None, *, exit_after_show: bool = False) -> int:
    if desktop is None:
        raise CommandError("the desktop part of rcs-composer is not available here")
    from rcs_composer.services.env_key import take_env_key

    take_env_key()  # out of the environment: no program the window opens inherits the key
    try:
        return desktop.open_window(exit_after_show)
    except ImportError as exc:
        error(f"the desktop app cannot start: {exc}")
        return EXIT_UNREADABLE


# The commands (cli/parser.py adds a parser for each; a test holds the two to one list).
COMMANDS = frozenset(
    ("validate", "convert", "render", "send", "template", "sandbox", "profile", "check")
)
WINDOW_OPTIONS = frozenset({"--exit-after-show"})  # all the window itself takes


def command_of(arguments: Sequence[str]) -> str | None:
    """The command word: the first argument that is no option (the app's own take no value)."""
    return next((arg for arg in arguments if not arg.startswith("-")), None)


def main(
    argv: Sequence[str] | None = None,
    desktop: Desktop | None = None,
    services: Services | None = None,
) -> int:
    """Run one command; ``desktop`` (from rcs_composer.entry) opens the window and renders;
    ``services``: the container a test gives the command instead of the real one."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if set(arguments) <= WINDOW_OPTIONS:  # the window, as started from a desktop or for timing
        try:  # no parser to build: argparse is ~2.5 ms of every start of the window
            return launch_gui(desktop, exit_after_show=bool(arguments))
        except CommandError as exc:
            error(str(exc))
            return exc.exit_code
    from rcs_composer.cli.parser import build_parser, gui_parser

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
