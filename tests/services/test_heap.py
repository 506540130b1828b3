"""Pinning glibc's thresholds: where it applies, and a threshold the user set stays theirs.

What it is for, a window that does not keep a carousel's decoding buffers, is checked in
tests/gui/test_image_memory.py."""

from __future__ import annotations

import os
import sys

import pytest

from rcs_composer.services import heap

pin = heap.return_large_blocks.__wrapped__  # the work itself, not the once-per-process answer

on_glibc = pytest.mark.skipif(not heap._on_glibc(), reason="glibc only")


@on_glibc
def test_on_glibc_the_thresholds_are_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*heap.USER_SETTINGS, "GLIBC_TUNABLES"):
        monkeypatch.delenv(name, raising=False)
    assert pin() is True
    assert heap.return_large_blocks() is heap.return_large_blocks()  # once per process


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MALLOC_MMAP_THRESHOLD_", "65536"),
        ("MALLOC_TRIM_THRESHOLD_", "0"),
        ("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=65536"),
        ("GLIBC_TUNABLES", "glibc.elision.enable=1:glibc.malloc.trim_threshold=1"),
    ],
)
def test_a_threshold_the_user_set_is_left_alone(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    assert pin() is False


def test_other_tunables_do_not_count_as_the_users_threshold() -> None:
    assert not heap._user_tuned({"GLIBC_TUNABLES": "glibc.elision.enable=1"})


def test_nothing_is_done_off_glibc(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_name(name: str) -> str:
        raise ValueError(f"unrecognized configuration name: {name}")

    monkeypatch.setattr(os, "confstr", no_such_name)  # musl, for one
    assert pin() is False
    monkeypatch.undo()
    monkeypatch.setattr(sys, "platform", "darwin")
    assert pin() is False
