"""``rcs-composer check`` over folders for CI: per-file problems, one summary, JUnit XML, PNGs,
and no Qt unless asked to render."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.entry import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD = FIXTURES / "seed000_standalone_card.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def draft_text(name: str, title: str) -> str:
    card = m.RichCard(content=m.CardContent(title=title, description="Sweets"))
    return codecs.dumps(codecs.export_draft(m.Draft(name=name, message=m.Message(content=card))))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A brand's repository: drafts in folders, a message body, and JSON that is not ours."""
    root = tmp_path / "acme-rcs"
    (root / "festive").mkdir(parents=True)
    (root / "bills").mkdir()
    (root / "festive" / "diwali-offer.rcs.json").write_text(draft_text("Diwali", "Diwali offers"))
    (root / "festive" / "holi.rcs.json").write_text(draft_text("Holi", "x" * 201))
    (root / "bills" / "reminder.json").write_bytes(CARD.read_bytes())
    (root / "package.json").write_text('{"name": "site", "version": "1.0.0"}')
    (root / ".git").mkdir()
    (root / ".git" / "junk.rcs.json").write_text("{")  # never looked at
    monkeypatch.chdir(root)
    return root


def test_a_folder_is_checked_recursively_with_one_line_per_problem_and_a_summary(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    code, out, _ = run(capsys, "check", ".")
    assert code == 1
    lines = out.splitlines()
    assert any(
        line.startswith("festive/holi.rcs.json: error $.message.richCardStandalone.content.title:")
        and "[card.title.too_long]" in line
        for line in lines
    )
    assert not any(line.startswith("festive/diwali-offer") and "error" in line for line in lines)
    assert lines[-1].startswith("3 files checked: 1 with errors (1 error, ")
    assert re.search(r" warnings?\); 1 other JSON file skipped$", lines[-1]), lines[-1]


def test_the_junit_report_has_a_test_case_per_file_failed_by_its_errors(
    capsys: pytest.CaptureFixture[str], repo: Path, tmp_path: Path
) -> None:
    report = tmp_path / "check.xml"
    code, _, _ = run(capsys, "check", "festive", "bills", "--region", "IN", "--junit", str(report))
    assert code == 1
    suite = ET.parse(report).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {
        "festive/diwali-offer.rcs.json",
        "festive/holi.rcs.json",
        "bills/reminder.json",
    }
    failure = cases["festive/holi.rcs.json"].find("failure")
    assert failure is not None and "card.title.too_long" in (failure.text or "")
    assert cases["festive/diwali-offer.rcs.json"].find("failure") is None
    assert cases["festive/holi.rcs.json"].get("classname") == "festive"


def test_the_junit_report_stays_xml_whatever_the_names_and_keys_hold(
    capsys: pytest.CaptureFixture[str], repo: Path, tmp_path: Path
) -> None:
    import os

    odd = repo / "odd"
    odd.mkdir()
    (odd / "ctl\x01char.rcs.json").write_bytes(CARD.read_bytes())
    with open(os.fsencode(odd) + b"/bad\xff.rcs.json", "wb") as named_in_latin_1:
        named_in_latin_1.write(CARD.read_bytes())
    body = json.loads(CARD.read_text())
    body["x\uffff"] = 1  # a key.unknown warning quoting it
    (odd / "key.json").write_text(json.dumps(body))
    report = tmp_path / "check.xml"
    code, out, err = run(capsys, "check", "odd", "--junit", str(report))
    assert code == 0, out + err
    suite = ET.parse(report).getroot().find("testsuite")  # a CI can read it
    assert suite is not None
    names = {case.get("name") for case in suite.iter("testcase")}
    assert names == {"odd/ctl\\x01char.rcs.json", "odd/bad\\xff.rcs.json", "odd/key.json"}
    assert "x\\uffff" in ET.tostring(suite, encoding="unicode")


def conflicted(ours: str, theirs: str) -> str:
    return f"<<<<<<< HEAD\n{ours}\n=======\n{theirs}\n>>>>>>> branch\n"


def test_a_conflicted_file_is_reported_by_what_it_is(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    body = CARD.read_text()
    (repo / "bills" / "reminder.json").write_text(conflicted(body, body.replace("Tata", "TCS")))
    (repo / "package.json").write_text(conflicted('{"v": "1"}', '{"v": "2"}'))
    code, out, _ = run(capsys, "check", ".", "--skip-unknown")
    assert code == 1
    assert "bills/reminder.json: error $: holds git merge conflict markers" in out
    assert "resolve it, keeping one side" in out  # a message body: not opened by the app
    assert "package.json" not in out and "1 other JSON file skipped" in out  # not a design
    code, out, _ = run(capsys, "check", "package.json")  # named: said, without app advice
    assert code == 1 and "merge conflict markers" in out and "rcs-composer" not in out


def test_a_clean_folder_exits_0_and_a_missing_path_exits_2(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    assert run(capsys, "check", "bills", "festive/diwali-offer.rcs.json")[0] == 0
    code, out, _ = run(capsys, "check", "nowhere")
    assert code == 2
    assert "nowhere: no such file or folder" in out


def test_merge_conflicts_sync_copies_and_broken_drafts_are_named(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    good = draft_text("Diwali", "Diwali offers")
    (repo / "festive" / "diwali-offer.rcs.json").write_text(
        good.replace(
            '  "name": "Diwali",\n',
            '<<<<<<< HEAD\n  "name": "Diwali",\n=======\n  "name": "Deepavali",\n>>>>>>> tamil\n',
        )
    )
    (repo / "festive" / "holi (conflicted copy).rcs.json").write_text(good)
    (repo / "festive" / "holi.rcs.json").write_text("{")
    (repo / "festive" / "diwali-offer.rcs.json.orig").write_text(good)  # git mergetool's
    code, out, _ = run(capsys, "check", "festive")
    assert code == 1
    assert "festive/diwali-offer.rcs.json: error $: holds git merge conflict markers" in out
    assert (
        "festive/holi (conflicted copy).rcs.json: warning $: a conflict copy of holi.rcs.json"
        in out
    )
    assert "festive/holi.rcs.json: error $: not valid JSON" in out
    assert "festive/diwali-offer.rcs.json.orig: warning $: a conflict copy of" in out


def test_pre_commits_file_list_skips_json_that_is_no_document_of_ours(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    assert run(capsys, "check", "package.json")[0] == 1  # named: it must be one
    code, out, _ = run(capsys, "check", "--skip-unknown", "package.json", "bills/reminder.json")
    assert code == 0
    assert out.splitlines()[-1].endswith("; 1 other JSON file skipped")


def test_check_never_imports_qt_without_render(repo: Path) -> None:
    script = (
        "import sys\n"
        "from rcs_composer.entry import main\n"
        "code = main(['check', '.', '--junit', 'out.xml'])\n"
        "print(code, 'PySide6' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.splitlines()[-1] == "1 False", result.stderr


def test_render_draws_each_file_to_a_png_beside_its_path(
    capsys: pytest.CaptureFixture[str], repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "previews"
    (repo / "bills" / "reminder.rcs.json").write_text(draft_text("Reminder", "Bill due"))
    code, _, err = run(capsys, "check", ".", "--render", str(out))
    assert code == 1, err  # holi's error still fails the check; it is drawn all the same
    pngs = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.png"))
    assert pngs == [
        "bills/reminder.png",
        "bills/reminder.rcs.png",  # two files, two pictures
        "festive/diwali-offer.png",
        "festive/holi.png",
    ]
    assert (out / "festive" / "holi.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_report_lines_are_stable_for_ci_logs(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    first = run(capsys, "check", ".")[1]
    assert run(capsys, "check", ".")[1] == first
    assert json.loads((repo / "package.json").read_text())["name"] == "site"  # untouched


def test_a_onedrive_copy_is_named_beside_its_draft_and_a_hyphenated_name_is_not(
    capsys: pytest.CaptureFixture[str], repo: Path
) -> None:
    good = draft_text("Diwali", "Diwali offers")
    (repo / "festive" / "diwali-offer-DESKTOP-AB12CD.rcs.json").write_text(good)
    (repo / "festive" / "holi-WEEKEND.rcs.json").write_text(good)  # no "holi-weekend" here
    (repo / "festive" / "holi.rcs.json").unlink()
    code, out, _ = run(capsys, "check", "festive")
    assert (
        "festive/diwali-offer-DESKTOP-AB12CD.rcs.json: warning $: a conflict copy of "
        "diwali-offer.rcs.json left by OneDrive" in out
    )
    assert "a conflict copy of holi.rcs.json" not in out
    assert code == 0


def test_a_link_to_nothing_is_named_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "offer.json").symlink_to("moved-away.json")
    code, out, _ = run(capsys, "check", "d")
    assert code == 1
    assert "d/offer.json: error $: a link to moved-away.json, which does not exist" in out


WITHOUT_ROOTS_READS = ["--bounding-set", "-dac_override,-dac_read_search"]
CAPS = [*WITHOUT_ROOTS_READS, "--inh-caps", "-dac_override,-dac_read_search"]


@pytest.mark.skipif(
    subprocess.run(["which", "setpriv"], capture_output=True).returncode != 0,
    reason="needs setpriv (util-linux) to drop root's right to read any folder",
)
@pytest.mark.parametrize("named", ["the folder above", "the closed folder", "a file inside"])
def test_a_folder_that_cannot_be_read_fails_the_check(
    named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI must not pass on files it never read (as root too: setpriv drops the override)."""
    monkeypatch.chdir(tmp_path)
    locked = tmp_path / "d" / "locked"
    locked.mkdir(parents=True)
    (locked / "x.json").write_text(CARD.read_text())
    argument = {"the folder above": "d", "the closed folder": "d/locked"}.get(
        named, "d/locked/x.json"
    )
    locked.chmod(0)
    try:
        done = subprocess.run(
            ["setpriv", *CAPS, sys.executable, "-m", "rcs_composer", "check", argument],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        locked.chmod(0o755)
    assert done.returncode == 1, done.stdout + done.stderr
    said = (
        "cannot be read: Permission denied"
        if named == "a file inside"
        else (
            "d/locked: error $: the folder cannot be read (Permission denied): its files were not "
            "checked [folder.unreadable]"
        )
    )
    assert said in done.stdout
