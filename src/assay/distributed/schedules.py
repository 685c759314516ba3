"""Cron schedules of scans, kept in the store's database and run by `assay beat`.

Regular scans are what gives a SOC 2 Type II period its evidence, so a run that did not happen must
show. Each run is a row of `schedule_runs`; a cron time that passed while no scheduler was running
is recorded as a `missed` run, and `schedule list` flags a schedule whose latest cron time is more
than its grace period ago with no run since. Cron expressions are read in UTC; a sixth field, if
given, is seconds.

Two schedulers on one database never start the same run: a run is claimed by a conditional update
of the schedule's last cron time before it starts.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from assay.distributed.tables import schedule_runs, schedules
from assay.errors import UsageError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,127}")
MAX_MISSED_ROWS = 100  # missed cron times recorded one by one; beyond that, counted in the next run


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def check_cron(expr: str) -> str:
    from croniter import croniter

    expr = " ".join(expr.split())
    if not croniter.is_valid(expr):
        raise UsageError(f"--cron {expr!r} is not a cron expression (minute hour day month weekday, e.g. '0 3 * * *')")
    return expr


def next_fire(cron: str, after: float) -> float:
    from croniter import croniter

    return float(croniter(cron, _dt(after)).get_next(datetime).timestamp())


def fires_between(cron: str, after: float, until: float, limit: int = MAX_MISSED_ROWS + 1) -> tuple[list[float], int]:
    """Cron times in (after, until]: the first `limit - 1` and the last of them, and how many there were."""
    from croniter import croniter

    it = croniter(cron, _dt(after))
    out: list[float] = []
    while True:
        t = float(it.get_next(datetime).timestamp())
        if t > until:
            return out, len(out)
        if len(out) < limit:
            out.append(t)
            continue
        # Very many: count them by stepping, without keeping them (bounded by the cron's resolution).
        count, last = len(out) + 1, t
        while (t := float(it.get_next(datetime).timestamp())) <= until:
            count, last = count + 1, t
        return [*out[: limit - 1], last], count


def default_grace(cron: str, now: float) -> float:
    """Half the cron's period, between a minute and an hour."""
    first = next_fire(cron, now)
    return min(3600.0, max(60.0, (next_fire(cron, first) - first) / 2))


@dataclass(frozen=True)
class Run:
    id: int
    name: str
    fire_at: float
    started_at: float | None
    finished_at: float | None
    status: str
    exit_code: int | None
    detail: str


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str
    args: list[str]
    grace: float
    created_at: float
    last_fire: float | None


@dataclass(frozen=True)
class ScheduleState:
    schedule: Schedule
    next_fire: float
    last_run: Run | None
    missed: bool  # its latest cron time is more than `grace` ago, with no run since
    reason: str  # why it is flagged, or ""
    missed_runs: int  # cron times recorded as missed, ever

    def as_dict(self) -> dict[str, Any]:
        s, r = self.schedule, self.last_run
        return {
            "name": s.name, "cron": s.cron, "args": s.args, "grace_seconds": s.grace,
            "next_run": _dt(self.next_fire).isoformat(),
            "last_run": None if r is None else {
                "fire_at": _dt(r.fire_at).isoformat(), "status": r.status, "exit_code": r.exit_code,
                "started_at": _dt(r.started_at).isoformat() if r.started_at else None,
                "finished_at": _dt(r.finished_at).isoformat() if r.finished_at else None, "detail": r.detail,
            },
            "missed": self.missed, "reason": self.reason, "missed_runs": self.missed_runs,
        }


def _run(row: Any) -> Run:
    return Run(row.id, row.name, row.fire_at, row.started_at, row.finished_at, row.status, row.exit_code, row.detail)


