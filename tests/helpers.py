"""Helpers for tests: run one service's collectors against moto, evaluate, pick findings."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.engine import Evaluation, evaluate
from assay.models.findings import Finding
from assay.models.inventory import Inventory

ACCOUNT = "123456789012"


def scan(access: AwsAccess, services: list[str], regions: list[str] | None = None) -> Inventory:
    return collect(access, regions=regions or ["us-east-1"], services=services, max_workers=4)


def findings_of(ev: Evaluation, control_id: str) -> list[Finding]:
    return [f for f in ev.findings if f.control_id == control_id]


def by_name(ev: Evaluation, control_id: str) -> dict[str, str]:
    """{resource name: status} for one control."""
    return {f.resource_name: f.status.value for f in findings_of(ev, control_id)}


__all__ = ["ACCOUNT", "by_name", "evaluate", "findings_of", "scan"]


@contextmanager
def silent_endpoint() -> Iterator[str]:
    """host:port of a TCP endpoint that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()
