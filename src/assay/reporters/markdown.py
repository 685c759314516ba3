"""Markdown: a short summary for a pull-request comment (GitHub-flavoured Markdown).

Order: scan state first (COMPLETE or PARTIAL, coverage), then counts, failing criteria, the worst
failing controls with some of their resources (capped, with "and N more"), then what could not be
evaluated and the collection errors, then exceptions: each entry of the exceptions file, the findings
it excepts (EXCEPTED: not failing, never hidden) and those whose exception expired (failing again).
The whole comment stays under GitHub's 65,536-character limit. The exceptions file's strings are
user text and are rendered as code spans, like AWS strings.

Every string that comes from AWS (names, ARNs, ids, regions, messages, error text) is rendered as
an inline code span and only ever inside a table cell: inside a code span nothing is Markdown, so
no link, image, emphasis or raw HTML can be formed, and GitHub's autolinks, @mentions and #refs do
not apply. Around it, `code()` removes what could still escape a code span: newlines become spaces
(a table row is one line), `|` is escaped (it would end the cell), the fence is longer than any run
of backticks inside, and invisible or direction-changing characters show as [U+XXXX]. Assay's own
text (titles) goes through `escape()`, which backslash-escapes Markdown punctuation.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from typing import TextIO

from assay.engine import Evaluation
from assay.models.findings import Finding, Status
from assay.reporters import coverage, reporter
from assay.reporters.document import exception_usage, scan_summary

MAX_CONTROLS = 10  # failing controls shown
MAX_RESOURCES = 5  # resources shown per failing control
MAX_ERRORS = 10  # controls that could not be evaluated, and collection errors, shown
MAX_VALUE = 120  # characters of one AWS string
MAX_MESSAGE = 240
MAX_CHARS = 60_000  # GitHub rejects comments over 65,536 characters
MAX_EXCEPTED = 20  # excepted findings listed

_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_NEWLINES = re.compile(r"\r\n|[\r\n\u2028\u2029\x85\x0b\x0c]")
_SPECIAL = re.compile(r"[\\`*_\[\]<>|~&!#]")


def _visible(text: str) -> str:
    text = _NEWLINES.sub(" ", text)
    text = text.replace("\t", " ")
    return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    """Assay's own text in Markdown: one line, punctuation that means something escaped."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(), _visible(text))


def code(value: str, *, limit: int = MAX_VALUE) -> str:
    """An untrusted string as an inline code span that is safe in a table cell."""
    text = _cut(_visible(value), limit)
    if not text:
        return "*(empty)*"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]], align: str = "") -> list[str]:
    aligns = align or "l" * len(header)
    rule = ["---:" if a == "r" else "---" for a in aligns]
    return [_row(*header), _row(*rule), *(_row(*r) for r in rows)]


def _more(shown: int, total: int, what: str) -> list[str]:
    return ["", f"*…and {total - shown} more {what}*"] if total > shown else []


def _utc(when: datetime) -> str:
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S UTC")


def _resource(f: Finding) -> str:
    if f.resource_name in ("", f.resource_arn):
        return code(f.resource_arn)
    return f"{code(f.resource_name)} {code(f.resource_arn)}"


def _header(ev: Evaluation) -> list[str]:
    s = scan_summary(ev)
    state = "COMPLETE" if s["complete"] else "PARTIAL"
    lines = [f"## Assay {escape(ev.framework.name)} scan: {state}, coverage {s['coverage_percent']}%", ""]
    if not s["complete"]:
        lines += ["> **Partial scan.** Some data could not be read: criteria that depend on it are shown as "
                  "ERROR, never as compliant.", ""]
    f, c = s["findings"], s["criteria"]
    excepting = bool(ev.exceptions)
    extra = ["Excepted"] if excepting else []
    lines += _table(["Findings", "Fail", *extra, "Error", "Pass", "Not applicable"],
                    [[str(sum(f.values())), str(f["fail"]), *([str(f["excepted"])] if excepting else []),
                      str(f["error"]), str(f["pass"]), str(f["skip"])]], "lrr" + "r" * len(extra) + "rr")
    lines.append("")
    kinds = ["fail", "error", "pass", *(["pass_with_exceptions"] if excepting else []), "manual", "inherited",
             "not_applicable"]
    lines += _table(["Criteria", "Fail", "Error", "Pass", *(["Pass with exceptions"] if excepting else []), "Manual",
                     "Inherited", "Not applicable"],
                    [[str(sum(c.values())), *(str(c.get(k, 0)) for k in kinds)]], "l" + "r" * len(kinds))
    lines.append("")
    scanned = sorted({r.region for r in ev.inventory.regions if r.status.value == "scanned"})
    lines += _table(["Scan", "Accounts", "Regions", "Finished"], [[
        code(s["scan_id"]),
        ", ".join(code(a["account_id"]) for a in s["accounts"]) or "none",
        ", ".join(code(r) for r in scanned) or "none",
        _utc(ev.inventory.meta.finished_at),
    ]])
    return [*lines, "", *_coverage(ev)]


