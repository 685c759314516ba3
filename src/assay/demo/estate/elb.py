"""Northwind's internal load balancers in the production VPC (us-east-1): a portal ALB and a billing Classic
Load Balancer set up to the platform standard, and a reports ALB and a legacy Classic Load Balancer that
are not. The internet-facing ALBs behind (or without) AWS WAF are in waf.py.

The HTTPS listeners use one ACM certificate for the internal domain; the legacy Classic Load Balancer
names an IAM server certificate that is not created (moto checks certificates for ALBs only).
"""

from __future__ import annotations

from typing import Any

from assay.demo.estate import ClientFactory

REGION = "us-east-1"
ACCOUNT = "123456789012"
IAM_CERT = f"arn:aws:iam::{ACCOUNT}:server-certificate/billing-2019"
LOG_BUCKET = "northwind-lb-access-logs"
TAGS = [{"Key": "owner", "Value": "platform"}]


def _subnets(ec2: Any) -> tuple[str, list[str]]:
    """Two load balancer subnets in the production VPC, filtered by its production ACL."""
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["pass-prod-vpc"]}])["Vpcs"][0]["VpcId"]
    acl = ec2.describe_network_acls(Filters=[{"Name": "tag:Name", "Values": ["pass-prod-public-acl"]}])
    subnets = []
    for i, az in ((1, "a"), (2, "b")):
        tags = [{"ResourceType": "subnet", "Tags": [{"Key": "Name", "Value": f"pass-prod-lb-subnet-{az}"}]}]
        created = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.10.{100 + i}.0/24", AvailabilityZone=f"{REGION}{az}",
                                    TagSpecifications=tags)
        subnets.append(created["Subnet"]["SubnetId"])
    current = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": subnets}])
    for assoc in (a for n in current["NetworkAcls"] for a in n["Associations"] if a["SubnetId"] in subnets):
        ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"],
                                            NetworkAclId=acl["NetworkAcls"][0]["NetworkAclId"])
    return vpc, subnets


def _alb(elb: Any, vpc: str, subnets: list[str], name: str, cert: str, *, good: bool) -> None:
    arn = elb.create_load_balancer(Name=name, Subnets=subnets, Scheme="internal", Type="application",
                                   Tags=TAGS)["LoadBalancers"][0]["LoadBalancerArn"]
    target = elb.create_target_group(Name=f"{name}-tg", Protocol="HTTP", Port=8080,
                                     VpcId=vpc)["TargetGroups"][0]["TargetGroupArn"]
    forward = [{"Type": "forward", "TargetGroupArn": target}]
    redirect = [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]
    elb.create_listener(LoadBalancerArn=arn, Protocol="HTTP", Port=80, DefaultActions=redirect if good else forward)
    elb.create_listener(LoadBalancerArn=arn, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": cert}],
                        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06" if good else "ELBSecurityPolicy-2016-08",
                        DefaultActions=forward)
    if good:
        elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[
            {"Key": "access_logs.s3.enabled", "Value": "true"}, {"Key": "access_logs.s3.bucket", "Value": LOG_BUCKET},
            {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"},
            {"Key": "deletion_protection.enabled", "Value": "true"}])


def _clb(elb: Any, subnets: list[str], name: str, cert: str, *, good: bool) -> None:
    https = {"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstanceProtocol": "HTTP", "InstancePort": 8080,
             "SSLCertificateId": cert if good else IAM_CERT}
    plain = {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080}
    elb.create_load_balancer(LoadBalancerName=name, Listeners=[https] if good else [plain, https], Subnets=subnets,
                             Scheme="internal", Tags=TAGS)
    reference = "ELBSecurityPolicy-TLS-1-2-2017-01" if good else "ELBSecurityPolicy-2016-08"
    elb.create_load_balancer_policy(LoadBalancerName=name, PolicyName="tls-policy",
                                    PolicyTypeName="SSLNegotiationPolicyType", PolicyAttributes=[
                                        {"AttributeName": "Reference-Security-Policy", "AttributeValue": reference}])
    elb.set_load_balancer_policies_of_listener(LoadBalancerName=name, LoadBalancerPort=443, PolicyNames=["tls-policy"])
    if good:
        elb.modify_load_balancer_attributes(LoadBalancerName=name, LoadBalancerAttributes={
            "AccessLog": {"Enabled": True, "S3BucketName": LOG_BUCKET, "EmitInterval": 60},
            "CrossZoneLoadBalancing": {"Enabled": True}, "ConnectionDraining": {"Enabled": True, "Timeout": 300}})


def seed(client: ClientFactory, regions: list[str]) -> None:
    if REGION not in regions:
        return
    vpc, subnets = _subnets(client("ec2", REGION))
    cert = client("acm", REGION).request_certificate(
        DomainName="*.internal.northwind.example", ValidationMethod="DNS", Tags=TAGS)["CertificateArn"]
    v2 = client("elbv2", REGION)
    _alb(v2, vpc, subnets, "pass-portal-alb", cert, good=True)
    _alb(v2, vpc, subnets, "fail-reports-alb", cert, good=False)
    classic = client("elb", REGION)
    _clb(classic, subnets, "pass-billing-clb", cert, good=True)
    _clb(classic, subnets, "fail-legacy-clb", cert, good=False)
