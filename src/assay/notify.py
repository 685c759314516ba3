"""Notifications: a scan's summary posted to a webhook (Slack-compatible or generic JSON).

    assay scan --notify https://hooks.slack.com/services/...   # Slack: {"text", "blocks"}
    assay scan --notify https://example.com/hook --previous last.json

The payload says what a reader acts on: the scan's state and coverage, totals, new failures since
the previous scan and the criteria that changed state, and the --fail-on verdict. The previous scan
is --previous (a snapshot or JSON report) or else the newest complete scan of the same accounts in
the scan store, read before this one is stored. `build_payload()` makes the payload from an
Evaluation and an optional PreviousState (assay.changes).

Delivery never fails or loses a scan: the report is written first, and a webhook that is down,
slow or refusing costs a warning on stderr, nothing else (the exit code is the scan's). Each attempt
has a timeout, attempts are bounded and spaced out (retrying only what can succeed later: network
errors, timeouts, 429 and 5xx), and the whole delivery has a deadline. Redirects are not followed
(a POST body must not be replayed elsewhere), and warnings name only the webhook's host: a Slack
webhook URL is itself a secret.

Strings read from AWS (resource names, messages) are data: in Slack text they are escaped
(`&`, `<`, `>`; no mention or link can be formed) and put in code spans without backticks.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer

from assay import __version__
from assay.changes import Changes, PreviousState, compare, load_previous, stored_previous
from assay.engine import Evaluation
from assay.errors import UsageError
from assay.models.findings import Finding, Severity, Status
from assay.reporters.document import scan_summary
from assay.summary import Gate

TIMEOUT = 10.0  # seconds per attempt
ATTEMPTS = 3
BACKOFF = 1.0  # seconds before the second attempt; doubles after each retry
DEADLINE = 30.0  # seconds for the whole delivery, retries included
MAX_LISTED = 10  # new failures and criteria changes shown in a Slack message
MAX_JSON_FAILURES = 100  # new failures listed in a generic JSON payload (the count is always exact)
SLACK_TEXT_LIMIT = 3000  # characters in one section block
SLACK_HOSTS = ("hooks.slack.com",)

__all__ = ["Delivery", "Notifier", "PreviousState", "build_payload", "prepare", "send"]


class NotifyFormat(StrEnum):
    auto = "auto"  # slack for hooks.slack.com, json otherwise
    slack = "slack"
    json = "json"


NotifyUrl = Annotated[str | None, typer.Option(
    "--notify", help="POST a summary of the scan to this webhook (Slack-compatible or generic JSON); a "
    "failing webhook only warns.", rich_help_panel="Notifications")]
NotifyFormatOpt = Annotated[NotifyFormat, typer.Option(
    "--notify-format", help="Payload: slack ({text, blocks}), json, or auto (slack for hooks.slack.com).",
    rich_help_panel="Notifications")]
PreviousOpt = Annotated[Path | None, typer.Option(
    "--previous", help="The previous scan (snapshot or JSON report) to compare with: new failures and "
    "criteria that changed state (default with --notify: the newest complete scan in the store).",
    rich_help_panel="Notifications")]


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError("--notify takes an http(s) URL")
    return url


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}" + (f":{parts.port}" if parts.port else "")


def payload_format(url: str, fmt: NotifyFormat | str = NotifyFormat.auto) -> str:
    fmt = NotifyFormat(fmt)
    if fmt is NotifyFormat.auto:
        host = (urlsplit(url).hostname or "").lower()
        return "slack" if host in SLACK_HOSTS else "json"
    return fmt.value


# -- payload --------------------------------------------------------------------------------------

def _headline(ev: Evaluation, changes: Changes | None, gate: Gate | None) -> str:
    s = scan_summary(ev)
    state = "COMPLETE" if s["complete"] else f"PARTIAL (coverage {s['coverage_percent']}%)"
    fails = s["findings"]["fail"]
    text = f"Assay {ev.framework.name} scan {state}: {fails} failing"
    if changes is not None:
        text += f" ({len(changes.new_failures)} new, {len(changes.resolved)} resolved)"
        if changes.criteria:
            text += f", {len(changes.criteria)} criteria changed"
    if gate is not None and gate.tripped and gate.fail_on is not None:
        text += f"; --fail-on {gate.fail_on.value} tripped"
    return text


def _finding_doc(f: Finding) -> dict[str, Any]:
    return {"id": f.id, "control_id": f.control_id, "title": f.title, "severity": f.severity.value,
            "resource_arn": f.resource_arn, "resource_id": f.resource_id, "resource_name": f.resource_name,
            "resource_type": f.resource_type,
            "account_id": f.account_id, "region": f.region, "message": f.message, "criteria": list(f.criteria)}


def _worst_first(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.control_id, f.account_id, f.region, f.resource_arn))


def json_payload(ev: Evaluation, changes: Changes | None, gate: Gate | None) -> dict[str, Any]:
    s = scan_summary(ev)
    failing = Counter(f.severity.value for f in ev.findings if f.status is Status.FAIL and not f.excepted)
    doc: dict[str, Any] = {
        "source": "assay",
        "version": __version__,
        "text": _headline(ev, changes, gate),
        "scan": {
            "scan_id": s["scan_id"], "framework": s["framework"], "framework_name": ev.framework.name,
            "state": s["state"], "complete": s["complete"], "coverage_percent": s["coverage_percent"],
            "finished_at": s["finished_at"], "accounts": ev.inventory.account_ids(),
            "collection_errors": s["collection_errors"],
        },
        "totals": {
            "findings": s["findings"],
            "failing_by_severity": {sev.value: failing.get(sev.value, 0) for sev in Severity},
            "criteria": s["criteria"],
        },
        "gate": None if gate is None or gate.fail_on is None else
        {"fail_on": gate.fail_on.value, "failing": gate.failing, "tripped": gate.tripped},
        "previous": None,
    }
    if changes is not None:
        new = _worst_first(changes.new_failures)
        doc["previous"] = {"label": changes.previous.label}
        doc["changes"] = {
            "new_failures_count": len(new),
            "new_failures": [_finding_doc(f) for f in new[:MAX_JSON_FAILURES]],
            "resolved_count": len(changes.resolved),
            "resolved": [f.id for f in changes.resolved[:MAX_JSON_FAILURES]],
            "unknown_now_count": len(changes.unknown_now),
            "criteria": [{"id": c.id, "title": c.title, "from": c.before, "to": c.after} for c in changes.criteria],
        }
    return doc


def slack_escape(text: str) -> str:
    """Slack mrkdwn: &, < and > are the only control characters; as entities no link or mention forms."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_code(text: str, limit: int = 120) -> str:
    """Untrusted text as an inline code span: one line, no backticks, escaped, cut to `limit`."""
    flat = " ".join(text.split()).replace("`", "'")
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"`{slack_escape(flat or '-')}`"


