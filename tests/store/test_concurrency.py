"""Concurrent writers: threads sharing a store, threads with stores of their own, and two processes.

Every scan lands once, ids have no gaps, and the chain verifies end to end afterwards.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path

from assay.store import Store, open_store
from tests.store.factories import day, evaluation

PER_WRITER = 3


def write_scans(url: str, key_path: str, writer: int, start: threading.Barrier | None = None) -> None:
    store = open_store(url, key_path=Path(key_path))
    try:
        if start is not None:
            start.wait()
        for n in range(PER_WRITER):
            store.ingest(evaluation({"a": n % 2 == 0, f"w{writer}": False}, at=day(writer * 10 + n),
                                    scan_id=f"writer-{writer}-{n}"))
            # The same scan from every writer at once: stored exactly once.
            store.ingest(evaluation({"shared": True}, at=day(100), scan_id="shared"))
    finally:
        store.close()


def assert_consistent(store: Store, expected: int) -> None:
    scans = store.scans(limit=100)
    assert sorted(s.id for s in scans) == list(range(1, expected + 1))
    assert len({s.uuid for s in scans}) == expected
    report = store.verify()
    assert report.ok, report.problems
    assert report.checked == expected


def test_threads_share_one_store(store: Store, store_url: str, key_path: Path) -> None:
    store.signer  # noqa: B018 - the key exists before the threads race
    errors: list[BaseException] = []

    def run(writer: int) -> None:
        try:
            for n in range(PER_WRITER):
                store.ingest(evaluation({"a": True, f"t{writer}": n == 0}, at=day(writer * 10 + n),
                                        scan_id=f"thread-{writer}-{n}"))
                store.ingest(evaluation({"shared": True}, at=day(100), scan_id="shared"))
        except BaseException as exc:  # collected: a thread's failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert_consistent(store, 4 * PER_WRITER + 1)


def test_threads_with_stores_of_their_own(store: Store, store_url: str, key_path: Path) -> None:
    store.signer  # noqa: B018
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def run(writer: int) -> None:
        try:
            write_scans(store_url, str(key_path), writer, start)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert_consistent(store, 3 * PER_WRITER + 1)


def test_two_processes(store: Store, store_url: str, key_path: Path, opener: Callable[[], Store]) -> None:
    store.signer  # noqa: B018 - both processes sign with the same key
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=write_scans, args=(store_url, str(key_path), w)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert_consistent(opener(), 2 * PER_WRITER + 1)
