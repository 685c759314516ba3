"""Credentials that expire during a scan, on a simulated clock.

    clock = CredentialClock(step=timedelta(minutes=4), lifetime=timedelta(hours=1))
    clock.install(access.credentials())        # botocore's refreshable credentials (an assumed role)
    access.hooks.extend(clock.hooks())

Every request moves the clock on by `step`, so a short scan lives through hours. Each set of
credentials the role hands out lives `lifetime` on that clock, and a request signed with credentials
past their expiry is answered ExpiredToken, as AWS would answer it. botocore refreshes assumed-role
credentials itself before they expire; `refreshes` counts how often it did, `expired` how many
requests were refused.

The clock reaches botocore through the refreshable credentials' time source and the assume-role
cache's notion of "now" (botocore.credentials._local_now), both private to botocore: this module is a
test harness, never part of a scan.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import botocore.credentials
from botocore.credentials import RefreshableCredentials

from assay.faults import Hook, throttling_response

EXPIRED_MESSAGE = "The security token included in the request is expired"
_current = threading.local()


class CredentialClock:
    def __init__(self, step: timedelta, lifetime: timedelta = timedelta(hours=1)) -> None:
        self.step = step
        self.lifetime = lifetime
        self._now: datetime = botocore.credentials._local_now()
        self._lock = threading.Lock()
        self.expiries: dict[str, datetime] = {}
        self.refreshes = 0
        self.expired = 0
        self.requests = 0

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def install(self, credentials: RefreshableCredentials, patch: Any = None) -> None:
        """Put `credentials` and botocore's assume-role cache on this clock.

        `patch(target, name, value)` replaces botocore's module clock (pytest's monkeypatch.setattr,
        so the test restores it); credentials from a role must be refreshable to be installed.
        """
        if not isinstance(credentials, RefreshableCredentials):
            raise TypeError("only refreshable credentials have an expiry to simulate")
        frozen = credentials.get_frozen_credentials()
        self.expiries[frozen.access_key] = credentials._expiry_time
        credentials._time_fetcher = self.now
        if patch is not None:
            patch(botocore.credentials, "_local_now", self.now)
        fetch = credentials._refresh_using

        def refresh() -> dict[str, Any]:
            metadata: dict[str, Any] = dict(fetch())
            expiry = self.now() + self.lifetime  # the role's STS issues credentials by this clock
            self.expiries[str(metadata["access_key"])] = expiry
            with self._lock:
                self.refreshes += 1
            return {**metadata, "expiry_time": expiry.isoformat()}

        credentials._refresh_using = refresh

    def hooks(self) -> list[tuple[str, Hook]]:
        return [("before-call", self._note_protocol), ("before-send", self._tick)]

    @staticmethod
    def _note_protocol(model: Any, **_: Any) -> None:
        service_model = model.service_model
        _current.protocol = getattr(service_model, "resolved_protocol", None) or service_model.protocol

    def _tick(self, request: Any, **_: Any) -> Any:
        """Advance the clock; refuse a request signed with credentials that expired on it."""
        auth = request.headers.get("Authorization", b"")
        auth = auth.decode() if isinstance(auth, bytes) else str(auth)
        key = auth.split("Credential=")[1].split("/")[0] if "Credential=" in auth else ""
        with self._lock:
            self.requests += 1
            now = self._now
            self._now = now + self.step
            expiry = self.expiries.get(key)
            refused = expiry is not None and now >= expiry
            self.expired += int(refused)
        if refused:
            return throttling_response(getattr(_current, "protocol", "query"), "ExpiredToken", EXPIRED_MESSAGE)
        return None
