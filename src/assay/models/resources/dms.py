"""DMS resources: replication instances, endpoints and replication tasks."""

from __future__ import annotations

from typing import ClassVar

from assay.models.base import Resource


class DmsReplicationInstance(Resource):
    type: ClassVar[str] = "AWS::DMS::ReplicationInstance"
    instance_class: str = ""
    publicly_accessible: bool = False
    public_ips: tuple[str, ...] = ()
    multi_az: bool = False
    auto_minor_version_upgrade: bool = False


class DmsEndpoint(Resource):
    type: ClassVar[str] = "AWS::DMS::Endpoint"
    endpoint_type: str = ""  # source | target
    engine: str = ""
    ssl_mode: str = ""  # none | require | verify-ca | verify-full; "" when the engine has none
    redis_ssl_protocol: str = ""  # RedisSettings.SslSecurityProtocol: plaintext | ssl-encryption


class DmsReplicationTask(Resource):
    type: ClassVar[str] = "AWS::DMS::ReplicationTask"
    migration_type: str = ""
    # From the task's settings document; None: the document was missing or not valid JSON.
    logging_enabled: bool | None = None
    log_severities: dict[str, str] = {}  # component id -> LOGGER_SEVERITY_*
