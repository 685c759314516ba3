"""Keep the demo estate up on a loopback endpoint, for trying `assay scan` by hand (and for tests).

    python -m assay.demo.serve [PORT]

prints one line `ENDPOINT <url>` once the estate is seeded, then serves until stopped. The seeding
runs in this process because part of the demo state is set in moto's in-process backend.
"""

from __future__ import annotations

import contextlib
import sys
import threading

from assay.demo.accounts import seed_demo
from assay.demo.estate import REGIONS
from assay.demo.server import moto_server


def serve(port: int | None = None, stop: threading.Event | None = None) -> None:
    with moto_server(port) as endpoint:
        seed_demo(endpoint, REGIONS)
        print(f"ENDPOINT {endpoint}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            (stop or threading.Event()).wait()


if __name__ == "__main__":
    serve(int(sys.argv[1]) if len(sys.argv) > 1 else None)
