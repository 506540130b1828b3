"""The validate and convert commands: exit codes, JSON report, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rcs_composer.entry import main

FIXTURES = Path(__file__).parent.parent / "fixtures"
CARD = FIXTURES / "seed000_standalone_card.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, data: object, name: str = "doc.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_a_valid_file_with_warnings_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", str(CARD))
    assert code == 0
    assert "warning" in out
    assert "0 errors" in out


def test_errors_exit_1_and_json_lists_path_code_message_source(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = json.loads(CARD.read_text())
    body["richCardStandalone"]["content"]["title"] = "T" * 201
    code, out, _ = run(capsys, "validate", write(tmp_path, body), "--json")
    assert code == 1
    report = json.loads(out)
    assert set(report) == {"errors", "warnings"}
    paths = [error["path"] for error in report["errors"]]
    assert "$.richCardStandalone.content.title" in paths
    for entry in report["errors"] + report["warnings"]:
        assert set(entry) == {"path", "code", "message", "source"}
        assert all(isinstance(value, str) and value for value in entry.values())


def test_a_shape_error_is_reported_as_an_error_with_its_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(
        capsys,
        "validate",
        write(tmp_path, {"from": "a", "to": ["919876543210"], "text": 5}),
        "--json",
    )
    assert code == 1
    assert json.loads(out)["errors"][0]["path"] == "$.text"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not valid JSON"),
        ('{"text": "a\u0000"', "not valid JSON: Invalid control character at (line 1, column 12)"),
        ("[]", "expected a JSON object"),
        ('{"a": 1}', "not a Kaleyra"),
    ],
)
def test_unreadable_files_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 2
    assert out == ""
    assert words in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.json"))
    assert code == 2
    assert "no such file" in err


def test_region_changes_the_text_limit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, {"from": "rcs-dev", "to": ["919876543210"], "text": "a" * 2400})
    assert run(capsys, "validate", path, "--region", "IN")[0] == 0
    assert run(capsys, "validate", path, "--region", "NA")[0] == 1
    assert run(capsys, "validate", path)[0] == 1  # no region: the stricter limit


def test_convert_message_to_template_fills_options_and_variables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys,
        "convert",
        str(FIXTURES / "seed003_template_card_variables.json"),
        "--format",
        "message",
        "--sender",
        "rcs-dev",
        "--recipient",
        "+91 98765 43210",
        "--recipient",
        "0091 98765 43211",
        "--var",
        "custermername=Asha",
    )
    assert code == 0
    body = json.loads(out)
    assert body["from"] == "rcs-dev"
    assert body["to"] == ["919876543210", "919876543211"]
    assert body["richCardStandalone"]["content"]["title"] == "The title is : Asha"
    assert "{{consumerno}}" in body["richCardStandalone"]["content"]["description"]


def test_convert_to_template_sets_name_status_agent(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "convert",
        str(CARD),
        "--format",
        "template",
        "--template-name",
        "tata_card",
        "--agent-number",
        "116002",
        "--status",
        "CREATED",
    )
    assert code == 0
    body = json.loads(out)
    assert body["template_type"] == "4"
    assert (body["template_name"], body["agent_number"], body["status"]) == (
        "tata_card",
        "116002",
        "CREATED",
    )
    assert body["rich_card_standalone"]["content"]["media"]["file"]["file_url"].startswith(
        "https://"
    )


def test_convert_to_draft_keeps_variables_and_stores_samples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(
        capsys,
        "convert",
        str(FIXTURES / "seed003_template_card_variables.json"),
        "--format",
        "draft",
        "--var",
        "duedate=30 Nov",
    )
    assert code == 0
    draft = json.loads(out)
    assert draft["format"] == "rcs-composer-draft"
    assert draft["variables"] == {"duedate": "30 Nov"}
    assert "{{duedate}}" in draft["message"]["richCardStandalone"]["content"]["description"]


def test_bad_var_and_bad_recipient_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "convert", str(CARD), "--format", "message", "--var", "novalue")[0] == 2
    code, _, err = run(capsys, "convert", str(CARD), "--format", "message", "--recipient", "hello")
    assert code == 2
    assert "--recipient" in err


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rcs_composer", "validate", str(CARD), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert json.loads(result.stdout)["errors"] == []


def test_render_writes_a_png_and_refuses_bad_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "card.png"
    code, _, err = run(
        capsys,
        "render",
        str(FIXTURES / "seed003_template_card_variables.json"),
        "-o",
        str(out),
        "--theme",
        "dark",
        "--width",
        "412",
        "--var",
        "custermername=Asha",
    )
    assert code == 0, err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(out) as image:
        assert image.width == (412 + 20) * 2
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run(capsys, "render", str(bad), "-o", str(tmp_path / "x.png"))
    assert code == 2
    assert "not valid JSON" in err


def test_a_huge_file_is_refused_without_reading_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as stream:
        stream.truncate(30 * 1024 * 1024)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "too large" in err


# ---------------------------------------------------------------- issue 14: drops and hostile JSON


def test_convert_to_a_template_lists_each_dropped_field_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = {
        "from": "rcs-dev",
        "to": ["919876543210"],
        "ref": "campaign-7",
        "ttlSeconds": 600,
        "futureFlag": True,
        "text": "Hello",
    }
    code, out, err = run(
        capsys, "convert", write(tmp_path, body), "--format", "template", "--status", "CREATED"
    )
    assert code == 0
    template = json.loads(out)
    assert not {"from", "to", "ref", "ttlSeconds", "futureFlag"} & set(template)
    lines = err.strip().splitlines()
    assert [line.split()[3] for line in lines] == [
        "$.from",
        "$.to",
        "$.ref",
        "$.ttlSeconds",
        "$.futureFlag",
    ]
    assert all(line.startswith("rcs-composer: convert drops ") for line in lines)


def test_convert_json_reports_the_drops_machine_readably(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = {"from": "rcs-dev", "to": ["919876543210"], "text": "Hello"}
    code, out, err = run(capsys, "convert", write(tmp_path, body), "--format", "template", "--json")
    assert code == 0
    assert "from" not in json.loads(out)
    report = json.loads(err)
    assert [entry["path"] for entry in report["dropped"]] == ["$.from", "$.to"]
    assert all(entry["reason"] for entry in report["dropped"])


def test_convert_without_drops_says_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = {"from": "rcs-dev", "to": ["919876543210"], "text": "Hello"}
    code, _, err = run(capsys, "convert", write(tmp_path, body), "--format", "draft")
    assert (code, err) == (0, "")
    code, _, err = run(capsys, "convert", write(tmp_path, body), "--format", "draft", "--json")
    assert code == 0
    assert json.loads(err) == {"dropped": []}


@pytest.mark.parametrize("target", ["message", "draft", "template"])
def test_convert_names_the_values_a_repeated_key_loses(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str
) -> None:
    path = tmp_path / "dup.json"
    path.write_text(
        '{"text": "a", "suggestions": [{"reply": {"text": "x", "text": "y"}}], "text": "b"}'
    )
    code, out, err = run(capsys, "convert", str(path), "--format", target, "--json")
    assert code == 0 and '"b"' in out and '"a"' not in out
    repeated = [
        entry for entry in json.loads(err)["dropped"] if "written 2 times" in entry["reason"]
    ]
    assert [entry["path"] for entry in repeated] == ["$.text", "$.suggestions[0].reply.text"]


def test_a_template_converted_to_a_message_lists_its_template_fields(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(
        capsys, "convert", str(FIXTURES / "seed003_template_response.json"), "--format", "message"
    )
    assert code == 0
    dropped = [line.split()[3] for line in err.strip().splitlines()]
    assert "$.data.template_name" in dropped
    assert "$.code" in dropped


HOSTILE_TEXTS = {
    "lone surrogate": '{"from": "a", "to": ["919876543210"], "text": "hi \\ud83d"}',
    "lone surrogate key": '{"from": "a", "to": ["919876543210"], "text": "hi", "\\udc00": 1}',
    "non-finite number": '{"text": "hi", "suggestions": [{"action": {"text": "Map",'
    ' "postbackData": "m", "viewLocationAction": {"latLong": {"latitude": 1e400,'
    ' "longitude": 0}}}}]}',
    "negative non-finite": '{"text": "hi", "ttlSeconds": -1e400}',
    "raw control character": '{"text": "hi\x07there"}',
    "raw newline in a string": '{"text": "hi\nthere"}',
    "escaped controls": '{"text": "\\u0000\\u001b[2J\\u0007", "from": "a", "to": ["1"]}',
    "control characters in a key": '{"text": "hi", "a\\nb\\u001b[31m": 1}',
    "duplicate keys": '{"text": "a", "text": "b", "from": "x", "from": "y", "to": ["919876543210"]}',
    "huge integer": '{"text": "hi", "ttlSeconds": ' + "9" * 5000 + "}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
@pytest.mark.parametrize(
    "argv",
    [
        ("validate",),
        ("validate", "--json"),
        ("convert", "--format", "message"),
        ("convert", "--format", "template"),
        ("convert", "--format", "draft"),
    ],
    ids=" ".join,
)
def test_hostile_json_gets_one_line_never_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, argv: tuple[str, ...]
) -> None:
    path = tmp_path / "hostile.json"
    path.write_bytes(HOSTILE_TEXTS[name].encode("utf-8", "surrogatepass"))
    code, out, err = run(capsys, argv[0], str(path), *argv[1:])
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
        assert "$" in err
    elif argv[0] == "convert":
        text = out
        assert "Infinity" not in text and "NaN" not in text
        json.loads(text)
    out.encode("utf-8")  # printable as UTF-8: no lone surrogate reached the terminal


def test_a_lone_surrogate_names_its_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "s.json"
    path.write_text(HOSTILE_TEXTS["lone surrogate"], encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2
    assert "$.text" in err and "surrogate" in err
    path.write_text(HOSTILE_TEXTS["non-finite number"], encoding="utf-8")
    code, _, err = run(capsys, "convert", str(path), "--format", "template")
    assert code == 2
    assert "$.suggestions[0].action.viewLocationAction.latLong.latitude" in err


def test_validate_warns_about_duplicate_keys(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "d.json"
    path.write_text(HOSTILE_TEXTS["duplicate keys"], encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(path), "--json")
    assert code == 0
    warnings = [w for w in json.loads(out)["warnings"] if w["code"] == "key.duplicate"]
    assert [w["path"] for w in warnings] == ["$", "$"]


def test_a_var_with_a_lone_surrogate_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        capsys,
        "convert",
        str(FIXTURES / "seed003_template_card_variables.json"),
        "--format",
        "message",
        "--var",
        "custermername=\udcff",
    )
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("width", ["0", "-5", "100000", "wide", "239", "801"])
def test_render_refuses_a_width_no_phone_has(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, width: str
) -> None:
    out = tmp_path / "card.png"
    with pytest.raises(SystemExit) as stopped:
        run(
            capsys,
            "render",
            str(FIXTURES / "seed000_standalone_card.json"),
            "-o",
            str(out),
            "--width",
            width,
        )
    assert stopped.value.code == 2
    assert "--width" in capsys.readouterr().err
    assert not out.exists()


def test_the_command_line_alone_cannot_open_the_desktop(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from rcs_composer.cli import main as command_line

    code = command_line(
        ["render", str(FIXTURES / "seed000_standalone_card.json"), "-o", str(tmp_path / "x.png")]
    )
    assert code == 2
    assert "desktop part" in capsys.readouterr().err


@pytest.mark.parametrize("wrong", ["0", "false", '""', "[]"])
def test_draft_variables_of_the_wrong_type_are_an_error(
    wrong: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """0, false, "" and [] were read as 'no variables' while "abc" was an error."""
    path = tmp_path / "x.rcs.json"
    path.write_text(
        '{"format": "rcs-composer-draft", "version": 1, "name": "x", '
        f'"message": {{"text": "hi"}}, "variables": {wrong}}}'
    )
    code, out, err = run(capsys, "validate", str(path))
    assert code != 0
    assert "variables" in out + err and "expected an object of name: value" in out + err


def test_an_empty_template_id_is_refused_before_any_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["template", "get", "", "--profile", "sandbox"])
    assert stopped.value.code == 2
    assert "the template id is empty" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("output", "said"),
    [
        ("", "-o is empty: name a .png file, or a folder"),
        ("out/a.jpg", "render writes PNG images; name the file .png"),
        ("out/noext", "render writes PNG images; name the file .png"),
    ],
)
def test_render_names_an_output_it_cannot_write_as_asked(
    output: str,
    said: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    card = str(FIXTURES / "seed000_standalone_card.json")
    code, _out, err = run(capsys, "render", card, "-o", output)
    assert code == 2 and said in err
    assert list(tmp_path.rglob("*")) == []  # nothing written anywhere


def test_var_takes_a_name_written_with_braces_and_refuses_bytes_that_are_not_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, {"from": "a", "to": ["919876543210"], "text": "Hi {{name}}"})
    code, out, _ = run(capsys, "convert", path, "--format", "message", "--var", "{{name}}=Asha")
    assert code == 0 and json.loads(out)["text"] == "Hi Asha"
    code, _, err = run(capsys, "convert", path, "--format", "message", "--var", "name=\udcff")
    assert code == 2 and "--var name: the value is not UTF-8 text" in err


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ('{"text": "hi"}'.encode("utf-16-le"), "the file is UTF-16 text: save it as UTF-8"),
        ('{"text": "hi"}'.encode("utf-16"), "the file is UTF-16 text: save it as UTF-8"),
        (b"\xef\xbb\xbf\xef\xbb\xbf{}", "the file starts with two byte order marks: remove one"),
    ],
)
def test_an_encoding_json_cannot_read_is_named(
    data: bytes, said: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "sheet.json"
    path.write_bytes(data)
    code, _, err = run(capsys, "validate", str(path))
    assert code == 2 and said in err
