"""What each way in loads: the command line without Qt, the window without the network stack.

Each case runs in a fresh interpreter and reports which of the watched packages it loaded,
so nothing an earlier test imported can hide or fake a load.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.support.child_python import run_python

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "resources" / "samples" / "standalone_card.json"
WATCHED = (
    "PySide6",
    "PySide6.QtWidgets",
    "requests",
    "keyring",
    "rcs_composer.gui",
    "rcs_composer.services.sandbox",
    "rcs_composer.services.kaleyra",
    "rcs_composer.app.services",  # the container: folders, logs, drafts; validate needs none
)


def loaded_by(script: str, *argv: str, watched: tuple[str, ...] = WATCHED) -> dict[str, list[str]]:
    """Run ``script`` in a fresh process; it calls ``report(stage)`` to record which of
    ``watched`` are in sys.modules."""
    prelude = textwrap.dedent(
        f"""
        import json, sys
        WATCHED = {watched!r}
        seen = {{}}
        def report(stage):
            seen[stage] = [name for name in WATCHED if name in sys.modules]
        """
    )
    epilogue = "\nprint('LOADED ' + json.dumps(seen))\n"
    output = run_python(prelude + textwrap.dedent(script) + epilogue, *argv)
    line = next(line for line in output.splitlines() if line.startswith("LOADED "))
    result: dict[str, list[str]] = json.loads(line.removeprefix("LOADED "))
    return result


COMMAND = """
from rcs_composer.cli.main import main
from rcs_composer.entry import main as entry_main
report("imported")
code = entry_main(sys.argv[1:])
report("ran")
assert code in (0, 1), code
"""


def test_validate_loads_neither_qt_nor_the_network_nor_the_keyring_nor_the_services() -> None:
    seen = loaded_by(COMMAND, "validate", str(SAMPLE))
    assert seen == {"imported": [], "ran": []}


def test_validate_loads_no_key_redaction_and_no_thread_support() -> None:
    # No key is read, so none is registered: the registry (and threading, for its lock) stays
    # out, and what validate prints goes out unchanged.
    watched = ("rcs_composer.services.redaction", "threading", "rcs_composer.services")
    seen = loaded_by(COMMAND, "validate", str(SAMPLE), watched=watched)
    assert seen == {"imported": [], "ran": []}


WINDOW_PATH = """
from rcs_composer.cli.main import Desktop, main
report("imported")
opened = []
def open_window(exit_after_show):
    opened.append(exit_after_show)
    report("opening")
    return 0
desktop = Desktop(open_window=open_window, render=lambda *args, **options: None)
assert main(sys.argv[1:], desktop) == 0 and opened == [bool(sys.argv[1:])]
"""


@pytest.mark.parametrize("argv", [[], ["--exit-after-show"]], ids=["desktop", "timing"])
def test_the_window_pays_nothing_for_the_command_line(argv: list[str]) -> None:
    # `rcs-composer` with no command goes through cli.main: it hands over to the window with
    # none of the commands' code (documents, codecs, keys), and no parser to build.
    watched = (
        "rcs_composer.cli.common",
        "rcs_composer.cli.content",
        "rcs_composer.cli.parser",
        "rcs_composer.core.codecs",
        "rcs_composer.core.validation",
        "rcs_composer.services.redaction",
        "argparse",
        "dataclasses",  # (json the report itself imports)
    )
    seen = loaded_by(WINDOW_PATH, *argv, watched=watched)
    assert seen == {"imported": [], "opening": []}


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--json", str(SAMPLE)],
        ["convert", str(SAMPLE), "--format", "template"],
        ["profile", "list"],
    ],
    ids=["validate", "convert", "profile"],
)
def test_content_and_profile_commands_never_import_qt(argv: list[str]) -> None:
    seen = loaded_by(COMMAND, *argv)
    assert "PySide6" not in seen["ran"]
    assert "rcs_composer.gui" not in seen["ran"]


def test_check_never_imports_qt_when_the_command_exists() -> None:
    from rcs_composer.cli.main import COMMANDS

    if "check" not in COMMANDS:
        pytest.skip("no check command on this build")
    seen = loaded_by(COMMAND, "check", str(SAMPLE))
    assert "PySide6" not in seen["ran"]


def test_render_draws_many_files_without_widgets_or_the_network_stack(tmp_path: Path) -> None:
    files = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.json"
        draft = {"format": "rcs-composer-draft", "version": 1, "name": name}
        path.write_text(json.dumps({**draft, "message": {"text": f"The {name} offer"}}))
        files.append(str(path))
    out = tmp_path / "out"
    seen = loaded_by(COMMAND, "render", *files, "-o", str(out))
    assert "PySide6" in seen["ran"]
    assert not {"PySide6.QtWidgets", "requests", "keyring"} & set(seen["ran"])
    assert sorted(path.name for path in out.iterdir()) == ["first.png", "second.png"]


WINDOW = """
import time
from PySide6.QtCore import QCoreApplication

from rcs_composer.gui.app import make_application
from rcs_composer.gui.main_window import MainWindow
from rcs_composer.gui.app_context import AppContext
from rcs_composer.gui.document import ComposerDocument
from rcs_composer.gui.samples import starting_draft

report("imported")
app = make_application()
window = MainWindow(ComposerDocument(starting_draft()), context=AppContext())  # the app's own
window.show()
def settle(done, seconds=20):
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    assert done()
account = window.account
# Shown, then the work after the first paint: the profiles, the drafts session, the library.
settle(lambda: window.context.session_id is not None and len(account.profiles) >= 1)
settle(lambda: not window.images.loading and window.images.held is None)
report("painted")
from rcs_composer.services.profiles import sandbox_profile
client = window.context.client_for(sandbox_profile())  # what a send does first
report("sending")
window.shutdown()
"""


def test_the_window_paints_without_requests_keyring_or_the_sandbox() -> None:
    seen = loaded_by(WINDOW)
    quiet = [
        "requests",
        "keyring",
        "rcs_composer.services.sandbox",
        "rcs_composer.services.kaleyra",
    ]
    assert not set(quiet) & set(seen["imported"])
    assert not set(quiet) & set(seen["painted"])
    # The watch sees a load: a send brings the client, the network stack and the sandbox.
    assert {"requests", "rcs_composer.services.sandbox", "rcs_composer.services.kaleyra"} <= set(
        seen["sending"]
    )
