"""OpenSearch Service resources: domains (OpenSearch and legacy Elasticsearch engines alike)."""

from __future__ import annotations

from typing import Any, ClassVar

from assay.models.base import Resource


class OpenSearchDomain(Resource):
    type: ClassVar[str] = "AWS::OpenSearchService::Domain"
    engine_version: str = ""  # "OpenSearch_2.13", "Elasticsearch_7.10", ...
    vpc_id: str | None = None
    subnet_ids: tuple[str, ...] = ()
    encrypted_at_rest: bool = False
    node_to_node_encryption: bool = False
    enforce_https: bool = False
    tls_policy: str = ""
    fine_grained_access_control: bool = False
    anonymous_auth: bool = False
    # Log types (AUDIT_LOGS, ES_APPLICATION_LOGS, SEARCH_SLOW_LOGS, INDEX_SLOW_LOGS) published to CloudWatch Logs.
    published_logs: tuple[str, ...] = ()
    access_policy: dict[str, Any] | None = None  # {}: no resource policy; None: not read or not valid JSON

    @property
    def in_vpc(self) -> bool:
        return bool(self.vpc_id or self.subnet_ids)
