"""OCSF: one Compliance Finding event (class 2003, category Findings) per finding, as a JSON array.

Target schema: OCSF 1.8.0, with the `cloud` profile (it adds the required `cloud` object). The
document is a JSON array of events, the shape Prowler's `.ocsf.json` uses and `json.load` reads in
one go; `jq -c '.[]'` turns it into JSON Lines for pipelines that want one event per line.

Mapping of Assay's verdicts to `compliance.status_id` / `compliance.status` (captions from the
schema's enum; 99 "Other" carries a source-defined caption, as the schema allows):

    pass  -> 1  "Pass"
    fail  -> 3  "Fail"
    error -> 0  "Unknown"          never Pass: a read failed, so the result is not known
    skip  -> 99 "Not Applicable"   the control does not apply to this resource

`compliance.status_code` keeps Assay's own verdict (PASS, FAIL, ERROR, SKIP) and
`compliance.status_details` its message, so no information is lost in the mapping.

Exceptions leave `compliance.status` at Fail (the resource does fail the control) and set the
finding's own status: an active exception is `status_id` 3 "Suppressed" (the schema's "reviewed ...
and is now suppressed"), with the reason as `comment`; an expired one is 1 "New", back to be
reviewed. `status_detail` and `compliance.status_details` carry the justification or "exception
expired on DATE", and `unmapped.assay.exception` the exception's fields.

Times are epoch milliseconds (OCSF `timestamp_t`) of the scan's end: evaluation reads no clock.
Every string from AWS is data in a JSON string; `json` does all the escaping.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any, TextIO

from assay.controls.registry import Control
from assay.engine import Evaluation
from assay.exceptions import describe
from assay.models.base import GLOBAL
from assay.models.findings import Finding, Severity, Status
from assay.reporters import reporter
from assay.reporters.coverage import scan_fields
from assay.reporters.json import dump

OCSF_VERSION = "1.8.0"
PROFILES = ["cloud"]
CLASS_UID = 2003
CLASS_NAME = "Compliance Finding"
CATEGORY_UID = 2
CATEGORY_NAME = "Findings"
ACTIVITY_ID = 1  # Create: each scan reports its findings afresh
ACTIVITY_NAME = "Create"
TYPE_UID = CLASS_UID * 100 + ACTIVITY_ID
STANDARD = "SOC 2"

SEVERITY_ID: dict[Severity, tuple[int, str]] = {
    Severity.CRITICAL: (5, "Critical"),
    Severity.HIGH: (4, "High"),
    Severity.MEDIUM: (3, "Medium"),
    Severity.LOW: (2, "Low"),
    Severity.INFO: (1, "Informational"),
}
COMPLIANCE_STATUS: dict[Status, tuple[int, str]] = {
    Status.PASS: (1, "Pass"),
    Status.FAIL: (3, "Fail"),
    Status.ERROR: (0, "Unknown"),
    Status.SKIP: (99, "Not Applicable"),
}
FINDING_STATUS_EXCEPTED = (3, "Suppressed")
FINDING_STATUS_EXPIRED = (1, "New")
ACCOUNT_TYPE = (10, "AWS Account")
RESOURCE_ROLE = (1, "Target")  # the resource the check evaluated


def _millis(ev: Evaluation) -> int:
    when = ev.inventory.meta.finished_at
    if when.tzinfo is None:  # naive means UTC: never the local zone of whoever renders the report
        when = when.replace(tzinfo=UTC)
    return int(when.timestamp()) * 1000 + when.microsecond // 1000


def _partitions(ev: Evaluation) -> dict[str, str]:
    return {a.account_id: a.partition for a in ev.inventory.accounts}


def _partition(arn: str, fallback: str) -> str:
    parts = arn.split(":")
    return parts[1] if len(parts) > 2 and parts[0] == "arn" and parts[1] else fallback


def remediation_text(control: Control) -> str:
    r = control.remediation
    return f"Console: {r.console}\n\nCLI:\n{r.cli}\n\nTerraform:\n{r.terraform}"


def event(ev: Evaluation, f: Finding, partitions: dict[str, str] | None = None,
          scan: dict[str, object] | None = None) -> dict[str, Any]:
    """The OCSF Compliance Finding for one Assay finding."""
    control = ev.controls.get(f.control_id)
    if partitions is None:
        partitions = _partitions(ev)
    partition = _partition(f.resource_arn, partitions.get(f.account_id, "aws"))
    severity_id, severity = SEVERITY_ID[f.severity]
    status_id, status = COMPLIANCE_STATUS[f.status]
    when = _millis(ev)
    product = {"name": "Assay", "vendor_name": "Assay", "uid": "assay",
               "version": ev.inventory.meta.tool_version}

    cloud: dict[str, Any] = {
        "provider": "AWS",
        "cloud_partition": partition,
        "account": {"uid": f.account_id, "type_id": ACCOUNT_TYPE[0], "type": ACCOUNT_TYPE[1]},
    }
    resource: dict[str, Any] = {
        "uid": f.resource_arn, "name": f.resource_name, "type": f.resource_type,
        "cloud_partition": partition, "provider": "AWS",
        "role_id": RESOURCE_ROLE[0], "role": RESOURCE_ROLE[1],
    }
    if f.resource_id and f.resource_id != f.resource_arn:
        resource["uid_alt"] = f.resource_id
    if f.region != GLOBAL:  # "global" is Assay's word for account-wide resources, not an AWS region
        cloud["region"] = f.region
        resource["region"] = f.region

    compliance: dict[str, Any] = {
        "control": f.control_id,
        "desc": f.title,
        "standards": [STANDARD],
        "requirements": list(f.criteria),
        "status_id": status_id,
        "status": status,
        "status_code": f.status.value.upper(),
    }
    if f.message:
        compliance["status_details"] = [f.message]
    if f.exception is not None:
        compliance["status_details"] = [*compliance.get("status_details", []), describe(f.exception)]

    finding_info: dict[str, Any] = {
        "uid": f.id,
        "title": f.title,
        "types": [f"Software and Configuration Checks/Industry and Regulatory Standards/{STANDARD}"],
        "created_time": when,
        "product": product,
    }
    if control is not None and control.rationale:
        finding_info["desc"] = control.rationale

    out: dict[str, Any] = {
        "class_uid": CLASS_UID, "class_name": CLASS_NAME,
        "category_uid": CATEGORY_UID, "category_name": CATEGORY_NAME,
        "activity_id": ACTIVITY_ID, "activity_name": ACTIVITY_NAME,
        "type_uid": TYPE_UID, "type_name": f"{CLASS_NAME}: {ACTIVITY_NAME}",
        "severity_id": severity_id, "severity": severity,
        "time": when,
        "metadata": {
            "version": OCSF_VERSION,
            "profiles": list(PROFILES),
            "product": product,
            "uid": f"{ev.inventory.meta.scan_id}/{f.id}",
            "correlation_uid": ev.inventory.meta.scan_id,
            "event_code": f.control_id,
        },
        "cloud": cloud,
        "finding_info": finding_info,
        "compliance": compliance,
        "resources": [resource],
    }
    if f.message:
        out["message"] = f.message
    if control is not None:
        out["remediation"] = {"desc": remediation_text(control)}
    if f.exception is not None:
        x = f.exception
        out["status_id"], out["status"] = FINDING_STATUS_EXPIRED if x.expired else FINDING_STATUS_EXCEPTED
        out["status_detail"] = describe(x)
        if not x.expired:
            out["comment"] = x.reason
        out["unmapped"] = {"assay": {"excepted": f.excepted, "exception": x.model_dump(mode="json")}}
    # Every event says whether its scan was partial: what could not be read is in ERROR events of the
    # same scan (compliance status Unknown), never left out silently.
    out.setdefault("unmapped", {}).setdefault("assay", {})["scan"] = scan if scan is not None else scan_fields(ev)
    return out


def ocsf_events(ev: Evaluation) -> list[dict[str, Any]]:
    partitions = _partitions(ev)
    scan = scan_fields(ev)
    return [event(ev, f, partitions, scan) for f in ev.findings]


@reporter("ocsf", extension="ocsf.json")
def write_ocsf(ev: Evaluation, out: TextIO) -> None:
    dump(ocsf_events(ev), out)  # what json.dump(indent=2) writes, a finding at a time
    out.write("\n")
