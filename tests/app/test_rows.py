"""Variable rows: mapping, each row's filled message through the validator, summary, sends."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcs_composer.app.rows import (
    MAX_ROW_SENDS,
    ColumnMap,
    RowChecker,
    Status,
    auto_map,
    plan_row_sends,
    row_values,
    send_rows,
    validate_rows,
)
from rcs_composer.app.services import Services
from rcs_composer.core import codecs
from rcs_composer.core import model as m
from rcs_composer.core.validation import validate
from rcs_composer.core.variables import substitute
from rcs_composer.services.profiles import sandbox_profile
from rcs_composer.services.row_files import Row, RowTable
from tests.support.faulty_sandbox import Faults, FaultySandbox


def sample(name: str = "template_with_variables.json") -> m.Draft:
    text = resources.files("rcs_composer.samples").joinpath(name).read_text(encoding="utf-8")
    return codecs.import_document(json.loads(text)).draft


def table(columns: list[str], *rows: list[str]) -> RowTable:
    return RowTable(
        "rows.csv",
        tuple(columns),
        tuple(Row(index + 2, tuple(cells)) for index, cells in enumerate(rows)),
    )


BILL = ["customerName", "consumerNo", "billAmount", "dueDate", "Phone Number"]


def bill_row(name: str = "Asha", phone: str = "+91 98765 43210") -> list[str]:
    return [name, "1029", "₹1,250", "30 Nov", phone]


def check(rows: RowTable, draft: m.Draft | None = None, **kw: object) -> list[list[str]]:
    draft = draft or sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    report = validate_rows(RowChecker(draft.message, None, rows, mapping, country="IN", **kw))  # type: ignore[arg-type]
    return [[problem.code for problem in result.problems] for result in report.results]


# ---------------------------------------------------------------- mapping


def test_columns_map_by_name_ignoring_case_spaces_and_punctuation() -> None:
    mapping = auto_map(
        ["first_name", "offerUrl", "city"], ["First Name", "OFFER-URL", "Mobile No", "town"]
    )
    assert mapping.variables == {"first_name": 0, "offerUrl": 1, "city": None}
    assert mapping.recipient == 2
    assert mapping.unmapped == ["city"]


def test_an_exact_name_wins_over_a_loose_one() -> None:
    assert auto_map(["name"], ["NAME", "name"]).variables == {"name": 1}


def test_an_empty_cell_fills_nothing() -> None:
    rows = table(["a", "b"], ["x", ""])
    mapping = ColumnMap({"a": 0, "b": 1})
    assert row_values(rows, mapping, rows.rows[0]) == {"a": "x"}


# ---------------------------------------------------------------- checks


def test_a_clean_row_is_ok_and_the_summary_counts_rows() -> None:
    rows = table(BILL, bill_row(), bill_row("Ravi"))
    draft = sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    report = validate_rows(RowChecker(draft.message, None, rows, mapping, country="IN"))
    assert report.summary() == "2 rows: 2 ok, 0 warnings, 0 errors"
    assert report.results[0].recipient == "919876543210"
    assert not report.has_errors


def test_the_limits_apply_after_substitution() -> None:
    codes = check(table(BILL, bill_row("A" * 190)))
    assert "card.title.too_long" in codes[0]


def test_empty_cells_unmapped_variables_and_braces_in_values_are_errors() -> None:
    rows = table(["customerName", "consumerNo", "billAmount"], ["", "1", "{{x}}"])
    codes = check(rows)[0]
    assert "row.cell.empty" in codes  # customerName
    assert "row.variable.unmapped" in codes  # dueDate has no column
    assert "row.value.variable" in codes


def test_a_formula_cell_is_a_warning_and_a_bad_number_an_error() -> None:
    codes = check(table(BILL, bill_row('=HYPERLINK("http://x")', phone="call me")))[0]
    assert "row.cell.formula" in codes
    assert "row.recipient.invalid" in codes


def url_card() -> m.Draft:
    chip = m.SuggestionSlot(
        m.ActionChip(text="Shop", postback_data="shop", action=m.OpenUrl(url="{{offer_url}}"))
    )
    card = m.RichCard(
        content=m.CardContent(title="Hi {{first_name}}", description="Offer", suggestions=(chip,))
    )
    return m.Draft(message=m.Message(content=card), variables={"first_name": "", "offer_url": ""})


def test_url_rules_check_the_filled_value() -> None:
    rows = table(
        ["first_name", "offer_url"],
        ["Asha", "https://shop.example/o/1"],
        ["Ravi", "htps://shop.example/o/2"],
        ["Zoë", "https://shop example/o/3"],
        ["Ana", "http://shop.example/o/4"],
    )
    codes = check(rows, url_card())
    assert codes[0] == []
    assert "open_url.url.scheme" in codes[1]
    assert any(code.startswith("url.") for code in codes[2])
    assert "open_url.url.insecure" in codes[3]


def test_rows_are_numbered_as_the_sheet_shows_them_in_problems_and_groups(tmp_path: Path) -> None:
    rows = table(BILL, bill_row(), bill_row(""), bill_row(""), bill_row("B" * 200))
    draft = sample()
    report = validate_rows(
        RowChecker(draft.message, None, rows, auto_map(list(draft.variables), rows.columns))
    )
    assert [result.status for result in report.results] == [
        Status.OK,
        Status.ERROR,
        Status.ERROR,
        Status.ERROR,
    ]
    assert report.summary() == "4 rows: 1 ok, 0 warnings, 3 errors"
    first = report.groups()[0]
    assert (first.code, first.count, first.rows) == ("row.cell.empty", 2, (3, 4))
    out = tmp_path / "problems.csv"
    assert report.export_problems(out) >= 3
    lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert lines[0] == ["row", "field", "message", "severity", "code", "path"]
    assert {line[0] for line in lines[1:]} == {"3", "4", "5"}
    title = next(line for line in lines if line[4] == "card.title.too_long")
    assert title[1] == "Card > Title"  # as people name the field; the JSONPath in its own column
    assert title[5] == "$.richCardStandalone.content.title"
    assert not any(line[1].startswith("$") for line in lines)


def test_a_formula_value_is_neutralised_in_the_export(tmp_path: Path) -> None:
    rows = table(BILL, bill_row("=1+1"))
    draft = sample()
    report = validate_rows(
        RowChecker(draft.message, None, rows, auto_map(list(draft.variables), rows.columns))
    )
    out = tmp_path / "problems.csv"
    report.export_problems(out)
    for record in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in record)


def test_a_cut_card_is_reported_from_the_layout_check() -> None:
    cards = tuple(m.CardContent(title="{{name}}", description="d") for _ in range(2))
    draft = m.Draft(message=m.Message(content=m.Carousel(cards=cards)), variables={"name": ""})
    rows = table(["name"], ["short"], ["long " * 100])

    def cuts(message: m.Message) -> list[str]:
        content = message.content
        assert isinstance(content, m.Carousel)
        return [
            f"$.richCardCarousel.cardContents[{index}]"
            for index, card in enumerate(content.cards)
            if len(card.title or "") > 100
        ]

    codes = check(rows, draft, cuts=cuts)
    assert "row.card.cut" not in codes[0]
    assert codes[1].count("row.card.cut") == 2


# The shortcut (rows alike in length, bytes, blankness and link share one validation) must
# give exactly what validating every filled message in full gives.
PIECES = [*'ab ,{}"\\é€😀\n\t\r\x01\x07\x7f\x85%<\u2028', "https://", "http://", "x.y/", "{{z}}"]
PIECES += ["{{", "}}"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
LONG = st.builds(lambda n, c: c * n, st.integers(0, 260), st.sampled_from(["a", "é", "😀", " "]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.one_of(TEXTS, LONG), st.one_of(TEXTS, LONG)), min_size=1, max_size=8))
def test_the_shortcut_gives_what_full_validation_gives(cells: list[tuple[str, str]]) -> None:
    draft = url_card()
    rows = table(["first_name", "offer_url"], *[[a, "https://e.in/" + b] for a, b in cells])
    # and the same cells swapped, so links get any text and titles get links
    rows = dataclasses.replace(
        rows, rows=rows.rows + tuple(Row(100 + i, (b, a)) for i, (a, b) in enumerate(cells))
    )
    # and plain http links, which are warned about with the link quoted
    rows = dataclasses.replace(
        rows,
        rows=rows.rows
        + tuple(Row(200 + i, (a, "http://e.in/" + b)) for i, (a, b) in enumerate(cells)),
    )
    mapping = auto_map(["first_name", "offer_url"], rows.columns)
    checker = RowChecker(draft.message, None, rows, mapping)
    for row in rows.rows:
        values = row_values(rows, mapping, row)
        assert list(checker.issues(values)) == validate(substitute(draft.message, values))


@pytest.mark.parametrize(
    "names",
    [
        ["Bob", "Bo\x7f", "René", "Ren\x85", '"""""', "\x07aaaa"],
        ["Bo\x7f", "Bob", "Sam"],
        ["\x07aaaa", '"""""', "\x1b[0m", "ab\x9f"],
    ],
)
def test_control_characters_never_share_a_validation_with_plain_rows(names: list[str]) -> None:
    draft = url_card()
    rows = table(["first_name", "offer_url"], *[[name, "https://e.in/o"] for name in names])
    mapping = auto_map(["first_name", "offer_url"], rows.columns)
    checker = RowChecker(draft.message, None, rows, mapping)
    for row in rows.rows:
        values = row_values(rows, mapping, row)
        controlled = any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in values["first_name"])
        found = [issue.code for issue in checker.issues(values)]
        assert ("text.control" in found) == controlled, values
        assert list(checker.issues(values)) == validate(substitute(draft.message, values))


