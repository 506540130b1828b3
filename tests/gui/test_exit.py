"""Closing the window ends the process at once and with everything written: the draft saved
just before, the settings, the log (the process skips the collections at exit, gc.freeze)."""

from __future__ import annotations

import configparser
import json
from pathlib import Path

from tests.support.child_python import run_python

SAVE_THEN_CLOSE = """
import logging, sys
from PySide6.QtCore import QTimer
from rcs_composer import entry
from rcs_composer.gui import main_window

made = main_window.MainWindow.create_default.__func__

def create_default(cls):
    window = made(cls)
    def saved():
        logging.getLogger("rcs_composer").info("the last line before closing")
        window.close()
    def save():
        window.files._write(None, window.document.draft, saved)
    window.parts_built.connect(lambda: QTimer.singleShot(200, save))
    return window

main_window.MainWindow.create_default = classmethod(create_default)
sys.argv = ["rcs-composer"]
code = entry.main()  # as the rcs-composer command runs it (argv from sys.argv)
print("EXIT", code, flush=True)
"""


def test_closing_the_window_leaves_the_draft_the_settings_and_the_log_written(
    isolated_dirs: Path,
) -> None:
    output = run_python(SAVE_THEN_CLOSE, timeout=60)
    assert output.strip().splitlines()[-1] == "EXIT 0"
    drafts = sorted((isolated_dirs / "data" / "drafts").glob("*.json"))
    assert len(drafts) == 1
    saved = json.loads(drafts[0].read_text(encoding="utf-8"))
    assert "Diwali" in json.dumps(saved)  # the sample the first start opens
    ini = next((isolated_dirs / "config").rglob("*.conf"), None) or next(
        (isolated_dirs / "config").rglob("*.ini")
    )
    settings = configparser.ConfigParser(interpolation=None)
    settings.read(ini, encoding="utf-8")
    assert settings.get("drafts", "last") == drafts[0].name.removesuffix(".json")
    assert settings.has_option("window", "geometry")
    log = next((isolated_dirs / "log").rglob("*.log")).read_text(encoding="utf-8")
    assert "the last line before closing" in log
