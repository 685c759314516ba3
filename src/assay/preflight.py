"""Preflight: will the credentials outlive the scan? (R-9)

Credentials nobody can renew during the scan (an exported session token, `AWS_CREDENTIAL_EXPIRATION`)
stop working at their expiry, and every read after it is ERROR (credentials_expired). Before a scan
starts, `credential_warning` compares the shortest such lifetime with the scan's estimated duration
and returns one line for stderr when the scan is likely to outlive the credentials. It never refuses:
the reads made before the expiry are still evidence, and an estimate can be wrong.

Which credentials limit a scan:
- an account reached through `--role-arn` (or an organisation's member role) is never limited by its
  own role credentials: Assay renews them (botocore's refreshable credentials, refreshed before they
  expire). Each renewal is an AssumeRole call signed with the *source* credentials, so it is the
  source's lifetime that counts;
- credentials botocore renews itself (a profile's own role, web identity, instance or container role,
  credential_process, SSO and `aws login` sessions) do not limit it either. SSO and login sessions end
  with the sign-in, whose end the credentials do not carry;
- any other credentials with an expiry do: the environment cannot change inside a running process.
  Credentials without an expiry (long-lived keys, a session token whose expiry was not exported) give
  nothing to compare.

The estimate, in order of preference:
1. History: the most recent complete stored scan of exactly these accounts measured this estate's
   seconds per shard (its collection time over its shards). The store keeps a scan's accounts and
   regions, not its services, so its shards are counted as accounts x (global services + regional
   services x regions) over every service Assay collects. A stored scan that collected fewer services
   thus yields fewer seconds per shard, never more: the estimate errs towards not warning.
2. Shard model: shards / workers x SHARD_SECONDS. A shard is one (account, region, service); on the
   benchmark estate one makes 2.5 reads on average (1,391 reads for 558 shards), each a round trip of
   100-300 ms to AWS, so one second per shard is a low figure for a real account. Without --region
   the regions are the DEFAULT_REGIONS that every account has enabled; opted-in regions add to that.
Both are floors rather than ceilings, so that the warning, when it comes, is worth reading.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError

from assay.errors import AssayError

if TYPE_CHECKING:
    from assay.collect.session import AwsAccess
    from assay.collect.targets import Targets
    from assay.store.records import ScanRecord

SHARD_SECONDS = 1.0
# Regions enabled in every account of the aws partition (those launched before March 2019); later
# ones are opt-in. A floor: an account that opted in to more regions has more shards.
DEFAULT_REGIONS = 17
# botocore methods whose credentials are renewed from a source that outlives them.
RENEWABLE = frozenset(
    {"assume-role", "assume-role-with-web-identity", "iam-role", "container-role", "custom-process", "sso", "login"}
)
_DESCRIBE = {"env": "session credentials from the environment", "explicit": "explicit session credentials"}
HISTORY_SCANS = 50  # stored scans looked at for one of the same accounts


@dataclass(frozen=True)
class Lifetime:
    """Credentials nobody renews during the scan, and how long they have left."""

    remaining: timedelta
    method: str
    assumes_role: bool  # they are the source credentials Assay renews a role's credentials with


@dataclass(frozen=True)
class Estimate:
    seconds: float
    basis: str


@dataclass(frozen=True)
class Plan:
    """What the scan is asked to do, as far as it is known before any account is entered."""

    regions: Sequence[str] = ()  # --region; empty: every region enabled
    services: Sequence[str] | None = None  # --service or a scope's services; None: every service
    workers: int = 8


def span(seconds: float) -> str:
    """A duration for people: 45 s, 25 min, 2 h 05 min."""
    if seconds < 90:
        return f"{max(0, round(seconds))} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 90 else f"{minutes // 60} h {minutes % 60:02d} min"


def _expiry(creds: Any) -> datetime | None:
    # botocore keeps the expiry of refreshable credentials in a private attribute; read it without
    # get_frozen_credentials(), which would try a refresh (and fail for expired environment ones).
    value = getattr(creds, "_expiry_time", None)
    return value if isinstance(value, datetime) else None


def _lifetime(creds: Any, now: datetime, assumes_role: bool) -> Lifetime | None:
    method = str(getattr(creds, "method", "") or "")
    expiry = _expiry(creds)
    if creds is None or expiry is None or method in RENEWABLE:
        return None
    return Lifetime(expiry - now, method, assumes_role)


def limiting_lifetime(accesses: Sequence[AwsAccess], now: datetime | None = None) -> Lifetime | None:
    """The shortest lifetime among credentials the scan needs and nobody renews; None if there are none.

    Credentials that cannot be resolved are left to the scan, which reports them with its own error.
    """
    now = now or datetime.now(UTC)
    found: list[Lifetime] = []
    seen: set[object] = set()
    for access in accesses:
        current = access
        while current.role_arn and current.source is not None:  # a role's credentials renew with its source's
            current = current.source
        assumes_role = current is not access or bool(access.role_arn)
        # Role accesses with no source of their own resolve the same profile (or chain) again: once is enough.
        key: object = (current.profile, current.access_key) if current.role_arn else id(current)
        if key in seen:
            continue
        seen.add(key)
        try:
            creds = current._base_session().get_credentials() if current.role_arn else current.credentials()
        except (AssayError, BotoCoreError):
            continue
        life = _lifetime(creds, now, assumes_role)
        if life is not None:
            found.append(life)
    return min(found, key=lambda life: life.remaining) if found else None


def _services(services: Sequence[str] | None) -> tuple[int, int]:
    """(global, regional) services among those collected."""
    from assay.collect.registry import collectors_by_service

    by_service = collectors_by_service()
    names = [s for s in services if s in by_service] if services else list(by_service)
    glob = sum(1 for s in names if by_service[s][0].scope == "global")
    return glob, len(names) - glob


def shard_count(accounts: int, regions: int, services: Sequence[str] | None) -> int:
    glob, regional = _services(services)
    return accounts * (glob + regional * regions)


def shard_estimate(accounts: int, plan: Plan) -> Estimate:
    shards = shard_count(accounts, len(plan.regions) or DEFAULT_REGIONS, plan.services)
    seconds = math.ceil(shards / max(1, min(plan.workers, shards or 1))) * SHARD_SECONDS
    return Estimate(seconds, f"{shards} shards at {SHARD_SECONDS:.0f} s each over {plan.workers} workers")


def history_estimate(scans: Sequence[ScanRecord], account_ids: set[str], plan: Plan) -> Estimate | None:
    """From the most recent complete scan of exactly these accounts (scans newest first)."""
    for rec in scans:
        if not rec.complete or set(rec.accounts) != account_ids or not rec.regions:
            continue
        took = (rec.finished_at - rec.started_at).total_seconds()
        then = shard_count(len(rec.accounts), len(rec.regions), None)
        if took <= 0 or not then:
            continue
        now = shard_count(len(account_ids), len(plan.regions) or len(rec.regions), plan.services)
        per_shard = took / then
        return Estimate(
            now * per_shard,
            f"the last complete scan of these accounts, #{rec.id}, took "
            f"{span(took)}: {per_shard:.2f} s per shard, {now} shards planned",
        )
    return None


def _stored_scans(db: str | None, account: str) -> list[ScanRecord]:
    """Recent stored scans of `account`, newest first; none when there is no store yet (none is created)."""
    from sqlalchemy.exc import SQLAlchemyError

    from assay.store import connect, open_store

    try:
        url = connect.resolve_url(db)
        path = connect.sqlite_file(url)
        if path is not None and not path.is_file():
            return []
        with open_store(db) as store:
            return store.scans(limit=HISTORY_SCANS, account=account)
    except (AssayError, SQLAlchemyError, OSError):
        return []  # the estimate falls back to the shard model; storing the scan reports the store


def _account_ids(targets: Targets) -> set[str] | None:
    if targets.discovery is not None:
        return {a.id for a in targets.discovery.accounts}
    ids: set[str] = set()
    for access in targets.accesses:
        if access.role_arn:
            ids.add(access.role_arn.split(":")[4])
            continue
        try:
            ids.add(access.identity()["account_id"])
        except AssayError:
            return None
    return ids


def estimate(targets: Targets, plan: Plan, db: str | None = None) -> Estimate:
    """The scan's duration: measured on these accounts when the store has one, else the shard model."""
    ids = _account_ids(targets)
    if ids:
        found = history_estimate(_stored_scans(db, min(ids)), ids, plan)
        if found is not None:
            return found
    return shard_estimate(len(targets.accesses), plan)


