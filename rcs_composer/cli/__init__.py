"""The ``rcs-composer`` command line: content commands, API commands, and the GUI launcher."""

from rcs_composer.cli.main import main

__all__ = ["main"]
