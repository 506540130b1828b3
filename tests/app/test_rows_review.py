"""Variable rows, from the hostile review: blank cells, a batch refused on its first row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from rcs_composer.app.rows import (
    RowChecker,
    load_row_file,
    plan_row_sends,
    preview_values,
    send_rows,
    validate_rows,
)
from rcs_composer.app.services import Services
from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.services.profiles import sandbox_profile
from tests.support.faulty_sandbox import Faults, FaultySandbox

HEADER = "customerName,consumerNo,billAmount,dueDate,phone\n"


def sample(name: str = "template_with_variables.json") -> m.Draft:
    text = resources.files("rcs_composer.samples").joinpath(name).read_text(encoding="utf-8")
    return codecs.import_document(json.loads(text)).draft


def rows_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "rows.csv"
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def services() -> Iterator[Services]:
    container = Services(sandbox_factory=FaultySandbox)
    yield container
    container.stop_sandbox()


# ---------------------------------------------------------------- blank cells


def test_a_cell_of_spaces_or_a_no_break_space_is_empty_like_an_empty_cell(
    tmp_path: Path, services: Services
) -> None:
    draft = sample()
    path = rows_file(
        tmp_path,
        "   ,1,10,1 Dec,+919876543210",
        "\u00a0,2,20,2 Dec,+919876543211",
        "\u200b,3,30,3 Dec,+919876543212",
        ",4,40,4 Dec,+919876543213",
        "Asha,5,50,5 Dec,\u00a0 ",
    )
    table, mapping = load_row_file(path, list(draft.variables))
    report = validate_rows(RowChecker(draft.message, None, table, mapping, country="IN"))
    codes = [[problem.code for problem in result.problems] for result in report.results]
    assert codes[:4] == [["row.cell.empty"]] * 4
    assert codes[4] == ["row.recipient.missing"]
    assert "column A “customerName” holds only spaces" in report.results[0].first_problem
    assert "holds nothing visible" in report.results[2].first_problem
    assert report.summary() == "5 rows: 0 ok, 1 warning, 4 errors"
    (group,) = [group for group in report.groups() if group.code == "row.cell.empty"]
    assert group.count == 4  # one kind of problem, whatever the blank was
    # Drawn and sent as it is checked: with the braces, never with the spaces.
    shown = preview_values(table, mapping, table.rows[0], draft.variables)
    assert shown["customerName"] == "{{customerName}}"
    profile = sandbox_profile(services.ensure_sandbox())
    batch = plan_row_sends(draft, profile, table, mapping, [2, 6], country="IN")
    assert not batch.ready
    assert any(reason.startswith("row 2: ") for reason in batch.reasons)
    assert batch.no_number == (6,)


# ---------------------------------------------------------------- a batch refused at once


def test_a_batch_refused_on_its_first_row_names_the_row_and_the_rows_not_tried(
    tmp_path: Path, services: Services
) -> None:
    from rcs_composer.services.kaleyra_replies import ApiError

    draft = sample()
    path = rows_file(tmp_path, "Asha,1,10,1 Dec,+919876543210", "Ravi,2,20,2 Dec,+919876543211")
    table, mapping = load_row_file(path, list(draft.variables))
    profile = sandbox_profile(services.ensure_sandbox())
    batch = plan_row_sends(draft, profile, table, mapping, [2, 3], country="IN")
    assert batch.ready, batch.reasons
    sandbox = services.sandbox
    assert isinstance(sandbox, FaultySandbox)
    sandbox.set_faults(Faults(status=400, remaining=1))
    with pytest.raises(ApiError) as refused:  # still the error itself: its kind is kept
        send_rows(services, profile, batch, draft.name)
    said = refused.value.user_message()
    assert said.startswith("row 2 (919876543210): Kaleyra refused the request (HTTP 400)")
    assert said.endswith("Not tried after it: row 3.")
    assert sandbox.send_count == 1  # the refused one: row 3 was never tried
