"""The sandbox's IAM: a strict password policy, only narrowly scoped customer policies, administrator
access only through the role AWS Organizations creates for the production account, and CloudWatch data
shared with the production account only."""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

STALE_USER = "fail-stale-deploy-key"
PRODUCTION = "123456789012"


def seed(client: ClientFactory, regions: list[str]) -> None:
    iam = client("iam", "us-east-1")
    iam.update_account_password_policy(
        MinimumPasswordLength=16, RequireSymbols=True, RequireNumbers=True, RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True, AllowUsersToChangePassword=True, MaxPasswordAge=90,
        PasswordReusePrevention=24)
    # A deployment user whose key was created long ago and never used (aged in demo.accounts).
    iam.create_user(UserName=STALE_USER)
    iam.create_access_key(UserName=STALE_USER)
    logs_read = iam.create_policy(PolicyName="pass-sandbox-readonly-logs", PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["logs:Get*", "logs:Describe*"], "Resource": "*"}],
    }))["Policy"]["Arn"]
    # production's monitoring reads the sandbox's logs through CloudWatch cross-account sharing
    iam.create_role(RoleName="CloudWatch-CrossAccountSharingRole", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"AWS": f"arn:aws:iam::{PRODUCTION}:root"}}]}))
    iam.attach_role_policy(RoleName="CloudWatch-CrossAccountSharingRole", PolicyArn=logs_read)
    iam.create_role(RoleName="OrganizationAccountAccessRole", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"AWS": f"arn:aws:iam::{PRODUCTION}:root"}}]}))
    iam.attach_role_policy(RoleName="OrganizationAccountAccessRole",
                           PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
