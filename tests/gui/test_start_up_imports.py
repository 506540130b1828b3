"""What the window's imports cost besides their own code: no source file read for PySide6's
feature scan, no importlib.resources to find the data the app ships."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest

from rcs_composer.gui import import_scan
from rcs_composer.gui.package_data import package_folder
from tests.support.child_python import run_python

WINDOW_IMPORTS = """
import json, linecache, sys
import rcs_composer.gui.main_window
read = sorted(name for name in linecache.cache if "rcs_composer" in name)
print(json.dumps({"read": read, "resources": "importlib.resources" in sys.modules}))
"""


def test_importing_the_window_reads_no_source_file_and_no_resources_module() -> None:
    output = run_python(WINDOW_IMPORTS, timeout=60)
    seen = json.loads(output.strip().splitlines()[-1])
    assert seen == {"read": [], "resources": False}


def test_the_finder_records_a_flag_for_each_import_and_finds_nothing() -> None:
    flags: dict[str, int] = {"rcs_composer.gui.kept": 5}
    finder = import_scan.MarkWithoutScanning(flags)
    assert finder.find_spec("rcs_composer.gui.preview.layout", None) is None
    assert finder.find_spec("rcs_composer.core.model", None) is None
    assert finder.find_spec("phonenumbers", None) is None
    assert finder.find_spec("rcs_composer.gui.kept", None) is None
    assert flags == {
        "rcs_composer.gui.kept": 5,  # a flag already there (a module's own choice) stays
        "rcs_composer.gui.preview.layout": import_scan.USES_QT,
        "rcs_composer.core.model": import_scan.NOT_QT,
        "phonenumbers": import_scan.NOT_QT,
    }


def test_without_pyside6s_table_nothing_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path if not _ours(f)])
    monkeypatch.setitem(sys.modules, "shibokensupport.feature", object())
    assert import_scan.skip_source_scans() is False
    assert not any(_ours(finder) for finder in sys.meta_path)


def test_installed_once_however_often_asked() -> None:
    assert import_scan.skip_source_scans() is True
    assert import_scan.skip_source_scans() is True
    assert sum(_ours(finder) for finder in sys.meta_path) == 1


def _ours(finder: object) -> bool:
    return isinstance(finder, import_scan.MarkWithoutScanning)


def test_package_data_on_disk_is_a_plain_folder() -> None:
    folder = package_folder("rcs_composer.samples")
    assert isinstance(folder, Path)
    assert (folder / "standalone_card.json").is_file()


def test_package_data_in_a_zip_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as made:
        made.writestr("zipped_samples/__init__.py", "")
        made.writestr("zipped_samples/hello.json", '{"text": "Hello"}')
    monkeypatch.syspath_prepend(str(archive))
    folder = package_folder("zipped_samples")
    assert not isinstance(folder, Path)
    assert json.loads(folder.joinpath("hello.json").read_text()) == {"text": "Hello"}
    monkeypatch.delitem(sys.modules, "zipped_samples")


FIRST_PAINT = """
import json, sys
import PySide6.QtGui, PySide6.QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from rcs_composer.gui.app import make_application
from rcs_composer.gui.main_window import MainWindow

WATCHED = [
    "rcs_composer.gui.editors.message_editor", "rcs_composer.gui.account_selector",
    "rcs_composer.gui.file_actions", "rcs_composer.gui.app_context", "rcs_composer.app.services",
    "rcs_composer.app.drafts", "rcs_composer.core.validation", "rcs_composer.core.codecs",
    "rcs_composer.services.media", "rcs_composer.gui.decode_budget",  # with the first image
    # the network stack and OpenSSL (xml.sax.saxutils alone imports urllib.request: ~17 ms)
    "urllib.request", "http.client", "ssl", "hashlib",
]
seen = {}
def loaded():
    return [name for name in WATCHED if name in sys.modules]

class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and "painted" not in seen:
            seen["painted"] = loaded()
            # PySide6 builds a class's Python type, enums and all, when Python first meets it
            seen["types"] = [
                name
                for module, name in (
                    (PySide6.QtWidgets, "QStyle"),
                    (PySide6.QtGui, "QKeySequence"),
                    (PySide6.QtGui, "QActionGroup"),
                )
                if name in vars(module)
            ]
        return False

app = make_application()
window = MainWindow.create_default()
watch = Watch()
window.installEventFilter(watch)
window.parts_built.connect(lambda: seen.update(parts=loaded()))
window.parts_built.connect(lambda: QTimer.singleShot(0, app.quit))
window.show()
app.exec()
window.shutdown()
print(json.dumps(seen))
"""


def test_the_first_paint_loads_neither_the_editors_nor_the_controllers() -> None:
    # A returning user's start (the very first one parses the sample, with the codecs).
    for _ in range(2):
        output = run_python(FIRST_PAINT, timeout=60)
    seen = json.loads(output.strip().splitlines()[-1])
    assert seen["painted"] == []
    assert seen["types"] == []  # QStyle's 40 enums (~4 ms), the zoom items' shortcuts (~1.5 ms)
    assert {
        "rcs_composer.gui.editors.message_editor",
        "rcs_composer.gui.account_selector",
        "rcs_composer.gui.app_context",
    } <= set(seen["parts"])


MARKED_WINDOW = """
import json, sys, time
import PySide6.QtWidgets
from PySide6.QtCore import QCoreApplication
from rcs_composer.core import model as m
from rcs_composer.gui.app import make_application
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.main_window import MainWindow

app = make_application()
card = m.CardContent(
    title="x" * 201,
    suggestions=(m.SuggestionSlot(m.Reply(text="Interested", postback_data="")),),
)
draft = m.Draft(name="marked", message=m.Message(content=m.RichCard(content=card)))
window = MainWindow(ComposerDocument(draft), context=AppContext(start_sandbox=False))
window.show()
rows = window.editor.card.suggestions.list
ends = time.monotonic() + 20
while time.monotonic() < ends and rows.item(0).icon().isNull():
    QCoreApplication.processEvents()
built = [name for name in ("QStyle", "QCommonStyle") if name in vars(PySide6.QtWidgets)]
print(json.dumps({"row marked": not rows.item(0).icon().isNull(), "types": built}))
window.shutdown()
"""


def test_a_window_with_marked_fields_and_rows_never_builds_the_style_type() -> None:
    # QStyle's Python type holds its hundreds of enum members for the session (~0.3 MB).
    seen = json.loads(run_python(MARKED_WINDOW, timeout=60).strip().splitlines()[-1])
    assert seen == {"row marked": True, "types": []}