def credential_warning(targets: Targets, plan: Plan, db: str | None = None, now: datetime | None = None) -> str | None:
    """One line when credentials nobody renews are likely to expire before the scan ends; else None.

    Only then is the duration estimated (which may read the store and ask STS who the caller is).
    """
    life = limiting_lifetime(targets.accesses, now)
    if life is None or life.remaining <= timedelta(0):
        return None  # already expired: the scan's first call fails with a credential error
    est = estimate(targets, plan, db)
    if life.remaining.total_seconds() >= est.seconds:
        return None
    what = _DESCRIBE.get(life.method, f"{life.method or 'session'} credentials")
    if life.assumes_role:
        return (
            f"warning: the {what} that assume --role-arn expire in {span(life.remaining.total_seconds())}, "
            f"before the scan is likely to end (estimated {span(est.seconds)}; {est.basis}); Assay needs "
            "them to renew the role's credentials, so reads after that will be ERROR (credentials expired). "
            "Give --role-arn source credentials that outlive the scan or that AWS renews (a --profile with "
            "SSO or credential_process, an instance or container role)."
        )
    return (
        f"warning: the {what} expire in {span(life.remaining.total_seconds())} and cannot be renewed, "
        f"before the scan is likely to end (estimated {span(est.seconds)}; {est.basis}); reads after "
        "that will be ERROR (credentials expired). Scan through --role-arn: Assay renews an assumed "
        "role's credentials for as long as the scan runs."
    )
