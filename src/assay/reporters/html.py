"""HTML: one self-contained SOC 2 compliance page an auditor can open offline.

Categories -> criteria -> controls -> resources, plus scan state, coverage and collection errors.
Everything is in one file: the stylesheet and the one small filter script are inlined, nothing is
loaded from the network, and a Content-Security-Policy <meta> allows exactly that style and that
script by their SHA-256 hashes (`default-src 'none'`, no 'unsafe-inline').

Every value from the cloud (names, ids, ARNs, tags, messages) is attacker-controlled: the template
environment autoescapes everything and no data is ever marked safe. The only markup inserted
verbatim is our own packaged CSS and JS (checked at load for a closing tag that would end them).
Filter values travel as autoescaped data-* attributes, never as script. The page works without
JavaScript: the filter bar stays hidden and the full report is shown.

Exceptions: a failure covered by an active exception shows as EXCEPTED with its justification
(exceptions.yaml text is user-controlled and autoescaped like everything else); one whose exception
expired stays FAIL with "exception expired on DATE". An Exceptions section lists every entry.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from assay.engine import PASS_WITH_EXCEPTIONS, Evaluation, rollup_excepted
from assay.models.findings import Severity, Status
from assay.reporters import reporter
from assay.reporters.document import build, exception_usage

TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"
SCRIPT = "report.js"

STATUS_LABELS = {
    "pass": "Pass", "fail": "Fail", "error": "Error", "skip": "Not applicable", "not_applicable": "Not applicable",
    "manual": "Manual", "inherited": "Inherited", "excepted": "Excepted", PASS_WITH_EXCEPTIONS: "Pass with exceptions",
}
FINDING_STATUSES = ("fail", "excepted", "error", "pass", "skip")
CRITERION_STATUSES = ("fail", "error", PASS_WITH_EXCEPTIONS, "pass", "manual", "inherited", "not_applicable")
FILTER_STATUSES = ("fail", "excepted", "error", "pass", "not_applicable", "manual", "inherited")
_EXCEPTION_ONLY = {"excepted", PASS_WITH_EXCEPTIONS}  # shown only when the scan used an exceptions file
SEVERITIES = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))
_SEVERITY_RANK = {s.value: s.rank for s in Severity}
_FINDING_ORDER = {s: n for n, s in enumerate(FINDING_STATUSES)}
WORST_SHOWN = 10


def csp_source(text: str) -> str:
    """The CSP source expression that allows exactly this inline <script> or <style> content."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    return "; ".join((
        "default-src 'none'",
        f"script-src {csp_source(script)}",
        f"style-src {csp_source(style)}",
        "img-src 'none'", "font-src 'none'", "connect-src 'none'", "media-src 'none'", "object-src 'none'",
        "frame-src 'none'", "worker-src 'none'", "manifest-src 'none'",
        "base-uri 'none'", "form-action 'none'",
    ))


