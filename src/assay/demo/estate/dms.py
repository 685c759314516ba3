"""Northwind's data migration: a private replication instance copying orders into the cache over TLS with
logging, and a public one running an unlogged nightly copy to Redis in plaintext; an S3 archive endpoint
shows where SSL mode does not apply."""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

LOGGING = {"Logging": {"EnableLogging": True, "LogComponents": [
    {"Id": "SOURCE_CAPTURE", "Severity": "LOGGER_SEVERITY_DEFAULT"},
    {"Id": "TARGET_APPLY", "Severity": "LOGGER_SEVERITY_DEFAULT"}]}}


def seed(client: ClientFactory, regions: list[str]) -> None:
    dms = client("dms", regions[0])
    private = dms.create_replication_instance(
        ReplicationInstanceIdentifier="pass-migration-private", ReplicationInstanceClass="dms.t3.medium",
        PubliclyAccessible=False)["ReplicationInstance"]["ReplicationInstanceArn"]
    public = dms.create_replication_instance(
        ReplicationInstanceIdentifier="fail-migration-public", ReplicationInstanceClass="dms.t3.medium",
        PubliclyAccessible=True)["ReplicationInstance"]["ReplicationInstanceArn"]
    source = dms.create_endpoint(
        EndpointIdentifier="pass-orders-source", EndpointType="source", EngineName="postgres", SslMode="verify-full",
        ServerName="orders.internal.northwind.example", Port=5432, DatabaseName="orders", Username="dms",
        Password="northwind-demo-only")["Endpoint"]["EndpointArn"]
    redis = dms.create_endpoint(
        EndpointIdentifier="fail-cache-target", EndpointType="target", EngineName="redis",
        RedisSettings={"ServerName": "cache.internal.northwind.example", "Port": 6379,
                       "SslSecurityProtocol": "plaintext"})["Endpoint"]["EndpointArn"]
    dms.create_endpoint(EndpointIdentifier="skip-archive-s3", EndpointType="target", EngineName="s3",
                        S3Settings={"BucketName": "northwind-archive",
                                    "ServiceAccessRoleArn": "arn:aws:iam::123456789012:role/dms-s3"})
    dms.create_replication_task(
        ReplicationTaskIdentifier="pass-orders-to-cache", SourceEndpointArn=source, TargetEndpointArn=redis,
        ReplicationInstanceArn=private, MigrationType="full-load-and-cdc", TableMappings=json.dumps({"rules": []}),
        ReplicationTaskSettings=json.dumps(LOGGING))
    dms.create_replication_task(
        ReplicationTaskIdentifier="fail-nightly-copy", SourceEndpointArn=source, TargetEndpointArn=redis,
        ReplicationInstanceArn=public, MigrationType="full-load", TableMappings=json.dumps({"rules": []}),
        ReplicationTaskSettings=json.dumps({"Logging": {"EnableLogging": False}}))
