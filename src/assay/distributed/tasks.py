"""The Celery app and the shard task that workers run.

Delivery is at least once: a message is acknowledged only after its shard is recorded
(acks_late), and goes back to the queue when its worker dies (reject_on_worker_lost; on Redis,
after the visibility timeout). The ledger makes repeats harmless and counts every execution, so a
shard whose worker keeps dying, or that keeps failing, is failed after `attempts`, never retried
forever. Time limits kill a shard that runs away.

`celery -A assay.distributed.tasks worker` reads its settings from the environment
(assay.distributed.settings); `assay worker` sets them from its options.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError

from assay import __version__
from assay.collect.shard import ShardSpec, execute_shard
from assay.distributed.ledger import Ledger, engine_for
from assay.distributed.settings import Settings
from assay.errors import WriteAttempted

TASK = "assay.collect_shard"
log = logging.getLogger("assay.distributed")


def _conf(settings: Settings) -> dict[str, Any]:
    return {
        "broker_url": settings.broker,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,  # a worker holds one shard at a time: a dead worker strands one
        "task_ignore_result": True,  # results go to the database, not to a result backend
        "task_serializer": "json",
        "accept_content": ["json"],
        "task_default_queue": settings.queue,
        "task_create_missing_queues": True,
        "task_time_limit": settings.time_limit,
        "task_soft_time_limit": settings.soft_time_limit,
        "broker_transport_options": settings.transport_options(),
        "broker_connection_retry_on_startup": True,
        "broker_connection_timeout": 5,
        "worker_hijack_root_logger": False,
    }


def make_app(settings: Settings) -> Celery:
    app = Celery("assay", set_as_current=False)
    app.conf.update(_conf(settings))
    return app


SETTINGS = Settings.from_env()
app = make_app(SETTINGS)


def configure(settings: Settings) -> None:
    """Use these settings in this process (what `assay worker` does with its options)."""
    global SETTINGS
    SETTINGS = settings
    app.conf.update(_conf(settings))
    _ledger.cache_clear()


@functools.cache
def _ledger() -> Ledger:
    return Ledger(engine_for(SETTINGS.db))


@worker_process_init.connect  # type: ignore[untyped-decorator]
def _fresh_connections(**_: Any) -> None:
    """A forked pool process opens its own database connections, never its parent's."""
    _ledger.cache_clear()


# Celery's own retry bound is a backstop: the ledger's count of executions decides when a shard has failed.
@app.task(bind=True, name=TASK, acks_late=True, reject_on_worker_lost=True,  # type: ignore[untyped-decorator]
          max_retries=100, autoretry_for=(OperationalError,), retry_backoff=True, retry_backoff_max=60)
def collect_shard(self: Task, scan_id: str, spec: dict[str, Any], round_: int) -> str:
    """Collect one shard and record it, once. Returns what happened, for the worker's log."""
    ledger = _ledger()
    try:
        shard_spec = ShardSpec.model_validate(spec)
    except ValidationError as exc:  # sent by an Assay this worker does not understand
        key = "/".join(str(spec.get(k)) for k in ("account_id", "region", "service"))
        if ledger.start(scan_id, key, round_, str(self.request.hostname or "worker")) is not None:
            ledger.finish(scan_id, key, round_, "failed", reason=f"this worker (Assay {__version__}) cannot read "
                          f"the shard: {str(exc).splitlines()[0]}; upgrade the workers to the coordinator's version")
        return "failed"
    key = shard_spec.shard.key
    attempt = ledger.start(scan_id, key, round_, str(self.request.hostname or "worker"))
    if attempt is None:
        return "duplicate"  # already final: this delivery adds nothing
    if attempt > SETTINGS.attempts:  # its worker died on every earlier attempt
        ledger.finish(scan_id, key, round_, "failed",
                      reason=f"started {attempt - 1} times and never finished: the worker running it was lost "
                             "each time")
        return "failed"
    try:
        result = execute_shard(shard_spec)
    except WriteAttempted as exc:  # a bug, the same on every attempt
        ledger.finish(scan_id, key, round_, "failed", reason=f"refused: {exc}")
        return "failed"
    except Exception as exc:  # includes SoftTimeLimitExceeded
        reason = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, SoftTimeLimitExceeded):
            reason = f"ran past the {SETTINGS.soft_time_limit:.0f}s time limit"
        if attempt < SETTINGS.attempts:
            ledger.retry_later(scan_id, key, round_, reason)
            log.warning("shard %s attempt %d failed (%s); retrying", key, attempt, reason)
            raise self.retry(countdown=SETTINGS.retry_countdown(attempt)) from None
        ledger.finish(scan_id, key, round_, "failed", reason=f"failed {attempt} times; last: {reason}")
        return "failed"
    if not ledger.finish(scan_id, key, round_, "success", result=result.to_wire()):
        return "duplicate"  # another delivery finished it first, or the coordinator gave up on it
    return "success"
