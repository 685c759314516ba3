"""Fixed resource ids for the demo, so that two `assay demo` runs name every resource alike.

Finding ids are a hash of the resource ARN, and ARNs carry ids moto draws at random: without this,
every demo run would look like a brand-new estate to `assay diff`. moto draws all its ids from one
seedable generator, but it also draws a request id for every response, and the number of requests
varies between runs (retries); request ids get their own generator here, and uuid4 a seeded one while
the estate is seeded. Default VPCs are created on
a region's first use, which during a scan happens in whatever order the threads run: they are
created up front instead. Demo only: this reaches into the in-process moto server.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DEMO_SEED = 20240501


def _request_id(headerdict: dict[str, Any] | None = None) -> str:
    request_id = secrets.token_hex(26)
    if isinstance(headerdict, dict):
        headerdict["x-amzn-requestid"] = request_id
    return request_id


@contextmanager
def seeded(account_ids: list[str], regions: list[str]) -> Iterator[None]:
    """Seed the estate inside this block; on leaving it, every default VPC exists."""
    import moto.core.responses
    from moto.ec2.models import ec2_backends
    from moto.moto_api._internal import mock_random

    moto.core.responses.gen_amzn_requestid_long = _request_id  # type: ignore[attr-defined]
    mock_random.seed(DEMO_SEED)
    random.seed(DEMO_SEED)  # a few moto services (DMS) use the standard generator
    rng = random.Random(DEMO_SEED)
    original = uuid.uuid4
    uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)  # and some (MSK) uuid4
    try:
        yield
        for account_id in account_ids:
            for region in regions:
                ec2_backends[account_id][region]  # the first access creates the default VPC
    finally:
        uuid.uuid4 = original
