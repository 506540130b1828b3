"""The pre-commit hook on a repository with a good and a bad design: the commit is stopped by
the bad one. The hook's own command always runs; pre-commit itself runs it too (slow: it
installs rcs-composer into a fresh environment, which needs the package index)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rcs_composer.core import codecs
from rcs_composer.core import model as m

REPO = Path(__file__).resolve().parents[2]
HOOKS = REPO / ".pre-commit-hooks.yaml"


def draft_text(title: str) -> str:
    card = m.RichCard(content=m.CardContent(title=title, description="Sweets"))
    draft = m.Draft(name="Offer", message=m.Message(content=card))
    return codecs.dumps(codecs.export_draft(draft))


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "brand"
    folder.mkdir()
    git(folder, "init", "-q")
    (folder / "good.rcs.json").write_text(draft_text("Diwali offers"), encoding="utf-8")
    (folder / "bad.rcs.json").write_text(draft_text("x" * 201), encoding="utf-8")
    (folder / "package.json").write_text('{"name": "site"}', encoding="utf-8")
    (folder / "README.md").write_text("designs\n", encoding="utf-8")
    git(folder, "add", ".")
    return folder


def hooks() -> dict[str, dict[str, str]]:
    yaml = pytest.importorskip("yaml")  # pre-commit's own dependency, in the test extra
    return {entry["id"]: dict(entry) for entry in yaml.safe_load(HOOKS.read_text("utf-8"))}


def hook() -> dict[str, str]:
    entry = hooks()["rcs-composer-check"]
    assert entry["language"] == "python"  # pre-commit installs rcs-composer by itself
    return entry


def test_the_system_hook_is_the_same_check_run_by_the_installed_copy() -> None:
    found = hooks()
    assert sorted(found) == ["rcs-composer-check", "rcs-composer-check-system"]
    system = found["rcs-composer-check-system"]
    assert system["language"] == "system"  # nothing installed: the rcs-composer on PATH
    assert (system["entry"], system["files"]) == (hook()["entry"], hook()["files"])


def run_entry(folder: Path, files: list[str]) -> subprocess.CompletedProcess[str]:
    """What pre-commit runs: the entry with the staged files its pattern takes."""
    command = shlex.split(hook()["entry"])
    assert command[0] == "rcs-composer"
    script = "import sys\nfrom rcs_composer.entry import main\nsys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", script, *command[1:], *files],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_hooks_entry_stops_the_bad_design_and_passes_the_good_one(project: Path) -> None:
    pattern = re.compile(hook()["files"])
    staged = git(project, "diff", "--cached", "--name-only").split()
    files = [name for name in staged if pattern.search(name)]
    assert sorted(files) == ["bad.rcs.json", "good.rcs.json", "package.json"]  # not README.md
    failed = run_entry(project, files)
    assert failed.returncode == 1, failed.stderr
    assert "bad.rcs.json: error $.message.richCardStandalone.content.title" in failed.stdout
    assert "good.rcs.json" not in failed.stdout.replace("bad.rcs.json", "")
    assert "1 other JSON file skipped" in failed.stdout  # package.json
    passed = run_entry(project, ["good.rcs.json", "package.json"])
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_a_staged_file_named_like_an_option_is_checked_not_taken_for_one(project: Path) -> None:
    (project / "-offer.rcs.json").write_bytes((project / "bad.rcs.json").read_bytes())
    failed = run_entry(project, ["-offer.rcs.json", "good.rcs.json"])
    assert failed.returncode == 1, failed.stderr
    assert "-offer.rcs.json: error $.message.richCardStandalone.content.title" in failed.stdout


@pytest.mark.slow
def test_pre_commit_try_repo_runs_the_hook(project: Path, tmp_path: Path) -> None:
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if pre_commit is None:
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(REPO), "rcs-composer-check", "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    failed = try_repo("good.rcs.json", "bad.rcs.json", "README.md")
    if "An error has occurred" in failed.stdout + failed.stderr:
        # Installing the hook's environment fetches rcs-composer's dependencies: offline, the
        # test above has run the same command already.
        pytest.skip(f"pre-commit could not install the hook: {failed.stdout[-500:]}")
    assert failed.returncode == 1
    assert "rcs-composer check" in failed.stdout and "Failed" in failed.stdout
    assert "bad.rcs.json: error" in failed.stdout
    passed = try_repo("good.rcs.json")
    assert passed.returncode == 0, passed.stdout


@pytest.mark.slow  # about two seconds: pre-commit clones this repository
def test_pre_commit_runs_the_system_hook_with_the_installed_copy_offline(
    project: Path, tmp_path: Path
) -> None:
    bin_folder = Path(sys.executable).parent
    pre_commit = shutil.which("pre-commit", path=str(bin_folder))
    if pre_commit is None or shutil.which("rcs-composer", path=str(bin_folder)) is None:
        pytest.skip("pre-commit or rcs-composer is not installed (pip install -e '.[test]')")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    env.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"})
    env["PATH"] = f"{bin_folder}{os.pathsep}{env.get('PATH', '')}"  # rcs-composer installed

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [pre_commit, "try-repo", str(REPO), "rcs-composer-check-system", "--files", *files],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    failed = try_repo("good.rcs.json", "bad.rcs.json", "README.md")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "rcs-composer check (installed copy)" in failed.stdout and "Failed" in failed.stdout
    assert "bad.rcs.json: error" in failed.stdout
    passed = try_repo("good.rcs.json", "package.json")
    assert passed.returncode == 0, passed.stdout + passed.stderr
