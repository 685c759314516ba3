"""The clock a scan waits on: botocore's retry backoff, the rate limiter and the runner's requeue delays.

Every wait of a scan goes through one `Clock`, so a test can run a scan in faster time (`ScaledClock`)
and still see the product's real schedule: the same backoff draws, delays and budgets, each taken at
face value in scaled seconds, with the threads running side by side as they would in real time.
"""

from __future__ import annotations

import time


class Clock:
    """Real time."""

    speed = 1.0

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds / self.speed)

    def real(self, seconds: float) -> float:
        """How many real seconds `seconds` of this clock last (for waits that take a real timeout)."""
        return seconds / self.speed


class ScaledClock(Clock):
    """Time that runs `speed` times faster than real time, from the moment it is made.

    Everything measured on it is scaled alike, the work between waits included: at speed 10, a request
    that takes 15 ms of real time takes 150 ms of this clock.
    """

    def __init__(self, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = time.monotonic()

    def monotonic(self) -> float:
        return self._origin + (time.monotonic() - self._origin) * self.speed


SYSTEM_CLOCK = Clock()
