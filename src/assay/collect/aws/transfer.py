"""Transfer Family: servers and the file transfer protocols they accept."""

from __future__ import annotations

from collections.abc import Iterator

from assay.collect.calls import Ctx
from assay.collect.registry import collector
from assay.models.base import tags_from
from assay.models.resources.transfer import TransferServer


@collector(service="transfer", produces=[TransferServer],
           permissions=["transfer:ListServers", "transfer:DescribeServer"])
def collect_servers(ctx: Ctx) -> Iterator[TransferServer]:
    transfer = ctx.client("transfer")
    for summary in ctx.paginate(transfer, "list_servers", "Servers"):
        server_id = summary["ServerId"]
        arn = summary.get("Arn") or ctx.arn("transfer", f"server/{server_id}")
        got = ctx.call(transfer, "describe_server", resource_arn=arn, ServerId=server_id)
        server = (got or {}).get("Server", {})
        tags = tags_from(server.get("Tags"))
        yield TransferServer(
            arn=arn, id=server_id, account_id=ctx.account_id, region=ctx.region, name=tags.get("Name", ""),
            tags=tags, state=summary.get("State", ""), endpoint_type=summary.get("EndpointType", ""),
            # AWS documents SFTP as the default when a server was created without Protocols
            protocols=None if got is None else tuple(server.get("Protocols") or ["SFTP"]),
        )
