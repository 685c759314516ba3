"""How each list operation pages: its tokens, its result keys and the page size Assay asks for.

The description comes from botocore's paginator models. A few operations page with a token although
botocore has no paginator for them (Athena's ListWorkGroups, for one); their description is
inferred from the operation's shapes (a token member in both input and output, one list in the
output), so that they are followed to the last page too instead of stopping at the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import jmespath  # type: ignore[import-untyped]
from botocore.exceptions import DataNotFoundError
from botocore.model import OperationNotFoundError

from assay.collect.session import _LOADER

# Input token names, and the output member that carries the next value of each.
_TOKEN_PAIRS = (("NextToken", "NextToken"), ("nextToken", "nextToken"), ("Marker", "NextMarker"),
                ("Marker", "Marker"), ("NextMarker", "NextMarker"), ("ContinuationToken", "ContinuationToken"))
_LIMIT_NAMES = ("MaxResults", "maxResults", "MaxItems", "MaxRecords", "Limit", "limit", "PageSize")

# Page sizes where the service model publishes no maximum: the documented maximum of the API.
# Everywhere else the model's own maximum is used (see page_size).
PAGE_SIZES: dict[tuple[str, str], int] = {
    ("s3", "ListBuckets"): 10000,  # always sent: AWS rejects unpaginated ListBuckets on large accounts
    ("apigateway", "GetRestApis"): 500,
    ("application-autoscaling", "DescribeScalableTargets"): 50,
    ("dms", "DescribeEndpoints"): 100,
    ("dms", "DescribeReplicationInstances"): 100,
    ("dms", "DescribeReplicationTasks"): 100,
    ("ec2", "DescribeFlowLogs"): 1000,
    ("ec2", "DescribeImages"): 1000,
    ("ec2", "DescribeInstances"): 1000,
    ("ec2", "DescribeLaunchTemplateVersions"): 200,
    ("ec2", "DescribeSnapshots"): 1000,
    ("ec2", "DescribeVolumes"): 500,
    ("ecs", "ListTaskDefinitionFamilies"): 100,
    ("efs", "DescribeFileSystems"): 100,
    ("elasticache", "DescribeCacheClusters"): 100,
    ("elasticache", "DescribeReplicationGroups"): 100,
    ("rds", "DescribeDBClusterSnapshots"): 100,
    ("rds", "DescribeDBClusters"): 100,
    ("rds", "DescribeDBInstances"): 100,
    ("rds", "DescribeDBSnapshots"): 100,
    ("neptune", "DescribeDBClusters"): 100,
    ("neptune", "DescribeDBInstances"): 100,
    ("redshift", "DescribeClusterParameters"): 100,
    ("redshift", "DescribeClusters"): 100,
    ("route53", "ListHostedZones"): 100,
    ("route53", "ListQueryLoggingConfigs"): 100,
    ("athena", "ListWorkGroups"): 50,
}


@dataclass(frozen=True)
class PagingSpec:
    """One operation's paging: token names (input) and expressions (output), result keys, limit."""

    input_tokens: tuple[str, ...]
    output_tokens: tuple[str, ...]
    result_keys: tuple[str, ...]
    limit_key: str | None
    more_results: str | None
    modeled: bool  # from botocore's paginator model; False: inferred from the shapes

    def next_token(self, page: dict[str, Any]) -> tuple[Any, ...] | None:
        """The token(s) a page hands to the next request; None on the last page."""
        if self.more_results and not jmespath.search(self.more_results, page):
            return None
        values = tuple(jmespath.search(expr, page) for expr in self.output_tokens)
        return values if any(v not in (None, "") for v in values) else None


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (str(value),)


@cache
def _paginators(service_name: str, api_version: str) -> dict[str, Any]:
    try:
        model: dict[str, Any] = _LOADER.load_service_model(service_name, "paginators-1", api_version)
    except DataNotFoundError:  # a service without a paginator file pages nothing
        return {}
    return dict(model.get("pagination", {}))


def paging_spec(service_model: Any, api_name: str) -> PagingSpec | None:
    """How `api_name` pages, or None if it does not."""
    config = _paginators(service_model.service_name, service_model.api_version).get(api_name)
    if config:
        return PagingSpec(
            input_tokens=_as_tuple(config["input_token"]), output_tokens=_as_tuple(config["output_token"]),
            result_keys=_as_tuple(config.get("result_key")), limit_key=config.get("limit_key"),
            more_results=config.get("more_results"), modeled=True)
    return _inferred(service_model, api_name)


def _inferred(service_model: Any, api_name: str) -> PagingSpec | None:
    try:
        op = service_model.operation_model(api_name)
    except OperationNotFoundError:
        return None
    inputs = op.input_shape.members if op.input_shape is not None else {}
    outputs = op.output_shape.members if op.output_shape is not None else {}
    lists = [name for name, shape in outputs.items() if shape.type_name == "list"]
    for token_in, token_out in _TOKEN_PAIRS:
        if token_in in inputs and token_out in outputs and len(lists) == 1:
            limit = next((n for n in _LIMIT_NAMES if n in inputs), None)
            return PagingSpec((token_in,), (token_out,), (lists[0],), limit, None, modeled=False)
    return None


def page_size(service_model: Any, api_name: str, spec: PagingSpec) -> int | None:
    """The page size to ask for: the table above, else the maximum the service model publishes."""
    if not spec.limit_key:
        return None
    explicit = PAGE_SIZES.get((service_model.service_name, api_name))
    if explicit is not None:
        return explicit
    shape = service_model.operation_model(api_name).input_shape.members.get(spec.limit_key)
    top = shape.metadata.get("max") if shape is not None else None
    return int(top) if top else None
