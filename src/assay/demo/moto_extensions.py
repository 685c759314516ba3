"""Read calls the demo needs that moto 5.2 does not answer, taught to its in-process server.

Each answers from state moto already keeps, the way AWS would, and does nothing once moto implements
the call. They exist for the demo estate only; collector tests also check the real AWS response
shapes with botocore's Stubber.
"""

from __future__ import annotations

import json
from typing import Any

_DEFAULT_STANDARDS = [  # what EnableSecurityHub(EnableDefaultStandards=True) turns on
    "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0",
    "arn:aws:securityhub:{region}::standards/cis-aws-foundations-benchmark/v/1.2.0",
]


def install() -> None:
    _guardduty_list_findings()
    _securityhub_enabled_standards()


def _guardduty_list_findings() -> None:
    """GuardDuty ListFindings: moto records no findings, so a detector has none to list."""
    from moto.guardduty import urls
    from moto.guardduty.responses import GuardDutyResponse

    if hasattr(GuardDutyResponse, "list_findings"):
        return

    def list_findings(self: Any) -> str:
        detector_id = self.path.split("/")[-2]
        self.guardduty_backend.get_detector(detector_id)  # raises for an unknown detector, as AWS does
        return json.dumps({"findingIds": []})

    GuardDutyResponse.list_findings = list_findings  # type: ignore[attr-defined]
    urls.url_paths["{0}/detector/(?P<detector_id>[^/]+)/findings$"] = GuardDutyResponse.dispatch


def _securityhub_enabled_standards() -> None:
    """Security Hub GetEnabledStandards: the default standards once the hub is enabled with them."""
    from moto.securityhub import urls
    from moto.securityhub.responses import SecurityHubResponse

    if hasattr(SecurityHubResponse, "get_enabled_standards"):
        return

    def get_enabled_standards(self: Any) -> str:
        backend = self.securityhub_backend
        if not getattr(backend, "enabled", False):
            raise _not_subscribed()
        region = self.region
        subs = [{"StandardsArn": arn.format(region=region),
                 "StandardsSubscriptionArn": f"arn:aws:securityhub:{region}:{self.current_account}:subscription/"
                                             f"{arn.split('standards/')[1]}",
                 "StandardsInput": {}, "StandardsStatus": "READY"} for arn in _DEFAULT_STANDARDS]
        return json.dumps({"StandardsSubscriptions": subs})

    SecurityHubResponse.get_enabled_standards = get_enabled_standards  # type: ignore[attr-defined]
    urls.url_paths["{0}/standards/get$"] = SecurityHubResponse.dispatch


def _not_subscribed() -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError("InvalidAccessException", "Account is not subscribed to AWS Security Hub")
