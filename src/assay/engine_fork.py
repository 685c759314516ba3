"""Judging controls in several processes: the evaluation of a large estate on every core.

Controls are independent of one another, so they are split into groups of about equal cost (the
resources each is run on) and each group is judged in a process forked from this one. A fork shares
the inventory as it is, without copying or pickling it. A child sends back its findings compactly:
the inventory resource each is about (by identity, which a fork preserves), a status code, an index
into a table of distinct messages, and the ids; this process rebuilds the rows around its own
resources. The first group is judged here while the children work.

A child that fails or dies costs only time: its group is judged again here, so the findings are the
same in every case. Small inventories are judged in this process alone (forking costs more than it
saves), and so is everything where fork is not available.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
from array import array
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from assay.models.finding_rows import ControlMeta, Row
from assay.models.findings import Status

if TYPE_CHECKING:
    from assay.controls.registry import Control
    from assay.engine import _Scope

MIN_WEIGHT = 150_000  # resources judged (summed over controls) below which one process is faster
ID_LENGTH = 24  # a finding id's length (engine._Ids)
STATUSES = list(Status)
_new_row = tuple.__new__

Judge = Callable[["Control", "_Scope"], list[Row]]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run(ordered: list[Control], scope: _Scope, judge: Judge, workers: int | None) -> list[list[Row]]:
    """judge(control, scope) for every control, in order; in `workers` processes when worth it."""
    from assay.engine import weight

    weights = [weight(c, scope.inv) + 1 for c in ordered]
    if workers is None:
        workers = default_workers() if sum(weights) >= MIN_WEIGHT else 1
    if workers <= 1 or len(ordered) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [judge(c, scope) for c in ordered]
    groups = _split(weights, min(workers, len(ordered)))
    by_identity = {id(r): r for r in scope.inv.resources()}
    context = multiprocessing.get_context("fork")
    children: list[tuple[list[int], Any, Connection]] = []
    for group in groups[1:]:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(group, ordered, scope, judge, by_identity, sender), daemon=True)
        child.start()
        sender.close()
        children.append((group, child, receiver))
    out: list[list[Row] | None] = [None] * len(ordered)
    for n in groups[0]:
        out[n] = judge(ordered[n], scope)
    for group, child, receiver in children:
        blocks = _receive(receiver, child)
        for n in group:
            control = ordered[n]
            block = blocks.get(n) if blocks is not None else None
            out[n] = (_decode(block, scope.meta(control), by_identity) if block is not None
                      else judge(control, scope))  # the child failed: judged here instead
    return [block if block is not None else [] for block in out]


def _split(weights: list[int], parts: int) -> list[list[int]]:
    """Control indexes in `parts` groups of about equal weight (heaviest first, to the lightest group).
    The first group, judged in this process, also rebuilds the others' rows: it is given a little less."""
    loads = [0.0] * parts
    loads[0] = sum(weights) * 0.08 / parts
    groups: list[list[int]] = [[] for _ in range(parts)]
    for n in sorted(range(len(weights)), key=lambda i: -weights[i]):
        lightest = min(range(parts), key=lambda g: loads[g])
        groups[lightest].append(n)
        loads[lightest] += weights[n]
    return [sorted(g) for g in groups]


def _child(group: list[int], ordered: list[Control], scope: _Scope, judge: Judge,
           by_identity: dict[int, Any], sender: Connection) -> None:
    try:
        blocks = {n: _encode(judge(ordered[n], scope), by_identity) for n in group}
        sender.send_bytes(pickle.dumps(blocks, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException as exc:  # reported as a failed child: the parent judges the group itself
        sender.send_bytes(pickle.dumps(f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()
        sys.stdout.flush()
        os._exit(0)  # no interpreter teardown: the inventory's millions of objects need no freeing here


def _receive(receiver: Connection, child: Any) -> dict[int, Any] | None:
    try:
        data = receiver.recv_bytes()
    except (EOFError, OSError):
        data = b""
    finally:
        receiver.close()
        child.join()
    if not data:
        return None
    blocks = pickle.loads(data)
    return blocks if isinstance(blocks, dict) else None


def _encode(rows: list[Row], by_identity: dict[int, Any]) -> tuple[Any, ...]:
    """(subjects, statuses, message indexes, messages, ids, others): `others` holds, by position, the
    rows about something outside the inventory (a lost resource, a listing) or with a type of their own."""
    subjects = array("q")
    statuses = bytearray()
    message_index: dict[str, int] = {}
    indexes = array("I")
    ids: list[str] = []
    others: dict[int, tuple[Any, str | None]] = {}
    for n, row in enumerate(rows):
        subject = row.subject
        if id(subject) in by_identity and row.resource_type is None:
            subjects.append(id(subject))
        else:
            subjects.append(0)
            others[n] = (subject, row.resource_type)
        statuses.append(STATUSES.index(row.status))
        indexes.append(message_index.setdefault(row.message, len(message_index)))
        ids.append(row.id)
    fixed = all(len(fid) == ID_LENGTH for fid in ids)  # then one string, sliced on arrival
    return subjects, bytes(statuses), indexes, list(message_index), "".join(ids) if fixed else ids, others


def _decode(block: tuple[Any, ...], meta: ControlMeta, by_identity: dict[int, Any]) -> list[Row]:
    subjects, statuses, indexes, messages, ids, others = block
    status_of = STATUSES
    rows: list[Row] = []
    append = rows.append
    joined = isinstance(ids, str)
    for n, key in enumerate(subjects):
        fid = ids[n * ID_LENGTH:(n + 1) * ID_LENGTH] if joined else ids[n]
        if key:
            append(_new_row(Row, (by_identity[key], meta, status_of[statuses[n]], messages[indexes[n]], fid, None)))
        else:
            subject, resource_type = others[n]
            append(_new_row(Row, (subject, meta, status_of[statuses[n]], messages[indexes[n]], fid, resource_type)))
    return rows
