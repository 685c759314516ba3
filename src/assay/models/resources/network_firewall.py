"""AWS Network Firewall resources."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class NetworkFirewall(Resource):
    """A firewall from ListFirewalls; the fields below come from DescribeFirewall and are None when it failed."""

    type: ClassVar[str] = "AWS::NetworkFirewall::Firewall"
    vpc_id: str | None = None  # "" for a firewall attached to a transit gateway instead of a VPC
    subnet_ids: tuple[str, ...] | None = None
    policy_arn: str | None = None
    status: str | None = None  # PROVISIONING, READY or DELETING
    # From DescribeLoggingConfiguration: log types ("FLOW", "ALERT", "TLS") sent somewhere; None: not read.
    log_types: tuple[str, ...] | None = None
