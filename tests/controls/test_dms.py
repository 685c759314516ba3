"""DMS controls: pure functions over replication instances, endpoints and tasks."""

from __future__ import annotations

from typing import Any

from assay.controls import dms
from assay.models.findings import Status
from assay.models.resources.dms import DmsEndpoint, DmsReplicationInstance, DmsReplicationTask

P, F, S, E = Status.PASS, Status.FAIL, Status.SKIP, Status.ERROR
BASE: dict[str, Any] = dict(account_id="123456789012", region="us-east-1")


def instance(**over: Any) -> DmsReplicationInstance:
    return DmsReplicationInstance(**{**BASE, "arn": "arn:aws:dms:us-east-1:123456789012:rep:r1", "id": "r1",
                                     **over})


def endpoint(**over: Any) -> DmsEndpoint:
    return DmsEndpoint(**{**BASE, "arn": "arn:aws:dms:us-east-1:123456789012:endpoint:E1", "id": "e1",
                          "endpoint_type": "source", "engine": "postgres", "ssl_mode": "verify-full", **over})


def task(**over: Any) -> DmsReplicationTask:
    severities = {"SOURCE_CAPTURE": "LOGGER_SEVERITY_DEFAULT", "TARGET_APPLY": "LOGGER_SEVERITY_DEBUG"}
    return DmsReplicationTask(**{**BASE, "arn": "arn:aws:dms:us-east-1:123456789012:task:T1", "id": "t1",
                                 "logging_enabled": True, "log_severities": severities, **over})


def test_replication_instance_not_public() -> None:
    assert dms.replication_instance_not_public(instance()).status is P
    assert dms.replication_instance_not_public(instance(publicly_accessible=True, public_ips=("54.1.2.3",))) == \
        (F, "replication instance is publicly accessible (54.1.2.3)")


def test_endpoint_ssl_enabled() -> None:
    assert dms.endpoint_ssl_enabled(endpoint()) == (P, "SSL mode is verify-full")
    assert dms.endpoint_ssl_enabled(endpoint(ssl_mode="none")) == \
        (F, "SSL mode is none: the source connection is not encrypted")
    assert dms.endpoint_ssl_enabled(endpoint(ssl_mode="")).status is F
    assert dms.endpoint_ssl_enabled(endpoint(engine="redis", ssl_mode="", redis_ssl_protocol="ssl-encryption")) \
        .status is P
    assert dms.endpoint_ssl_enabled(endpoint(engine="redis", ssl_mode="", redis_ssl_protocol="plaintext")) == \
        (F, "Redis connection is plaintext")
    assert dms.endpoint_ssl_enabled(endpoint(engine="s3", ssl_mode="none")) == \
        (S, "SSL mode does not apply to s3 endpoints")


def test_replication_task_logging() -> None:
    assert dms.replication_task_logging(task()).status is P
    # components not listed log at the default severity
    assert dms.replication_task_logging(task(log_severities={})).status is P
    assert dms.replication_task_logging(task(logging_enabled=False)) == (F, "CloudWatch logging is off")
    quiet = task(log_severities={"SOURCE_CAPTURE": "LOGGER_SEVERITY_ERROR", "SOURCE_UNLOAD": "LOGGER_SEVERITY_WARNING"})
    assert dms.replication_task_logging(quiet) == \
        (F, "logging is on but source activity is logged below the default severity")
    assert dms.replication_task_logging(task(logging_enabled=None)).status is E
