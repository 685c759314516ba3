"""Read calls the demo needs that moto 5.2 does not answer, taught to its in-process server.

Each answers from state moto already keeps, the way AWS would, and does nothing once moto implements
the call. They exist for the demo estate only; collector tests also check the real AWS response
shapes with botocore's Stubber. Also here: the few AWS-managed IAM policies the demo attaches, taken
from moto's own copy of them (moto loads all of them only on request, which is slow).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

_DEFAULT_STANDARDS = [  # what EnableSecurityHub(EnableDefaultStandards=True) turns on
    "arn:aws:securityhub:{region}::standards/aws-foundational-security-best-practices/v/1.0.0",
    "arn:aws:securityhub:{region}::standards/cis-aws-foundations-benchmark/v/1.2.0",
]


# AWS-managed policies the demo attaches; the IAM controls only compare their ARNs.
AWS_MANAGED_POLICIES = ("AdministratorAccess", "AWSCloudShellFullAccess", "AWSSupportAccess", "PowerUserAccess")


def install() -> None:
    _guardduty_list_findings()
    _guardduty_list_publishing_destinations()
    _codebuild_list_source_credentials()
    _securityhub_enabled_standards()
    _fsx_describe_volumes()
    _aws_managed_policies()


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


def _guardduty_list_publishing_destinations() -> None:
    """GuardDuty ListPublishingDestinations: moto cannot create destinations, so a detector has none."""
    from moto.guardduty import urls
    from moto.guardduty.responses import GuardDutyResponse

    if hasattr(GuardDutyResponse, "list_publishing_destinations"):
        return

    def list_publishing_destinations(self: Any) -> str:
        detector_id = self.path.split("/")[-2]
        self.guardduty_backend.get_detector(detector_id)  # raises for an unknown detector, as AWS does
        return json.dumps({"Destinations": []})

    GuardDutyResponse.list_publishing_destinations = list_publishing_destinations  # type: ignore[attr-defined]
    urls.url_paths["{0}/detector/(?P<detector_id>[^/]+)/publishingDestination$"] = GuardDutyResponse.dispatch


def _codebuild_list_source_credentials() -> None:
    """CodeBuild ListSourceCredentials: moto cannot import source credentials, so an account has none."""
    from moto.codebuild.responses import CodeBuildResponse

    if getattr(CodeBuildResponse, "_assay_source_credentials", False):
        return

    def list_source_credentials(self: Any) -> str:
        return json.dumps({"sourceCredentialsInfos": []})

    CodeBuildResponse.list_source_credentials = list_source_credentials  # type: ignore[attr-defined]
    CodeBuildResponse._assay_source_credentials = True  # type: ignore[attr-defined]


def _fsx_describe_volumes() -> None:
    """FSx DescribeVolumes: moto cannot create volumes (nor the storage virtual machines that hold ONTAP
    volumes), so a region has none."""
    from moto.fsx.responses import FSxResponse

    if hasattr(FSxResponse, "describe_volumes"):
        return

    def describe_volumes(self: Any) -> str:
        return json.dumps({"Volumes": []})

    FSxResponse.describe_volumes = describe_volumes  # type: ignore[attr-defined]


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


def _aws_managed_policies() -> None:
    """Every new IAM backend gets AWS_MANAGED_POLICIES, unless moto is already loading them all."""
    from moto.iam.aws_managed_policies import aws_managed_policies_data
    from moto.iam.models import AWSManagedPolicy, IAMBackend
    from moto.settings import load_iam_aws_managed_policies

    if getattr(IAMBackend, "_assay_policies", False):
        return
    original = IAMBackend._init_aws_policies

    @cache
    def wanted() -> dict[str, Any]:  # parsed on first use: the data is a few megabytes of JSON
        return {name: data for name, data in json.loads(aws_managed_policies_data).items()
                if name in AWS_MANAGED_POLICIES}

    def init_aws_policies(self: Any) -> list[Any]:
        if load_iam_aws_managed_policies():
            return original(self)
        return [AWSManagedPolicy.from_data(name, self.account_id, self.region_name, data)
                for name, data in wanted().items()]

    IAMBackend._init_aws_policies = init_aws_policies  # type: ignore[method-assign]
    IAMBackend._assay_policies = True  # type: ignore[attr-defined]


def _not_subscribed() -> Exception:
    from moto.core.exceptions import JsonRESTError

    return JsonRESTError("InvalidAccessException", "Account is not subscribed to AWS Security Hub")