def _section(text: str) -> dict[str, Any]:
    if len(text) > SLACK_TEXT_LIMIT:
        text = text[: SLACK_TEXT_LIMIT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def slack_payload(ev: Evaluation, changes: Changes | None, gate: Gate | None) -> dict[str, Any]:
    s = scan_summary(ev)
    n = s["findings"]
    headline = _headline(ev, changes, gate)
    crit = s["criteria"]
    lines = [f"*Findings:* {n['pass']} pass, {n['fail']} fail, {n['error']} error, {n['skip']} not applicable",
             "*Criteria:* " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in crit.items()),
             f"*Coverage:* {s['coverage_percent']}%" + ("" if s["complete"] else
                                                        f" ({s['collection_errors']} reads failed: PARTIAL)")]
    if gate is not None and gate.fail_on is not None:
        verdict = "TRIPPED" if gate.tripped else "passed"
        lines.append(f"*Gate --fail-on {gate.fail_on.value}:* {verdict} ({gate.failing} failing at or above)")
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": headline[:150]}},
        _section("\n".join(lines)),
    ]
    if changes is None:
        blocks.append(_section("_No previous scan to compare with._"))
    else:
        new = _worst_first(changes.new_failures)
        if new:
            rows = [f"• {f.severity.value} {slack_code(f.control_id, 80)} on {slack_code(f.resource_name)} "
                    f"({slack_code(f.account_id, 20)} {slack_code(f.region, 30)})" for f in new[:MAX_LISTED]]
            if len(new) > MAX_LISTED:
                rows.append(f"…and {len(new) - MAX_LISTED} more")
            blocks.append(_section(f"*New failures since the previous scan ({len(new)}):*\n" + "\n".join(rows)))
        else:
            blocks.append(_section("*No new failures since the previous scan.*"))
        if changes.criteria:
            rows = [f"• {slack_code(c.id, 20)} {slack_escape(c.title)}: {c.before} → {c.after}"
                    for c in changes.criteria[:MAX_LISTED]]
            if len(changes.criteria) > MAX_LISTED:
                rows.append(f"…and {len(changes.criteria) - MAX_LISTED} more")
            blocks.append(_section("*Criteria that changed state:*\n" + "\n".join(rows)))
        if changes.resolved or changes.unknown_now:
            blocks.append(_section(f"*Resolved:* {len(changes.resolved)}; previously failing, now not "
                                   f"evaluable: {len(changes.unknown_now)}"))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": slack_escape(
        f"Assay {__version__}, scan {s['scan_id']}, accounts {', '.join(ev.inventory.account_ids()) or '-'}")}]})
    return {"text": headline, "blocks": blocks}


