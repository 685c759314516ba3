"""The Type II view on hand-built scan sequences with known figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from assay.errors import UsageError
from assay.store import Store
from tests.store.factories import CONTROL, T0, day, evaluation


def test_figures_and_cadence_gaps(store: Store) -> None:
    # key a: fail, fail, unreadable (carried forward: a stale failure), pass, fail, and after 3 days, fail
    for at, rotation in ((0, False), (1, False), (2, None), (3, True), (4, False), (7, False)):
        store.ingest(evaluation({"a": rotation}, at=day(at)))
    store.ingest(evaluation({"a": True}, at=day(30)))  # outside the window
    view = store.type2(T0, T0 + day(7) + timedelta(hours=1), max_gap=timedelta(days=2))
    assert [s.id for s in view.scans] == [1, 2, 3, 4, 5, 6]
    c = {i.id: i for i in view.controls}[CONTROL]
    assert (c.scans, c.passing, c.failing, c.unknown) == (6, 1, 5, 0)
    assert c.pass_share == pytest.approx(1 / 6, abs=1e-4)
    assert (c.first_failure, c.last_failure) == (T0, T0 + day(7))
    assert c.longest_failing_streak is not None
    assert (c.longest_failing_streak.scans, c.longest_failing_streak.start, c.longest_failing_streak.end) == (
        3, T0, T0 + day(2))
    assert (c.remediations, c.mean_hours_to_remediate, c.max_hours_to_remediate) == (1, 72.0, 72.0)
    assert c.failing_at_end
    crit = {i.id: i for i in view.criteria}["CC6.1"]
    assert (crit.passing, crit.failing, crit.failing_at_end) == (1, 5, True)
    assert "CC1.1" not in {i.id for i in view.criteria}  # manual criteria are attested, not scanned
    assert [(g.between, g.hours) for g in view.gaps] == [((5, 6), 72.0)]


def test_an_error_does_not_end_a_failing_streak(store: Store) -> None:
    store.ingest(evaluation({"a": False}))
    store.ingest(evaluation({"b": None}, at=day(1)))  # a is gone, b unreadable: the control's state is unknown
    store.ingest(evaluation({"a": False, "b": True}, at=day(2)))
    store.ingest(evaluation({"a": True, "b": True}, at=day(3)))
    c = {i.id: i for i in store.type2(T0, T0 + day(3), max_gap=timedelta(days=2)).controls}[CONTROL]
    assert (c.scans, c.passing, c.failing, c.unknown) == (4, 1, 2, 1)
    assert c.longest_failing_streak is not None and c.longest_failing_streak.scans == 3
    assert (c.remediations, c.mean_hours_to_remediate, c.failing_at_end) == (1, 72.0, False)


def test_edges_of_the_window_count_as_gaps(store: Store) -> None:
    store.ingest(evaluation({"a": True}, at=day(5)))
    view = store.type2(T0, T0 + day(10), max_gap=timedelta(days=2))
    assert [(g.between, g.hours) for g in view.gaps] == [((None, 1), 120.0), ((1, None), 120.0)]
    c = view.controls[0]
    assert (c.pass_share, c.first_failure, c.longest_failing_streak, c.mean_hours_to_remediate) == (1.0, None,
                                                                                                    None, None)
    empty = store.type2(T0 + day(20), T0 + day(21), max_gap=timedelta(days=2))
    assert (empty.scans, empty.controls, empty.gaps) == ([], [], [])
    whole = store.type2(T0 + day(20), T0 + day(23), max_gap=timedelta(days=2))
    assert [g.between for g in whole.gaps] == [(None, None)]


def test_bad_windows(store: Store) -> None:
    with pytest.raises(UsageError, match="ends before"):
        store.type2(T0 + day(1), T0)
    with pytest.raises(UsageError, match="timezone"):
        store.type2(T0.replace(tzinfo=None), T0 + day(1))
