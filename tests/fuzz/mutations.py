"""Hypothesis strategies for hostile input: arbitrary JSON and mutated valid Kaleyra payloads."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

FIXTURES = Path(__file__).parent.parent / "fixtures"
SEED_PAYLOADS = [json.loads(path.read_text()) for path in sorted(FIXTURES.glob("seed*.json"))]

# Text that breaks naive code: RTL marks, combining marks, emoji with joiners, NUL, surrogates'
# neighbours, and the {{ }} of variables.
ODD_TEXT = st.sampled_from(
    [
        "\u202eevil\u202c",
        "مرحبا بالعالم",
        "e\u0301\u0301\u0301",
        "👩‍👩‍👧‍👦🇮🇳",
        "\x00",
        "a\x00b",
        "\ufeff",
        "{{",
        "{{}}",
        "{{ name }}",
        "{{{{x}}}}",
        "{{na me}}",
        "}}{{",
        "\ud83d",  # lone surrogates: not text, cannot be written as UTF-8
        "a\udc00b",
        "\x1b[2J\x07",
        "https://",
        "https://e.in/a b",
        "+1800FLOWERS",
        "2026-12-05t10:30:00z",
        "",
        " ",
        "\n\t",
        "𝕏" * 300,
    ]
)
texts = st.text(max_size=40) | ODD_TEXT
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([float("inf"), float("-inf"), float("nan"), 10**400])  # 1e400 and kin
    | texts
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20,
)
KNOWN_KEYS = sorted(
    {
        key
        for payload in SEED_PAYLOADS
        for key in json.dumps(payload).split('"')[1::2]
        if key.isidentifier()
    }
)
# Objects whose keys are mostly ones the importer knows, so the fuzzing reaches deep code.
known_objects = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(KNOWN_KEYS), inner, max_size=5)
    ),
    max_leaves=25,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _deeply_nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"content": value}
    return value


REPLACEMENTS = st.one_of(
    json_values,
    st.just("x" * 300_000),
    st.just(None),
    st.just([]),
    st.just({}),
    st.integers(min_value=40, max_value=200).map(_deeply_nested),
    ODD_TEXT,
)


@st.composite
def mutated_payloads(draw: st.DrawFn) -> Any:
    """A seed payload with one to three of: a key deleted, a value replaced, a key added."""
    payload = copy.deepcopy(draw(st.sampled_from(SEED_PAYLOADS)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(payload)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = payload
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["delete", "replace", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = draw(REPLACEMENTS)
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KNOWN_KEYS))] = draw(REPLACEMENTS)
    return payload


hostile_documents = st.one_of(json_values, known_objects, mutated_payloads())


# Changes to the JSON text itself, which parsed data cannot show: repeated keys, raw control
# characters, escapes of lone surrogates, numbers past float range.
TEXT_CHANGES = [
    ("{", '{"text": "first", '),  # a duplicate of a key most bodies have
    ('{"', '{"from": "a", "from": "b", "'),
    ('"', '"\x07'),
    ('"', '"\x00'),
    ('"', '"\\ud83d'),
    ('"', '"\\udfff\\ud800'),
    (": 0", ": 1e400"),
    (": 1", ": -1e400"),
    ('":', '\\u0000":'),
    ("[", "[1e999, "),
]


@st.composite
def hostile_texts(draw: st.DrawFn) -> str:
    """The JSON text of a hostile document with one to three text-level changes."""
    text = json.dumps(draw(hostile_documents), ensure_ascii=False)
    for _ in range(draw(st.integers(1, 3))):
        old, new = draw(st.sampled_from(TEXT_CHANGES))
        places = [i for i in range(len(text)) if text.startswith(old, i)]
        if places:
            at = draw(st.sampled_from(places))
            text = text[:at] + new + text[at + len(old) :]
    return text
