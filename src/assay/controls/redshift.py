"""Redshift controls: public access, encryption, TLS, audit logging, automated snapshots, network routing.

AWS Config's REDSHIFT_CLUSTER_CONFIGURATION_CHECK bundles encryption and audit logging into one rule;
here they are two controls, so a finding names the one setting to fix and each maps to its own criterion.
"""

from __future__ import annotations

from assay.controls.rds import MIN_BACKUP_DAYS, judge_retention, verdict
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.redshift import RedshiftCluster

CLUSTERS = "redshift:DescribeClusters"


@control(
    id="redshift.cluster_not_publicly_accessible",
    title="Redshift clusters are not publicly accessible",
    severity="high",
    needs=[CLUSTERS],
    rationale="A publicly accessible cluster has a public IP on its endpoint, leaving the warehouse one "
    "security-group rule away from the internet; warehouses hold the most aggregated data (CC6.1, CC6.6).",
    remediation=Remediation(
        console="Redshift console > Clusters > the cluster > Actions > Modify publicly accessible setting > "
        "Turn off > Save changes.",
        cli="aws redshift modify-cluster --cluster-identifier <id> --no-publicly-accessible",
        terraform='resource "aws_redshift_cluster" "example" {\n  publicly_accessible = false\n}',
    ),
)
def cluster_not_publicly_accessible(c: RedshiftCluster) -> Outcome:
    return verdict(not c.publicly_accessible, "cluster is not publicly accessible",
                   "cluster is publicly accessible: its endpoint has a public IP address")


@control(
    id="redshift.cluster_encrypted",
    title="Redshift clusters encrypt data at rest",
    severity="high",
    needs=[CLUSTERS],
    rationale="Encryption at rest protects the warehouse's blocks, backups and snapshots with a KMS key whose "
    "policy controls who can read them (CC6.1, C1.1).",
    remediation=Remediation(
        console="Redshift console > Clusters > the cluster > Properties > Database configurations > Edit "
        "encryption > Use AWS Key Management Service (AWS KMS) > choose a key > Save changes.",
        cli="aws redshift modify-cluster --cluster-identifier <id> --encrypted --kms-key-id <kms-key-arn>",
        terraform='resource "aws_redshift_cluster" "example" {\n  encrypted  = true\n'
        '  kms_key_id = aws_kms_key.redshift.arn\n}',
    ),
)
def cluster_encrypted(c: RedshiftCluster) -> Outcome:
    return verdict(c.encrypted, "cluster is encrypted at rest", "cluster is not encrypted at rest")


@control(
    id="redshift.cluster_requires_ssl",
    title="Redshift clusters accept only TLS connections",
    severity="medium",
    needs=[CLUSTERS, "redshift:DescribeClusterParameters"],
    rationale="With require_ssl off, clients may send credentials and query results in clear text; requiring "
    "TLS protects data in transit to the warehouse (CC6.7).",
    remediation=Remediation(
        console="Redshift console > Configurations > Workload management > create or pick a custom parameter "
        "group > Parameters > Edit > require_ssl = true > Save; assign the group to the cluster and reboot it.",
        cli="aws redshift modify-cluster-parameter-group --parameter-group-name <group> "
        "--parameters ParameterName=require_ssl,ParameterValue=true\n"
        "aws redshift modify-cluster --cluster-identifier <id> --cluster-parameter-group-name <group>",
        terraform='resource "aws_redshift_parameter_group" "tls" {\n  family = "redshift-1.0"\n'
        '  parameter {\n    name  = "require_ssl"\n    value = "true"\n  }\n}',
    ),
)
def cluster_requires_ssl(c: RedshiftCluster) -> Outcome:
    if c.require_ssl is None:
        return Error("the cluster's parameter groups were not read")
    if not c.require_ssl:
        return Error("the cluster reports no parameter group")
    lax = [g for g, value in c.require_ssl.items() if value != "true"]
    if lax:
        return Fail(f"require_ssl is not true in parameter group {', '.join(lax)}")
    return Pass(f"require_ssl is true in parameter group {', '.join(c.require_ssl)}")


