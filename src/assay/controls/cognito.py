"""Amazon Cognito controls: how user pools authenticate the application's users."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.cognito_idp import CognitoUserPool

NEEDS = ["cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool"]


@control(
    id="cognito.user_pool_mfa_required",
    title="Cognito user pools require multi-factor authentication",
    severity="high",
    needs=NEEDS,
    rationale="A user pool authenticates the customers or staff of an application. With MFA off or optional, "
    "a phished or reused password alone opens an account; requiring a second factor for every user is the "
    "authentication strength CC6.1 expects of access to protected information.",
    remediation=Remediation(
        console="Cognito console > User pools > the pool > Sign-in experience (Authentication methods) > "
        "Multi-factor authentication > Edit > 'Require MFA', choose authenticator apps (and/or SMS, email) > "
        "Save. MFA can only be required on a pool if users can enrol a factor at sign-in.",
        cli="aws cognito-idp set-user-pool-mfa-config --user-pool-id <pool-id> --mfa-configuration ON "
        "--software-token-mfa-configuration Enabled=true",
        terraform='resource "aws_cognito_user_pool" "customers" {\n  mfa_configuration = "ON"\n'
        '  software_token_mfa_configuration {\n    enabled = true\n  }\n}',
    ),
)
def user_pool_mfa_required(pool: CognitoUserPool) -> Outcome:
    if pool.mfa_configuration is None:
        return Error("user pool was not described")
    if pool.mfa_configuration == "ON":
        return Pass("MFA is required for every user")
    return Fail(f"MFA is {pool.mfa_configuration.lower()}, not required")


@control(
    id="cognito.user_pool_threat_protection_enforced",
    title="Cognito user pools enforce threat protection (advanced security)",
    severity="medium",
    needs=NEEDS,
    rationale="Threat protection scores each sign-in for risk (new device, impossible travel, compromised "
    "credentials) and, in enforced mode, blocks or challenges risky ones. Audit mode only records them. "
    "Enforcement detects and stops account-takeover attempts against the application (CC6.1, CC6.8, CC7.2).",
    remediation=Remediation(
        console="Cognito console > User pools > the pool > Threat protection (Advanced security) > Activate "
        "(the Plus feature plan is required) > set enforcement mode to 'Full function' and configure risk "
        "responses > Save.",
        cli="aws cognito-idp update-user-pool --user-pool-id <pool-id> "
        "--user-pool-add-ons AdvancedSecurityMode=ENFORCED  # repeat the pool's other settings: omitted ones reset",
        terraform='resource "aws_cognito_user_pool" "customers" {\n  user_pool_tier = "PLUS"\n'
        '  user_pool_add_ons {\n    advanced_security_mode = "ENFORCED"\n  }\n}',
    ),
)
def user_pool_threat_protection_enforced(pool: CognitoUserPool) -> Outcome:
    if pool.advanced_security_mode is None:
        return Error("user pool was not described")
    if pool.advanced_security_mode == "ENFORCED":
        return Pass("threat protection is enforced")
    return Fail(f"threat protection mode is {pool.advanced_security_mode}, not ENFORCED")


@control(
    id="cognito.user_pool_password_policy_strong",
    title="Cognito user pools require long passwords with mixed character classes",
    severity="medium",
    needs=NEEDS,
    rationale="Where users sign in with passwords, a minimum length and character variety make guessing "
    "and credential stuffing harder; the pool's policy is the only place this is enforced for an "
    "application's users (CC6.1, CC6.2).",
    remediation=Remediation(
        console="Cognito console > User pools > the pool > Authentication methods > Password policy > Edit > "
        "Custom: minimum length 12 or more, require numbers, special characters, upper and lower case > Save.",
        cli="aws cognito-idp update-user-pool --user-pool-id <pool-id> --policies 'PasswordPolicy={MinimumLength=12,"
        "RequireUppercase=true,RequireLowercase=true,RequireNumbers=true,RequireSymbols=true}'",
        terraform='resource "aws_cognito_user_pool" "customers" {\n  password_policy {\n    minimum_length    = 12\n'
        '    require_uppercase = true\n    require_lowercase = true\n    require_numbers   = true\n'
        '    require_symbols   = true\n  }\n}',
    ),
)
def user_pool_password_policy_strong(pool: CognitoUserPool, *, min_length: int = 12) -> Outcome:
    p = pool.password_policy
    if p is None:
        return Error("user pool was not described")
    weak = [f"minimum length {p.minimum_length} < {min_length}"] if p.minimum_length < min_length else []
    weak += [f"no {name} required" for name, required in (
        ("uppercase", p.require_uppercase), ("lowercase", p.require_lowercase), ("numbers", p.require_numbers),
        ("symbols", p.require_symbols)) if not required]
    if weak:
        return Fail("weak password policy: " + ", ".join(weak))
    return Pass(f"passwords need {p.minimum_length}+ characters with all character classes")
