"""PySide6 reads the whole source of every module imported after it, and keeps it.

On each import PySide6 asks whether the new module uses PySide6 (for its opt-in
``from __feature__ import ...``) by reading the module's source with ``inspect.getsource``, and
that leaves the text of every imported module in ``linecache`` for the life of the process:
about 6 MB for the window's modules (seen upstream too: napari/napari#8584).
``keep_no_sources()`` puts in the same test, made by reading the file and keeping nothing.
"""

from __future__ import annotations

import linecache
import sys

import PySide6.QtCore  # noqa: F401 (installs PySide6's import hook, which this lightens)

_HOOK_MODULE = "PySide6.support.feature"


def uses_pyside(module: object) -> bool:
    """PySide6's own test, without keeping the source: the module's file names PySide6."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False  # built in, compiled or without a file: PySide6 answers False too
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return False


def keep_no_sources() -> bool:
    """Make PySide6 test new modules without keeping their source, and drop what it kept so
    far; False when this PySide6 has no such test (nothing to change)."""
    hook = sys.modules.get(_HOOK_MODULE)
    if hook is None or not callable(getattr(hook, "_mod_uses_pyside", None)):
        return False
    hook._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    linecache.clearcache()  # read again on demand: a traceback still shows its lines
    return True
