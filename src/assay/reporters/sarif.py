"""SARIF 2.1.0: one run of the tool "Assay", one rule per control, one result per FAIL and ERROR.

- Rules: shortDescription is the control title, fullDescription its rationale, help the remediation
  (console, CLI, Terraform; as text and as Markdown), properties.tags the SOC 2 criteria and the
  severity, defaultConfiguration.level from the severity (critical/high: error, medium: warning,
  low/info: note), and properties["security-severity"] for GitHub code scanning. The SOC 2 criteria
  are also a taxonomy of the run, with each rule related to its criteria.
- Results: FAIL is kind "fail" with the rule's level. ERROR is kind "open": the spec's word for "the
  rule was evaluated and there was insufficient information to decide whether a problem exists"
  (§3.27.9). The spec requires level "none" for any kind other than "fail" (§3.27.10), so an ERROR
  is never dressed as a warning of a problem, and never omitted. PASS and SKIP are not results.
- Locations are logical: the resource ARN as fullyQualifiedName, kind "resource" (there is no file).
  Each also has a physicalLocation whose artifact URI names the resource (aws/<account>/<region>/<type>/<id>,
  percent-encoded): GitHub code scanning refuses results without one.
  partialFingerprints carry Assay's stable finding id, so viewers track a result across scans.
- Exceptions are external suppressions (§3.35), the result staying in the log: an active exception
  is a suppression with status "accepted" and its justification (type, reason, owner, approver,
  expiry), which viewers show as suppressed or dismissed; an expired one is a suppression with status
  "rejected", so viewers keep the result open, and the message says "exception expired on DATE".
  Suppression properties carry the exception's fields.
- Collection errors are toolExecutionNotifications of the invocation; executionSuccessful is false
  when the scan is partial.

Result and notification messages are plain text that embeds untrusted strings: `[`, `]` and `\\`
are escaped (§3.11.6, embedded links) and `{` / `}` doubled (§3.11.5, placeholders), so a resource
name can neither form a link nor a placeholder.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import quote

from assay.controls.registry import Control
from assay.engine import Evaluation
from assay.exceptions import describe
from assay.models.findings import Finding, Severity, Status
from assay.reporters import reporter
from assay.reporters.document import scan_summary
from assay.reporters.json import dump

SARIF_VERSION = "2.1.0"
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TAXONOMY = "SOC 2"
FINGERPRINT = "assayFindingId/v1"

LEVEL: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
# GitHub code scanning reads a CVSS-like score: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, < 4 low.
SECURITY_SEVERITY: dict[Severity, str] = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "0.0",
}
KIND: dict[Status, str] = {Status.FAIL: "fail", Status.ERROR: "open"}

_MESSAGE_SPECIALS = re.compile(r"[\\\[\]{}]")
_ESCAPES = {"\\": "\\\\", "[": "\\[", "]": "\\]", "{": "{{", "}": "}}"}


def message_text(text: str) -> str:
    """Plain text for a SARIF message: no embedded link, no placeholder, whatever the input."""
    return _MESSAGE_SPECIALS.sub(lambda m: _ESCAPES[m.group()], text)


def _fence(body: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def help_text(control: Control) -> str:
    r = control.remediation
    return f"Console: {r.console}\n\nCLI:\n{r.cli}\n\nTerraform:\n{r.terraform}"


def help_markdown(control: Control) -> str:
    r = control.remediation
    cli, tf = _fence(r.cli), _fence(r.terraform)
    return (f"{control.rationale}\n\n**Console:** {r.console}\n\n"
            f"**CLI:**\n\n{cli}sh\n{r.cli}\n{cli}\n\n**Terraform:**\n\n{tf}hcl\n{r.terraform}\n{tf}")


def rule(control: Control, criteria: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": control.id,
        "shortDescription": {"text": control.title},
        "fullDescription": {"text": control.rationale or control.title},
        "help": {"text": help_text(control), "markdown": help_markdown(control)},
        "defaultConfiguration": {"level": LEVEL[control.severity]},
        "properties": {
            "tags": ["security", TAXONOMY, *criteria, f"severity:{control.severity.value}"],
            "severity": control.severity.value,
            "security-severity": SECURITY_SEVERITY[control.severity],
        },
    }
    if criteria:
        out["relationships"] = [
            {"target": {"id": c, "toolComponent": {"name": TAXONOMY}}, "kinds": ["relevant"]} for c in criteria
        ]
    return out


def suppression(f: Finding) -> dict[str, Any] | None:
    x = f.exception
    if x is None:
        return None
    return {
        "kind": "external",
        "status": "rejected" if x.expired else "accepted",
        "justification": describe(x),
        "properties": {"exceptionId": x.id, "type": x.type.value, "reason": x.reason, "owner": x.owner,
                       "approver": x.approver, "expires": x.expires.isoformat(), "expired": x.expired},
    }


def artifact_uri(f: Finding) -> str:
    """A relative URI naming the resource, for viewers that need a physical location.

    GitHub code scanning rejects a whole SARIF file if any result lacks physicalLocation.artifactLocation.uri;
    a cloud resource has no file, so it gets a path of its own: aws/<account>/<region>/<type>/<resource id>,
    each segment percent-encoded (a resource id is data from the account: no "..", no "/", no scheme).
    """
    parts = ("aws", f.account_id, f.region, f.resource_type.replace("::", "-"), f.resource_id or f.resource_arn)
    segments = [quote(p, safe="") or "-" for p in parts]
    return "/".join(seg.replace(".", "%2E") if seg in (".", "..") else seg for seg in segments)


def result(f: Finding, rule_index: int) -> dict[str, Any]:
    lapsed = (f" (exception expired on {f.exception.expires.isoformat()})"
              if f.exception is not None and f.exception.expired else "")
    out: dict[str, Any] = {
        "ruleId": f.control_id,
        "ruleIndex": rule_index,
        "kind": KIND[f.status],
        "level": LEVEL[f.severity] if f.status is Status.FAIL else "none",
        "message": {"text": message_text(f"{f.resource_name}: {f.message or f.status.value}{lapsed}")},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(f)}},
            "logicalLocations": [{"name": f.resource_name, "fullyQualifiedName": f.resource_arn, "kind": "resource"}],
        }],
        "partialFingerprints": {FINGERPRINT: f.id},
        "properties": {
            "status": f.status.value, "severity": f.severity.value, "accountId": f.account_id, "region": f.region,
            "resourceType": f.resource_type, "resourceId": f.resource_id, "criteria": list(f.criteria),
        },
    }
    if (s := suppression(f)) is not None:
        out["suppressions"] = [s]
        out["properties"]["excepted"] = f.excepted
    return out


def _utc(when: datetime) -> str:
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)  # naive means UTC
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def sarif_log(ev: Evaluation) -> dict[str, Any]:
    control_map = ev.framework.control_map()
    controls = sorted(ev.controls.values(), key=lambda c: c.id)
    index = {c.id: n for n, c in enumerate(controls)}
    rules = [rule(c, sorted(control_map.get(c.id, []))) for c in controls]
    used = sorted({c for cid in index for c in control_map.get(cid, [])})
    titles = {c.id: c.title for c in ev.framework.criteria}
    inv = ev.inventory
    meta = inv.meta

    results = [result(f, index[f.control_id]) for f in ev.findings
               if f.status in KIND and f.control_id in index]
    notifications = [
        {"level": "error", "message": {"text": message_text(e.describe() + (f": {e.message}" if e.message else ""))},
         "properties": {"accountId": e.account_id, "region": e.region, "service": e.service,
                        "operation": e.operation, "code": e.code, "kind": e.kind.value}}
        for e in inv.errors
    ]
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "Assay",
            "version": meta.tool_version,
            "semanticVersion": meta.tool_version,
            "rules": rules,
            "supportedTaxonomies": [{"name": TAXONOMY}] if used else [],
        }},
        "invocations": [{
            "executionSuccessful": inv.complete,
            "startTimeUtc": _utc(meta.started_at),
            "endTimeUtc": _utc(meta.finished_at),
            "toolExecutionNotifications": notifications,
        }],
        "automationDetails": {"id": f"assay/{ev.framework.id}/{meta.scan_id}"},
        "results": results,
        "properties": {
            "scanId": meta.scan_id, "framework": ev.framework.id, "complete": inv.complete,
            "state": "complete" if inv.complete else "partial",
            "coveragePercent": scan_summary(ev)["coverage_percent"],
            # One entry per (account, region, service): complete, denied, throttled, error, not_enabled...
            "coverage": [{"accountId": c.account_id, "region": c.region, "service": c.service,
                          "status": c.status.value, "reason": c.reason} for c in inv.coverage],
        },
    }
    if used:
        run["taxonomies"] = [{
            "name": TAXONOMY,
            "fullName": ev.framework.name,
            "taxa": [{"id": c, "shortDescription": {"text": titles.get(c, c)}} for c in used],
        }]
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


@reporter("sarif", extension="sarif")
def write_sarif(ev: Evaluation, out: TextIO) -> None:
    dump(sarif_log(ev), out)  # what json.dump(indent=2) writes, a finding at a time
    out.write("\n")
