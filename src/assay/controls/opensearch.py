"""OpenSearch Service controls: encryption at rest and between nodes, HTTPS, VPC placement, fine-grained
access control, audit and operational logs."""

from __future__ import annotations

from assay.controls.rds import verdict
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass
from assay.models.resources.opensearch import OpenSearchDomain

DOMAINS = ["es:ListDomainNames", "es:DescribeDomain"]
OLD_TLS = "Policy-Min-TLS-1-0-2019-07"


@control(
    id="opensearch.domain_encrypted_at_rest",
    title="OpenSearch domains encrypt data at rest",
    severity="high",
    needs=DOMAINS,
    rationale="Search indices often copy the most sensitive fields of other systems; at-rest encryption keeps "
    "indices, logs, swap and automated snapshots behind a KMS key (CC6.1, C1.1).",
    remediation=Remediation(
        console="OpenSearch Service console > Domains > the domain > Actions > Edit security configuration > "
        "Encryption > Enable encryption of data at rest > choose a KMS key > Save changes.",
        cli="aws opensearch update-domain-config --domain-name <name> "
        "--encryption-at-rest-options Enabled=true,KmsKeyId=<kms-key-arn>",
        terraform='resource "aws_opensearch_domain" "example" {\n  encrypt_at_rest {\n    enabled    = true\n'
        '    kms_key_id = aws_kms_key.search.arn\n  }\n}',
    ),
)
def domain_encrypted_at_rest(d: OpenSearchDomain) -> Outcome:
    return verdict(d.encrypted_at_rest, "data at rest is encrypted", "data at rest is not encrypted")


@control(
    id="opensearch.domain_in_vpc",
    title="OpenSearch domains are reachable only inside a VPC",
    severity="high",
    needs=DOMAINS,
    rationale="A domain with a public endpoint is reachable from the internet and relies on its access policy "
    "alone; a VPC domain adds security groups and private networking as a boundary (CC6.1, CC6.6).",
    remediation=Remediation(
        console="Network access is fixed at creation: create a new domain with Network > VPC access (subnets in "
        "two or more zones, a restrictive security group), restore or reindex the data, delete the public one.",
        cli="aws opensearch create-domain --domain-name <name>-vpc --vpc-options "
        "SubnetIds=<subnet-a>,<subnet-b>,SecurityGroupIds=<sg-id> ...",
        terraform='resource "aws_opensearch_domain" "example" {\n  vpc_options {\n'
        '    subnet_ids         = [aws_subnet.a.id, aws_subnet.b.id]\n'
        '    security_group_ids = [aws_security_group.search.id]\n  }\n}',
    ),
)
def domain_in_vpc(d: OpenSearchDomain) -> Outcome:
    if d.in_vpc:
        return Pass(f"domain is in {d.vpc_id or 'a VPC'}")
    return Fail("domain has a public endpoint")


@control(
    id="opensearch.domain_node_to_node_encryption",
    title="OpenSearch domains encrypt traffic between nodes",
    severity="medium",
    needs=DOMAINS,
    rationale="Node-to-node encryption adds TLS to the traffic between the domain's nodes, so indexed data "
    "and queries are never sent in clear text inside the cluster (CC6.7).",
    remediation=Remediation(
        console="OpenSearch Service console > the domain > Actions > Edit security configuration > Encryption > "
        "Enable node-to-node encryption > Save changes.",
        cli="aws opensearch update-domain-config --domain-name <name> --node-to-node-encryption-options Enabled=true",
        terraform='resource "aws_opensearch_domain" "example" {\n  node_to_node_encryption {\n'
        '    enabled = true\n  }\n}',
    ),
)
def domain_node_to_node_encryption(d: OpenSearchDomain) -> Outcome:
    return verdict(d.node_to_node_encryption, "traffic between nodes is encrypted",
                   "traffic between nodes is not encrypted")


@control(
    id="opensearch.domain_enforces_https",
    title="OpenSearch domains accept only HTTPS with TLS 1.2 or later",
    severity="medium",
    needs=DOMAINS,
    rationale="Without EnforceHTTPS, clients may send credentials and documents over plain HTTP; the TLS 1.0 "
    "policy still allows deprecated protocol versions (CC6.7).",
    remediation=Remediation(
        console="OpenSearch Service console > the domain > Actions > Edit security configuration > check Require "
        "HTTPS for all traffic > TLS security policy: Policy-Min-TLS-1-2 > Save changes.",
        cli="aws opensearch update-domain-config --domain-name <name> --domain-endpoint-options "
        "EnforceHTTPS=true,TLSSecurityPolicy=Policy-Min-TLS-1-2-PFS-2023-10",
        terraform='resource "aws_opensearch_domain" "example" {\n  domain_endpoint_options {\n'
        '    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"\n  }\n}',
    ),
)
def domain_enforces_https(d: OpenSearchDomain) -> Outcome:
    if not d.enforce_https:
        return Fail("plain HTTP is accepted")
    if not d.tls_policy:
        return Error("HTTPS is required but the domain reports no TLS security policy")
    if d.tls_policy == OLD_TLS:
        return Fail(f"HTTPS is required but TLS 1.0 is still allowed ({d.tls_policy})")
    return Pass(f"HTTPS is required ({d.tls_policy})")


