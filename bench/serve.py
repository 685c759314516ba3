"""Keep a seeded benchmark estate up, to scan or profile by hand.

    python -m bench.serve --size S [--port 5000]

prints `ENDPOINT <url>` and the member accounts once seeded, then serves until interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from bench.estate import REGIONS, SIZES, seed


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.serve")
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    from assay.demo.server import moto_server

    with moto_server(args.port) as endpoint:
        estate = seed(endpoint, args.size, REGIONS)
        print(f"ENDPOINT {endpoint}", flush=True)
        print(f"seeded {sum(estate.created.values())} resources in {estate.seconds:.1f}s; management "
              f"{estate.management}, members {' '.join(estate.members)}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
