"""The template register on disk: per profile, atomic, and a damaged file never loses entries."""

from __future__ import annotations

import itertools
import json
import os
import uuid
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from rcs_composer.services.template_register import (
    RegisteredTemplate,
    StatusChange,
    TemplateRegister,
)
from tests.fuzz.mutations import json_values


def entry(template_id: str, **fields: object) -> RegisteredTemplate:
    return RegisteredTemplate(template_id=template_id, name=f"t_{template_id}", **fields)  # type: ignore[arg-type]


def test_entries_are_kept_per_profile_newest_first(tmp_path: Path) -> None:
    register = TemplateRegister(tmp_path)
    register.record("sandbox", entry("a", status="CREATED"))
    register.record("sandbox", entry("b", status="ACTIVE"))
    register.record("acme (IN)", entry("c"))
    reopened = TemplateRegister(tmp_path)
    assert [e.template_id for e in reopened.entries("sandbox")] == ["b", "a"]
    assert [e.template_id for e in reopened.entries("acme (IN)")] == ["c"]
    assert reopened.entries("nobody") == []
    assert not list(register.folder.glob("*.tmp")), "atomic writes leave no temporary files"


def test_recording_again_keeps_what_the_new_entry_does_not_know(tmp_path: Path) -> None:
    register = TemplateRegister(tmp_path)
    register.record("p", entry("a", draft_id="d1", draft_name="Diwali", status="CREATED"))
    register.record("p", RegisteredTemplate(template_id="a", status="ACTIVE", origin="opened"))
    (kept,) = register.entries("p")
    assert (kept.status, kept.draft_id, kept.draft_name, kept.name) == (
        "ACTIVE",
        "d1",
        "Diwali",
        "t_a",
    )
    assert kept.origin == "created", "where a template came from does not change"


def test_update_many_changes_known_entries_and_clears_old_problems(tmp_path: Path) -> None:
    register = TemplateRegister(tmp_path)
    register.record("p", entry("a", problem="timed out"))
    register.record("p", entry("b"))
    steps = (
        StatusChange("CREATED", "2026-01-01T00:00:00"),
        StatusChange("ACTIVE", "2026-01-01T00:00:04"),
    )
    register.update_many(
        "p",
        [
            RegisteredTemplate(template_id="a", status="ACTIVE", history=steps),
            RegisteredTemplate(template_id="zzz", status="ACTIVE"),  # not ours: ignored
        ],
    )
    by_id = {e.template_id: e for e in register.entries("p")}
    assert set(by_id) == {"a", "b"}
    assert by_id["a"].problem is None and by_id["a"].history == steps


def test_a_file_that_is_not_json_is_set_aside_and_reported(tmp_path: Path) -> None:
    register = TemplateRegister(tmp_path)
    register.record("p", entry("a"))
    path = register.path_of("p")
    path.write_text('{"templates": [ {"template_id": "a"', encoding="utf-8")
    loaded = register.load("p")
    assert loaded.entries == ()
    assert loaded.problems == (
        "The template list is damaged (not JSON); it was set aside and a new, empty list started.",
    )
    assert loaded.kept_aside is not None and loaded.kept_aside.parent == path.parent
    assert loaded.kept_aside.read_text(encoding="utf-8").startswith('{"templates"')
    register.record("p", entry("new"))  # the register works again at once
    assert [e.template_id for e in register.entries("p")] == ["new"]


def test_a_hand_edited_file_keeps_every_entry_that_still_reads(tmp_path: Path) -> None:
    register = TemplateRegister(tmp_path)
    for name in ("a", "b", "c"):
        register.record("p", entry(name))
    path = register.path_of("p")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["templates"][1]["status"] = 42  # hand-edited: a number where text belongs
    document["templates"].append({"name": "no id"})
    document["templates"].append(document["templates"][0])  # the same template twice
    path.write_text(json.dumps(document), encoding="utf-8")
    loaded = register.load("p")
    assert [e.template_id for e in loaded.entries] == ["c", "b", "a"]
    assert loaded.entries[1].status is None and loaded.entries[1].name == "t_b"
    assert loaded.problems == (
        "The entry for ‘t_b’ had an unreadable status; it was left out.",
        "Entry 4 of the template list (‘no id’) has no readable template id; it was left out.",
        "‘t_c’ (c) was listed twice; the first copy was kept and entry 5 was left out.",
    )
    assert loaded.kept_aside is not None
    assert json.loads(loaded.kept_aside.read_text(encoding="utf-8")) == document
    again = register.load("p")  # the file written back reads cleanly
    assert again.problems == () and len(again.entries) == 3


