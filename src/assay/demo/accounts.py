"""Seed the whole demo (two accounts) on an endpoint and return the accesses that scan it."""

from __future__ import annotations

from assay.collect.session import AwsAccess
from assay.demo import estate, moto_state, sandbox
from assay.demo.sandbox import iam as sandbox_iam
from assay.demo.server import DEMO_CREDENTIALS, seed_client

SANDBOX_ROLE = f"arn:aws:iam::{sandbox.ACCOUNT_ID}:role/{sandbox.ROLE_NAME}"

# Services the demo's local endpoint cannot serve: the demo does not collect them, and reports the
# controls that need them as ERROR ("not collected"), never as compliant. Their collectors are
# tested against recorded AWS responses instead.
NOT_EMULATED = {
    "accessanalyzer": "moto 5.2 does not emulate IAM Access Analyzer",
    "ssm": "moto 5.2 does not answer DescribeInstanceInformation or the compliance summaries",
    "kafkaconnect": "moto 5.2 does not emulate MSK Connect",
    "elasticbeanstalk": "moto 5.2 keeps no environment option settings and does not answer "
                        "DescribeConfigurationSettings",
    "waf": "moto 5.2 does not emulate AWS WAF Classic",
    "waf-regional": "moto 5.2 does not emulate AWS WAF Classic",
}


def demo_services() -> list[str]:
    from assay.collect.registry import collectors_by_service

    return sorted(set(collectors_by_service()) - set(NOT_EMULATED))


def seed_demo(endpoint: str, regions: list[str] = estate.REGIONS) -> list[AwsAccess]:
    estate.seed(lambda service, region: seed_client(endpoint, service, region), regions)
    sts = seed_client(endpoint, "sts", regions[0])
    creds = sts.assume_role(RoleArn=SANDBOX_ROLE, RoleSessionName="northwind-setup")["Credentials"]
    keys = {"aws_access_key_id": creds["AccessKeyId"], "aws_secret_access_key": creds["SecretAccessKey"],
            "aws_session_token": creds["SessionToken"]}
    sandbox.seed(lambda service, region: seed_client(endpoint, service, region, keys), regions)
    _set_what_the_api_cannot(production=str(sts.get_caller_identity()["Account"]))
    return demo_accesses(endpoint, regions)


def _set_what_the_api_cannot(production: str) -> None:
    """Root MFA and keys, and an aged key: see demo.moto_state (the server runs in this process)."""
    moto_state.set_root(production, access_keys=True)
    moto_state.set_root(sandbox.ACCOUNT_ID, mfa_enabled=True)
    moto_state.age_access_keys(sandbox.ACCOUNT_ID, sandbox_iam.STALE_USER, days=200)


def demo_accesses(endpoint: str, regions: list[str] = estate.REGIONS) -> list[AwsAccess]:
    """The production account with the demo keys, and the sandbox through an assumed role."""
    def access(role_arn: str | None = None) -> AwsAccess:
        # No client-side rate limit: it protects a customer's production, and this endpoint is local.
        return AwsAccess(endpoint_url=endpoint, home_region=regions[0], role_arn=role_arn,
                         access_key=DEMO_CREDENTIALS["aws_access_key_id"],
                         secret_key=DEMO_CREDENTIALS["aws_secret_access_key"], max_rate=None)

    return [access(), access(SANDBOX_ROLE)]
