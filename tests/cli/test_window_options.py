"""What `rcs-composer` does with the window's own options, the help, the version and a mistake:
the window opens with its options alone; anything else goes through the full parser."""

from __future__ import annotations

import pytest

from rcs_composer import __version__
from rcs_composer.cli.main import COMMANDS, Desktop, main
from rcs_composer.cli.parser import COMMAND_PARSERS


def desktop(opened: list[bool]) -> Desktop:
    def open_window(exit_after_show: bool) -> int:
        opened.append(exit_after_show)
        return 0

    return Desktop(open_window=open_window, render=lambda *args, **options: args[1])


@pytest.mark.parametrize(
    ("argv", "exit_after_show"),
    [([], False), (["--exit-after-show"], True), (["--exit-after-show"] * 2, True)],
)
def test_the_windows_options_open_the_window(argv: list[str], exit_after_show: bool) -> None:
    opened: list[bool] = []
    assert main(argv, desktop(opened)) == 0
    assert opened == [exit_after_show]


def test_without_the_desktop_part_the_window_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([], None) != 0
    assert "desktop part of rcs-composer is not available" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--exit-after-show", "--bogus"], ["--bogus"], ["-x"]])
def test_an_unknown_option_is_a_usage_error_not_a_window(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[bool] = []
    with pytest.raises(SystemExit) as stopped:
        main(argv, desktop(opened))
    assert stopped.value.code == 2
    assert opened == []
    assert "unrecognized arguments" in capsys.readouterr().err


def test_version_and_help_still_answer(capsys: pytest.CaptureFixture[str]) -> None:
    opened: list[bool] = []
    with pytest.raises(SystemExit):
        main(["--version"], desktop(opened))
    assert capsys.readouterr().out.strip() == f"rcs-composer {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"], desktop(opened))
    out = capsys.readouterr().out
    assert "--exit-after-show" in out and "validate" in out
    assert opened == []


def test_every_command_has_its_parser() -> None:
    assert set(COMMAND_PARSERS) == COMMANDS
