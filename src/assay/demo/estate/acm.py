"""ACM certificates of Northwind Analytics: imported certificates, two serving a legacy load balancer.

The API certificate is valid for over a year; the legacy certificate expires in twelve days; the staging
certificate expires too but serves nothing (skipped). The certificates are self-signed on the fly (EC keys,
milliseconds) with validity relative to now. moto marks a certificate in use only when a classic load
balancer listener names it, so one is created in the default VPC with its default security group (no new
network resources for other controls to judge).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from assay.demo.estate import ClientFactory

LOAD_BALANCER = "northwind-legacy-web"


def self_signed(common_name: str, days_valid: int) -> tuple[bytes, bytes]:
    """(certificate PEM, private key PEM) valid from yesterday for `days_valid` days from now."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=days_valid)).sign(key, hashes.SHA256()))
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))


def _import(client: ClientFactory, region: str, common_name: str, days_valid: int) -> str:
    cert, key = self_signed(common_name, days_valid)
    return str(client("acm", region).import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"])


def seed(client: ClientFactory, regions: list[str]) -> None:
    home = regions[0]
    api = _import(client, home, "pass-api.northwind.example", 395)
    legacy = _import(client, home, "fail-legacy.northwind.example", 12)
    _import(client, home, "skip-staging.northwind.example", 5)

    ec2 = client("ec2", home)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    group = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                                  {"Name": "group-name", "Values": ["default"]}])
    client("elb", home).create_load_balancer(
        LoadBalancerName=LOAD_BALANCER, AvailabilityZones=[f"{home}a"],
        SecurityGroups=[group["SecurityGroups"][0]["GroupId"]],
        Listeners=[{"Protocol": "HTTPS", "LoadBalancerPort": port, "InstanceProtocol": "HTTP", "InstancePort": 8080,
                    "SSLCertificateId": arn} for port, arn in ((443, api), (8443, legacy))])