# ---------------------------------------------------------------- test sends of rows


@pytest.fixture
def services() -> Iterator[Services]:
    container = Services(sandbox_factory=FaultySandbox)
    yield container
    container.stop_sandbox()


def numbers_table(count: int) -> RowTable:
    return table(BILL, *[bill_row(f"Person {i}", f"+91 98765 {i:05d}") for i in range(count)])


def test_each_row_gets_its_own_values_and_number(services: Services) -> None:
    rows = numbers_table(3)
    draft = sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    profile = sandbox_profile(services.ensure_sandbox())
    batch = plan_row_sends(draft, profile, rows, mapping, [2, 4], country="IN")
    assert batch.ready, batch.reasons
    assert batch.recipients == ("919876500000", "919876500002")
    titles = [body["richCardStandalone"]["content"]["title"] for body in batch.bodies]  # type: ignore[index]
    assert titles == ["Hello Person 0, your bill is ready", "Hello Person 2, your bill is ready"]
    outcome = send_rows(services, profile, batch, draft.name)
    assert set(outcome.message_ids) == {"919876500000", "919876500002"}
    sandbox = services.sandbox
    assert sandbox is not None and sandbox.send_count == 2


def test_a_number_exported_as_a_decimal_goes_to_its_own_digits(services: Services) -> None:
    rows = table(BILL, bill_row("Asha", "919876543210.0"), bill_row("Ravi", "9876543211.0"))
    draft = sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    assert [
        result.problems
        for result in validate_rows(
            RowChecker(draft.message, None, rows, mapping, country="IN")
        ).results
    ] == [(), ()]
    profile = sandbox_profile(services.ensure_sandbox())
    batch = plan_row_sends(draft, profile, rows, mapping, [2, 3], country="IN")
    assert batch.recipients == ("919876543210", "919876543211")
    outcome = send_rows(services, profile, batch, draft.name)
    assert set(outcome.message_ids) == {"919876543210", "919876543211"}


