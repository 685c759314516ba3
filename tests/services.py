"""Local services some tests need (PostgreSQL, Redis, RabbitMQ on 127.0.0.1).

On a developer's machine without them those tests skip, saying which server is missing; under CI
(`CI=true`) a missing server fails them, so it can never pass unseen.
"""

from __future__ import annotations

import os
import socket

import pytest

POSTGRES = ("PostgreSQL", 5432)
REDIS = ("Redis", 6379)
RABBITMQ = ("RabbitMQ", 5672)


def require(*services: tuple[str, int]) -> None:
    """Skip (or, under CI, fail) unless every service answers on 127.0.0.1."""
    down = []
    for name, port in services:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=3).close()
        except OSError as exc:
            down.append(f"{name} on 127.0.0.1:{port} ({exc})")
    if not down:
        return
    message = "needs " + ", ".join(down)
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + ": CI must provide it (.ci/run starts it)")
    pytest.skip(message)
