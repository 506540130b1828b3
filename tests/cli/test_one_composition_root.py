"""The command line builds one Services container, in its entry, and passes it down."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rcs_composer.app.services import Services
from rcs_composer.cli.main import main
from rcs_composer.services.profiles import Profile, ProfileStore
from rcs_composer.services.secrets import KeyStore

CLI = Path(__file__).parents[2] / "rcs_composer" / "cli"


def test_a_command_uses_the_container_its_entry_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = KeyStore()
    store = ProfileStore(tmp_path, keys)
    store.save(Profile(name="given-acme", sid="S1"))
    services = Services(profiles=store, keys=keys)
    assert main(["profile", "list"], services=services) == 0
    assert "given-acme" in capsys.readouterr().out


def _calls(name: str) -> list[str]:
    found = []
    for path in sorted(CLI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called == name:
                    found.append(f"{path.name}:{node.lineno}")
    return found


def test_services_are_built_once_in_the_cli_and_paths_come_from_them() -> None:
    built = _calls("Services")
    assert len(built) == 1 and built[0].startswith("main.py:"), built
    assert _calls("app_paths") == []  # folders come from the one container
