"""Athena: the analysts' workgroup reports its metrics, an ad-hoc one does not, an old one is disabled."""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    athena = client("athena", regions[0])
    athena.create_work_group(Name="pass-analysts", Configuration={"PublishCloudWatchMetricsEnabled": True})
    athena.create_work_group(Name="fail-adhoc", Configuration={"PublishCloudWatchMetricsEnabled": False})
