"""Run a command as a child process and measure it: wall time and peak resident memory.

Peak RSS comes from the kernel's accounting of that one child (wait4), which includes the children it
waited for itself, so it is not muddled by other processes of the benchmark.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Measured:
    argv: list[str]
    seconds: float
    peak_rss_mb: float
    cpu_seconds: float  # user + system: what the work cost, whatever else the machine was running
    returncode: int
    stdout: str
    stderr: str


def measured(argv: list[str], env: dict[str, str], logs: Path, name: str, timeout: float = 7200) -> Measured:
    """Run `argv`; its stdout and stderr go to logs/<name>.out and .err (and are returned)."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / f"{name}.out", logs / f"{name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.monotonic()
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    return Measured(argv, seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, proc.returncode,
                    out_path.read_text(errors="replace"), err_path.read_text(errors="replace"))


def offline_env(endpoint: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured tool: the local endpoint's credentials, nothing from ~/.aws, and
    every other HTTP(S) destination sent to a closed local port, so nothing leaves the machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_CONFIG_FILE": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_DEFAULT_REGION": "us-east-1",
        "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
    })
    if endpoint:
        from assay.demo.server import DEMO_CREDENTIALS

        env.update({"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": DEMO_CREDENTIALS["aws_access_key_id"],
                    "AWS_SECRET_ACCESS_KEY": DEMO_CREDENTIALS["aws_secret_access_key"]})
    env.update(extra or {})
    return env
