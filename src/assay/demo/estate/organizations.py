"""AWS Organizations: production is Northwind's management account, with a guardrail SCP on the root.

The sandbox account stays outside the organisation (organizations.account_in_organization fails there,
organizations.scps_attached is not applicable).
"""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

GUARDRAILS = {"Version": "2012-10-17", "Statement": [
    {"Sid": "StayInTheOrganization", "Effect": "Deny", "Action": "organizations:LeaveOrganization", "Resource": "*"},
    {"Sid": "KeepTheAuditTrail", "Effect": "Deny", "Resource": "*",
     "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "guardduty:DeleteDetector"]},
]}


def seed(client: ClientFactory, regions: list[str]) -> None:
    org = client("organizations", regions[0])
    org.create_organization(FeatureSet="ALL")
    policy = org.create_policy(Name="pass-northwind-guardrails", Description="Baseline guardrails for every account",
                               Type="SERVICE_CONTROL_POLICY", Content=json.dumps(GUARDRAILS))
    root = org.list_roots()["Roots"][0]["Id"]
    org.attach_policy(PolicyId=policy["Policy"]["PolicySummary"]["Id"], TargetId=root)
