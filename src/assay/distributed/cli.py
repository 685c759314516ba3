"""Command-line pieces of distributed scans: `scan --workers celery`, `worker`, `beat` and `schedule`.

Importing this module imports neither Celery nor croniter: without the `distributed` extra,
`assay scan` works as before and these commands say what to install.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from assay.errors import UsageError

err = Console(stderr=True, highlight=False, soft_wrap=True)


class Runner(StrEnum):
    local = "local"
    celery = "celery"


WorkersOpt = Annotated[Runner, typer.Option(
    "--workers", envvar="ASSAY_WORKERS", help="Where shards run: local (a thread pool in this process) or celery "
    "(the Celery workers started with `assay worker`; results go to the --db store's database).",
    rich_help_panel="Distributed")]
BrokerOpt = Annotated[str | None, typer.Option(
    "--broker", help="Celery broker: redis://host:6379/0 or amqp://user:password@host:5672// (default: "
    "$ASSAY_BROKER, else redis://127.0.0.1:6379/0).", rich_help_panel="Distributed")]
QueueOpt = Annotated[str | None, typer.Option(
    "--queue", help="Queue of shard tasks (default: $ASSAY_QUEUE, else assay).", rich_help_panel="Distributed")]
DbOpt = Annotated[str | None, typer.Option(
    "--db", help="Database URL: postgresql://user@host/db or sqlite:///path.db (default: $ASSAY_DB, else "
    "assay.db in your user data directory).")]


def _require_extra() -> None:
    try:
        import celery  # noqa: F401
        import croniter  # noqa: F401
    except ImportError:
        raise UsageError("distributed scans need the optional extra: pip install 'assay[distributed]'") from None


def _settings(**overrides: Any) -> Any:
    _require_extra()
    from assay.distributed.settings import Settings

    return Settings.from_env(**overrides)


def shard_runner(workers: Runner, broker: str | None, queue: str | None, db: str | None) -> Callable[..., Any] | None:
    """None for the local pool; else a drop-in for assay.collect.runner.collect that uses the workers."""
    if workers is Runner.local:
        if broker or queue:
            raise UsageError("--broker and --queue need --workers celery")
        return None
    settings = _settings(broker=broker, queue=queue, db=db)
    from assay.distributed.coordinator import celery_publisher, collect_distributed
    from assay.distributed.ledger import Ledger, engine_for

    ledger = Ledger(engine_for(settings.db))  # both checked before any AWS call
    publish = celery_publisher(settings)

    def run(access: Any, regions: list[str] | None = None, services: list[str] | None = None,
            max_workers: int | None = None, on_progress: Any = None) -> Any:
        err.print(f"Shards go to queue {settings.queue!r} on {settings.redacted_broker}", markup=False)
        return collect_distributed(access, regions, services, settings=settings, on_progress=on_progress,
                                   publish=publish, ledger=ledger)

    return run


def worker(
    ctx: typer.Context, broker: BrokerOpt = None, queue: QueueOpt = None, db: DbOpt = None,
) -> None:
    """Start a Celery worker that runs scan shards. Other options go to `celery worker`
    (--concurrency, -Q, --loglevel, -n, --pool ...). AWS credentials come from this machine's own chain."""
    settings = _settings(broker=broker, queue=queue, db=db)
    os.environ.update(settings.environ())
    from assay.distributed.ledger import engine_for

    engine_for(settings.db)  # an unreachable database is refused now, not at the first shard
    from assay.distributed import tasks

    tasks.configure(settings)
    argv = ["worker", *ctx.args]
    if not any(a == "-Q" or a.startswith(("-Q", "--queues")) for a in ctx.args):
        argv += ["-Q", settings.queue]
    tasks.app.worker_main(argv)


def beat(
    db: DbOpt = None,
    interval: Annotated[float, typer.Option("--interval", min=0.2, help="Seconds between looks at the "
                                            "schedules.")] = 30.0,
    run_timeout: Annotated[float, typer.Option("--run-timeout", min=1.0, help="A scheduled scan still running "
                                               "after this many seconds is stopped and recorded failed.")] = 86400.0,
    once: Annotated[bool, typer.Option("--once", help="Start what is due, wait for it, and exit.")] = False,
) -> None:
    """Run scheduled scans when they are due (`assay schedule add`), until stopped."""
    _require_extra()
    from assay.distributed.beat import Beat, scan_process

    store = _schedules(db)
    runner = Beat(store, scan_process(db or os.environ.get("ASSAY_DB"), run_timeout), run_timeout)
    if once:
        started = runner.tick()
        runner.wait()
        err.print(f"Started {started} scheduled scan(s).", markup=False)
        return
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    err.print(f"assay beat: {len(store.all())} schedule(s); checking every {interval:g}s", markup=False)
    runner.serve(interval, stop)