def test_one_bad_field_loses_that_field_only_and_the_first_copy_of_an_id_wins(
    tmp_path: Path,
) -> None:
    register = TemplateRegister(tmp_path)
    path = register.path_of("p")
    path.parent.mkdir(parents=True)
    real = {
        "template_id": "T1",
        "name": "bill_reminder",
        "template_number": "MM0000000036",
        "status": "ACTIVE",
        "history": "oops",  # hand-edited
        "checked_at": ["not", "a", "time"],
    }
    later = {"template_id": "T1", "name": "stale_copy", "status": "CREATED"}
    steps = [{"status": "CREATED", "at": "2026-01-01T00:00:00Z"}, {"at": "no status"}, 7]
    other = {"template_id": "T2", "name": "offer", "history": steps}
    path.write_text(
        json.dumps({"format": "rcs-composer-templates", "templates": [real, later, other]}),
        encoding="utf-8",
    )
    loaded = register.load("p")
    kept, offer = loaded.entries
    assert (kept.template_id, kept.name, kept.template_number, kept.status) == (
        "T1",
        "bill_reminder",
        "MM0000000036",
        "ACTIVE",
    )
    assert kept.history == () and kept.checked_at is None
    assert offer.history == (StatusChange("CREATED", "2026-01-01T00:00:00Z"),)
    assert loaded.problems == (
        "The entry for ‘bill_reminder’ had an unreadable time of the last check; it was left out.",
        "The entry for ‘bill_reminder’ had an unreadable status history; it was left out.",
        "‘bill_reminder’ (T1) was listed twice; the first copy was kept and entry 2 was left out.",
        "The entry for ‘offer’ had 2 unreadable steps in its status history; they were left out.",
    )
    assert all("templates[" not in problem for problem in loaded.problems)
    assert loaded.kept_aside is not None and "oops" in loaded.kept_aside.read_text("utf-8")
    assert register.get("p", "T1") == kept, "what was kept was written back"


def test_forget_removes_one_entry(tmp_path: Path) -> None:
    register = TemplateRegister(tmp_path)
    register.record("p", entry("a"))
    register.record("p", entry("b"))
    register.forget("p", "a")
    assert [e.template_id for e in register.entries("p")] == ["b"]


REGISTER_EXAMPLES = settings(
    max_examples=int(os.environ.get("RCS_COMPOSER_FUZZ_EXAMPLES", "300")) // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
GOOD = RegisteredTemplate(template_id="kept", name="kept_one", status="ACTIVE").to_json()


@REGISTER_EXAMPLES
@given(extra=json_values, document=json_values)
def test_any_file_content_reads_and_keeps_every_good_entry(
    tmp_path: Path, extra: Any, document: Any
) -> None:
    register = TemplateRegister(tmp_path / str(uuid.uuid4()))
    path = register.path_of("p")
    path.parent.mkdir(parents=True)
    with_good = {"format": "rcs-composer-templates", "templates": [GOOD, extra]}
    for content, ascii_only in itertools.product((with_good, document), (True, False)):
        text = json.dumps(content, ensure_ascii=ascii_only, allow_nan=True)
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        loaded = register.load("p")
        if content is with_good:
            assert "kept" in [e.template_id for e in loaded.entries]
        assert all(isinstance(problem, str) and problem for problem in loaded.problems)
        assert register.load("p").problems == (), "what was kept reads cleanly"
        register.record("p", RegisteredTemplate(template_id="new"))  # and takes more
        register.forget("p", "new")
