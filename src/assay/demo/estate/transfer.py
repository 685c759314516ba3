"""Transfer Family: an SFTP drop for customers, and a legacy FTP server for a supplier."""

from __future__ import annotations

from assay.demo.estate import ClientFactory


def seed(client: ClientFactory, regions: list[str]) -> None:
    transfer = client("transfer", regions[0])
    transfer.create_server(Protocols=["SFTP"], Tags=[{"Key": "Name", "Value": "pass-customer-sftp"}])
    transfer.create_server(Protocols=["FTP", "SFTP"], EndpointType="VPC",
                           Tags=[{"Key": "Name", "Value": "fail-supplier-ftp"}])
