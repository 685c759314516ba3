"""OpenSearch Service: every domain (OpenSearch and Elasticsearch engines), described one by one.

DescribeDomains could take five names at once, but one refused domain (IAM policies often scope
es:Describe* to domain ARNs) would fail the whole batch; per-domain calls keep an ERROR on exactly
the domain that could not be read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.opensearch import OpenSearchDomain


def _domain(ctx: Ctx, d: dict[str, Any]) -> OpenSearchDomain:
    name = d["DomainName"]
    vpc = d.get("VPCOptions") or {}
    endpoint = d.get("DomainEndpointOptions") or {}
    security = d.get("AdvancedSecurityOptions") or {}
    logs = d.get("LogPublishingOptions") or {}
    return OpenSearchDomain(
        arn=d.get("ARN") or ctx.arn("es", f"domain/{name}"), id=name, account_id=ctx.account_id,
        region=ctx.region, name=name, engine_version=d.get("EngineVersion") or "",
        vpc_id=vpc.get("VPCId"), subnet_ids=tuple(vpc.get("SubnetIds") or ()),
        encrypted_at_rest=bool((d.get("EncryptionAtRestOptions") or {}).get("Enabled", False)),
        node_to_node_encryption=bool((d.get("NodeToNodeEncryptionOptions") or {}).get("Enabled", False)),
        enforce_https=bool(endpoint.get("EnforceHTTPS", False)), tls_policy=endpoint.get("TLSSecurityPolicy") or "",
        fine_grained_access_control=bool(security.get("Enabled", False)),
        anonymous_auth=bool(security.get("AnonymousAuthEnabled", False)),
        published_logs=tuple(sorted(kind for kind, opt in logs.items()
                                    if opt.get("Enabled") and opt.get("CloudWatchLogsLogGroupArn"))),
        access_policy=_policy(d.get("AccessPolicies")),
    )


def _policy(raw: Any) -> dict[str, Any] | None:
    """The domain's resource policy (a JSON string); {} when it has none, None when it is not valid JSON."""
    if not raw:
        return {}
    try:
        doc = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


@collector(service="opensearch", produces=[OpenSearchDomain], permissions=["es:ListDomainNames", "es:DescribeDomain"])
def collect_domains(ctx: Ctx) -> Iterator[OpenSearchDomain]:
    client = ctx.client("opensearch")
    for listed in ctx.paginate(client, "list_domain_names", "DomainNames"):
        name = listed["DomainName"]
        described = ctx.call(client, "describe_domain", resource_arn=ctx.arn("es", f"domain/{name}"), DomainName=name)
        if described is not None:
            yield _domain(ctx, described["DomainStatus"])
