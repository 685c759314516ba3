"""Cognito: the customer portal's pool is hardened; a partner beta pool kept the defaults."""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    idp = client("cognito-idp", regions[0])
    idp.create_user_pool(
        PoolName="pass-customer-portal", MfaConfiguration="ON", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"},
        Policies={"PasswordPolicy": {"MinimumLength": 14, "RequireUppercase": True, "RequireLowercase": True,
                                     "RequireNumbers": True, "RequireSymbols": True}},
        UserPoolTags={"app": "portal"})
    idp.create_user_pool(
        PoolName="fail-partner-beta", MfaConfiguration="OPTIONAL", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"},
        Policies={"PasswordPolicy": {"MinimumLength": 8, "RequireUppercase": False, "RequireLowercase": True,
                                     "RequireNumbers": True, "RequireSymbols": False}})
