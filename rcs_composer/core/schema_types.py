"""Declarative field schemas that turn wire JSON into model objects and back, in either spelling."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from typing import Any, Generic, TypeVar

from rcs_composer.core.wire import Spelling, accepted_keys, child_path, wire_key

T = TypeVar("T")

JSON_TYPE_NAMES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}


def json_type_name(value: object) -> str:
    return JSON_TYPE_NAMES.get(type(value), type(value).__name__)


class DecodeError(ValueError):
    """A payload that does not have the shape of a Kaleyra body; ``path`` says where."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


class Converter(Generic[T]):
    def decode(self, value: object, path: str, spelling: Spelling) -> T:
        raise NotImplementedError

    def encode(self, value: T, spelling: Spelling) -> Any:
        raise NotImplementedError


class Text(Converter[str]):
    def decode(self, value: object, path: str, spelling: Spelling) -> str:
        if not isinstance(value, str):
            raise DecodeError(path, f"expected a string, found {json_type_name(value)}")
        return value

    def encode(self, value: str, spelling: Spelling) -> Any:
        return value


class Integer(Converter[int]):
    def decode(self, value: object, path: str, spelling: Spelling) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DecodeError(path, f"expected a whole number, found {json_type_name(value)}")
        return value

    def encode(self, value: int, spelling: Spelling) -> Any:
        return value


class Number(Converter[float]):
    def decode(self, value: object, path: str, spelling: Spelling) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise DecodeError(path, f"expected a number, found {json_type_name(value)}")
        return value

    def encode(self, value: float, spelling: Spelling) -> Any:
        return value


E = TypeVar("E", bound=StrEnum)


class Choice(Converter[E]):
    def __init__(self, enum: type[E]) -> None:
        self.enum = enum

    def decode(self, value: object, path: str, spelling: Spelling) -> E:
        if isinstance(value, str):
            try:
                return self.enum(value)
            except ValueError:
                pass
        allowed = ", ".join(member.value for member in self.enum)
        shown = repr(value) if isinstance(value, str) else json_type_name(value)
        raise DecodeError(path, f"{shown[:60]} is not one of {allowed}")

    def encode(self, value: E, spelling: Spelling) -> Any:
        return value.value


class ListOf(Converter[tuple[T, ...]]):
    def __init__(self, item: Converter[T]) -> None:
        self.item = item

    def decode(self, value: object, path: str, spelling: Spelling) -> tuple[T, ...]:
        if not isinstance(value, list):
            raise DecodeError(path, f"expected an array, found {json_type_name(value)}")
        return tuple(
            self.item.decode(element, child_path(path, index), spelling)
            for index, element in enumerate(value)
        )

    def encode(self, value: tuple[T, ...], spelling: Spelling) -> Any:
        return [self.item.encode(element, spelling) for element in value]


class Field:
    """One wire key of an object: the model attribute it fills and how its value converts."""

    __slots__ = ("attr", "converter", "keep_empty", "key")

    def __init__(
        self, attr: str, key: str, converter: Converter[Any], *, keep_empty: bool = False
    ) -> None:
        self.attr = attr
        self.key = key  # message (camelCase) spelling; the template's is in wire.TEMPLATE_KEYS
        self.converter = converter
        # Written even when the model holds an empty tuple (otherwise omitted like None).
        self.keep_empty = keep_empty


class Variant:
    """One member of a one-of group: the wire key that selects it and the object schema inside."""

    __slots__ = ("converter", "key", "model")

    def __init__(self, key: str, converter: Converter[Any], model: type | None = None) -> None:
        self.key = key
        self.converter = converter
        self.model = model  # the class the decoded value has, to choose it when encoding


class ObjectSchema(Converter[T]):
    """A JSON object that maps to a dataclass with an ``extras`` field for unknown keys.

    ``one_of`` names an attribute filled by exactly one of several wire keys (the action of a
    chip, the content of a message).
    """

    def __init__(
        self,
        model: Callable[..., T],
        fields: Sequence[Field],
        one_of: tuple[str, Sequence[Variant], bool] | None = None,
        extras_attr: str | None = "extras",
        trailing: Sequence[Field] = (),
        shape_hint: str = "",
    ) -> None:
        self.model = model
        self.fields = (*fields, *trailing)
        self.leading = tuple(fields)
        self.trailing = tuple(trailing)
        self.one_of = one_of
        self.extras_attr = extras_attr
        self.shape_hint = shape_hint  # said after "expected an object" when the value is not one

    def decode(self, value: object, path: str, spelling: Spelling) -> T:
        if not isinstance(value, dict):
            found = json_type_name(value)
            raise DecodeError(path, f"expected an object, found {found}{self.shape_hint}")
        known: set[str] = set()
        kwargs: dict[str, Any] = {}
        for spec in self.fields:
            for key in accepted_keys(spec.key, spelling):
                if key in value:
                    known.add(key)
                    raw = value[key]
                    if raw is None:
                        continue  # JSON null reads as absent
                    kwargs[spec.attr] = spec.converter.decode(raw, child_path(path, key), spelling)
                    break
        if self.one_of is not None:
            attr, variants, required = self.one_of
            present = [
                (variant, key)
                for variant in variants
                for key in accepted_keys(variant.key, spelling)
                if key in value
            ]
            if len(present) > 1:
                names = ", ".join(key for _, key in present)
                raise DecodeError(path, f"has {names}; exactly one of them is allowed")
            if present:
                variant, key = present[0]
                known.add(key)
                kwargs[attr] = variant.converter.decode(value[key], child_path(path, key), spelling)
            elif required:
                names = ", ".join(wire_key(variant.key, spelling) for variant in variants)
                raise DecodeError(path, f"needs one of {names}")
        if self.extras_attr is not None:
            kwargs[self.extras_attr] = {k: v for k, v in value.items() if k not in known}
        return self.model(**kwargs)

    def encode(self, value: T, spelling: Spelling) -> Any:
        out: dict[str, Any] = {}
        self._encode_fields(value, self.leading, spelling, out)
        if self.one_of is not None:
            attr, variants, _ = self.one_of
            chosen = getattr(value, attr)
            if chosen is not None:
                variant = next(
                    v for v in variants if v.model is None or isinstance(chosen, v.model)
                )
                out[wire_key(variant.key, spelling)] = variant.converter.encode(chosen, spelling)
        self._encode_fields(value, self.trailing, spelling, out)
        if self.extras_attr is not None:
            extras: Mapping[str, Any] = getattr(value, self.extras_attr)
            for key, item in extras.items():
                out.setdefault(key, item)
        return out

    @staticmethod
    def _encode_fields(
        value: object, fields: Sequence[Field], spelling: Spelling, out: dict[str, Any]
    ) -> None:
        for spec in fields:
            item = getattr(value, spec.attr)
            if item is None or (item == () and not spec.keep_empty):
                continue
            out[wire_key(spec.key, spelling)] = spec.converter.encode(item, spelling)
