"""CloudFormation templates for the scanning role: one account, or every account of an organization.

`role_template()` is the role in one account: the declared read-only policy as managed policies
(split to IAM's size limit), AWS's SecurityAudit and ViewOnlyAccess only with include_managed, and a
trust policy that lets only the scanning account in, only with the external id.

`stackset_template()` deploys that same template to organizational units through a service-managed
StackSet with automatic deployment: accounts that join the OUs later get the role, accounts that
leave lose it. Service-managed StackSets never deploy to the management account itself; deploy
`role_template()` there as an ordinary stack if it should be scanned too. IAM is global, so the
stack instances go to one region: the one the StackSet is created in.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from assay.errors import UsageError
from assay.onboarding import DESCRIPTION, RoleOptions
from assay.onboarding.policies import AWS_MANAGED, MANAGED_POLICIES_PER_ROLE, POLICY_VERSION, scanning_policies

TEMPLATE_VERSION = "2010-09-09"
TEMPLATE_BODY_LIMIT = 51200  # bytes of a TemplateBody
ROLE = "ScanRole"
DEFAULT_STACKSET_NAME = "assay-scan-role"


def _sub(text: str) -> dict[str, str]:
    return {"Fn::Sub": text}


def _ref(name: str) -> dict[str, str]:
    return {"Ref": name}


def role_parameters(opts: RoleOptions) -> dict[str, Any]:
    trusted: dict[str, Any] = {
        "Type": "String",
        "Description": "The AWS account Assay scans from: only it may assume the role",
        "AllowedPattern": r"^\d{12}$",
        "ConstraintDescription": "a 12-digit AWS account id",
    }
    external: dict[str, Any] = {
        "Type": "String",
        "Description": "External id the scanner must present (sts:ExternalId)",
        "NoEcho": True,
        "MinLength": 2,
        "MaxLength": 1224,
        "AllowedPattern": r"^[\w+=,.@:/-]+$",
        "ConstraintDescription": "2 to 1,224 characters of letters, digits and +=,.@:/-",
    }
    name: dict[str, Any] = {
        "Type": "String",
        "Description": "Name of the scanning role (the same in every account, so one ARN pattern reaches all)",
        "Default": opts.role_name,
        "AllowedPattern": r"^[\w+=,.@-]{1,64}$",
        "ConstraintDescription": "1 to 64 characters of letters, digits and +=,.@_-",
    }
    if opts.trusted_account:
        trusted["Default"] = opts.trusted_account
    if opts.external_id:
        external["Default"] = opts.external_id
    return {"TrustedAccountId": trusted, "ExternalId": external, "RoleName": name}


def trust_policy() -> dict[str, Any]:
    return {
        "Version": POLICY_VERSION,
        "Statement": [{
            "Sid": "AssayScannerAccount",
            "Effect": "Allow",
            "Principal": {"AWS": _sub("arn:${AWS::Partition}:iam::${TrustedAccountId}:root")},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": _ref("ExternalId")}},
        }],
    }


def role_template(opts: RoleOptions) -> dict[str, Any]:
    policies = scanning_policies()
    attached = len(policies) + (len(AWS_MANAGED) if opts.include_managed else 0)
    if attached > MANAGED_POLICIES_PER_ROLE:
        raise UsageError(f"the role would need {attached} managed policies, more than IAM's default quota of "
                         f"{MANAGED_POLICIES_PER_ROLE} per role")
    resources: dict[str, Any] = {}
    arns: list[Any] = []
    for n, doc in enumerate(policies, start=1):
        logical = f"ReadOnlyPolicy{n}"
        resources[logical] = {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "ManagedPolicyName": _sub(f"${{RoleName}}-ReadOnly-{n}"),
                "Description": f"Assay read-only scanning permissions, part {n} of {len(policies)}",
                "PolicyDocument": doc,
            },
        }
        arns.append(_ref(logical))
    if opts.include_managed:
        arns += [_sub(f"arn:${{AWS::Partition}}:{path}") for path in AWS_MANAGED.values()]
    resources[ROLE] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "RoleName": _ref("RoleName"),
            "Description": DESCRIPTION,
            "MaxSessionDuration": 3600,
            "AssumeRolePolicyDocument": trust_policy(),
            "ManagedPolicyArns": arns,
            "Tags": [{"Key": "managed-by", "Value": "assay"}],
        },
    }
    return {
        "AWSTemplateFormatVersion": TEMPLATE_VERSION,
        "Description": DESCRIPTION + (" plus AWS's SecurityAudit and ViewOnlyAccess" if opts.include_managed else ""),
        "Parameters": role_parameters(opts),
        "Resources": resources,
        "Outputs": {
            "RoleArn": {"Description": "Pass it to `assay scan --role-arn`",
                        "Value": {"Fn::GetAtt": [ROLE, "Arn"]}},
        },
    }


def stackset_template(opts: RoleOptions) -> dict[str, Any]:
    body = json.dumps(role_template(RoleOptions(include_managed=opts.include_managed)), separators=(",", ":"))
    if len(body.encode()) > TEMPLATE_BODY_LIMIT:
        raise UsageError(f"the role template is {len(body.encode())} bytes, over CloudFormation's TemplateBody "
                         f"limit of {TEMPLATE_BODY_LIMIT}")
    parameters = role_parameters(opts)
    parameters["OrganizationalUnitIds"] = {
        "Type": "CommaDelimitedList",
        "Description": "Organizational units (ou-xxxx-xxxxxxxx) or the root (r-xxxx) whose accounts get the role",
    }
    parameters["StackSetName"] = {
        "Type": "String", "Default": DEFAULT_STACKSET_NAME, "Description": "Name of the StackSet",
        "AllowedPattern": r"^[a-zA-Z][a-zA-Z0-9-]{0,127}$",
    }
    parameters["CallAs"] = {
        "Type": "String", "Default": "SELF", "AllowedValues": ["SELF", "DELEGATED_ADMIN"],
        "Description": "SELF in the management account; DELEGATED_ADMIN in a delegated StackSets administrator",
    }
    return {
        "AWSTemplateFormatVersion": TEMPLATE_VERSION,
        "Description": "Assay: deploys the read-only SOC 2 scanning role to every account of the given "
                       "organizational units (service-managed StackSet, automatic deployment)",
        "Parameters": parameters,
        "Resources": {
            "ScanRoleStackSet": {
                "Type": "AWS::CloudFormation::StackSet",
                "Properties": {
                    "StackSetName": _ref("StackSetName"),
                    "Description": DESCRIPTION,
                    "PermissionModel": "SERVICE_MANAGED",
                    "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
                    "CallAs": _ref("CallAs"),
                    "Capabilities": ["CAPABILITY_NAMED_IAM"],
                    "ManagedExecution": {"Active": True},
                    "OperationPreferences": {"FailureTolerancePercentage": 10, "MaxConcurrentPercentage": 25,
                                             "RegionConcurrencyType": "PARALLEL"},
                    "Parameters": [{"ParameterKey": key, "ParameterValue": _ref(key)}
                                   for key in ("TrustedAccountId", "ExternalId", "RoleName")],
                    "StackInstancesGroup": [{
                        "DeploymentTargets": {"OrganizationalUnitIds": _ref("OrganizationalUnitIds")},
                        "Regions": [_ref("AWS::Region")],
                    }],
                    "TemplateBody": body,
                },
            },
        },
        "Outputs": {
            "StackSetId": {"Description": "The StackSet that deploys the role", "Value": _ref("ScanRoleStackSet")},
            "RoleArnPattern": {
                "Description": "The role in each member account",
                "Value": _sub("arn:${AWS::Partition}:iam::<member-account-id>:role/${RoleName}"),
            },
        },
    }


def dump(template: dict[str, Any]) -> str:
    """YAML, keys in template order; long-form intrinsics ({"Ref": ...}) are valid YAML CloudFormation."""
    return str(yaml.safe_dump(template, sort_keys=False, width=120, allow_unicode=True))
