"""Northwind's search: the product catalogue domain inside the VPC with every protection, and a log
search domain from the early days with a public endpoint, an access policy open to anyone, and no protection."""

from __future__ import annotations

import json

from assay.demo.estate import ClientFactory

LOG_GROUP = "arn:aws:logs:{region}:123456789012:log-group:/aws/opensearch/product-search/{kind}"


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[0]
    opensearch = client("opensearch", region)
    logs = {kind: {"CloudWatchLogsLogGroupArn": LOG_GROUP.format(region=region, kind=kind.lower()), "Enabled": True}
            for kind in ("AUDIT_LOGS", "ES_APPLICATION_LOGS", "SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS")}
    opensearch.create_domain(
        DomainName="pass-product-search", EngineVersion="OpenSearch_2.13",
        EncryptionAtRestOptions={"Enabled": True}, NodeToNodeEncryptionOptions={"Enabled": True},
        DomainEndpointOptions={"EnforceHTTPS": True, "TLSSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"},
        VPCOptions={"SubnetIds": ["subnet-0a1b2c3d4e5f60001"], "SecurityGroupIds": ["sg-0a1b2c3d4e5f60001"]},
        AdvancedSecurityOptions={"Enabled": True, "InternalUserDatabaseEnabled": False,
                                 "MasterUserOptions": {"MasterUserARN": "arn:aws:iam::123456789012:role/search-admin"}},
        LogPublishingOptions=logs)
    anyone = {"Version": "2012-10-17", "Statement": [{
        "Sid": "OpenToAll", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "es:*",
        "Resource": f"arn:aws:es:{region}:123456789012:domain/fail-legacy-logs/*"}]}
    opensearch.create_domain(DomainName="fail-legacy-logs", EngineVersion="Elasticsearch_7.10",
                             AccessPolicies=json.dumps(anyone))
