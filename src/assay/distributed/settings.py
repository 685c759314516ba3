"""Where the queue and the database are, and the limits that keep every shard bounded.

Each value comes from a command-line option, else an environment variable, else the default, so a
worker started by `assay worker`, by `celery -A assay.distributed.tasks worker` or by a service manager
reads the same configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from assay.errors import UsageError

DEFAULT_BROKER = "redis://127.0.0.1:6379/0"
DEFAULT_QUEUE = "assay"


def _number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"${name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise UsageError(f"${name} must be positive, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    broker: str = DEFAULT_BROKER
    queue: str = DEFAULT_QUEUE
    # Prefix of every broker key (Redis only): lets several deployments, or test runs, share one Redis.
    prefix: str = ""
    db: str | None = None  # the store's URL; None: $ASSAY_DB, else the store's default SQLite file
    attempts: int = 3  # executions of one shard (failures and lost workers alike) before it is failed
    retry_delay: float = 10.0  # seconds before the second attempt; doubles for each further one
    time_limit: float = 1200.0  # a shard's process is killed after this many seconds
    # Redis: an unacknowledged message goes back to the queue this long after delivery, for when its
    # worker died. Longer than time_limit, so a shard still running is never handed out twice.
    visibility_timeout: float = 1500.0
    scan_timeout: float = 6 * 3600.0  # the coordinator waits this long at most for the whole scan
    poll: float = 0.5  # seconds between the coordinator's looks at the database

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Environment first, then explicit (non-None) overrides from the command line."""
        time_limit = _number("ASSAY_SHARD_TIME_LIMIT", cls.time_limit)
        base = cls(
            broker=os.environ.get("ASSAY_BROKER") or DEFAULT_BROKER,
            queue=os.environ.get("ASSAY_QUEUE") or DEFAULT_QUEUE,
            prefix=os.environ.get("ASSAY_BROKER_PREFIX", ""),
            db=os.environ.get("ASSAY_DB") or None,
            attempts=int(_number("ASSAY_SHARD_ATTEMPTS", cls.attempts)),
            retry_delay=_number("ASSAY_RETRY_DELAY", cls.retry_delay),
            time_limit=time_limit,
            visibility_timeout=_number("ASSAY_VISIBILITY_TIMEOUT", max(cls.visibility_timeout, time_limit + 300)),
            scan_timeout=_number("ASSAY_SCAN_TIMEOUT", cls.scan_timeout),
            poll=_number("ASSAY_POLL", cls.poll),
        )
        settings = replace(base, **{k: v for k, v in overrides.items() if v is not None})
        settings.check()
        return settings

    def check(self) -> None:
        scheme = urlsplit(self.broker).scheme
        if scheme not in ("redis", "rediss", "amqp", "amqps", "pyamqp"):
            raise UsageError(f"broker URL {self.redacted_broker!r} is not supported: use redis://host:6379/0 "
                             "or amqp://user:password@host:5672//")
        if self.attempts < 1:
            raise UsageError("shard attempts must be at least 1")
        if not self.queue.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise UsageError(f"queue name {self.queue!r}: use letters, digits, '-', '_' and '.'")

    @property
    def soft_time_limit(self) -> float:
        """Raised inside the task first, so a shard can be reported failed before its process is killed."""
        return max(1.0, self.time_limit * 0.9)

    @property
    def shard_deadline(self) -> float:
        """A shard's own read deadline (assay.collect.calls) falls well inside the task's time limit."""
        return max(1.0, self.time_limit * 0.75)

    @property
    def stall_after(self) -> float:
        """A shard started this long ago and not finished has no worker left: it is timed out.

        Its process is killed at time_limit; a lost worker's message returns after the visibility
        timeout (plus one restore sweep) and restarts it, which resets the clock.
        """
        return self.time_limit + self.visibility_timeout + self.restore_interval + 30

    @property
    def restore_interval(self) -> float:
        """How often workers look for messages whose worker died (Redis)."""
        return max(1.0, min(10.0, self.visibility_timeout / 5))

    def retry_countdown(self, attempt: int) -> float:
        return float(self.retry_delay * 2.0 ** max(0, attempt - 1))

    @property
    def redacted_broker(self) -> str:
        parts = urlsplit(self.broker)
        if parts.password:
            netloc = f"{parts.username or ''}:***@{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")
            return parts._replace(netloc=netloc).geturl()
        return self.broker

    def transport_options(self) -> dict[str, Any]:
        if not self.broker.startswith("redis"):
            return {}
        options: dict[str, Any] = {
            "visibility_timeout": self.visibility_timeout,
            "unacked_restore_interval": self.restore_interval,
            "unacked_restore_throttle": 1,
        }
        if self.prefix:
            options["global_keyprefix"] = self.prefix
        return options

    def environ(self) -> dict[str, str]:
        """The same settings as environment variables, for a child process."""
        env = {
            "ASSAY_BROKER": self.broker, "ASSAY_QUEUE": self.queue, "ASSAY_BROKER_PREFIX": self.prefix,
            "ASSAY_SHARD_ATTEMPTS": str(self.attempts), "ASSAY_RETRY_DELAY": str(self.retry_delay),
            "ASSAY_SHARD_TIME_LIMIT": str(self.time_limit), "ASSAY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            "ASSAY_SCAN_TIMEOUT": str(self.scan_timeout), "ASSAY_POLL": str(self.poll),
        }
        if self.db:
            env["ASSAY_DB"] = self.db
        return env
