"""Fuzzing every input: a model or a clear error with a path, never a crash or a hang."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcs_composer.core import codecs
from rcs_composer.core.schema_types import DecodeError
from rcs_composer.core.variables import find_variables, substitute, substitute_text
from tests.fuzz.mutations import hostile_documents, hostile_texts, json_values, texts

# 300 examples per target in the default run, which stays quick; the slow test below runs every
# target at full strength (2,000), and RCS_COMPOSER_FUZZ_FULL_EXAMPLES raises that for a nightly.
EXAMPLES = int(os.environ.get("RCS_COMPOSER_FUZZ_EXAMPLES", "300"))
FULL_EXAMPLES = os.environ.get("RCS_COMPOSER_FUZZ_FULL_EXAMPLES", "2000")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_clear(error: DecodeError) -> None:
    assert error.path.startswith("$")
    assert error.reason
    assert "Traceback" not in error.reason
    assert "\n" not in error.reason and "\n" not in error.path  # one line, whatever the input


@FUZZ
@given(hostile_documents)
def test_importer_gives_a_model_or_a_clear_error(data: Any) -> None:
    try:
        document = codecs.import_document(data)
    except DecodeError as error:
        assert_clear(error)
        return
    # Whatever imports must export and import again to the same model.
    exported = codecs.export_as(document.format, document.draft)
    again = codecs.import_document(json.loads(codecs.dumps(exported)))
    assert again.draft.message == document.draft.message


@FUZZ
@given(hostile_documents)
def test_the_json_text_path_never_raises_anything_else(data: Any) -> None:
    text = json.dumps(data, ensure_ascii=False)
    try:
        codecs.loads(text)
    except DecodeError as error:
        assert_clear(error)


@FUZZ
@given(hostile_documents, json_values)
def test_draft_loading_gives_a_draft_or_a_clear_error(message: Any, variables: Any) -> None:
    draft = {
        "format": "rcs-composer-draft",
        "version": 1,
        "name": "fuzz",
        "message": message,
        "variables": variables,
    }
    try:
        codecs.decode_draft(draft)
    except DecodeError as error:
        assert_clear(error)


@FUZZ
@given(hostile_documents, texts)
def test_variable_substitution_never_raises(data: Any, value: str) -> None:
    try:
        message = codecs.import_document(data).draft.message
    except DecodeError:
        return
    names = find_variables(message)
    filled = substitute(message, dict.fromkeys(names, value))
    assert isinstance(find_variables(filled), list)
    substitute_text(value + "{{" + value + "}}", {value: value})


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
def test_deep_nesting_is_refused_quickly_with_a_path(depth: int) -> None:
    text = '{"text": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(codecs.ParseError) as caught:
        codecs.loads(text)
    assert "nested deeper" in caught.value.reason


@FUZZ
@given(hostile_documents)
def test_validator_reports_and_never_raises(data: Any) -> None:
    from rcs_composer.core.issues import Region
    from rcs_composer.core.validation import validate_data

    for region in (None, Region.IN):
        for issue in validate_data(data, region):
            assert issue.path.startswith("$")
            assert issue.message


@pytest.mark.slow
def test_fuzzing_at_full_strength() -> None:
    """Run with ``pytest -m slow``: every fuzz target in this file with 2,000 examples."""
    import subprocess
    import sys

    env = {**os.environ, "RCS_COMPOSER_FUZZ_EXAMPLES": FULL_EXAMPLES}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-m", "not slow", __file__],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]


CLI_FUZZ = settings(
    max_examples=max(EXAMPLES // 10, 50),
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)


@CLI_FUZZ
@given(hostile_texts())
def test_the_json_text_parser_reports_with_a_path_or_gives_data(text: str) -> None:
    try:
        parsed = codecs.parse_json_text(text.encode("utf-8", "surrogatepass"))
    except DecodeError as error:
        assert_clear(error)
        return
    json.dumps(parsed.data, allow_nan=False).encode("utf-8")  # writable back out as JSON text
    for duplicate in parsed.duplicates:
        assert duplicate.path.startswith("$") and duplicate.count >= 2


@CLI_FUZZ
@given(hostile_texts(), st.sampled_from(["validate", "message", "template", "draft"]))
def test_no_command_prints_a_traceback_for_any_file(
    capsys: pytest.CaptureFixture[str], text: str, command: str
) -> None:
    import tempfile

    from rcs_composer.cli import main

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "hostile.json")
        with open(path, "wb") as stream:
            stream.write(text.encode("utf-8", "surrogatepass"))
        argv = (
            ["validate", path] if command == "validate" else ["convert", path, "--format", command]
        )
        code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    out.encode("utf-8")
    if code == 2 or (code == 1 and command != "validate"):
        assert out == ""
        assert len(err.strip().splitlines()) == 1, err
    elif command != "validate":
        json.loads(out)
        assert "Infinity" not in out and "NaN" not in out
