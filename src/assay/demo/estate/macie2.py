"""Amazon Macie: discovering sensitive data at home; paused in Europe, where the partner exports live."""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    home, other = regions[0], regions[-1]
    client("macie2", home).enable_macie(status="ENABLED", findingPublishingFrequency="FIFTEEN_MINUTES")
    if other != home:  # paused during a cost review and never resumed
        client("macie2", other).enable_macie(status="PAUSED")
