"""Security Hub: switched on in the home region only; Europe never got it.

moto 5.2.1 does not answer GetEnabledStandards, so the demo cannot show the home region's verdict (it is
ERROR there); eu-west-1 fails for having no hub.
"""

from __future__ import annotations

from assay.demo.estate import ClientFactory

HOME = "us-east-1"


def seed(client: ClientFactory, regions: list[str]) -> None:
    if HOME in regions:
        client("securityhub", HOME).enable_security_hub(EnableDefaultStandards=True,
                                                        Tags={"team": "security"})
