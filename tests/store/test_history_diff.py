"""History (pass rates per scan, criterion and category) and diff (findings by category, criteria)."""

from __future__ import annotations

import html5lib
import pytest

from assay.errors import UsageError
from assay.store import Store
from assay.store.render import diff_html
from tests.store.factories import day, evaluation, key


def test_history_rates(store: Store) -> None:
    store.ingest(evaluation({"a": True, "b": False, "c": True, "d": None}))
    store.ingest(evaluation({"a": True, "b": True, "c": True}, at=day(1)))
    newest, oldest = store.history()
    assert (newest.scan.id, oldest.scan.id) == (2, 1)
    assert oldest.pass_rate == 50.0 and newest.pass_rate == 100.0
    assert oldest.criteria["CC6.1"].status == "fail" and oldest.criteria["CC6.1"].pass_rate == 50.0
    assert newest.criteria["CC6.1"].status == "pass"
    assert oldest.criteria["CC1.1"].status == "manual" and oldest.criteria["CC1.1"].pass_rate is None
    sec_old, sec_new = oldest.categories["security"], newest.categories["security"]
    assert (sec_old.passing, sec_new.passing) == (0, 1)  # CC6.1 is the only automated criterion with findings
    assert sec_old.evaluated == sec_new.evaluated == 1
    assert len(store.history(limit=1)) == 1


def changes(store: Store, old: int | None = None, new: int | None = None) -> dict[str, set[tuple[str, str]]]:
    d = store.diff(old, new)
    return {attr: {(c.resource_name, f"{c.old_status}>{c.new_status}") for c in getattr(d, attr)}
            for attr in ("new_findings", "regressed", "resolved", "still_failing", "not_evaluated")}


def test_diff_categories(store: Store) -> None:
    store.ingest(evaluation({"keep-failing": False, "fixed": False, "deleted": False, "broke": True,
                             "unreadable": False, "steady": True}))
    asym = key("fixed", None, spec="RSA_2048")  # no longer applicable: resolved as well
    store.ingest(evaluation([key("keep-failing", False), asym, key("broke", False), key("unreadable", None),
                             key("steady", True), key("brand-new", False)], at=day(1)))
    assert changes(store) == {
        "new_findings": {("brand-new", "None>fail")},
        "regressed": {("broke", "pass>fail")},
        "resolved": {("fixed", "fail>skip"), ("deleted", "fail>None")},
        # carry-forward stored the unreadable failure as a stale failure: still failing, never resolved
        "still_failing": {("keep-failing", "fail>fail"), ("unreadable", "fail>fail")},
        "not_evaluated": set(),
    }
    d = store.diff()
    assert [c.stale for c in d.still_failing if c.resource_name == "unreadable"] == [True]
    assert d.counts()["new"] == 1
    assert [(c.id, c.old_status, c.new_status) for c in d.criteria if c.changed] == []


def test_diff_of_non_consecutive_scans_keeps_unknown_apart(store: Store) -> None:
    store.ingest(evaluation({"a": False, "b": True}))
    store.ingest(evaluation({"a": True, "b": True}, at=day(1)))  # a fixed
    store.ingest(evaluation({"a": None, "b": True}, at=day(2)))  # a unreadable: was passing, so an error
    assert changes(store, 1, 3)["not_evaluated"] == {("a", "fail>error")}
    assert changes(store, 1, 3)["resolved"] == set()


def test_partial_scan_resolves_nothing_it_did_not_see(store: Store) -> None:
    store.ingest(evaluation({"a": False, "b": False}))
    store.ingest(evaluation({"a": False}, at=day(1), complete=False))
    c = changes(store, 1, 2)
    assert c["resolved"] == set() and c["still_failing"] == {("a", "fail>fail"), ("b", "fail>fail")}


def test_diff_defaults_and_errors(store: Store) -> None:
    with pytest.raises(UsageError, match="two complete scans"):
        store.diff()
    store.ingest(evaluation({"a": False}))
    store.ingest(evaluation({"a": False}, at=day(1), complete=False))
    with pytest.raises(UsageError, match="1 complete"):
        store.diff()
    store.ingest(evaluation({"a": True}, at=day(2)))
    d = store.diff()
    assert (d.old.id, d.new.id) == (1, 3)  # the last two complete scans: the partial one is skipped
    assert (store.diff(2).old.id, store.diff(2).new.id) == (2, 3)
    assert (store.diff(None, 2).old.id, store.diff(None, 2).new.id) == (1, 2)
    with pytest.raises(UsageError, match="no scan #7"):
        store.diff(1, 7)
    with pytest.raises(UsageError, match="two different"):
        store.diff(3, 3)


def test_diff_html_escapes_everything(store: Store) -> None:
    evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>{{7*7}}'
    store.ingest(evaluation({"a": True}))
    store.ingest(evaluation([key("a", True), key("b", False, display=evil)], at=day(1)))
    page = diff_html(store.diff())
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    assert doc.findall(".//script") == [] and doc.findall(".//img") == []
    assert not [el for el in doc.iter() if any(a.startswith("on") for a in el.attrib)]
    assert "{{7*7}}" in page and "&lt;script&gt;" in page
