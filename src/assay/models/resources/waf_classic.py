"""AWS WAF Classic resources: web ACLs of the global (CloudFront) API and of the regional API.

WAF Classic reached end of support on 30 September 2025, but its web ACLs keep working until they are
migrated to AWS WAF (v2). The two APIs are separate services, so their web ACLs are separate types.
"""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class ClassicWebAcl(Resource):
    """What both kinds of WAF Classic web ACL share."""

    # Kinesis Data Firehose streams the ACL's traffic is logged to; (): no logging; None: not read.
    log_destinations: tuple[str, ...] | None = None


class WafClassicWebAcl(ClassicWebAcl):
    """A global WAF Classic web ACL, which protects CloudFront distributions."""

    type: ClassVar[str] = "AWS::WAF::WebACL"


class WafRegionalWebAcl(ClassicWebAcl):
    """A regional WAF Classic web ACL, which protects load balancers and API Gateway stages."""

    type: ClassVar[str] = "AWS::WAFRegional::WebACL"