def _coverage(ev: Evaluation) -> list[str]:
    """Shards per coverage status, and each one not read completely."""
    lines = [escape(coverage.summary_line(ev))]
    unreadable = coverage.unreadable_regions(ev)
    if unreadable:
        rows = [[code(r.account_id), code(r.region), r.failure.value.upper() if r.failure else "",
                 code(r.reason, limit=MAX_MESSAGE)] for r in unreadable]
        lines += ["", *_table(["Account", "Region", "Region state", "Reason"], rows)]
    gaps = coverage.incomplete(ev)
    if gaps:
        rows = [[code(c.account_id), code(c.region), code(c.service), c.status.value.upper(),
                 code(c.reason, limit=MAX_MESSAGE)] for c in gaps[:MAX_ERRORS]]
        lines += ["", *_table(["Account", "Region", "Service", "Coverage", "Reason"], rows)]
        lines += _more(min(len(gaps), MAX_ERRORS), len(gaps), "shards not read completely")
    return lines


def _criteria(ev: Evaluation) -> list[str]:
    bad = [c for c in ev.criteria if c.status in ("fail", "error")]
    lines = ["", "### Failing criteria", ""]
    if not bad:
        return [*lines, "No criterion with automated evidence fails or is in error."]
    rows = [[escape(c.id), escape(c.title), c.status.upper(), str(c.counts.get("fail", 0)),
             str(c.counts.get("error", 0))] for c in sorted(bad, key=lambda c: (c.status != "fail", c.id))]
    return [*lines, *_table(["Criterion", "Title", "Status", "Failing", "Errors"], rows, "lllrr")]


def _failing_controls(ev: Evaluation) -> list[str]:
    failing: dict[str, list[Finding]] = defaultdict(list)
    for f in ev.findings:
        if f.status is Status.FAIL and not f.excepted:
            failing[f.control_id].append(f)
    lines = ["", "### Top failing controls", ""]
    if not failing:
        return [*lines, "No control fails."]
    order = sorted(failing, key=lambda cid: (-failing[cid][0].severity.rank, -len(failing[cid]), cid))
    for n, cid in enumerate(order[:MAX_CONTROLS], start=1):
        findings = failing[cid]
        first = findings[0]
        title = ev.controls[cid].title if cid in ev.controls else first.title
        noun = "resource" if len(findings) == 1 else "resources"
        lines += [f"**{n}. {first.severity.value.upper()}** {code(cid)} {escape(title)} "
                  f"({len(findings)} failing {noun})", ""]
        rows = [[_resource(f), code(f.account_id), code(f.region), code(f.message, limit=MAX_MESSAGE) + _lapsed(f)]
                for f in findings[:MAX_RESOURCES]]
        lines += _table(["Resource", "Account", "Region", "Finding"], rows)
        lines += [*_more(min(len(findings), MAX_RESOURCES), len(findings), "failing resources"), ""]
    lines += _more(min(len(order), MAX_CONTROLS), len(order), "failing controls")
    return lines


