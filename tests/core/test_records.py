"""The frozen dataclasses of core behave exactly as ``@dataclass(frozen=True)`` makes them.

Their ``==``, ``hash()`` and ``repr()`` come from ``core.records.Record`` instead of being
generated per class; each is compared here with the generated one of a twin class that has the
same name and fields.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcs_composer.cli.main import Desktop
from rcs_composer.core import codecs, field_paths, issues, keys, rules, urls
from rcs_composer.core import model as m
from rcs_composer.core.field_paths import Index, Key
from rcs_composer.core.records import Record
from tests.core.strategies import drafts

MODEL_CLASSES = [
    cls
    for _, cls in inspect.getmembers(m, inspect.isclass)
    if dataclasses.is_dataclass(cls) and cls.__module__ == m.__name__
]
OTHER_CLASSES = [issues.Issue, field_paths.FieldPath]
_TWINS: dict[type, type] = {}


def twin(cls: type) -> type:
    """The same fields in a class ``@dataclass(frozen=True)`` generates every method of."""
    if cls not in _TWINS:
        fields = [
            (f.name, Any, dataclasses.field(default=f.default, default_factory=f.default_factory))
            for f in dataclasses.fields(cls)
        ]
        made = dataclasses.make_dataclass(cls.__name__, fields, frozen=True)
        made.__qualname__ = cls.__qualname__
        _TWINS[cls] = made
    return _TWINS[cls]


def as_twin(value: Any) -> Any:
    """``value`` with every Record in it (tuples, dicts and lists too) made of twin classes."""
    if isinstance(value, Record):
        values = {f.name: as_twin(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return twin(type(value))(**values)
    if isinstance(value, tuple):
        items = [as_twin(item) for item in value]
        return tuple(items) if type(value) is tuple else type(value)(*items)  # Key, Index
    if isinstance(value, list):
        return [as_twin(item) for item in value]
    if isinstance(value, dict):
        return {key: as_twin(item) for key, item in value.items()}
    return value


def hash_or_error(value: Any) -> object:
    try:
        return hash(value)
    except TypeError as exc:
        return type(exc)


def test_every_model_class_is_a_frozen_dataclass_with_the_shared_methods() -> None:
    assert len(MODEL_CLASSES) == 19
    for cls in [*MODEL_CLASSES, *OTHER_CLASSES]:
        assert issubclass(cls, Record), cls
        assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
        # Each has its own docstring: dataclass would otherwise build one with inspect.
        assert cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("), cls


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_a_default_model_object_compares_hashes_and_shows_as_generated(cls: type) -> None:
    required = {"suggestion": m.Reply()} if cls is m.SuggestionSlot else {}
    made = cls(**required)
    mine, theirs = made, as_twin(made)
    assert repr(mine) == repr(theirs)
    assert mine == cls(**required) and theirs == as_twin(cls(**required))
    assert hash_or_error(mine) == hash_or_error(theirs)
    assert mine != theirs and theirs != mine  # another class, even with the same fields
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.extras = {}  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.extras  # type: ignore[misc]


@settings(max_examples=200, deadline=None)
@given(first=drafts, second=drafts)
def test_drafts_compare_hash_and_show_as_generated_dataclasses_would(
    first: m.Draft, second: m.Draft
) -> None:
    mine, theirs = (first, second), (as_twin(first), as_twin(second))
    assert repr(mine) == repr(theirs)
    assert (first == second) == (theirs[0] == theirs[1])
    assert first == dataclasses.replace(first) and first is not dataclasses.replace(first)
    for part in (first, first.message, first.message.content, *first.message.chips):
        assert hash_or_error(part) == hash_or_error(as_twin(part))


@given(
    text=st.text(max_size=20),
    number=st.none() | st.floats(allow_nan=True),
    other=st.none() | st.floats(allow_nan=True),
)
def test_hashable_fields_give_the_generated_hash_and_equality(
    text: str, number: float | None, other: float | None
) -> None:
    one = m.LatLong(latitude=number, longitude=other, extras={})
    two = m.LatLong(latitude=number, longitude=other, extras={})
    assert (one == two) == (as_twin(one) == as_twin(two))  # NaN: equal only when the same object
    chip = m.Reply(text=text)
    assert hash_or_error(chip) is hash_or_error(as_twin(chip)) is TypeError  # extras: a dict
    path = field_paths.ROOT.join("richCardCarousel", "cardContents", 0, "title")
    assert hash(path) == hash(as_twin(path)) and repr(path) == repr(as_twin(path))


def test_the_other_records_behave_as_generated_ones() -> None:
    issue = issues.Issue(issues.Severity.ERROR, "$.text", "text.empty", "Empty.", "seed 000")
    assert repr(issue) == repr(as_twin(issue))
    assert issue == dataclasses.replace(issue)
    assert hash_or_error(issue) == hash_or_error(as_twin(issue))
    assert hash(issue) == hash(dataclasses.replace(issue))
    assert issue != dataclasses.replace(issue, path="$.other")
    assert {issue, dataclasses.replace(issue)} == {issue}


def test_a_record_that_holds_itself_shows_three_dots_as_a_generated_one_does() -> None:
    looped = m.Dial(extras={})
    looped.extras["self"] = looped  # type: ignore[index]
    reference = twin(m.Dial)(phone_number=None, extras={})
    reference.extras["self"] = reference
    assert repr(looped) == repr(reference) == "Dial(phone_number=None, extras={'self': ...})"


ISSUE = issues.Issue(issues.Severity.ERROR, "$.text", "text.empty", "Empty.", "seed 000")
RESULTS = [  # core's results and private records: Records too
    codecs.Document(codecs.Format.MESSAGE, m.Draft()),
    codecs.ParsedText({"text": "hi"}, (codecs.Duplicate("$", "text", 2),)),
    codecs.Duplicate("$", "text", 2),
    codecs.Dropped("$.from", "a template body carries no envelope"),
    keys.UnknownKey("$.titel", "titel", "title"),
    urls.UrlFinding("url.host.missing", {"value": "'https://'"}),
    rules.RULES["text.too_long"],
    field_paths.IssueGroup((ISSUE, ISSUE), "Card 1-2 > Title"),
]


@pytest.mark.parametrize("value", RESULTS, ids=lambda value: type(value).__name__)
def test_the_results_behave_as_generated_ones_and_are_set_once(value: Record) -> None:
    assert repr(value) == repr(as_twin(value))
    assert hash_or_error(value) == hash_or_error(as_twin(value))
    same = dataclasses.replace(value)
    assert same == value and same is not value and value != object()
    first = dataclasses.fields(value)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, first, getattr(value, first))
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(value, first)


def test_the_desktop_hooks_hold_what_they_are_given() -> None:
    def open_window(exit_after_show: bool) -> int:
        return 0

    desktop = Desktop(open_window=open_window, render=print)  # type: ignore[arg-type]
    assert desktop.open_window is open_window and desktop.render is print
    assert desktop.cut_finder is None
    with pytest.raises(AttributeError):
        desktop.other = 1  # type: ignore[attr-defined]


def test_path_steps_are_the_one_item_tuples_they_were() -> None:
    assert Key("title") == ("title",) and Index(2) == (2,) and Key(name="a") == Key("a")
    assert Key("title").name == "title" and Index(number=2).number == 2 == Index(2)[0]
    assert hash(Key("title")) == hash(("title",)) and Key("0") != Index(0)
    assert repr(Key("title")) == "Key(name='title')" and repr(Index(2)) == "Index(number=2)"
    assert isinstance(Key("a"), tuple) and len(Index(0)) == 1
    with pytest.raises(AttributeError):
        Key("a").name = "b"  # type: ignore[misc]
    path = field_paths.ROOT.join("richCardCarousel", "cardContents", 2, "title")
    for made in (copy.copy(path), copy.deepcopy(path), pickle.loads(pickle.dumps(path))):
        assert made == path and made.steps[2].number == 2
        assert made.steps == (Key("richCardCarousel"), Key("cardContents"), Index(2), Key("title"))


@pytest.mark.parametrize("value", RESULTS, ids=lambda value: type(value).__name__)
def test_a_result_survives_copy_and_pickle(value: Record) -> None:
    assert copy.copy(value) == value == copy.deepcopy(value)
    assert pickle.loads(pickle.dumps(value)) == value


def test_a_model_object_survives_copy_and_pickle() -> None:
    card = m.CardContent(title="Hi", media=m.Media(m.MediaHeight.TALL, m.FileRef("https://x")))
    message = m.Message(content=m.RichCard(content=card), chips=(m.SuggestionSlot(m.Reply("a")),))
    for made in (copy.copy(message), copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert made == message and repr(made) == repr(message)


def test_a_struct_shows_and_matches_its_fields_in_the_order_it_takes_them() -> None:
    duplicate = codecs.Duplicate("$", "text", 2)
    assert repr(duplicate) == "Duplicate(path='$', key='text', count=2)"
    match duplicate:
        case codecs.Duplicate(path, key, count):
            assert (path, key, count) == ("$", "text", 2)
        case _:
            pytest.fail("a Duplicate did not match its own pattern")
