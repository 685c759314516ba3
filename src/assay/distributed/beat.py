"""`assay beat`: start due scheduled scans, each as its own `assay scan` process.

A scan runs in a child process so that a crash or a hang costs that run only (it is killed after
`run_timeout`), and in its own thread so that a long nightly scan does not hold up another schedule.
A schedule whose previous run is still going when its next cron time comes records that time as
missed rather than running twice at once.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from assay.distributed.schedules import Schedule, Schedules

log = logging.getLogger("assay.beat")

# run(schedule) -> (status, exit code, detail); status is ok, partial or failed.
RunScan = Callable[[Schedule], tuple[str, int | None, str]]


def scan_process(db: str | None, run_timeout: float) -> RunScan:
    """Run `assay scan <the schedule's options>`; the report goes nowhere unless the options name a file."""

    def run(s: Schedule) -> tuple[str, int | None, str]:
        env = dict(os.environ)
        if db and "--db" not in s.args:
            env["ASSAY_DB"] = db
        cmd = [sys.executable, "-m", "assay", "scan", *s.args]
        try:
            proc = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, timeout=run_timeout, check=False)
        except subprocess.TimeoutExpired:
            return "failed", None, f"ran past {run_timeout:.0f}s and was stopped"
        tail = " | ".join(line.strip() for line in proc.stderr.splitlines()[-3:] if line.strip())
        # Exit codes of `assay scan`: 0 done, 1 failing findings (still a scan), 3 incomplete (--strict).
        status = {0: "ok", 1: "ok", 3: "partial"}.get(proc.returncode, "failed")
        return status, proc.returncode, tail[:2000]

    return run


class Beat:
    def __init__(self, schedules: Schedules, run_scan: RunScan, run_timeout: float) -> None:
        self.schedules = schedules
        self.run_scan = run_scan
        self.run_timeout = run_timeout
        self.active: dict[str, tuple[threading.Thread, int]] = {}

    def tick(self, now: float | None = None) -> int:
        """Start every due run; returns how many started."""
        # A run still "running" long after its scan would have been stopped lost its scheduler (killed).
        self.schedules.abandon(time.time() - self.run_timeout - 60,
                               "its scheduler stopped before the run finished")
        started = 0
        for s, _fire, run_id in self.schedules.claim(now):
            running = self.active.get(s.name)
            if running is not None and running[0].is_alive():
                self.schedules.skip(run_id, "the previous run was still going")
                continue
            thread = threading.Thread(target=self._run, args=(s, run_id), name=f"assay-beat-{s.name}", daemon=True)
            self.active[s.name] = (thread, run_id)
            thread.start()
            started += 1
        return started

    def _run(self, s: Schedule, run_id: int) -> None:
        log.info("schedule %s: starting", s.name)
        try:
            status, code, detail = self.run_scan(s)
        except Exception as exc:  # the scheduler outlives any one run
            status, code, detail = "failed", None, f"{type(exc).__name__}: {exc}"
        self.schedules.finish(run_id, status, code, detail)
        log.info("schedule %s: %s (exit %s)", s.name, status, code)

    def wait(self, seconds: float | None = None) -> None:
        """Let running scans finish; those still going after `seconds` are recorded as interrupted."""
        deadline = None if seconds is None else time.monotonic() + seconds
        for thread, _ in list(self.active.values()):
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        for thread, run_id in self.active.values():
            if thread.is_alive():
                self.schedules.finish(run_id, "failed", None, "the scheduler stopped before this run finished "
                                      "(its scan may still complete and be stored)")

    def serve(self, interval: float, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                self.tick()
            except Exception as exc:  # a database hiccup: try again at the next tick
                log.warning("schedules could not be read: %s", exc)
            stop.wait(interval)
        self.wait(30)
