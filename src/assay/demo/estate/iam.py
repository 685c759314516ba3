"""Northwind Analytics' IAM: console users with and without MFA, a service user with a key, users with
policies of their own, an admin-everything policy and role, and a weak password policy. Also: AdministratorAccess
on a user, CloudShell for the analysts, a CI role with PowerUserAccess that can launch instances with any role,
vendor roles with and without an external ID, a user with two active keys and an expired server certificate.
Also: a group nobody belongs to any more, a policy attached to nothing, and CloudWatch data shared with an
observability vendor's account outside the organisation.

IAM is global, so it is seeded once whatever the regions. What the demo cannot show, because the API
cannot backdate or reach them: old or unused credentials (every key and password is new), root MFA and
root access keys (moto reports neither), and a strong password policy next to the weak one (one per account).
"""

from __future__ import annotations

import json
from typing import Any

from assay.demo.estate import ClientFactory

ADMIN_EVERYTHING = {"Version": "2012-10-17",
                    "Statement": [{"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"}]}
REPORTS_READ = {"Version": "2012-10-17", "Statement": [{
    "Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
    "Resource": ["arn:aws:s3:::northwind-reports", "arn:aws:s3:::northwind-reports/*"]}]}
ETL_WRITE = {"Version": "2012-10-17", "Statement": [{
    "Sid": "WriteStaging", "Effect": "Allow", "Action": ["s3:PutObject"],
    "Resource": "arn:aws:s3:::northwind-staging/*"}]}
EC2_TRUST = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
LAUNCH_ANY_ROLE = {"Version": "2012-10-17", "Statement": [{
    "Sid": "LaunchWithAnyRole", "Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]}
ETL_VENDOR, RESPONDER = "444455556666", "777788889999"  # a managed ETL vendor, an incident-response retainer
OBSERVABILITY_VENDOR = "555566667777"
CLOUDWATCH_READ = {"Version": "2012-10-17", "Statement": [{
    "Sid": "ReadMonitoring", "Effect": "Allow", "Resource": "*",
    "Action": ["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*", "logs:FilterLogEvents", "logs:Get*"]}]}
AWS_POLICY = "arn:aws:iam::aws:policy/{}"
# moto serves any certificate body; it reports every IAM server certificate as expired in 2012.
OLD_CERT = "-----BEGIN CERTIFICATE-----\nMIIBnorthwindportal\n-----END CERTIFICATE-----"


def _trust(account: str, external_id: str | None = None) -> str:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                                 "Action": "sts:AssumeRole"}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _policy(iam: Any, name: str, doc: dict[str, Any]) -> str:
    return str(iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(doc))["Policy"]["Arn"])


def _console_user(iam: Any, name: str, group: str) -> None:
    iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": "analytics"}])
    iam.create_login_profile(UserName=name, Password="Demo-only-not-a-real-password-1!")
    iam.add_user_to_group(GroupName=group, UserName=name)


def seed(client: ClientFactory, regions: list[str]) -> None:
    iam = client("iam", regions[0])
    reports = _policy(iam, "pass-reports-read", REPORTS_READ)
    etl = _policy(iam, "pass-etl-staging-write", ETL_WRITE)
    _policy(iam, "fail-admin-everything", ADMIN_EVERYTHING)  # attached nowhere, still attachable anywhere

    iam.create_group(GroupName="analysts")
    iam.attach_group_policy(GroupName="analysts", PolicyArn=reports)
    iam.create_group(GroupName="etl-services")
    iam.attach_group_policy(GroupName="etl-services", PolicyArn=etl)
    # the 2023 audit team's group: its members left, its access to the reports stayed
    iam.create_group(GroupName="fail-retired-auditors")
    iam.attach_group_policy(GroupName="fail-retired-auditors", PolicyArn=reports)

    # console users: one with a virtual MFA device, one without
    _console_user(iam, "pass-analyst-mfa", "analysts")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="pass-analyst-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="pass-analyst-mfa", SerialNumber=serial,
                          AuthenticationCode1="123456", AuthenticationCode2="654321")
    _console_user(iam, "fail-contractor-no-mfa", "analysts")

    # a service user: no console password (MFA not applicable), a fresh key, permissions via its group
    iam.create_user(UserName="skip-etl-service", Path="/service/")
    iam.add_user_to_group(GroupName="etl-services", UserName="skip-etl-service")
    iam.create_access_key(UserName="skip-etl-service")

    # users with policies of their own
    iam.create_user(UserName="fail-reporting-direct-policy")
    iam.attach_user_policy(UserName="fail-reporting-direct-policy", PolicyArn=reports)
    iam.create_user(UserName="fail-legacy-inline-policy")
    iam.put_user_policy(UserName="fail-legacy-inline-policy", PolicyName="legacy-reports",
                        PolicyDocument=json.dumps(REPORTS_READ))

    # roles: a scoped pipeline role the ETL vendor assumes with its external ID, and a break-glass role whose
    # inline policy allows everything, open to the incident-response retainer's account without one
    iam.create_role(RoleName="pass-data-pipeline", AssumeRolePolicyDocument=_trust(ETL_VENDOR, "nw-etl-7f3a"))
    iam.attach_role_policy(RoleName="pass-data-pipeline", PolicyArn=etl)
    iam.create_role(RoleName="fail-break-glass", AssumeRolePolicyDocument=_trust(RESPONDER))
    iam.put_role_policy(RoleName="fail-break-glass", PolicyName="everything",
                        PolicyDocument=json.dumps(ADMIN_EVERYTHING))

    # powerful AWS-managed policies: administrator rights on a user, CloudShell for the analysts, a CI role
    # with PowerUserAccess (audit logging, Marketplace) that may also pass any role to new instances
    iam.attach_user_policy(UserName="fail-legacy-inline-policy", PolicyArn=AWS_POLICY.format("AdministratorAccess"))
    iam.attach_group_policy(GroupName="analysts", PolicyArn=AWS_POLICY.format("AWSCloudShellFullAccess"))
    iam.create_role(RoleName="ci-instance-launcher", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.attach_role_policy(RoleName="ci-instance-launcher", PolicyArn=AWS_POLICY.format("PowerUserAccess"))
    iam.put_role_policy(RoleName="ci-instance-launcher", PolicyName="launch",
                        PolicyDocument=json.dumps(LAUNCH_ANY_ROLE))
    iam.create_role(RoleName="support-desk", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
    iam.attach_role_policy(RoleName="support-desk", PolicyArn=AWS_POLICY.format("AWSSupportAccess"))

    # CloudWatch cross-account sharing, set up for an observability vendor's own account
    sharing = "CloudWatch-CrossAccountSharingRole"
    iam.create_role(RoleName=sharing, AssumeRolePolicyDocument=_trust(OBSERVABILITY_VENDOR))
    iam.attach_role_policy(RoleName=sharing, PolicyArn=_policy(iam, "pass-cloudwatch-sharing-read", CLOUDWATCH_READ))

    # a deployment user who kept both keys active after a rotation, and a certificate left behind
    iam.create_user(UserName="fail-two-active-keys")
    iam.create_access_key(UserName="fail-two-active-keys")
    iam.create_access_key(UserName="fail-two-active-keys")
    iam.upload_server_certificate(ServerCertificateName="fail-legacy-portal-cert", CertificateBody=OLD_CERT,
                                  PrivateKey="demo-only-not-a-key")

    # below the 14-character, 24-reuse, 90-day standard
    iam.update_account_password_policy(MinimumPasswordLength=8, RequireNumbers=True, MaxPasswordAge=180,
                                       AllowUsersToChangePassword=True)
