"""Demo state that moto's API cannot express, set in the in-process moto server's own backend.

moto 5 offers no API to give the root user MFA or access keys, nor to age an access key. The demo
sets those few facts directly so that every control shows both verdicts; Assay still reads all of
it through the ordinary AWS API over HTTP, exactly as it would from AWS.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def _iam(account_id: str) -> Any:
    from moto.iam.models import iam_backends

    return iam_backends[account_id]["global"]


def set_root(account_id: str, *, mfa_enabled: bool | None = None, access_keys: bool | None = None) -> None:
    summary = _iam(account_id).account_summary
    if mfa_enabled is not None:
        summary._account_mfa_enabled = int(mfa_enabled)
    if access_keys is not None:
        summary._account_access_keys_present = int(access_keys)


def age_access_keys(account_id: str, user_name: str, days: int) -> None:
    """Make a user's access keys `days` old (and never used)."""
    for key in _iam(account_id).users[user_name].access_keys:
        key.create_date = key.create_date - timedelta(days=days)