schedule_app = typer.Typer(help="Scans on a cron schedule, run by `assay beat`; missed runs are flagged.",
                           no_args_is_help=True)


def _schedules(db: str | None) -> Any:
    _require_extra()
    from assay.distributed.ledger import engine_for
    from assay.distributed.schedules import Schedules

    return Schedules(engine_for(db))


def _check_scan_args(args: list[str]) -> None:
    """Parse the options as `assay scan` would, so a typo fails now rather than every night."""
    from assay.cli import app

    scan = getattr(typer.main.get_command(app), "commands", {}).get("scan")
    if scan is None:
        return
    try:
        scan.make_context("scan", list(args))
    except typer.Exit:
        return
    except typer.TyperException as exc:  # click's errors: unknown option, bad value ...
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        raise UsageError(f"scan options: {message}") from None


def _when(ts: float | None) -> str:
    return "-" if ts is None else datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%S")


@schedule_app.command("add")
def schedule_add(
    name: Annotated[str, typer.Option("--name", help="A name for the schedule.")],
    cron: Annotated[str, typer.Option("--cron", help="When, in UTC: minute hour day month weekday "
                                      "(e.g. '0 3 * * *'); an optional sixth field is seconds.")],
    scan_args: Annotated[list[str] | None, typer.Argument(help="`assay scan` options, after --.")] = None,
    grace: Annotated[float | None, typer.Option("--grace", help="Seconds a run may be late before it counts "
                                                "as missed (default: half the period, 1 min to 1 h).")] = None,
    db: DbOpt = None,
) -> None:
    """Add a schedule: `assay schedule add --name nightly --cron "0 3 * * *" -- --organization -r us-east-1`."""
    args = list(scan_args or [])
    _check_scan_args(args)
    s = _schedules(db).add(name, cron, args, grace)
    from assay.distributed.schedules import next_fire

    err.print(f"Schedule {s.name!r}: `assay scan {' '.join(s.args)}` at '{s.cron}' (UTC); next run "
              f"{_when(next_fire(s.cron, time.time()))} UTC; late by more than {s.grace:.0f}s counts as missed.",
              markup=False)


@schedule_app.command("list")
def schedule_list(
    db: DbOpt = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Every schedule: next run, last run, and MISSED when a run did not happen in time."""
    if fmt not in ("table", "json"):
        raise UsageError("--format must be table or json")
    states = _schedules(db).states()
    if fmt == "json":
        print(json.dumps([s.as_dict() for s in states], indent=2))
        return
    from rich.table import Table

    table = Table(title=f"{len(states)} schedule(s), times in UTC")
    for col in ("name", "cron", "next run", "last run", "state", "scan options"):
        table.add_column(col, overflow="fold")
    for st in states:
        last = st.last_run
        last_text = "never" if last is None else f"{_when(last.fire_at)} {last.status}" + (
            f" (exit {last.exit_code})" if last.exit_code is not None else "")
        state = f"MISSED: {st.reason}" if st.missed else "ok"
        if st.missed_runs:
            state += f" ({st.missed_runs} missed run(s) recorded)"
        table.add_row(st.schedule.name, st.schedule.cron, _when(st.next_fire), last_text, state,
                      " ".join(st.schedule.args))
    Console(highlight=False, width=max(140, Console().width)).print(table)


@schedule_app.command("remove")
def schedule_remove(name: Annotated[str, typer.Argument(help="The schedule's name.")], db: DbOpt = None) -> None:
    """Remove a schedule (its past runs stay on record)."""
    _schedules(db).remove(name)
    err.print(f"Removed schedule {name!r}", markup=False)


@schedule_app.command("runs")
def schedule_runs(
    name: Annotated[str | None, typer.Argument(help="Only this schedule's runs.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many, newest first.")] = 20,
    db: DbOpt = None,
) -> None:
    """Past runs, newest first, missed ones included."""
    for r in _schedules(db).runs(name, limit):
        code = "" if r.exit_code is None else f" exit {r.exit_code}"
        print(f"{r.name}\t{_when(r.fire_at)}\t{r.status}{code}\t{r.detail}")


@schedule_app.command("run-due")
def schedule_run_due(
    db: DbOpt = None,
    run_timeout: Annotated[float, typer.Option("--run-timeout", min=1.0, help="Stop a scan running longer "
                                               "than this many seconds.")] = 86400.0,
) -> None:
    """Start the runs that are due now, wait for them, and exit (for cron or a systemd timer)."""
    beat(db=db, interval=30.0, run_timeout=run_timeout, once=True)


def register(app: typer.Typer) -> None:
    extra = {"allow_extra_args": True, "ignore_unknown_options": True}
    app.command("worker", context_settings=extra)(worker)
    app.command("beat")(beat)
    app.add_typer(schedule_app, name="schedule")
