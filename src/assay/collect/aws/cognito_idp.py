"""Cognito user pools: MFA, threat protection (advanced security) and password policy."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.cognito_idp import CognitoPasswordPolicy, CognitoUserPool


@collector(service="cognito-idp", produces=[CognitoUserPool],
           permissions=["cognito-idp:ListUserPools", "cognito-idp:DescribeUserPool"])
def collect_user_pools(ctx: Ctx) -> Iterator[CognitoUserPool]:
    idp = ctx.client("cognito-idp")
    for summary in ctx.paginate(idp, "list_user_pools", "UserPools", MaxResults=60):
        pool_id = summary["Id"]
        arn = ctx.arn("cognito-idp", f"userpool/{pool_id}")
        got = ctx.call(idp, "describe_user_pool", resource_arn=arn, UserPoolId=pool_id)
        if got is None:
            yield CognitoUserPool(arn=arn, id=pool_id, account_id=ctx.account_id, region=ctx.region,
                                  name=summary.get("Name", ""))
            continue
        pool = got.get("UserPool", {})
        pw = (pool.get("Policies") or {}).get("PasswordPolicy") or {}
        yield CognitoUserPool(
            arn=pool.get("Arn") or arn, id=pool_id, account_id=ctx.account_id, region=ctx.region,
            name=pool.get("Name") or summary.get("Name", ""),
            tags={str(k): str(v) for k, v in (pool.get("UserPoolTags") or {}).items()},
            mfa_configuration=pool.get("MfaConfiguration") or "OFF",
            advanced_security_mode=(pool.get("UserPoolAddOns") or {}).get("AdvancedSecurityMode") or "OFF",
            password_policy=CognitoPasswordPolicy(
                minimum_length=int(pw.get("MinimumLength") or 8),
                require_uppercase=bool(pw.get("RequireUppercase")), require_lowercase=bool(pw.get("RequireLowercase")),
                require_numbers=bool(pw.get("RequireNumbers")), require_symbols=bool(pw.get("RequireSymbols")),
            ),
            tier=pool.get("UserPoolTier") or "",
        )
