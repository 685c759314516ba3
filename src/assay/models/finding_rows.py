"""Findings kept as compact rows and made into Finding objects only when read.

An estate of a million resources gives some five million findings. As pydantic objects they would
take about 700 bytes each, several gigabytes for one evaluation; most of what they hold (titles,
criteria, ARNs, names) is already held once by the controls and the resources. A row keeps only
references to those, the verdict, the message and the id, about a third of that; reading a finding
builds it (Finding.trusted) and lets it go again, so a report streams through millions of them in
flat memory. Counts and rollups read the rows directly (tally()), without building findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple, overload

from assay.models.base import Resource
from assay.models.findings import Finding, Severity, Status


class ControlMeta(NamedTuple):
    """What every finding of one control shares."""

    id: str
    title: str
    severity: Severity
    criteria: list[str]


class Row(NamedTuple):
    subject: Resource
    control: ControlMeta
    status: Status
    message: str
    id: str
    resource_type: str | None = None  # when the subject stands for something else (a scope, a lost resource)

    def sort_key(self) -> tuple[str, str, str, str, str]:
        """Findings are sorted by (control, account, region, resource ARN, id)."""
        s = self.subject
        return self.control.id, s.account_id, s.region, s.arn, self.id


def finding(row: Row) -> Finding:
    s, c = row.subject, row.control
    return Finding.trusted(  # field order, as validation would store them
        id=row.id, control_id=c.id, title=c.title, severity=c.severity, status=row.status,
        resource_arn=s.arn, resource_id=s.id, resource_name=s.display_name,
        resource_type=row.resource_type or s.type, region=s.region, account_id=s.account_id,
        message=row.message, criteria=c.criteria,
    )


class FindingRows(Sequence[Finding]):
    """A read-only sequence of findings over rows; each item is built when it is read."""

    __slots__ = ("_rows",)

    def __init__(self, rows: list[Row]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return [finding(r) for r in self._rows[index]]
        return finding(self._rows[index])

    def __iter__(self) -> Iterator[Finding]:
        for row in self._rows:
            yield finding(row)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FindingRows({len(self._rows)} findings)"

    def tally(self) -> Iterator[tuple[str, str, Status, bool]]:
        """(control id, account id, status, excepted) of each finding, without building it (rows carry no
        exception: those are attached to Finding objects)."""
        for row in self._rows:
            yield row.control.id, row.subject.account_id, row.status, False


def status_counts(findings: Iterable[Finding]) -> Counter[tuple[str, Status, bool]]:
    """How many findings have each (control id, status, excepted), counted from rows without building
    a Finding when they are rows."""
    if isinstance(findings, FindingRows):
        out: Counter[tuple[str, Status, bool]] = Counter()
        # Rows come grouped by control: each group's statuses are counted at C speed.
        for meta, rows in groupby(findings._rows, key=_CONTROL):
            for status, n in Counter(map(_STATUS, rows)).items():
                out[(meta.id, status, False)] += n
        return out
    return Counter((f.control_id, f.status, f.excepted) for f in findings)


_CONTROL, _STATUS = itemgetter(1), itemgetter(2)  # Row.control, Row.status


def tally(findings: Iterable[Finding]) -> Iterator[tuple[str, str, Status, bool]]:
    """(control id, account id, status, excepted) of each finding, from rows when they are rows."""
    if isinstance(findings, FindingRows):
        return findings.tally()
    return ((f.control_id, f.account_id, f.status, f.excepted) for f in findings)