def test_a_row_number_in_no_range_in_use_is_doubted_as_a_typed_one_is(services: Services) -> None:
    rows = table(BILL, bill_row("Asha", "+91 02345 67890"), bill_row("Ravi"))
    draft = sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    profile = sandbox_profile(services.ensure_sandbox())
    batch = plan_row_sends(draft, profile, rows, mapping, [2, 3], country="IN")
    warnings = [entry.warning for entry in batch.entries]
    assert warnings[0] is not None and "Not a number range in use" in warnings[0]
    assert warnings[1] is None


def test_a_number_in_scientific_notation_says_its_digits_are_lost() -> None:
    rows = table(BILL, bill_row("Asha", "9.19876E+11"))
    (problem,) = check(rows)[0]
    assert problem == "row.recipient.invalid"
    report = validate_rows(
        RowChecker(sample().message, None, rows, auto_map(list(sample().variables), rows.columns))
    )
    assert "scientific notation" in report.results[0].problems[0].message


def test_more_than_twenty_rows_are_refused_as_not_a_campaign(services: Services) -> None:
    rows = numbers_table(MAX_ROW_SENDS + 1)
    draft = sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    profile = sandbox_profile("http://127.0.0.1:1")
    batch = plan_row_sends(
        draft, profile, rows, mapping, [row.number for row in rows.rows], country="IN"
    )
    assert not batch.ready
    assert any("at most 20" in reason and "not for campaigns" in reason for reason in batch.reasons)
    with pytest.raises(ValueError, match="problems"):
        send_rows(services, profile, batch, draft.name)


def test_a_row_with_an_error_stops_the_batch_before_anything_is_sent() -> None:
    rows = table(BILL, bill_row(), bill_row(""))
    draft = sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    batch = plan_row_sends(draft, sandbox_profile(), rows, mapping, [2, 3], country="IN")
    assert not batch.ready
    assert any(
        reason.startswith("row 3: ") and "{{customerName}}" in reason for reason in batch.reasons
    )


