"""Findings kept as compact rows and made into Finding objects only when read.

An estate of a million resources gives some five million findings. As pydantic objects they would
take about 700 bytes each, several gigabytes for one evaluation; most of what they hold (titles,
criteria, ARNs, names) is already held once by the controls and the resources. A row keeps only
references to those, the verdict and the message, about a fifth of that; reading a finding builds it
(Finding.trusted), its id included, and lets it go again, so a report streams through millions of them
in flat memory. Counts and rollups read the rows directly (tally()), without building findings or ids.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Final, NamedTuple, overload

from assay.models.base import Resource
from assay.models.findings import Finding, Severity, Status, finding_id


class ControlMeta(NamedTuple):
    """What every finding of one control shares."""

    id: str
    title: str
    severity: Severity
    criteria: list[str]


class Extra(NamedTuple):
    """What a row for a lost resource or a failed listing adds: the subject stands for something else."""

    key: str  # the resource key its id is made of (the ARN, or "scope:<region>" for a listing)
    resource_type: str


# (subject, control, status, message, extra): a plain tuple, built by the engine as a tuple display
# (no constructor call) since it makes one per finding; extra is None for a resource judged as itself.
Row = tuple[Resource, ControlMeta, Status, str, Extra | None]
SUBJECT: Final = 0
CONTROL: Final = 1
STATUS: Final = 2
MESSAGE: Final = 3
EXTRA: Final = 4


def row_id(row: Row) -> str:
    """The finding id of a row: derived when a finding is read, not when it is judged (see FindingIds)."""
    s, extra = row[SUBJECT], row[EXTRA]
    return finding_id(row[CONTROL].id, s.account_id, s.region, s.arn if extra is None else extra.key)


def sort_key(row: Row) -> tuple[str, str, str, str]:
    """Within one control, findings are sorted by (account, region, resource ARN, id)."""
    s = row[SUBJECT]
    return s.account_id, s.region, s.arn, row_id(row)


class FindingIds:
    """row_id() for rows read in order: the (control, account) part is hashed once per run of rows."""

    def __init__(self) -> None:
        self.control: str | None = None
        self.account: str | None = None
        self.prefix = hashlib.sha256()

    def __call__(self, row: Row) -> str:
        s, extra, control = row[SUBJECT], row[EXTRA], row[CONTROL].id
        if control != self.control or s.account_id != self.account:
            self.control, self.account = control, s.account_id
            self.prefix = hashlib.sha256(f"{control}\x1f{s.account_id}\x1f".encode())
        digest = self.prefix.copy()
        digest.update(f"{s.region}\x1f{s.arn if extra is None else extra.key}".encode())
        return digest.hexdigest()[:24]  # == finding_id(control, account, region, key)


def finding(row: Row, fid: str | None = None) -> Finding:
    s, c, extra = row[SUBJECT], row[CONTROL], row[EXTRA]
    return Finding.trusted(  # field order, as validation would store them
        id=fid or row_id(row), control_id=c.id, title=c.title, severity=c.severity, status=row[STATUS],
        resource_arn=s.arn, resource_id=s.id, resource_name=s.display_name,
        resource_type=s.type if extra is None else extra.resource_type, region=s.region,
        account_id=s.account_id, message=row[MESSAGE], criteria=c.criteria,
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
            ids = FindingIds()
            return [finding(r, ids(r)) for r in self._rows[index]]
        return finding(self._rows[index])

    def __iter__(self) -> Iterator[Finding]:
        ids = FindingIds()
        for row in self._rows:
            yield finding(row, ids(row))

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
            yield row[CONTROL].id, row[SUBJECT].account_id, row[STATUS], False


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


_CONTROL, _STATUS = itemgetter(CONTROL), itemgetter(STATUS)


def tally(findings: Iterable[Finding]) -> Iterator[tuple[str, str, Status, bool]]:
    """(control id, account id, status, excepted) of each finding, from rows when they are rows."""
    if isinstance(findings, FindingRows):
        return findings.tally()
    return ((f.control_id, f.account_id, f.status, f.excepted) for f in findings)
