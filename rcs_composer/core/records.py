"""Records of core that cost little to define: shared methods instead of generated ones."""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from operator import attrgetter
from typing import Any


class _Plan:
    """Which fields a class's ==, hash() and repr() read, found once per class."""

    __slots__ = ("compared", "hashed", "shown")

    def __init__(self, cls: type) -> None:
        import dataclasses  # loaded already: cls is a dataclass

        fields = dataclasses.fields(cls)
        self.compared = _getter([f.name for f in fields if f.compare])
        self.hashed = _getter([f.name for f in fields if f.hash or (f.hash is None and f.compare)])
        self.shown = tuple(f.name for f in fields if f.repr)


_PLANS: dict[type, _Plan] = {}


def _getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda value: (one(value),)
    return lambda value: ()


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


class Record:
    """Base of a ``@dataclass(frozen=True, eq=False, repr=False)``: the ``==``, ``hash()`` and
    ``repr()`` that ``@dataclass(frozen=True)`` would generate, the same for every class.

    On Python 3.11 a dataclass compiles each method it generates with its own ``exec``, about
    50 us each at import; these three, written once here, halve what a model class costs.
    tests/core/test_records.py holds them to what the generated methods do.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            compared = (_PLANS.get(self.__class__) or _plan(self.__class__)).compared
            return bool(compared(self) == compared(other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash((_PLANS.get(self.__class__) or _plan(self.__class__)).hashed(self))

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _plan(type(self)).shown)
        return f"{self.__class__.__qualname__}({shown})"
