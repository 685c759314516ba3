"""DynamoDB tables at Northwind Analytics: the orders table done right, a sessions table nobody
looked after, an events table whose backups stopped, and an EU customers table outside any plan."""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory

PRIMARY, SECONDARY = "us-east-1", "eu-west-1"
KEY = [{"AttributeName": "pk", "KeyType": "HASH"}]
ATTRS = [{"AttributeName": "pk", "AttributeType": "S"}]


def _table(ddb: Any, name: str, **extra: Any) -> str:
    extra.setdefault("ProvisionedThroughput", {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5})
    if extra.get("BillingMode") == "PAY_PER_REQUEST":
        extra.pop("ProvisionedThroughput")
    return str(ddb.create_table(TableName=name, KeySchema=KEY, AttributeDefinitions=ATTRS, **extra)
               ["TableDescription"]["TableArn"])


def _pitr(ddb: Any, name: str) -> None:
    ddb.update_continuous_backups(TableName=name,
                                  PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})


def seed(client: ClientFactory, regions: list[str]) -> None:
    if PRIMARY not in regions:
        return
    ddb, kms = client("dynamodb", PRIMARY), client("kms", PRIMARY)
    key = kms.create_key(Description="Northwind orders data key")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/northwind-orders", TargetKeyId=key)
    kms.enable_key_rotation(KeyId=key)
    _table(ddb, "pass-orders", BillingMode="PAY_PER_REQUEST", DeletionProtectionEnabled=True,
           SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key},
           Tags=[{"Key": "backup", "Value": "daily"}, {"Key": "team", "Value": "commerce"}])
    _pitr(ddb, "pass-orders")
    _table(ddb, "fail-sessions", Tags=[{"Key": "team", "Value": "web"}])
    _table(ddb, "fail-stale-events", DeletionProtectionEnabled=True,
           SSESpecification={"Enabled": True, "SSEType": "KMS"}, Tags=[{"Key": "backup", "Value": "daily"}])
    _pitr(ddb, "fail-stale-events")
    scaling = client("application-autoscaling", PRIMARY)
    for dimension in ("ReadCapacityUnits", "WriteCapacityUnits"):
        scaling.register_scalable_target(ServiceNamespace="dynamodb", ResourceId="table/fail-stale-events",
                                         ScalableDimension=f"dynamodb:table:{dimension}", MinCapacity=5,
                                         MaxCapacity=100)
    if SECONDARY in regions:
        eu = client("dynamodb", SECONDARY)
        _table(eu, "fail-eu-customers", BillingMode="PAY_PER_REQUEST", DeletionProtectionEnabled=True)
        _pitr(eu, "fail-eu-customers")
