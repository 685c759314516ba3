"""KMS: keys, their rotation status and key policies."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.kms import KmsKey


@collector(
    service="kms",
    produces=[KmsKey],
    permissions=["kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:GetKeyPolicy",
                 "kms:ListResourceTags", "kms:ListAliases"],
    absent={"kms:GetKeyRotationStatus": ["UnsupportedOperationException"]},
)
def collect_keys(ctx: Ctx) -> Iterator[KmsKey]:
    kms = ctx.client("kms")
    aliases: dict[str, str] = {}
    for a in ctx.paginate(kms, "list_aliases", "Aliases"):
        if a.get("TargetKeyId") and a.get("AliasName"):
            aliases.setdefault(a["TargetKeyId"], a["AliasName"])
    for k in ctx.paginate(kms, "list_keys", "Keys"):
        key_id, arn = k["KeyId"], k.get("KeyArn") or ctx.arn("kms", f"key/{k['KeyId']}")
        described = ctx.call(kms, "describe_key", resource_arn=arn, KeyId=key_id)
        if described is None:
            continue  # the error is recorded against this key; nothing else can be read
        meta = described["KeyMetadata"]
        manager = meta.get("KeyManager", "CUSTOMER")
        spec = meta.get("KeySpec") or meta.get("CustomerMasterKeySpec") or "SYMMETRIC_DEFAULT"
        rotation: bool | None = None
        if manager == "CUSTOMER" and spec == "SYMMETRIC_DEFAULT" and meta.get("Origin", "AWS_KMS") == "AWS_KMS" \
                and meta.get("KeyState") not in ("PendingDeletion", "PendingReplicaDeletion"):
            status = ctx.call(kms, "get_key_rotation_status", resource_arn=arn, KeyId=key_id)
            rotation = None if status is None else bool(status.get("KeyRotationEnabled", False))
        raw_policy = ctx.call(kms, "get_key_policy", resource_arn=arn, KeyId=key_id, PolicyName="default")
        policy = None
        if raw_policy is not None and raw_policy.get("Policy"):
            policy = ctx.policy_document("kms:GetKeyPolicy", raw_policy["Policy"], arn)
        tags: dict[str, str] = {}
        if manager == "CUSTOMER":
            # Tags come in pages (Marker/Truncated): all of them, not only the first page.
            tags = tags_from(list(ctx.paginate(kms, "list_resource_tags", "Tags", resource_arn=arn, KeyId=key_id)),
                             "TagKey", "TagValue")
        deletion = meta.get("DeletionDate")
        yield KmsKey(
            arn=arn, id=key_id, account_id=ctx.account_id, region=ctx.region,
            name=aliases.get(key_id, ""), tags=tags, manager=manager, state=meta.get("KeyState", ""),
            spec=spec, origin=meta.get("Origin", "AWS_KMS"),
            deletion_date=deletion.isoformat() if deletion is not None else None,
            rotation_enabled=rotation, policy=policy,
        )