# Characters that change how text around them displays without being seen: bidi overrides and
# isolates (a name can render as its reverse, "Trojan Source"), zero-width characters, C0 controls.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def reveal(value: Any) -> Any:
    """Show invisible and direction-changing characters in cloud strings as [U+XXXX]; escaping follows."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)
    return value


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("assay.reporters", "templates"),
        autoescape=True,  # every {{ value }} is escaped; data is never marked safe
        finalize=reveal,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@cache
def _asset(name: str, closing_tag: str) -> str:
    """Our own packaged CSS or JS, inlined verbatim. Never data from a scan."""
    text = resources.files("assay.reporters").joinpath("templates", name).read_text(encoding="utf-8")
    text = text.replace("\r\n", "\n")  # the hash must match what a parser sees after newline normalisation
    if re.search(rf"</{closing_tag}", text, re.IGNORECASE) or "<!--" in text:
        raise ValueError(f"{name} must not contain '</{closing_tag}' or '<!--'")
    return text


def _utc(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%d %H:%M:%S UTC")


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


def _filter_status(status: str) -> str:
    return "not_applicable" if status == "skip" else status


def _shown(statuses: tuple[str, ...], excepting: bool) -> tuple[str, ...]:
    return statuses if excepting else tuple(s for s in statuses if s not in _EXCEPTION_ONLY)


def _shown_status(f: dict[str, Any]) -> str:
    return "excepted" if f["excepted"] else str(f["status"])


def _control_view(ev: Evaluation, doc: dict[str, Any], cid: str, findings: list[dict[str, Any]]) -> dict[str, Any]:
    info = doc["controls"].get(cid)
    if info is None:  # mapped but produced no finding (or not registered): describe it from the registry
        c = ev.controls.get(cid)
        info = {
            "title": c.title if c else cid, "severity": c.severity.value if c else "info",
            "service": c.service if c else cid.split(".", 1)[0], "resource_type": c.resource_type if c else "",
            "rationale": c.rationale if c else "This control is not available in this version of Assay.",
            "params": dict(c.params) if c else {},
            "remediation": {"console": c.remediation.console, "cli": c.remediation.cli,
                            "terraform": c.remediation.terraform} if c else {"console": "", "cli": "", "terraform": ""},
        }
    rows = sorted(findings, key=lambda f: (_FINDING_ORDER.get(f["status"], 9), f["account_id"], f["region"],
                                           f["resource_name"], f["resource_arn"], f["id"]))
    counts = Counter(_shown_status(f) for f in rows)
    status = rollup_excepted((Status(f["status"]), f["excepted"]) for f in rows)  # the same roll-up as a criterion's
    return {
        "id": cid, **info, "status": status, "counts": {s: counts.get(s, 0) for s in FINDING_STATUSES},
        "findings": [{**f, "shown_status": _shown_status(f), "filter_status": _filter_status(_shown_status(f))}
                     for f in rows],
        "param_items": [(k, _param_text(v)) for k, v in sorted(info["params"].items())],
    }


def _param_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v) for v in value)
    return str(value)


def view(ev: Evaluation) -> dict[str, Any]:
    """Everything the template shows, from the report document (reporters.document.build)."""
    doc = build(ev)
    scan = doc["scan"]
    inv = ev.inventory
    by_control: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in doc["findings"]:
        by_control[f["control_id"]].append(f)

    categories = []
    views: dict[str, dict[str, Any]] = {}
    for key, name in ev.framework.categories.items():
        crits = []
        for c in doc["criteria"]:
            if c["category"] != key:
                continue
            controls = []
            for cid in c["controls"]:
                # A control mapped to several criteria lists its resources once, under the first one;
                # the others link there. This keeps the page linear in the number of findings.
                views[cid] = views.get(cid) or {**_control_view(ev, doc, cid, by_control.get(cid, [])),
                                                "home": c["id"]}
                controls.append({**views[cid], "primary": views[cid]["home"] == c["id"]})
            crits.append({**c, "control_views": controls})
        if crits:
            tally = Counter(c["status"] for c in crits)
            categories.append({"id": key, "name": name, "criteria": crits,
                               "tally": [(s, tally[s]) for s in CRITERION_STATUSES if tally.get(s)]})

    planned = [c for c in doc["coverage"] if c["status"] != "not_enabled"]
    incomplete = [c for c in planned if c["status"] != "complete"]
    affected = [c for c in doc["criteria"] if c["status"] == "error" or c["counts"].get("error", 0)]
    failed_accounts = [a for a in scan["accounts"] if a["status"] != "scanned"]

    scanned_regions = sorted({r["region"] for r in scan["regions"] if r["status"] == "scanned"})
    not_scanned: dict[str, list[str]] = defaultdict(list)
    unreadable = [r for r in scan["regions"] if r.get("failure")]
    for r in scan["regions"]:
        if r["status"] != "scanned":
            label = f"{r['account_id']} ({r['opt_in_status']})" if r["opt_in_status"] else r["account_id"]
            not_scanned[r["region"]].append(label)

    failing = Counter(f["control_id"] for f in doc["findings"] if f["status"] == "fail" and not f["excepted"])
    worst = sorted(failing, key=lambda cid: (-_SEVERITY_RANK.get(doc["controls"][cid]["severity"], 0),
                                              -failing[cid], cid))[:WORST_SHOWN]

    accounts = sorted({a["account_id"] for a in scan["accounts"]} | {f["account_id"] for f in doc["findings"]})
    regions = sorted({f["region"] for f in doc["findings"]} | {c["region"] for c in doc["coverage"]})
    started, finished = inv.meta.started_at, inv.meta.finished_at
    excepting = bool(ev.exceptions)

    return {
        "doc": doc,
        "scan": scan,
        "framework_name": ev.framework.name,
        "started": _utc(started),
        "finished": _utc(finished),
        "duration": _duration((finished - started).total_seconds()),
        "requested_regions": list(inv.meta.requested_regions),
        "scanned_regions": scanned_regions,
        "not_scanned": sorted(not_scanned.items()),
        "unreadable_regions": sorted(unreadable, key=lambda r: (r["account_id"], r["region"])),
        "categories": categories,
        "n_criteria": len(doc["criteria"]),
        "incomplete": incomplete,
        "n_planned": len(planned),
        "affected": affected,
        "failed_accounts": failed_accounts,
        "worst": [{"id": cid, "failing": failing[cid], **doc["controls"][cid]} for cid in worst],
        "finding_tally": [(s, scan["findings"].get(s, 0)) for s in _shown(FINDING_STATUSES, excepting)],
        "criteria_tally": [(s, scan["criteria"].get(s, 0)) for s in _shown(CRITERION_STATUSES, excepting)],
        "n_findings": len(doc["findings"]),
        "filter_statuses": _shown(FILTER_STATUSES, excepting),
        "exceptions": exception_usage(ev) if ev.exceptions else None,
        "exceptions_summary": scan["exceptions"],
        "severities": SEVERITIES,
        "accounts": accounts,
        "regions": regions,
        "labels": STATUS_LABELS,
    }


def generate(ev: Evaluation) -> Iterator[str]:
    """The page in chunks, so that a large estate's report is streamed rather than built in memory."""
    script = _asset(SCRIPT, "script")
    style = _asset(STYLESHEET, "style")
    template = _environment().get_template(TEMPLATE)
    return template.generate(
        **view(ev),
        csp=content_security_policy(script, style),
        # Our packaged assets, not data: inserted verbatim so that their hashes match the CSP.
        script=Markup(script),
        style=Markup(style),
    )


def render(ev: Evaluation) -> str:
    return "".join(generate(ev))


@reporter("html", extension="html")
def write_html(ev: Evaluation, out: TextIO) -> None:
    for chunk in generate(ev):
        out.write(chunk)
