"""Run a scan's shards on Celery workers and build the Inventory exactly as the local runner does.

The coordinator plans the scan with its own credentials (who each account is, which regions are
enabled), records one ledger row per shard, publishes one message per shard and then reads the
ledger until every shard is final: success, failed after its attempts, or timed out. A shard still
throttled after botocore's retries goes back in the queue later, as on the local pool. Shards that
never produced a result are recorded with the reason, so their controls are ERROR and the scan is
partial; nothing unread is ever PASS.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence

from assay.collect.runner import ProgressFn, RequeuePolicy, ScanPlan, _throttled, plan_scan
from assay.collect.session import AwsAccess
from assay.collect.shard import Shard, ShardResult, ShardSpec, unfinished_shard
from assay.distributed.ledger import Ledger, decode, engine_for
from assay.distributed.settings import Settings
from assay.errors import UsageError
from assay.models.inventory import CoverageStatus, Inventory

KEEP_SHARDS = 7 * 86400.0  # ledger rows are kept a week: where each shard ran, for a look after the scan

# publish(scan id, shard spec, round, countdown seconds): sends one shard to the workers.
Publish = Callable[[str, ShardSpec, int, float], None]


def celery_publisher(settings: Settings) -> Publish:
    """Publish shard tasks on the broker; refuses at once, with the reason, if the broker is unreachable."""
    from kombu.exceptions import OperationalError

    from assay.distributed.tasks import TASK, make_app

    app = make_app(settings)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=2, interval_start=0.2, interval_step=0.5, timeout=5)
    except (OperationalError, OSError) as exc:
        raise UsageError(f"cannot reach the broker {settings.redacted_broker}: {exc}") from None

    def publish(scan_id: str, spec: ShardSpec, round_: int, countdown: float) -> None:
        app.send_task(TASK, args=[scan_id, spec.model_dump(mode="json"), round_], queue=settings.queue,
                      countdown=countdown or None)

    return publish


class DistributedRun:
    """One scan's shards on the workers; `results()` yields each shard's final result."""

    def __init__(self, plan: ScanPlan, ledger: Ledger, publish: Publish, settings: Settings,
                 policy: RequeuePolicy | None = None) -> None:
        self.plan = plan
        self.ledger = ledger
        self.publish = publish
        self.settings = settings
        self.policy = policy or RequeuePolicy()
        self.stats: Counter[str] = Counter()
        self.specs = {s.key: self._spec(s) for s in plan.shards}
        self.shards = {s.key: s for s in plan.shards}

    def _spec(self, shard: Shard) -> ShardSpec:
        spec = self.plan.spec(shard)
        if spec.access.shard_deadline <= self.settings.shard_deadline:
            return spec
        # The shard stops its own reads before the worker's time limit would kill it.
        access = spec.access.model_copy(update={"shard_deadline": self.settings.shard_deadline})
        return spec.model_copy(update={"access": access})

    def results(self) -> Iterator[ShardResult]:
        scan_id = self.plan.scan_id
        self.ledger.add(scan_id, self.specs)
        first: dict[str, float] = {}
        pending: dict[str, int] = {}  # shard key -> the round we wait for
        for key, spec in self.specs.items():
            first[key] = time.monotonic()
            pending[key] = 0
            self.publish(scan_id, spec, 0, 0)
        deadline = time.monotonic() + self.settings.scan_timeout
        next_sweep = 0.0
        while pending:
            finished = self.ledger.take_finished(scan_id)
            for f in finished:
                if pending.get(f.key) != f.round:
                    continue
                shard = self.shards[f.key]
                if f.state == "success" and f.result is not None:
                    result = ShardResult.from_wire(decode(f.result))
                    self.stats["retries"] += result.retries
                    spent = time.monotonic() - first[f.key]
                    if (_throttled(result) and f.round < self.policy.attempts and spent < self.policy.budget
                            and self.ledger.requeue(scan_id, f.key, f.round)):
                        self.stats["requeued"] += 1
                        pending[f.key] = f.round + 1
                        self.publish(scan_id, self.specs[f.key], f.round + 1, self.policy.delay(f.round + 1))
                        continue
                elif f.state == "timeout":
                    result = unfinished_shard(shard, CoverageStatus.TIMEOUT, "ShardTimeout",
                                              f"no result from the workers: {f.reason}")
                else:
                    result = unfinished_shard(shard, CoverageStatus.ERROR, "ShardFailed",
                                              f"the shard failed on the workers: {f.reason}")
                del pending[f.key]
                yield result
            if finished:
                continue
            now = time.monotonic()
            if now > deadline:
                self.ledger.expire_all(scan_id, f"not finished within the scan timeout "
                                                f"({self.settings.scan_timeout:.0f}s); is a worker consuming "
                                                f"queue {self.settings.queue!r}?")
                continue
            if now >= next_sweep:
                self.ledger.expire_stalled(scan_id, time.time() - self.settings.stall_after)
                next_sweep = now + 5
            time.sleep(self.settings.poll)


def collect_distributed(
    access: AwsAccess | Sequence[AwsAccess],
    regions: list[str] | None = None,
    services: list[str] | None = None,
    *,
    settings: Settings | None = None,
    on_progress: ProgressFn | None = None,
    retry: RequeuePolicy | None = None,
    publish: Publish | None = None,
    ledger: Ledger | None = None,
) -> Inventory:
    """`assay.collect.runner.collect`, with the shards run by Celery workers instead of local threads."""
    settings = settings or Settings.from_env()
    ledger = ledger or Ledger(engine_for(settings.db))  # database and broker problems stop the scan before
    publish = publish or celery_publisher(settings)  # any AWS call
    ledger.prune(KEEP_SHARDS)
    plan = plan_scan(access, regions, services)
    run = DistributedRun(plan, ledger, publish, settings, retry)
    inv = plan.inventory(run.results(), on_progress=on_progress)
    inv.meta.retries, inv.meta.requeued_shards = run.stats["retries"], run.stats["requeued"]
    return inv
