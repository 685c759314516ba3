"""SageMaker: notebook instances and endpoint configurations (storage encryption, network access)."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.resources.sagemaker import SageMakerEndpointConfig, SageMakerNotebook


@collector(service="sagemaker", produces=[SageMakerNotebook],
           permissions=["sagemaker:ListNotebookInstances", "sagemaker:DescribeNotebookInstance"])
def collect_notebooks(ctx: Ctx) -> Iterator[SageMakerNotebook]:
    sm = ctx.client("sagemaker")
    for summary in ctx.paginate(sm, "list_notebook_instances", "NotebookInstances"):
        name, arn = summary["NotebookInstanceName"], summary["NotebookInstanceArn"]
        got = ctx.call(sm, "describe_notebook_instance", resource_arn=arn, NotebookInstanceName=name)
        nb = got or {}
        yield SageMakerNotebook(
            arn=arn, id=name, account_id=ctx.account_id, region=ctx.region, name=name,
            status=summary.get("NotebookInstanceStatus", ""), instance_type=summary.get("InstanceType", ""),
            kms_key_id=None if got is None else nb.get("KmsKeyId") or "",
            direct_internet_access=None if got is None else nb.get("DirectInternetAccess", "Enabled"),
            subnet_id=nb.get("SubnetId") or "",
        )


@collector(service="sagemaker", produces=[SageMakerEndpointConfig],
           permissions=["sagemaker:ListEndpointConfigs", "sagemaker:DescribeEndpointConfig"])
def collect_endpoint_configs(ctx: Ctx) -> Iterator[SageMakerEndpointConfig]:
    sm = ctx.client("sagemaker")
    for summary in ctx.paginate(sm, "list_endpoint_configs", "EndpointConfigs"):
        name, arn = summary["EndpointConfigName"], summary["EndpointConfigArn"]
        got = ctx.call(sm, "describe_endpoint_config", resource_arn=arn, EndpointConfigName=name)
        variants = (got or {}).get("ProductionVariants") or []
        yield SageMakerEndpointConfig(
            arn=arn, id=name, account_id=ctx.account_id, region=ctx.region, name=name,
            kms_key_id=None if got is None else got.get("KmsKeyId") or "",
            instance_types=tuple(v["InstanceType"] for v in variants if v.get("InstanceType")),
            serverless_variants=sum(1 for v in variants if v.get("ServerlessConfig")),
        )
