"""API economy (T8): IAM costs about ten calls plus pages, whatever the number of users.

Per-user reads (ListAccessKeys, ListMFADevices, GetLoginProfile, ...) would make the count grow
with the estate; the credential report and GetAccountAuthorizationDetails keep it flat.
"""

from __future__ import annotations

import math
from typing import Any

from assay.collect.aws.iam import PAGE
from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.models.resources.iam import IamRole, IamUser

USERS = 300
# Listings that may take more than one page: the first page is part of the fixed cost.
PAGED = {"iam:GetAccountAuthorizationDetails": 1, "iam:ListVirtualMFADevices": 1}


def test_iam_calls_do_not_grow_with_users(access: AwsAccess, seed: Any) -> None:
    iam = seed("iam")
    for n in range(USERS):
        name = f"user-{n:04d}"
        iam.create_user(UserName=name, Tags=[{"Key": "team", "Value": f"t{n % 7}"}])
        if n % 3 == 0:
            iam.create_access_key(UserName=name)
        if n % 5 == 0:
            iam.create_login_profile(UserName=name, Password="Sup3r-secret-pw!")
        if n % 10 == 0:
            iam.put_user_policy(UserName=name, PolicyName="inline", PolicyDocument='{"Version":"2012-10-17",'
                                '"Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}')
    for n in range(30):
        iam.create_role(RoleName=f"role-{n}", AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[]}')

    inv = collect(access, regions=["us-east-1"], services=["iam"])
    assert inv.complete
    users = inv.of(IamUser)
    assert len(users) == USERS and len(inv.of(IamRole)) == 30
    assert sum(1 for u in users if u.access_keys) == math.ceil(USERS / 3)  # the report was read
    assert sum(1 for u in users if u.inline_policies) == USERS // 10  # the authorization details were read

    calls = {op: n for op, n in inv.meta.api_calls.items() if op.startswith("iam:")}  # not the planning reads
    pages = sum(max(0, calls.get(op, 0) - first) for op, first in PAGED.items())
    total = sum(calls.values())
    # ten for users, roles and policies, one for server certificates (in neither bulk answer)
    assert total <= 11 + pages, calls
    # Pages come from entity counts over the 1,000-item page size, not from per-user calls: users, groups,
    # roles and policies are one listing.
    assert calls["iam:GetAccountAuthorizationDetails"] <= math.ceil((USERS + 30) / PAGE)
    assert pages <= math.ceil((USERS + 30) / PAGE)
    assert max(calls.values()) < 20, f"a per-user call: {calls}"
