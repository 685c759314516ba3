"""DMS controls: private replication instances, encrypted endpoint connections, task logging."""

from __future__ import annotations

from assay.controls.rds import verdict
from assay.controls.registry import Remediation, control
from assay.models.findings import Error, Fail, Outcome, Pass, Skip
from assay.models.resources.dms import DmsEndpoint, DmsReplicationInstance, DmsReplicationTask

# Engines whose DMS endpoints take an SslMode (the others reach AWS services over HTTPS, or have their own settings).
SSL_MODE_ENGINES = frozenset({
    "mysql", "mariadb", "aurora", "aurora-postgresql", "aurora-serverless", "postgres", "oracle", "sqlserver",
    "babelfish", "sybase", "mongodb", "docdb", "db2", "db2-zos",
})
DEFAULT = "LOGGER_SEVERITY_DEFAULT"  # what a component not listed in the settings logs at
# Severities that include informational messages (DMS's default and more verbose).
VERBOSE_ENOUGH = frozenset({"LOGGER_SEVERITY_DEFAULT", "LOGGER_SEVERITY_DEBUG", "LOGGER_SEVERITY_DETAILED_DEBUG"})
SOURCE_COMPONENTS, TARGET_COMPONENTS = ("SOURCE_CAPTURE", "SOURCE_UNLOAD"), ("TARGET_APPLY", "TARGET_LOAD")


@control(
    id="dms.replication_instance_not_public",
    title="DMS replication instances are not publicly accessible",
    severity="high",
    needs=["dms:DescribeReplicationInstances"],
    rationale="A replication instance reads and writes whole databases with stored credentials; a public IP "
    "puts that machine on the internet behind nothing but its security group (CC6.1, CC6.6).",
    remediation=Remediation(
        console="Public access is fixed at creation: DMS console > Replication instances > Create a replication "
        "instance without Publicly accessible; move the tasks to it (Modify task); delete the public instance.",
        cli="aws dms create-replication-instance --replication-instance-identifier <id>-private "
        "--replication-instance-class <class> --no-publicly-accessible --replication-subnet-group-identifier <grp>",
        terraform='resource "aws_dms_replication_instance" "example" {\n  publicly_accessible = false\n}',
    ),
)
def replication_instance_not_public(r: DmsReplicationInstance) -> Outcome:
    if r.publicly_accessible:
        ips = f" ({', '.join(r.public_ips)})" if r.public_ips else ""
        return Fail(f"replication instance is publicly accessible{ips}")
    return Pass("replication instance is private")


@control(
    id="dms.endpoint_ssl_enabled",
    title="DMS endpoints connect to databases over TLS",
    severity="medium",
    needs=["dms:DescribeEndpoints"],
    rationale="Replication moves entire tables across the network; an endpoint with SSL mode \"none\" (or a "
    "Redis endpoint in plaintext) sends that data and the database credentials unencrypted (CC6.7).",
    remediation=Remediation(
        console="DMS console > Endpoints > the endpoint > Modify > Secure Socket Layer (SSL) mode: require or "
        "verify-full (import the CA certificate for verify-*) > Save; for Redis set SSL security protocol to "
        "ssl-encryption.",
        cli="aws dms modify-endpoint --endpoint-arn <arn> --ssl-mode verify-full --certificate-arn <cert-arn>\n"
        "aws dms modify-endpoint --endpoint-arn <arn> --redis-settings SslSecurityProtocol=ssl-encryption",
        terraform='resource "aws_dms_endpoint" "example" {\n  ssl_mode        = "verify-full"\n'
        '  certificate_arn = aws_dms_certificate.db.certificate_arn\n}',
    ),
)
def endpoint_ssl_enabled(e: DmsEndpoint) -> Outcome:
    if e.engine == "redis":
        return verdict(e.redis_ssl_protocol == "ssl-encryption", "Redis connection uses TLS",
                       f"Redis connection is {e.redis_ssl_protocol or 'plaintext'}")
    if e.engine not in SSL_MODE_ENGINES:
        return Skip(f"SSL mode does not apply to {e.engine or 'this'} endpoints")
    if e.ssl_mode in ("", "none"):
        return Fail(f"SSL mode is none: the {e.endpoint_type or 'endpoint'} connection is not encrypted")
    return Pass(f"SSL mode is {e.ssl_mode}")


@control(
    id="dms.replication_task_logging",
    title="DMS replication tasks log source and target activity",
    severity="low",
    needs=["dms:DescribeReplicationTasks"],
    rationale="Task logs in CloudWatch show what a migration read and wrote and every error on the way, which "
    "is how incomplete or failed replication is detected and investigated (A1.2, CC7.2, PI1.4).",
    remediation=Remediation(
        console="DMS console > Database migration tasks > the task (stopped) > Modify > Task settings > Turn on "
        "CloudWatch logs > set SOURCE_CAPTURE/SOURCE_UNLOAD and TARGET_APPLY/TARGET_LOAD to Default or more > Save.",
        cli="aws dms modify-replication-task --replication-task-arn <arn> --replication-task-settings "
        "'{\"Logging\":{\"EnableLogging\":true,\"LogComponents\":[{\"Id\":\"SOURCE_CAPTURE\",\"Severity\":"
        "\"LOGGER_SEVERITY_DEFAULT\"},{\"Id\":\"TARGET_APPLY\",\"Severity\":\"LOGGER_SEVERITY_DEFAULT\"}]}}'",
        terraform='resource "aws_dms_replication_task" "example" {\n  replication_task_settings = jsonencode({\n'
        '    Logging = { EnableLogging = true, LogComponents = [\n'
        '      { Id = "SOURCE_CAPTURE", Severity = "LOGGER_SEVERITY_DEFAULT" },\n'
        '      { Id = "TARGET_APPLY", Severity = "LOGGER_SEVERITY_DEFAULT" } ] }\n  })\n}',
    ),
)
def replication_task_logging(t: DmsReplicationTask) -> Outcome:
    if t.logging_enabled is None:
        return Error("the task's settings document could not be read")
    if not t.logging_enabled:
        return Fail("CloudWatch logging is off")
    missing = [side for side, ids in (("source", SOURCE_COMPONENTS), ("target", TARGET_COMPONENTS))
               if not any(t.log_severities.get(i, DEFAULT) in VERBOSE_ENOUGH for i in ids)]
    if missing:
        return Fail(f"logging is on but {' and '.join(missing)} activity is logged below the default severity")
    return Pass("source and target activity are logged")
