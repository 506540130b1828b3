"""The log file is made with the first record: a session that logs nothing never loads
``logging.handlers`` (and the socket, pickle and queue modules it brings), and a log that
cannot be written is still one line on stderr, once."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rcs_composer.services.logs import setup_logging

LOGS_NOTHING = """
import sys
from pathlib import Path
from rcs_composer.services.logs import setup_logging
path = setup_logging(Path(sys.argv[1]))
print(path.exists(), "logging.handlers" in sys.modules, "socket" in sys.modules)
import logging
logging.getLogger("rcs_composer.x").warning("now something")
print("logging.handlers" in sys.modules, "now something" in path.read_text())
"""


def test_a_session_that_logs_nothing_loads_no_log_handlers(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LOGS_NOTHING, str(tmp_path / "logs")],
        capture_output=True,
        text=True,
        check=True,
    )
    before, after = done.stdout.splitlines()
    assert before == "True False False"  # the file is there (and checked), nothing loaded
    assert after == "True True"  # the first record makes the rotating file and is written


def test_a_log_folder_gone_after_start_up_is_one_warning_then_silence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = setup_logging(tmp_path / "logs")
    shutil.rmtree(tmp_path / "logs")
    logger = logging.getLogger("rcs_composer.test")
    logger.warning("first")
    logger.warning("second")
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"the log {path} cannot be written" in err
    assert "Traceback" not in err


def test_records_after_the_first_go_to_the_same_file_and_rotate(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    logger = logging.getLogger("rcs_composer.test")
    for index in range(2_500):
        logger.warning("record %d %s", index, "x" * 400)
    for handler in logging.getLogger("rcs_composer").handlers:
        handler.flush()
    assert path.with_name(path.name + ".1").exists()
    assert "record 2499" in path.read_text(encoding="utf-8")
