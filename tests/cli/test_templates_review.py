"""template list / delete / forget against a hostile stand-in: server names never drive the
terminal, and a template deleted on the account can be taken off the list."""

from __future__ import annotations

import pytest

from rcs_composer.app.services import Services
from rcs_composer.cli import main
from rcs_composer.services.profiles import Profile
from rcs_composer.services.template_register import RegisteredTemplate
from tests.support.hostile_templates import (
    TemplateServer,
    answer,
    template,
)

NOT_FOUND = answer(
    404, {"code": "RCS1104", "message": "Request invalid", "error": {"error_message": "not found"}}
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_never_writes_a_servers_control_characters(
    capsys: pytest.CaptureFixture[str], profile: Profile, server: TemplateServer
) -> None:
    name = "\x1b[2J\x1b[31mok\x1b]0;pwn\x07\nFORGED"
    Services().template_register.record(
        profile.name, RegisteredTemplate(template_id="t1", name=name, problem="bad\x1b[0m\nline")
    )
    server.behaviours["GET"] = lambda path, _b: (
        answer(200, {"data": []}) if "history" in path else answer(200, template("t1", name=name))
    )
    for argv in (("template", "list"), ("template", "list", "--refresh")):
        code, out, err = run(capsys, *argv, "--profile", profile.name)
        assert code == 0, err
        assert "\x1b" not in out + err and "\x07" not in out + err
        assert not any(line.startswith("FORGED") for line in out.splitlines())


def test_a_template_deleted_on_the_account_leaves_the_list_through_delete_or_forget(
    capsys: pytest.CaptureFixture[str], profile: Profile, server: TemplateServer
) -> None:
    register = Services().template_register
    for template_id in ("gone-1", "gone-2"):
        register.record(profile.name, RegisteredTemplate(template_id=template_id, name="gone"))
    server.behaviours["GET"] = lambda _p, _b: NOT_FOUND
    server.behaviours["DELETE"] = lambda _p, _b: NOT_FOUND
    code, _out, err = run(capsys, "template", "list", "--refresh", "--profile", profile.name)
    assert code == 1 and "Forget" in err
    code, out, err = run(capsys, "template", "delete", "gone-1", "--profile", profile.name)
    assert code == 0, err
    assert "not on the account any more" in out and "Fix the template" not in out + err
    code, out, err = run(capsys, "template", "forget", "gone-2", "--profile", profile.name)
    assert code == 0, err
    assert server.made("DELETE", "gone-2") == []
    code, out, err = run(capsys, "template", "list", "--refresh", "--profile", profile.name)
    assert code == 0 and "gone-" not in out
    code, _out, err = run(capsys, "template", "forget", "gone-2", "--profile", profile.name)
    assert code == 1 and "not listed" in err