class BreaksAfterFirstSend(FaultySandbox):
    """Answers the first request, then every later one with HTTP 500."""

    answered = 0

    def answer_instead(self, handler: object) -> bool:
        self.answered += 1
        if self.answered == 2:
            self.set_faults(Faults(status=500, remaining=None))
        return super().answer_instead(handler)


def test_a_failed_send_stops_the_batch_and_nothing_is_sent_twice() -> None:
    from rcs_composer.services.kaleyra_replies import KaleyraError

    services = Services(sandbox_factory=BreaksAfterFirstSend)
    try:
        rows = numbers_table(3)
        draft = sample()
        mapping = auto_map(list(draft.variables), rows.columns)
        profile = sandbox_profile(services.ensure_sandbox())
        batch = plan_row_sends(draft, profile, rows, mapping, [2, 3, 4], country="IN")
        outcome = send_rows(services, profile, batch, draft.name)
        assert [row for row, _sent in outcome.sent] == [2]
        assert outcome.failed is not None and outcome.failed[0] == 3
        assert isinstance(outcome.failed[1], KaleyraError)
        assert outcome.not_sent == (4,)
        assert "row 3 was not sent" in (outcome.history_problem or "")
        sandbox = services.sandbox
        assert sandbox is not None and sandbox.send_count == 2  # no retry, row 4 never tried
        with pytest.raises(KaleyraError):  # when the first row fails, the error is the answer
            send_rows(services, profile, batch, draft.name)
    finally:
        services.stop_sandbox()


def test_numbers_read_once_are_not_read_again_by_the_next_check() -> None:
    rows = table(BILL, bill_row(), bill_row("Ravi", "+91 98765 43211"))
    draft = sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    numbers: dict[tuple[str, str | None], tuple[bool, str]] = {}
    validate_rows(RowChecker(draft.message, None, rows, mapping, country="IN", numbers=numbers))
    assert numbers[("+91 98765 43210", "IN")] == (True, "919876543210")
    numbers[("+91 98765 43211", "IN")] = (False, "remembered, not read again")
    report = validate_rows(
        RowChecker(draft.message, None, rows, mapping, country="IN", numbers=numbers)
    )
    assert "Remembered, not read again." in report.results[1].first_problem


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", " ", "{{", "}}", "{{x}}", "{{ y }}", "{{x.y}}", "{", "é"]),
        max_size=10,
    ).map("".join),
    st.dictionaries(st.sampled_from(["x", "y", "x.y", "z"]), st.sampled_from(["", "v", "{{x}}"])),
)
def test_filling_a_split_text_is_the_same_as_substituting_it(
    text: str, values: dict[str, str]
) -> None:
    from rcs_composer.app.rows import _Filler
    from rcs_composer.core.variables import substitute_text

    assert _Filler(text)(values) == substitute_text(text, values)


def test_rows_sent_already_leave_the_batch_and_rows_without_a_number_are_named() -> None:
    rows = table(
        BILL,
        *[bill_row(f"P{i}", f"+91 98765 {i:05d}") for i in range(3)],
        bill_row(phone=""),
        bill_row(phone=""),
    )
    draft = sample()
    mapping = auto_map(list(draft.variables), rows.columns)
    batch = plan_row_sends(
        draft, sandbox_profile(), rows, mapping, [2, 3, 4], country="IN", sent={2}
    )
    assert [send.row for send in batch.sends] == [3, 4]
    assert [entry.status for entry in batch.entries] == ["✔ sent", "✔ ok", "✔ ok"]
    done = plan_row_sends(draft, sandbox_profile(), rows, mapping, [2], country="IN", sent={2})
    assert not done.ready and "Every selected row has been sent" in done.reasons[0]
    blank = plan_row_sends(draft, sandbox_profile(), rows, mapping, [2, 5, 6], country="IN")
    assert blank.note == "Rows 5 and 6 have no recipient number."


def test_an_unknown_outcome_names_the_row_that_may_have_arrived() -> None:
    from rcs_composer.app.rows import RowSendOutcome
    from rcs_composer.services.kaleyra_replies import OutcomeUnknown

    outcome = RowSendOutcome((), (3, OutcomeUnknown("the connection broke")), (4,))
    assert outcome.unknown_row == 3
    assert "row 3: no answer came, so it may have arrived" in (outcome.history_problem or "")


