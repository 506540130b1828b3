"""Spares every import after PySide6 a read of its source file.

Once PySide6 is imported it calls a hook after every later import, for its opt-in
``from __feature__ import ...`` syntax: a module not yet in its table of feature flags gets
its whole source read (``inspect.getsource``) and searched for "PySide6", and the text stays
in ``linecache``. For this app that is about 120 files, some 13 ms of the start-up and 1.8 MB
of source text kept for nothing: the app never selects a feature.

This finder runs first on every import and enters the module in that table with the flag the
scan would have found (0, "uses PySide6, no feature", for the window's own modules; -1,
"not a Qt module", for the rest), so the hook finds it there and reads nothing. The table is
PySide6's, not public: if a PySide6 release has none, nothing is installed and imports cost
what they did.
"""

from __future__ import annotations

import sys
from collections.abc import MutableMapping, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType

QT_MODULES = "rcs_composer.gui"  # the package that imports PySide6 (and nothing else does)
USES_QT, NOT_QT = 0, -1  # the two flags the scan gives: no feature selected, or ignored


class MarkWithoutScanning:
    """A meta path finder that finds nothing: it only records the flag of what is imported."""

    def __init__(self, flags: MutableMapping[str, int]) -> None:
        self.flags = flags

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        qt = fullname == QT_MODULES or fullname.startswith(QT_MODULES + ".")
        self.flags.setdefault(fullname, USES_QT if qt else NOT_QT)
        return None  # the usual finders load it


def skip_source_scans() -> bool:
    """Load PySide6 and put the finder in place, once; returns whether it is in place.

    Modules imported already (this one, the standard library PySide6 loads) are entered too:
    the hook would read them the next time an ``import`` statement names them.
    """
    import PySide6.QtCore  # noqa: F401 (loads the hook and its table)

    if any(isinstance(finder, MarkWithoutScanning) for finder in sys.meta_path):
        return True
    feature = sys.modules.get("shibokensupport.feature")
    flags = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(flags, MutableMapping):
        return False
    finder = MarkWithoutScanning(flags)
    for name in list(sys.modules):
        finder.find_spec(name, None)
    sys.meta_path.insert(0, finder)
    return True