def build_payload(ev: Evaluation, previous: PreviousState | None = None, *, fmt: str = "json",
                  gate: Gate | None = None) -> dict[str, Any]:
    """The webhook body: fmt "slack" ({text, blocks}) or "json" (Assay's own document)."""
    changes = compare(ev, previous) if previous is not None else None
    if fmt == "slack":
        return slack_payload(ev, changes, gate)
    if fmt == "json":
        return json_payload(ev, changes, gate)
    raise ValueError(f"unknown payload format {fmt!r}")


# -- delivery -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Delivery:
    ok: bool
    attempts: int
    status: int | None = None  # the last HTTP status, if any answer came
    error: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_: Any, **__: Any) -> None:
        return None  # a 3xx becomes an HTTPError: the body is never re-sent to another place


_OPENER = urllib.request.build_opener(_NoRedirect())


def _retryable(status: int | None) -> bool:
    return status is None or status == 429 or status >= 500


def send(url: str, payload: dict[str, Any], *, timeout: float = TIMEOUT, attempts: int = ATTEMPTS,
         backoff: float = BACKOFF, deadline: float = DEADLINE,
         sleep: Callable[[float], None] = time.sleep) -> Delivery:
    """POST the payload as JSON; bounded attempts, each with a timeout, all within `deadline` seconds."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    end = time.monotonic() + deadline
    status: int | None = None
    error = ""
    delay = backoff
    for attempt in range(1, attempts + 1):
        remaining = end - time.monotonic()
        if remaining <= 0:
            return Delivery(False, attempt - 1, status, error or "deadline exceeded")
        req = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": f"assay/{__version__}"})
        try:
            with _OPENER.open(req, timeout=min(timeout, remaining)) as resp:
                resp.read(65536)
                return Delivery(True, attempt, resp.status)
        except urllib.error.HTTPError as exc:
            status, error = exc.code, f"HTTP {exc.code}"
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            status, error = None, f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__
        if not _retryable(status) or attempt == attempts:
            return Delivery(False, attempt, status, error)
        pause = min(delay, max(0.0, end - time.monotonic()))
        if pause:
            sleep(pause)
        delay *= 2
    return Delivery(False, attempts, status, error)  # not reached: the loop returns


@dataclass(frozen=True)
class Notifier:
    """What `--notify`, `--notify-format` and `--previous` asked for, checked before any AWS call.

    Without --previous, the previous state comes from the scan store (`db`: --db, $ASSAY_DB or the
    default), read before this scan is stored.
    """

    url: str | None
    fmt: str
    previous: PreviousState | None
    db: str | None = None
    use_store: bool = False

    def with_stored_previous(self, ev: Evaluation, warn: Callable[[str], None]) -> Notifier:
        if self.previous is not None or not self.use_store:
            return self
        try:
            previous = stored_previous(self.db, ev)
        except Exception as exc:  # a store problem costs the comparison, never the scan
            warn(f"the previous scan could not be read from the store: {type(exc).__name__}: {exc}")
            return self
        return replace(self, previous=previous)

    def changes(self, ev: Evaluation) -> Changes | None:
        return compare(ev, self.previous) if self.previous is not None else None

    def deliver(self, ev: Evaluation, gate: Gate | None, warn: Callable[[str], None],
                info: Callable[[str], None] | None = None, **send_options: Any) -> Delivery | None:
        """Post the summary; never raises: a problem is a warning and the scan's outcome stands."""
        if self.url is None:
            return None
        try:
            payload = build_payload(ev, self.previous, fmt=self.fmt, gate=gate)
            result = send(self.url, payload, **send_options)
        except Exception as exc:  # a notification bug must not cost the scan its exit code
            warn(f"notification not sent to {host_of(self.url)}: {type(exc).__name__}: {exc}")
            return Delivery(False, 0, None, str(exc))
        if result.ok:
            if info:
                info(f"Notified {host_of(self.url)} ({self.fmt})")
        else:
            warn(f"notification to {host_of(self.url)} failed after {result.attempts} attempt"
                 f"{'s' if result.attempts != 1 else ''}: {result.error}; the scan's result is unchanged")
        return result


def prepare(url: str | None, fmt: NotifyFormat | str = NotifyFormat.auto, previous: Path | None = None, *,
            framework: str = "soc2", params: dict[str, dict[str, Any]] | None = None, db: str | None = None,
            use_store: bool = True) -> Notifier | None:
    """Check the options and load the previous state; None when neither --notify nor --previous is given.

    With --notify and no --previous, the previous state is taken from the store later
    (Notifier.with_stored_previous), once the scan's accounts are known.
    """
    if url is None and previous is None:
        return None
    if url is not None:
        check_url(url)
    prev = load_previous(previous, framework=framework, params=params) if previous is not None else None
    return Notifier(url, payload_format(url, fmt) if url else "json", prev, db=db,
                    use_store=use_store and prev is None and url is not None)
