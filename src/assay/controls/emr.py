"""Amazon EMR controls: Kerberos authentication and primary nodes kept off the internet."""

from __future__ import annotations

from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.emr import EmrCluster

LIST, DESCRIBE, INSTANCES = ("elasticmapreduce:ListClusters", "elasticmapreduce:DescribeCluster",
                             "elasticmapreduce:ListInstances")


@control(
    id="emr.cluster_kerberos_enabled",
    title="Active EMR clusters authenticate users and services with Kerberos",
    severity="medium",
    needs=[LIST, DESCRIBE],
    rationale="Without Kerberos, Hadoop services on an EMR cluster trust the user name a client claims, so "
    "anyone who reaches the cluster can act as any user on its data. Kerberos, set through a security "
    "configuration, makes users and services prove their identity (CC6.1).",
    remediation=Remediation(
        console="EMR console > Security configurations > Create: enable Kerberos authentication (cluster-"
        "dedicated KDC or external) > Create; Kerberos cannot be added to a running cluster: launch a "
        "replacement with the security configuration and Kerberos realm/KDC password, then move the workload.",
        cli="aws emr create-security-configuration --name kerberized --security-configuration file://kerberos.json\n"
        "aws emr create-cluster ... --security-configuration kerberized "
        "--kerberos-attributes Realm=EC2.INTERNAL,KdcAdminPassword=<from-secrets-manager>",
        terraform='resource "aws_emr_cluster" "analytics" {\n  security_configuration = '
        'aws_emr_security_configuration.kerberos.name\n  kerberos_attributes {\n    realm              = '
        '"EC2.INTERNAL"\n    kdc_admin_password = var.kdc_admin_password\n  }\n}',
    ),
)
def cluster_kerberos_enabled(cluster: EmrCluster) -> Outcome:
    if cluster.kerberos_realm is None:
        return Error("cluster was not described")
    if cluster.kerberos_realm:
        return Pass(f"Kerberos realm {cluster.kerberos_realm} (security configuration "
                    f"{cluster.security_configuration or 'unnamed'})")
    return Fail("cluster has no Kerberos configuration")


@control(
    id="emr.master_node_no_public_ip",
    title="Primary nodes of active EMR clusters have no public IP address",
    severity="high",
    needs=[LIST, DESCRIBE, INSTANCES],
    rationale="The primary node runs the cluster's web UIs, YARN and HDFS name services, often without "
    "authentication. A public IP makes them reachable from the internet whenever a security group rule "
    "is loosened; clusters belong in private subnets reached through a bastion, VPN or Session Manager "
    "(CC6.1, CC6.6).",
    remediation=Remediation(
        console="Public addresses cannot be removed from running nodes: launch the replacement cluster in a "
        "private subnet (no 'Auto-assign public IPv4'), with S3 and other access through VPC endpoints or NAT; "
        "also turn on EMR 'Block public access' under EMR console > Block public access.",
        cli="aws emr create-cluster ... --ec2-attributes SubnetId=<private-subnet>,KeyName=<key>\n"
        "aws emr put-block-public-access-configuration --block-public-access-configuration "
        "BlockPublicSecurityGroupRules=true",
        terraform='resource "aws_emr_cluster" "analytics" {\n  ec2_attributes {\n    subnet_id = '
        'aws_subnet.private.id # map_public_ip_on_launch = false\n  }\n}',
    ),
)
def master_node_no_public_ip(cluster: EmrCluster) -> Outcome:
    if cluster.master_public_ips is None:
        return Error("primary node instances were not listed")
    if cluster.master_public_ips:
        return Fail(f"primary node has public IP {', '.join(cluster.master_public_ips)}")
    return Pass(f"primary node has no public IP (subnet {cluster.subnet_id or 'unknown'})")