@control(
    id="redshift.cluster_audit_logging",
    title="Redshift clusters have audit logging enabled",
    severity="medium",
    needs=[CLUSTERS, "redshift:DescribeLoggingStatus"],
    rationale="Audit logging records connections, user changes and (with enable_user_activity_logging) every "
    "query to S3 or CloudWatch Logs, the trail needed to detect and investigate misuse (CC7.2, CC7.3).",
    remediation=Remediation(
        console="Redshift console > Clusters > the cluster > Properties > Database configurations > Edit audit "
        "logging > Turn on > CloudWatch or an S3 bucket > Save changes.",
        cli="aws redshift enable-logging --cluster-identifier <id> --log-destination-type cloudwatch "
        "--log-exports connectionlog userlog useractivitylog",
        terraform='resource "aws_redshift_logging" "example" {\n'
        '  cluster_identifier   = aws_redshift_cluster.example.id\n'
        '  log_destination_type = "cloudwatch"\n  log_exports          = ["connectionlog", "userlog", '
        '"useractivitylog"]\n}',
    ),
)
def cluster_audit_logging(c: RedshiftCluster) -> Outcome:
    if c.audit_logging is None:
        return Error("logging status was not read")
    return verdict(c.audit_logging, "audit logging is enabled", "audit logging is disabled")


@control(
    id="redshift.cluster_snapshot_retention",
    title="Redshift clusters keep automated snapshots for the minimum retention period",
    severity="medium",
    needs=[CLUSTERS],
    rationale="Automated snapshots are the warehouse's recovery point after corruption, a bad load or deletion; "
    "retaining them for several days leaves time to notice (A1.2, CC7.4). The minimum is a parameter "
    "(default 7 days; AWS's default is 1).",
    remediation=Remediation(
        console="Redshift console > Clusters > the cluster > Maintenance > Backup details > Edit > Automated "
        "snapshot retention period: 7 days or more > Save changes.",
        cli="aws redshift modify-cluster --cluster-identifier <id> --automated-snapshot-retention-period 7",
        terraform='resource "aws_redshift_cluster" "example" {\n  automated_snapshot_retention_period = 7\n}',
    ),
)
def cluster_snapshot_retention(c: RedshiftCluster, *, min_retention_days: int = MIN_BACKUP_DAYS) -> Outcome:
    return judge_retention(c.snapshot_retention_days, min_retention_days, "automated snapshots")


@control(
    id="redshift.cluster_enhanced_vpc_routing",
    title="Redshift clusters use enhanced VPC routing",
    severity="low",
    needs=[CLUSTERS],
    rationale="Enhanced VPC routing sends COPY and UNLOAD traffic through the VPC, where security groups, "
    "endpoint policies and flow logs apply, instead of over the public network (CC6.6, CC6.7).",
    remediation=Remediation(
        console="Redshift console > Clusters > the cluster > Properties > Network and security settings > Edit > "
        "Enhanced VPC routing: Turn on > Save changes.",
        cli="aws redshift modify-cluster --cluster-identifier <id> --enhanced-vpc-routing",
        terraform='resource "aws_redshift_cluster" "example" {\n  enhanced_vpc_routing = true\n}',
    ),
)
def cluster_enhanced_vpc_routing(c: RedshiftCluster) -> Outcome:
    return verdict(c.enhanced_vpc_routing, "enhanced VPC routing is on",
                   "enhanced VPC routing is off: COPY and UNLOAD traffic may leave the VPC")


@control(
    id="redshift.cluster_version_upgrades_allowed",
    title="Redshift clusters receive engine upgrades in the maintenance window",
    severity="low",
    needs=[CLUSTERS],
    rationale="Allowing version upgrades lets Redshift apply engine patches, including security fixes, during "
    "the scheduled maintenance window (CC7.1, CC8.1).",
    remediation=Remediation(
        console="Redshift console > Clusters > the cluster > Maintenance > Edit > Allow version upgrade > Save.",
        cli="aws redshift modify-cluster --cluster-identifier <id> --allow-version-upgrade",
        terraform='resource "aws_redshift_cluster" "example" {\n  allow_version_upgrade = true\n}',
    ),
)
def cluster_version_upgrades_allowed(c: RedshiftCluster) -> Outcome:
    return verdict(c.allow_version_upgrade, "version upgrades are allowed", "version upgrades are blocked")
