"""validate --rows and render --rows: per-row output, exit codes, one PNG per row."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from rcs_composer.entry import main

TEMPLATE = str(resources.files("rcs_composer.samples").joinpath("template_with_variables.json"))
HEADER = "customerName,consumerNo,billAmount,dueDate,mobile\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def rows_file(tmp_path: Path, *lines: str, name: str = "rows.csv") -> str:
    path = tmp_path / name
    path.write_text(HEADER + "".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


GOOD = "Asha,1029,₹50,30 Nov,+91 98765 43210"


def test_clean_rows_exit_0_with_the_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "validate", TEMPLATE, "--rows", rows_file(tmp_path, GOOD, GOOD))
    assert code == 0
    assert "{{customerName}} <- column A “customerName”" in out
    assert "recipient <- column E “mobile”" in out
    assert out.strip().endswith("2 rows: 2 ok, 0 warnings, 0 errors")


def test_a_row_with_an_error_exits_1_and_is_named_by_its_sheet_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    long_name = "N" * 195
    path = rows_file(tmp_path, GOOD, f"{long_name},1,₹5,1 Dec,+91 98765 43211", ",2,₹5,1 Dec,")
    code, out, _ = run(capsys, "validate", TEMPLATE, "--rows", path)
    assert code == 1
    assert "row 3: error   Card > Title:" in out
    assert "$.richCardStandalone" not in out  # JSON paths are for --json
    assert "row 4: error   {{customerName}}:" in out
    assert "row 4: warning Recipient:" in out
    assert "Worst problems:" in out
    assert out.strip().endswith("3 rows: 1 ok, 0 warnings, 2 errors")


def test_json_has_every_row_with_its_status(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = rows_file(tmp_path, GOOD, '=HYPERLINK("x"),1,₹5,1 Dec,+91 98765 43211')
    code, out, _ = run(capsys, "validate", TEMPLATE, "--rows", path, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["summary"]["text"] == "2 rows: 1 ok, 1 warning, 0 errors"
    assert [(row["row"], row["status"]) for row in report["rows"]] == [(2, "ok"), (3, "warning")]
    assert report["rows"][1]["problems"][0]["code"] == "row.cell.formula"
    assert report["mapping"]["customerName"] == "customerName"


def test_map_fills_a_variable_from_a_column_of_another_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("name,consumerNo,billAmount,dueDate\nAsha,1,₹5,1 Dec\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", TEMPLATE, "--rows", str(path))
    assert code == 1 and "row.variable.unmapped" in out
    code, out, _ = run(
        capsys, "validate", TEMPLATE, "--rows", str(path), "--map", "customerName=name"
    )
    assert code == 0, out
    code, _out, err = run(
        capsys, "validate", TEMPLATE, "--rows", str(path), "--map", "customerName=nope"
    )
    assert code == 2 and "has no such column" in err


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"\x00\x01\x02binary\xff" * 100, "not a text file"),
        (b"", "is empty"),
    ],
)
def test_an_unreadable_rows_file_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, said: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    code, _out, err = run(capsys, "validate", TEMPLATE, "--rows", str(path))
    assert code == 2
    assert said in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_file_notes_go_to_stderr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(HEADER.replace("mobile", "customerName") + GOOD + "\n", encoding="utf-8")
    code, _out, err = run(capsys, "validate", TEMPLATE, "--rows", str(path))
    assert "both named “customerName”" in err
    assert code == 0


def test_render_one_row_and_every_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, qapp: object
) -> None:
    from PySide6.QtGui import QImage

    path = rows_file(tmp_path, GOOD, "Ravi,2,₹6,2 Dec,+91 98765 43211")
    one = tmp_path / "row3.png"
    code, _out, err = run(capsys, "render", TEMPLATE, "--rows", path, "--row", "3", "-o", str(one))
    assert code == 0, err
    assert not QImage(str(one)).isNull()
    folder = tmp_path / "all"
    code, _out, err = run(capsys, "render", TEMPLATE, "--rows", path, "--all", "-o", str(folder))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["row-2.png", "row-3.png"]
    assert QImage(str(folder / "row-2.png")) != QImage(str(folder / "row-3.png"))


def test_render_rows_names_a_missing_row_and_asks_which(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = rows_file(tmp_path, GOOD)
    code, _out, err = run(capsys, "render", TEMPLATE, "--rows", path, "--row", "1", "-o", "x.png")
    assert code == 2 and "no data in row 1" in err and "row 1 names the columns" in err
    code, _out, err = run(capsys, "render", TEMPLATE, "--rows", path, "-o", "x.png")
    assert code == 2 and "--row N" in err


def test_validate_rows_asks_the_preview_layout_whether_phones_cut_a_card(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, qapp: object
) -> None:
    from rcs_composer.core import codecs
    from rcs_composer.core import model as m

    card = m.CardContent(title="{{name}}", description="{{note}}")
    draft = m.Draft(
        message=m.Message(content=m.Carousel(card_width=m.CardWidth.SMALL, cards=(card, card))),
        variables={"name": "", "note": ""},
    )
    source = tmp_path / "carousel.json"
    source.write_text(codecs.dumps(codecs.export_as(codecs.Format.DRAFT, draft)), encoding="utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text(
        f"name,note\nAsha,Short\nRavi,{'A long line of text. ' * 60}\n", encoding="utf-8"
    )
    code, out, _err = run(capsys, "validate", str(source), "--rows", str(rows))
    assert code == 0
    assert "row 2: " not in out
    assert "row 3: warning Card 1:" in out
    assert "[row.card.cut]" in out


def test_render_draws_a_blank_cell_with_its_braces_not_the_sample_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, qapp: object
) -> None:
    from PySide6.QtGui import QImage

    path = rows_file(
        tmp_path,
        ",1029,₹50,30 Nov,+91 98765 43210",
        "{{customerName}},1029,₹50,30 Nov,+91 98765 43210",
        "Asha,1029,₹50,30 Nov,+91 98765 43210",  # the draft's sample value
    )
    folder = tmp_path / "all"
    code, _out, err = run(capsys, "render", TEMPLATE, "--rows", path, "--all", "-o", str(folder))
    assert code == 0, err
    blank, braces, sample = (QImage(str(folder / f"row-{n}.png")) for n in (2, 3, 4))
    assert blank == braces  # what validate --rows calls an error is what is drawn
    assert blank != sample


def test_a_header_without_data_rows_is_an_error_not_zero_rows_ok(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "validate", TEMPLATE, "--rows", rows_file(tmp_path))
    assert code == 1
    assert "no data rows" in err and "0 rows" not in out


def test_an_error_of_the_design_itself_is_said_once_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(Path(TEMPLATE).read_text(encoding="utf-8"))
    del data["message"]["richCardStandalone"]["cardOrientation"]
    source = tmp_path / "no-orientation.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(source), "--rows", rows_file(tmp_path, GOOD, GOOD))
    assert code == 1
    assert "The design itself (every row): 1 error:" in out
    assert out.count("card.orientation.missing") == 1
    assert out.strip().endswith("2 rows: 2 ok, 0 warnings, 0 errors")


def test_the_worst_problems_name_the_column_rows_share(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Rows with different bad numbers in one column read "(column …)", a placeholder."""
    path = rows_file(tmp_path, "A,1,₹5,1 Dec,abc", "B,2,₹5,1 Dec,xyz", "C,3,₹5,1 Dec,12")
    code, out, _ = run(capsys, "validate", TEMPLATE, "--rows", path)
    assert code == 1
    worst = out.split("Worst problems:")[1]
    assert "Recipient (column E) is not a phone number: 3 rows (2, 3, 4)" in worst
    assert "Recipient: The recipient" not in out  # the field was named twice
    assert "…" not in worst