class Schedules:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def _write(self) -> Any:
        from assay.store.connect import WRITE

        return self.engine.connect().execution_options(**WRITE)

    def add(self, name: str, cron: str, args: list[str], grace: float | None = None,
            now: float | None = None) -> Schedule:
        if not NAME.fullmatch(name):
            raise UsageError(f"schedule name {name!r}: use letters, digits, '.', '_' and '-' (at most 128)")
        cron = check_cron(cron)
        now = time.time() if now is None else now
        if grace is not None and grace <= 0:
            raise UsageError("--grace must be a positive number of seconds")
        grace = default_grace(cron, now) if grace is None else grace
        with self._write() as conn, conn.begin():
            exists = conn.execute(sa.select(schedules.c.name).where(schedules.c.name == name)).first()
            if exists:
                raise UsageError(f"a schedule named {name!r} exists; remove it first")
            conn.execute(schedules.insert().values(name=name, cron=cron, args=list(args), grace=grace,
                                                   created_at=now, last_fire=None))
        return Schedule(name, cron, list(args), grace, now, None)

    def remove(self, name: str) -> None:
        with self._write() as conn, conn.begin():
            if not conn.execute(schedules.delete().where(schedules.c.name == name)).rowcount:
                raise UsageError(f"no schedule named {name!r}")

    def all(self) -> list[Schedule]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(schedules).order_by(schedules.c.name)).all()
        return [Schedule(r.name, r.cron, list(r.args), r.grace, r.created_at, r.last_fire) for r in rows]

    def runs(self, name: str | None = None, limit: int = 50) -> list[Run]:
        q = sa.select(schedule_runs).order_by(schedule_runs.c.fire_at.desc(), schedule_runs.c.id.desc()).limit(limit)
        if name is not None:
            q = q.where(schedule_runs.c.name == name)
        with self.engine.connect() as conn:
            return [_run(r) for r in conn.execute(q)]

    def missed_runs(self, name: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(schedule_runs).where(
                schedule_runs.c.name == name, schedule_runs.c.status == "missed")).scalar() or 0)

    def states(self, now: float | None = None) -> list[ScheduleState]:
        """Every schedule with its next run, its last run, and whether a run was missed."""
        now = time.time() if now is None else now
        out = []
        for s in self.all():
            last = next((r for r in self.runs(s.name, limit=MAX_MISSED_ROWS + 1) if r.status != "missed"), None)
            since = s.last_fire if s.last_fire is not None else s.created_at
            overdue, _ = fires_between(s.cron, since, now - s.grace, limit=1)
            missed = bool(overdue)
            reason = ""
            if missed:
                reason = (f"due at {_dt(overdue[0]):%Y-%m-%d %H:%M:%S} UTC and not run within {s.grace:.0f}s"
                          + (f"; last run for {_dt(s.last_fire):%Y-%m-%d %H:%M:%S} UTC" if s.last_fire else
                             "; never run"))
            out.append(ScheduleState(s, next_fire(s.cron, now), last, missed, reason, self.missed_runs(s.name)))
        return out

    def claim(self, now: float | None = None) -> list[tuple[Schedule, float, int]]:
        """Due schedules, each claimed for its latest cron time; cron times skipped before it are recorded
        as missed runs. Returns (schedule, cron time, run id) for each run to start now."""
        now = time.time() if now is None else now
        claimed = []
        for s in self.all():
            since = s.last_fire if s.last_fire is not None else s.created_at
            fires, count = fires_between(s.cron, since, now)
            if not fires:
                continue
            fire = fires[-1]
            with self._write() as conn, conn.begin():
                same = (schedules.c.last_fire.is_(None) if s.last_fire is None
                        else schedules.c.last_fire == s.last_fire)
                if not conn.execute(schedules.update().where(schedules.c.name == s.name, same)
                                    .values(last_fire=fire)).rowcount:
                    continue  # another scheduler took it
                skipped = fires[:-1]
                for t in skipped:
                    conn.execute(schedule_runs.insert().values(
                        name=s.name, fire_at=t, status="missed", detail="no scheduler ran it at its time"))
                notes = []
                if count - 1 > len(skipped):
                    notes.append(f"{count - 1} earlier cron times passed without a run; the first "
                                 f"{len(skipped)} are recorded")
                late = now - fire
                if late > s.grace:
                    notes.append(f"started {late:.0f}s after its time")
                detail = "; ".join(notes)
                run_id = conn.execute(schedule_runs.insert().values(
                    name=s.name, fire_at=fire, started_at=now, status="running", detail=detail)).inserted_primary_key
            claimed.append((s, fire, int(run_id[0]) if run_id else 0))
        return claimed

    def finish(self, run_id: int, status: str, exit_code: int | None, detail: str) -> None:
        with self._write() as conn, conn.begin():
            old = conn.execute(sa.select(schedule_runs.c.detail).where(schedule_runs.c.id == run_id)).scalar() or ""
            conn.execute(schedule_runs.update().where(schedule_runs.c.id == run_id).values(
                status=status, exit_code=exit_code, finished_at=time.time(),
                detail="; ".join(p for p in (old, detail) if p)[:4000]))

    def abandon(self, started_before: float, detail: str) -> int:
        """Close runs still marked running that started before `started_before`: their scheduler is gone."""
        with self._write() as conn, conn.begin():
            return int(conn.execute(schedule_runs.update().where(
                schedule_runs.c.status == "running", schedule_runs.c.started_at < started_before).values(
                status="failed", finished_at=time.time(), detail=detail)).rowcount)

    def skip(self, run_id: int, detail: str) -> None:
        with self._write() as conn, conn.begin():
            conn.execute(schedule_runs.update().where(schedule_runs.c.id == run_id).values(
                status="missed", finished_at=time.time(), detail=detail))
