"""JUnit XML: SOC 2 results for CI systems that show test reports (Jenkins, GitLab, Azure DevOps, ...).

One <testsuite> per control (name = control id; title, severity and SOC 2 criteria as properties)
and one <testcase> per control x resource (classname = control id, name = resource name and ARN):

    fail  -> <failure type="FAIL" message="...">  with the resource, criteria and remediation
    error -> <error type="ERROR" message="...">   could not evaluate: never a pass
    skip  -> <skipped message="...">              not applicable
    pass  -> an empty <testcase>
    fail covered by an active exception -> <skipped type="EXCEPTED" message="EXCEPTED: ...">
    fail whose exception expired        -> <failure>, its message starting "exception expired on DATE"

An excepted finding is "skipped" because that is the one outcome every JUnit reader shows distinctly
without failing the build or counting it as passed: it stays visible, with its justification (type,
reason, owner, approver, expiry) as the message and body, and the type EXCEPTED tells it from a
not-applicable skip. A property would not do: junit-10.xsd allows no properties on a testcase, and a
passing-looking case would hide that the resource fails the control.

A first suite, "assay.scan", holds one testcase for the scan itself: it errors when the scan is
PARTIAL, listing what could not be read, so a partial scan never reads as green in CI even when
no control depended on the missing data.

The shape is the widely used Jenkins/Ant "junit-10.xsd" (testsuites > testsuite > testcase).
Times are 0: evaluation is not timed per check; the <testsuites> time is the scan's duration.

All markup is built by xml.etree.ElementTree, which escapes text and attributes. XML 1.0 cannot
carry some characters at all (NUL, most C0 controls, lone surrogates): those, and invisible or
direction-changing characters that could disguise a name in a CI page, are shown as [U+XXXX].
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import UTC, datetime
from typing import TextIO

from assay.engine import Evaluation
from assay.exceptions import describe
from assay.models.findings import Finding, Status
from assay.reporters import reporter
from assay.reporters.document import scan_summary

SCAN_SUITE = "assay.scan"
MAX_SCAN_LINES = 50

# Not allowed in XML 1.0 at all, or allowed but invisible / reordering text when displayed.
_UNSAFE = re.compile(
    "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
    "|[\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def xml_text(value: str) -> str:
    """A string that XML 1.0 can carry and that displays as what it is."""
    return _UNSAFE.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _case_name(f: Finding) -> str:
    return f.resource_arn if f.resource_name in ("", f.resource_arn) else f"{f.resource_name} ({f.resource_arn})"


def _details(ev: Evaluation, f: Finding) -> str:
    lines = [
        f.message,
        "",
        f"Resource: {f.resource_name}",
        f"ARN: {f.resource_arn}",
        f"Type: {f.resource_type}",
        f"Account: {f.account_id}",
        f"Region: {f.region}",
        f"Severity: {f.severity.value}",
        f"SOC 2 criteria: {', '.join(f.criteria) or 'none mapped'}",
        f"Finding id: {f.id}",
    ]
    if f.exception is not None:
        x = f.exception
        lines += ["", describe(x), f"Exception: {x.id} ({x.type.value}), owner {x.owner}, approved by {x.approver}, "
                  f"expires {x.expires.isoformat()}"]
    control = ev.controls.get(f.control_id)
    if control is not None and f.status is Status.FAIL:
        r = control.remediation
        lines += ["", f"Remediation (console): {r.console}", "", "Remediation (CLI):", r.cli,
                  "", "Remediation (Terraform):", r.terraform]
    return "\n".join(lines)


def _scan_suite(ev: Evaluation, root: ET.Element, timestamp: str) -> tuple[int, int]:
    s = scan_summary(ev)
    inv = ev.inventory
    problems = [f"{c.account_id} {c.region} {c.service}: {c.status.value}" + (f" ({c.reason})" if c.reason else "")
                for c in inv.coverage if c.status.value not in ("complete", "not_enabled")]
    problems += [f"account {a.account_id}: {a.status}" + (f" ({a.reason})" if a.reason else "")
                 for a in inv.accounts if a.status != "scanned"]
    problems += [e.describe() + (f": {e.message}" if e.message else "") for e in inv.errors]
    errors = 0 if inv.complete else 1
    suite = _el(root, "testsuite", name=SCAN_SUITE, tests="1", failures="0", errors=str(errors), skipped="0",
                time="0", timestamp=timestamp, id="0", package="assay")
    props = _el(suite, "properties")
    for name, value in (("scan_id", s["scan_id"]), ("framework", s["framework"]), ("state", s["state"]),
                        ("coverage_percent", str(s["coverage_percent"])), ("tool_version", s["tool_version"]),
                        ("accounts", " ".join(a["account_id"] for a in s["accounts"]))):
        _el(props, "property", name=name, value=value)
    case = _el(suite, "testcase", classname=SCAN_SUITE, name="scan is complete", time="0")
    if errors:
        shown = problems[:MAX_SCAN_LINES]
        more = [f"... and {len(problems) - len(shown)} more"] if len(problems) > len(shown) else []
        message = (f"PARTIAL scan: coverage {s['coverage_percent']}%; criteria that depend on data that "
                   "could not be read are ERROR, never compliant")
        _el(case, "error", "\n".join([*shown, *more]), type="PARTIAL", message=message)
    return 1, errors


def junit_tree(ev: Evaluation) -> ET.Element:
    meta = ev.inventory.meta
    started, finished = _utc(meta.started_at), _utc(meta.finished_at)
    timestamp = started.strftime("%Y-%m-%dT%H:%M:%S")
    root = ET.Element("testsuites", {"name": xml_text(f"Assay {ev.framework.name} ({meta.scan_id})")})
    tests, errors = _scan_suite(ev, root, timestamp)
    failures = 0

    by_control: dict[str, list[Finding]] = defaultdict(list)
    for f in ev.findings:
        by_control[f.control_id].append(f)
    control_map = ev.framework.control_map()
    for n, cid in enumerate(sorted(set(ev.controls) | set(by_control)), start=1):
        findings = by_control.get(cid, [])
        counts = {s: sum(1 for f in findings if f.status is s and not f.excepted) for s in Status}
        excepted = sum(1 for f in findings if f.excepted)
        control = ev.controls.get(cid)
        suite = _el(root, "testsuite", name=cid, tests=str(len(findings)), failures=str(counts[Status.FAIL]),
                    errors=str(counts[Status.ERROR]), skipped=str(counts[Status.SKIP] + excepted), time="0",
                    timestamp=timestamp, id=str(n), package=f"assay.{cid.split('.', 1)[0]}")
        props = _el(suite, "properties")
        if control is not None:
            _el(props, "property", name="title", value=control.title)
            _el(props, "property", name="severity", value=control.severity.value)
        _el(props, "property", name="criteria", value=" ".join(sorted(control_map.get(cid, []))))
        for f in findings:
            case = _el(suite, "testcase", classname=cid, name=_case_name(f), time="0")
            if f.excepted and f.exception is not None:
                _el(case, "skipped", _details(ev, f), type="EXCEPTED", message=describe(f.exception))
            elif f.status is Status.FAIL:
                lapsed = f"exception expired on {f.exception.expires.isoformat()}: " if f.exception else ""
                _el(case, "failure", _details(ev, f), type="FAIL", message=lapsed + f.message)
            elif f.status is Status.ERROR:
                _el(case, "error", _details(ev, f), type="ERROR", message=f.message)
            elif f.status is Status.SKIP:
                _el(case, "skipped", message=f.message)
        tests += len(findings)
        failures += counts[Status.FAIL]
        errors += counts[Status.ERROR]

    duration = max((finished - started).total_seconds(), 0.0)
    root.set("tests", str(tests))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    root.set("time", f"{duration:.3f}")
    return root


def render(ev: Evaluation) -> str:
    root = junit_tree(ev)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@reporter("junit", extension="junit.xml")
def write_junit(ev: Evaluation, out: TextIO) -> None:
    out.write(render(ev))