@control(
    id="opensearch.domain_fine_grained_access_control",
    title="OpenSearch domains use fine-grained access control",
    severity="medium",
    needs=DOMAINS,
    rationale="Fine-grained access control authenticates users and limits them to indices, documents and "
    "fields by role, instead of all-or-nothing access through the domain policy; it is also what audit "
    "logs need (CC6.1, CC6.3).",
    remediation=Remediation(
        console="OpenSearch Service console > the domain > Actions > Edit security configuration > Enable "
        "fine-grained access control > set a master user (IAM ARN or internal user) > Save changes.",
        cli="aws opensearch update-domain-config --domain-name <name> --advanced-security-options "
        "'Enabled=true,InternalUserDatabaseEnabled=false,MasterUserOptions={MasterUserARN=<role-arn>}'",
        terraform='resource "aws_opensearch_domain" "example" {\n  advanced_security_options {\n'
        '    enabled = true\n    master_user_options {\n      master_user_arn = aws_iam_role.search_admin.arn\n'
        '    }\n  }\n}',
    ),
)
def domain_fine_grained_access_control(d: OpenSearchDomain) -> Outcome:
    if not d.fine_grained_access_control:
        return Fail("fine-grained access control is off")
    if d.anonymous_auth:
        return Fail("fine-grained access control is on but anonymous access is allowed")
    return Pass("fine-grained access control is on")


@control(
    id="opensearch.domain_audit_logs_published",
    title="OpenSearch domains publish audit logs to CloudWatch Logs",
    severity="medium",
    needs=DOMAINS,
    rationale="Audit logs record authentication attempts and index and document access, the evidence to "
    "detect and investigate misuse of search data (CC7.2, CC7.3). They need fine-grained access control.",
    remediation=Remediation(
        console="OpenSearch Service console > the domain > Logs > Audit logs > Enable > choose a CloudWatch log "
        "group and access policy > Enable; then configure audit categories in OpenSearch Dashboards > Security.",
        cli="aws opensearch update-domain-config --domain-name <name> --log-publishing-options "
        "'AUDIT_LOGS={CloudWatchLogsLogGroupArn=<log-group-arn>,Enabled=true}'",
        terraform='resource "aws_opensearch_domain" "example" {\n  log_publishing_options {\n'
        '    log_type                 = "AUDIT_LOGS"\n'
        '    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search_audit.arn\n  }\n}',
    ),
)
def domain_audit_logs_published(d: OpenSearchDomain) -> Outcome:
    if "AUDIT_LOGS" in d.published_logs:
        return Pass("audit logs are published to CloudWatch Logs")
    needs = "" if d.fine_grained_access_control else " (enable fine-grained access control first)"
    return Fail(f"audit logs are not published{needs}")


@control(
    id="opensearch.domain_logs_published",
    title="OpenSearch domains publish error and slow logs to CloudWatch Logs",
    severity="low",
    needs=DOMAINS,
    rationale="Error logs and search and indexing slow logs show failures and degradation before users do, "
    "which availability monitoring depends on (A1.1, CC7.2). Whether slow logs are required is a parameter.",
    remediation=Remediation(
        console="OpenSearch Service console > the domain > Logs > enable Error logs, Search slow logs and Index "
        "slow logs, each to a CloudWatch log group (then set slow-log thresholds on the indices).",
        cli="aws opensearch update-domain-config --domain-name <name> --log-publishing-options "
        "'ES_APPLICATION_LOGS={CloudWatchLogsLogGroupArn=<arn>,Enabled=true},"
        "SEARCH_SLOW_LOGS={CloudWatchLogsLogGroupArn=<arn>,Enabled=true},"
        "INDEX_SLOW_LOGS={CloudWatchLogsLogGroupArn=<arn>,Enabled=true}'",
        terraform='resource "aws_opensearch_domain" "example" {\n  log_publishing_options {\n'
        '    log_type                 = "ES_APPLICATION_LOGS"\n'
        '    cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn\n  }\n'
        '  # likewise for SEARCH_SLOW_LOGS and INDEX_SLOW_LOGS\n}',
    ),
)
def domain_logs_published(d: OpenSearchDomain, *, require_slow_logs: bool = True) -> Outcome:
    wanted = ["ES_APPLICATION_LOGS"] + (["SEARCH_SLOW_LOGS", "INDEX_SLOW_LOGS"] if require_slow_logs else [])
    missing = [kind for kind in wanted if kind not in d.published_logs]
    if missing:
        return Fail(f"not published: {', '.join(missing)}")
    return Pass(f"published: {', '.join(wanted)}")
