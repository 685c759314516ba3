"""Pause Python's cyclic garbage collector while building or judging a large inventory.

Loading and evaluating allocate millions of small acyclic objects (resources, findings). Each
allocation burst triggers a full collection that walks every live object, so collection time grows
with the square of the estate: at 50,000 resources it was three quarters of evaluation time. These
objects hold no reference cycles, so reference counting frees them all the same; the collector is
only paused, and runs again once the work is done.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

FREEZE_ABOVE = 200_000  # objects made under the pause: about what 20,000 resources or findings make


@contextmanager
def paused() -> Iterator[None]:
    """Pause the collector; when the work made a great many objects, they are frozen (gc.freeze())
    before the collector runs again.

    Otherwise the first collection after the pause would walk every object the work made (millions of
    resources or findings, seconds of work) only to find no cycle. Frozen objects are still freed by
    reference counting as usual; they are only never searched for cycles. Small work (a web request,
    a test) is left to the collector, so that a long-running process freezes nothing it does not have to.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] > FREEZE_ABOVE:
                gc.freeze()
            gc.enable()



F = TypeVar("F", bound=Callable[..., Any])


def gc_paused(func: F) -> F:
    """Run `func` with the collector paused (see paused())."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with paused():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