def _errors(ev: Evaluation) -> list[str]:
    errored: dict[str, list[Finding]] = defaultdict(list)
    for f in ev.findings:
        if f.status is Status.ERROR:
            errored[f.control_id].append(f)
    lines: list[str] = []
    if errored:
        lines += ["", "### Could not evaluate", "",
                  f"{sum(len(v) for v in errored.values())} findings in {len(errored)} controls are ERROR: "
                  "the data they need could not be read. They count as not compliant.", ""]
        order = sorted(errored, key=lambda cid: (-len(errored[cid]), cid))
        rows = []
        for cid in order[:MAX_ERRORS]:
            reasons = Counter(f.message for f in errored[cid])
            reason, _ = reasons.most_common(1)[0]
            rows.append([code(cid), str(len(errored[cid])), code(reason, limit=MAX_MESSAGE)])
        lines += _table(["Control", "Findings", "Most common reason"], rows, "lrl")
        lines += _more(min(len(order), MAX_ERRORS), len(order), "controls")
    errors = ev.inventory.errors
    if errors:
        lines += ["", f"### Collection errors ({len(errors)})", ""]
        rows = [[code(e.account_id), code(e.region), code(e.operation), code(e.code),
                 code(e.message, limit=MAX_MESSAGE)] for e in errors[:MAX_ERRORS]]
        lines += _table(["Account", "Region", "Operation", "Code", "Message"], rows)
        lines += _more(min(len(errors), MAX_ERRORS), len(errors), "collection errors")
    return lines


def _lapsed(f: Finding) -> str:
    x = f.exception
    return f" **exception expired on {x.expires.isoformat()}** ({code(x.id)})" if x is not None and x.expired else ""


def _exceptions(ev: Evaluation) -> list[str]:
    """Entries and excepted findings. Every string of the exceptions file is user text: code spans only."""
    if not ev.exceptions:
        return []
    s = scan_summary(ev)["exceptions"]
    n, lapsed = s["excepted_findings"], s["expired_findings"]
    lines = ["", "### Exceptions", "",
             f"EXCEPTED findings ({n}) fail their control but are covered by an exception that has not expired: "
             f"they do not count as failing. Findings whose exception expired ({lapsed}) fail again. Expiry is "
             f"judged on the collection date, {s['reference_date']}.", ""]
    rows = []
    for u in exception_usage(ev):
        if u["expired"]:
            state = f"**exception expired on {u['expires']}**: {u['findings_expired']} failing again"
        elif u["unused"]:
            state = "unused: matches no failing finding"
        else:
            state = f"{u['findings_excepted']} excepted"
        rows.append([code(u["id"]), code(u["control"]), code(u["resource"]), code(u["account"]),
                     escape(u["type"].replace("_", " ")), code(u["expires"]), state])
    lines += _table(["Exception", "Control", "Resource", "Account", "Type", "Expires", "Covers"], rows)
    excepted = [f for f in ev.findings if f.excepted]
    if excepted:
        lines += ["", "#### Excepted findings", ""]
        rows = []
        for f in excepted[:MAX_EXCEPTED]:
            if (x := f.exception) is None:
                continue
            rows.append(["EXCEPTED", code(f.control_id), _resource(f), code(x.id),
                         f"{escape(x.type.value.replace('_', ' '))} until {x.expires.isoformat()}, owner "
                         f"{code(x.owner)}, approved by {code(x.approver)}: {code(x.reason, limit=MAX_MESSAGE)}"])
        lines += _table(["Status", "Control", "Resource", "Exception", "Justification"], rows)
        lines += _more(min(len(excepted), MAX_EXCEPTED), len(excepted), "excepted findings")
    return lines


def render(ev: Evaluation) -> str:
    lines = [*_header(ev), *_criteria(ev), *_failing_controls(ev), *_errors(ev), *_exceptions(ev)]
    lines += ["", f"*Assay {escape(ev.inventory.meta.tool_version)}, framework {escape(ev.framework.id)}*"]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
    if len(text) > MAX_CHARS:  # whole lines only, so that no table row is cut in half
        text = text[: text.rfind("\n", 0, MAX_CHARS - 200) + 1]
        text += "\n*…summary cut to fit a comment: see the full report.*\n"
    return text


@reporter("markdown", extension="md")
def write_markdown(ev: Evaluation, out: TextIO) -> None:
    out.write(render(ev))
