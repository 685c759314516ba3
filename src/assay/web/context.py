"""What every request handler shares: the store, the user tables' engine, the cookie codec."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from assay.controls.registry import Control
from assay.frameworks import Framework
from assay.web.security import LoginLimiter, SessionCodec


class Memo:
    """A small LRU for what never changes once stored (a scan's snapshot, the diff of two scans)."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two threads may both compute it, neither waits
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


@dataclass
class Dashboard:
    store: Any  # assay.store.Store
    engine: sa.Engine
    codec: SessionCodec
    limiter: LoginLimiter
    framework: Framework
    controls: dict[str, Control]
    secure_cookies: bool = False  # set the Secure flag even when the request looks like plain HTTP
    memo: Memo = field(default_factory=Memo)
    # Whole parsed snapshots are large: keep only the last two scans' resources.
    resources: Memo = field(default_factory=lambda: Memo(2))
