"""The ``rcs-composer`` command: the command line, with the window and the renderer plugged in.

The command line (``cli``) never imports the desktop part (``gui``); this module, above both,
hands it the two things only the desktop part can do.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rcs_composer.cli.main import Desktop, command_of
from rcs_composer.cli.main import main as command_line

if TYPE_CHECKING:
    from rcs_composer.core.model import Message


def open_window(exit_after_show: bool) -> int:
    from rcs_composer.gui.app import run_app

    return run_app(exit_after_show=exit_after_show, started=collect_garbage_again)


def collect_garbage_again() -> None:
    """The window is up: cyclic garbage is collected again, as usual."""
    gc.enable()


def render(message: Message, out_path: Path, **options: Any) -> Path:
    from rcs_composer.gui.render import render_png

    return render_png(message, out_path, **options)


def cut_finder() -> Callable[[Message], Sequence[str]]:
    from rcs_composer.gui.rows_cuts import make_cut_finder

    return make_cut_finder()


# services/media_child.py's CHILD_FLAG, spelt here so a command's start imports nothing more.
DOWNLOAD_CHILD_FLAG = "--download-preview-media"
DESKTOP = Desktop(open_window=open_window, render=render, cut_finder=cut_finder)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == [DOWNLOAD_CHILD_FLAG]:  # a window's image download, in a frozen app
        from rcs_composer.services.media_child import main as download_child

        return download_child()
    if command_of(arguments) is None and gc.isenabled():
        # Opening the window builds thousands of objects and frees almost none: collections
        # during it are work for nothing. The window turns them back on once it is shown.
        gc.disable()
    try:
        return command_line(arguments, DESKTOP)
    finally:
        gc.enable()
        if argv is None:
            # The process ends now (a command has run, or the window has closed and shut its
            # services down): the collections at exit would walk every object it made for
            # nothing, ~15 ms after a window (files still close, by their reference counts).
            gc.freeze()
