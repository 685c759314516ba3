"""Route 53: the main public domain logs its queries, a marketing domain does not, an internal zone is private."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

HOME = "us-east-1"  # Route 53 query logs must go to a log group in us-east-1
LOG_GROUP = "/aws/route53/pass-northwind-analytics.example"


def seed(client: ClientFactory, regions: list[str]) -> None:
    route53 = client("route53", HOME)
    good = route53.create_hosted_zone(Name="pass-northwind-analytics.example", CallerReference="nw-main")
    route53.create_hosted_zone(Name="fail-northwind-promo.example", CallerReference="nw-promo")
    # the default VPC, so as not to add a VPC of its own to the network controls' findings
    vpcs = client("ec2", HOME).describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    vpc = vpcs[0]["VpcId"]
    route53.create_hosted_zone(Name="skip-internal.northwind.example", CallerReference="nw-internal",
                               VPC={"VPCRegion": HOME, "VPCId": vpc}, HostedZoneConfig={"PrivateZone": True})
    logs = client("logs", HOME)
    logs.create_log_group(logGroupName=LOG_GROUP)
    group_arn = f"arn:aws:logs:{HOME}:123456789012:log-group:{LOG_GROUP}:*"
    route53.create_query_logging_config(HostedZoneId=good["HostedZone"]["Id"], CloudWatchLogsLogGroupArn=group_arn)
