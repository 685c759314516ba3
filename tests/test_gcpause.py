"""The collector pause: objects made under it are freed as usual, and only large work is frozen."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from assay.gcpause import FREEZE_ABOVE, paused


class Node:
    def __init__(self, n: int) -> None:
        self.n = n


@pytest.fixture(autouse=True)
def thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_small_work_is_left_to_the_collector() -> None:
    with paused():
        assert not gc.isenabled()
        kept = [Node(n) for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    assert len(kept) == 1000


def test_large_work_is_frozen_and_still_freed_by_reference_counting() -> None:
    with paused():
        made = [Node(n) for n in range(FREEZE_ABOVE + 10_000)]
        probe = weakref.ref(made[-1])
    assert gc.isenabled()
    assert gc.get_freeze_count() > FREEZE_ABOVE
    del made
    assert probe() is None  # acyclic: freed at once, frozen or not


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