def test_quotes_newlines_and_http_links_share_validations_and_match_full_validation() -> None:
    draft = url_card()
    cells = [
        [f'Asha "N{i % 10}"\nline two \\ {i % 7}', f"http://shop.example/o/{1000 + i}"]
        for i in range(300)
    ]
    rows = table(["first_name", "offer_url"], *cells)
    mapping = auto_map(["first_name", "offer_url"], rows.columns)
    checker = RowChecker(draft.message, None, rows, mapping)
    for row in rows.rows:
        values = row_values(rows, mapping, row)
        assert list(checker.issues(values)) == validate(substitute(draft.message, values))
    assert len(checker._validated) <= 2  # alike rows share one validation, quotes or not
    report = validate_rows(checker)
    warned = report.results[5].problems[0].message
    assert "'http://shop.example/o/1005'" in warned  # each row's own link is quoted


LINK_PIECES = st.sampled_from(
    [
        *("http://", "https://", "HTTP://", "a", "b.in", ".", "/", "?", "#", "%", "%4", "1", ":"),
        *("@", "[", "]", "::1", " ", "\t", "é", "<", "|", "^", "`", "\\", '"', "{", "-", "_", "~"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(LINK_PIECES, max_size=10).map("".join))
def test_the_quick_link_check_agrees_with_the_validators_findings(tail: str) -> None:
    from rcs_composer.core.urls import url_findings

    checker = RowChecker(url_card().message, None, table(["x"]), ColumnMap({}))
    for url in (tail, "https://" + tail, "http://shop.example" + tail, "https://e.in/" + tail):
        assert checker._clean_link(url) == (not url_findings(url)), url
        assert checker._clean_link(url) == (not url_findings(url)), url  # and when remembered


def test_a_design_wide_warning_is_reported_once_not_on_every_row(tmp_path: Path) -> None:
    draft = sample()
    content = draft.message.content
    assert isinstance(content, m.RichCard)
    aligned = dataclasses.replace(content, thumbnail_alignment=m.ThumbnailAlignment.LEFT)
    message = dataclasses.replace(draft.message, content=aligned)
    rows = table(BILL, bill_row(), bill_row("Ravi"))
    report = validate_rows(
        RowChecker(message, None, rows, auto_map(list(draft.variables), rows.columns))
    )
    assert report.summary() == "2 rows: 2 ok, 0 warnings, 0 errors"
    assert report.design_summary() == "The design itself (every row): 1 warning"
    assert [issue.code for issue in report.design] == ["card.alignment.vertical"]
    assert report.design_lines()[0].startswith("Card > Thumbnail")
    out = tmp_path / "problems.csv"
    report.export_problems(out)
    lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["design"]


def test_a_group_is_worded_by_its_rule_not_by_one_rows_value() -> None:
    draft = url_card()
    rows = table(
        ["first_name", "offer_url"],
        ["Asha", "ftp://shop.example/o/1"],
        ["Ravi", "https://shop.example/o/2"],
        ["Zoë", "mailto:someone@shop.example"],
    )
    report = validate_rows(
        RowChecker(draft.message, None, rows, auto_map(["first_name", "offer_url"], rows.columns))
    )
    group = next(group for group in report.groups() if group.code == "open_url.url.scheme")
    assert group.rows == (2, 4)
    assert "ftp:" not in group.text and "mailto" not in group.text
    assert group.text.startswith("Card > Suggestion 1 > Link is not an http or https URL")
    assert group.text.endswith(": 2 rows (2, 4)")


def test_quotes_that_push_the_message_over_its_size_are_not_shared_with_plain_text() -> None:
    from rcs_composer.core.codecs import export_message, wire_bytes

    def message(padding: int) -> m.Message:
        return m.Message(content=m.TextContent(text="{{a}}" + "x" * padding))

    plain, quoted = "a" * 100, '"' * 100  # alike in length and UTF-8 bytes, not in JSON
    base = len(wire_bytes(export_message(substitute(message(0), {"a": plain}))))
    limit = 250 * 1024
    text = message(limit - base - 50)  # plain text fits; escaped quotes take 100 bytes more
    rows = table(["a"], [plain], [quoted], [plain])
    mapping = auto_map(["a"], rows.columns)
    checker = RowChecker(text, None, rows, mapping)
    found = []
    for row in rows.rows:
        values = row_values(rows, mapping, row)
        issues = list(checker.issues(values))
        assert issues == validate(substitute(text, values))
        found.append("message.too_large" in {issue.code for issue in issues})
    assert found == [False, True, False]
