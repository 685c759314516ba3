"""KMS keys: rotated and not, a public key policy, a key scheduled for deletion."""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

PUBLIC_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Admin", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "EveryoneDecrypt", "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
    ],
}


def seed(client: ClientFactory, regions: list[str]) -> None:
    for region in regions:
        kms = client("kms", region)
        good = kms.create_key(Description="pass: rotated customer key")["KeyMetadata"]["KeyId"]
        kms.enable_key_rotation(KeyId=good)
        kms.create_alias(AliasName=f"alias/pass-rotated-{region}", TargetKeyId=good)
        bad = kms.create_key(Description="fail: never rotated")["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName=f"alias/fail-unrotated-{region}", TargetKeyId=bad)
        public = kms.create_key(Description="fail: public policy", Policy=json.dumps(PUBLIC_POLICY))
        kms.enable_key_rotation(KeyId=public["KeyMetadata"]["KeyId"])
        kms.create_alias(AliasName=f"alias/fail-public-policy-{region}", TargetKeyId=public["KeyMetadata"]["KeyId"])
        doomed = kms.create_key(Description="fail: pending deletion")["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName=f"alias/fail-pending-deletion-{region}", TargetKeyId=doomed)
        kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=7)
        asym = kms.create_key(Description="skip: asymmetric", KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
        kms.create_alias(AliasName=f"alias/skip-asymmetric-{region}", TargetKeyId=asym["KeyMetadata"]["KeyId"])
