"""Distributed scans: the same (account, region, service) shards as the local pool, run by Celery workers.

- `settings`: broker, queue, database and the limits that keep every shard bounded.
- `ledger`: one row per shard of a scan in the database; every state change is a conditional update,
  so a duplicate delivery or a late worker never adds a result twice.
- `tasks`: the Celery app and the shard task (`celery -A assay.distributed.tasks worker` works too).
- `coordinator`: plans the scan, enqueues its shards, waits for each to reach a final state and
  builds the Inventory exactly as the local runner does.
- `schedules`: cron schedules in the database, run by `assay beat`; missed runs are flagged.

Needs the optional extra: `pip install 'assay[distributed]'`.
"""
