"""An AWS-compatible API on 127.0.0.1 for the demo and the tests: moto's server, in-process."""

from __future__ import annotations

import logging
import os
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.config import Config

from assay.collect.session import strip_account_host_prefix

DEMO_CREDENTIALS = {"aws_access_key_id": "AKIADEMOASSAYSCANNER", "aws_secret_access_key": "demo-secret-not-real"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def moto_server(port: int | None = None) -> Iterator[str]:
    """Run moto's server on a loopback port (a free one by default); yields its endpoint URL.

    moto keeps its state in module globals: two servers in one process share one state.
    """
    os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "false")
    from moto import settings
    from moto.server import ThreadedMotoServer

    # moto issues a requested certificate after 60 s; the demo's pending one must stay pending.
    settings.ACM_VALIDATION_WAIT = 10**9

    from assay.demo import moto_extensions

    moto_extensions.install()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one log line per request otherwise

    port = port or free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def reset(endpoint: str) -> None:
    req = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(req, timeout=60):  # a large estate takes a while to drop on a busy machine
        pass


def seed_client(endpoint: str, service: str, region: str, credentials: dict[str, str] | None = None) -> Any:
    """A client for building an estate: it writes, so it is never one of Assay's guarded clients."""
    options: dict[str, Any] = {"retries": {"mode": "standard", "max_attempts": 3}}
    if service == "s3":
        options["s3"] = {"addressing_style": "path"}
    client = boto3.client(service, region_name=region, endpoint_url=endpoint, config=Config(**options),
                          **(credentials or DEMO_CREDENTIALS))
    if service == "s3control":
        client.meta.events.register("before-call.s3-control", strip_account_host_prefix)
    return client
