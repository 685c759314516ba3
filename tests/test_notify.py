"""--notify: payloads, retries, timeouts, and a webhook that fails never failing the scan.

Every delivery goes to a real HTTP server on 127.0.0.1 in a thread of the test process.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assay.changes import PreviousState, compare, load_previous, state_of
from assay.engine import Evaluation
from assay.errors import UsageError
from assay.frameworks import soc2
from assay.models.findings import Severity
from assay.notify import build_payload, payload_format, prepare, send, slack_code
from assay.scope import select
from assay.summary import gate
from tests.reporters.test_html import XSS, estate, inventory, key
from tests.test_cli import run

KMS = ["kms.key_rotation_enabled", "kms.key_policy_not_public", "kms.key_not_pending_deletion"]


@dataclass
class Webhook:
    """Answers POSTs from a plan: an HTTP status, "hang" (no answer until the test ends), or "redirect"."""

    plan: list[int | str]
    default: int | str = 200
    bodies: list[Any] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    url: str = ""


@contextmanager
def webhook(*plan: int | str, default: int | str = 200) -> Iterator[Webhook]:
    hook = Webhook(list(plan), default)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            hook.bodies.append(json.loads(self.rfile.read(length)))
            hook.headers.append(dict(self.headers))
            action = hook.plan.pop(0) if hook.plan else hook.default
            if action == "hang":
                hook.stop.wait(20)
                return
            if action == "redirect":
                self.send_response(307)
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()
                return
            self.send_response(int(action))
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if action == 200 else b"nope")

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield hook
    finally:
        hook.stop.set()
        server.shutdown()
        server.server_close()


def evaluation(**kw: Any) -> Evaluation:
    return select(soc2(), controls=KMS).evaluate(inventory(estate(), **kw))


def previous_where_all_passed(ev: Evaluation) -> PreviousState:
    state = state_of(ev)
    return PreviousState({fid: "pass" for fid in state.findings}, {cid: "pass" for cid in state.criteria}, "last")


# -- payloads ---------------------------------------------------------------------------------------

def test_json_payload_has_totals_new_failures_and_criteria_changes() -> None:
    ev = evaluation()
    doc = build_payload(ev, previous_where_all_passed(ev), fmt="json", gate=gate(ev, Severity.HIGH))
    assert doc["scan"]["state"] == "complete" and doc["scan"]["coverage_percent"] == 100.0
    assert doc["totals"]["findings"]["fail"] == 2
    assert doc["totals"]["failing_by_severity"] == {"critical": 1, "high": 0, "medium": 1, "low": 0, "info": 0}
    assert doc["gate"] == {"fail_on": "high", "failing": 1, "tripped": True}
    changes = doc["changes"]
    assert changes["new_failures_count"] == 2
    assert [f["control_id"] for f in changes["new_failures"]] == ["kms.key_policy_not_public",
                                                                  "kms.key_rotation_enabled"]  # worst first
    assert {c["id"] for c in changes["criteria"]} == {c.id for c in ev.criteria if c.status == "fail"}
    assert all(c["from"] == "pass" and c["to"] == "fail" for c in changes["criteria"])
    assert "2 failing (2 new, 0 resolved)" in doc["text"]
    json.dumps(doc)  # serialisable as is


def test_without_previous_there_is_no_comparison() -> None:
    ev = evaluation()
    assert build_payload(ev, None, fmt="json")["previous"] is None
    assert "changes" not in build_payload(ev, None, fmt="json")
    assert "No previous scan" in json.dumps(build_payload(ev, None, fmt="slack"))


def test_same_state_twice_has_no_new_failure_and_a_fix_is_resolved() -> None:
    ev = evaluation()
    assert compare(ev, state_of(ev)).new_failures == []
    fixed = select(soc2(), controls=KMS).evaluate(inventory([key("k-fail", rotation_enabled=True)]))
    changes = compare(fixed, state_of(ev))
    assert [f.resource_id for f in changes.resolved] == ["k-fail"]
    assert changes.new_failures == []


def test_a_failure_that_cannot_be_read_now_is_not_resolved() -> None:
    eu_key = key("k-eu", region="eu-west-1", rotation_enabled=False)
    failing = select(soc2(), controls=KMS).evaluate(inventory([*estate(), eu_key]))
    unreadable = select(soc2(), controls=KMS).evaluate(inventory([*estate(), eu_key], partial=True))
    changes = compare(unreadable, state_of(failing))
    assert "k-eu" not in [f.resource_id for f in changes.resolved]
    assert "k-eu" in [f.resource_id for f in changes.unknown_now]


def test_slack_payload_escapes_names_read_from_aws() -> None:
    hostile = [key(f"k{n}", name=payload + " <!channel> `x` &", rotation_enabled=False) for n, payload in
               enumerate(XSS * 2)]
    ev = select(soc2(), controls=KMS).evaluate(inventory(hostile))
    doc = build_payload(ev, previous_where_all_passed(ev), fmt="slack")
    assert set(doc) == {"text", "blocks"} and doc["blocks"][0]["type"] == "header"
    text = json.dumps(doc, ensure_ascii=False)
    assert "<!channel>" not in text and "<script>" not in text and "&lt;!channel&gt;" in text
    for block in doc["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
    assert slack_code("a`b\nc") == "`a'b c`"
    assert "…and" in text  # more new failures than are listed


def test_format_follows_the_host() -> None:
    assert payload_format("https://hooks.slack.com/services/T/B/x") == "slack"
    assert payload_format("https://example.com/hook") == "json"
    assert payload_format("https://example.com/hook", "slack") == "slack"
    with pytest.raises(UsageError):
        prepare("ftp://example.com/x")


# -- delivery ---------------------------------------------------------------------------------------

def test_retries_on_500_then_succeeds() -> None:
    with webhook(500, 503, 200) as hook:
        sleeps: list[float] = []
        result = send(hook.url, {"text": "hi"}, backoff=0.5, sleep=sleeps.append)
    assert result.ok and result.attempts == 3 and result.status == 200
    assert sleeps == [0.5, 1.0]  # backoff doubles
    assert hook.bodies == [{"text": "hi"}] * 3
    assert hook.headers[0]["Content-Type"].startswith("application/json")


def test_gives_up_after_bounded_attempts() -> None:
    with webhook(default=500) as hook:
        result = send(hook.url, {"text": "hi"}, attempts=3, sleep=lambda _: None)
    assert not result.ok and result.attempts == 3 and result.error == "HTTP 500" and len(hook.bodies) == 3


def test_client_errors_and_redirects_are_not_retried() -> None:
    with webhook(404) as hook:
        result = send(hook.url, {"text": "hi"}, sleep=lambda _: None)
    assert not result.ok and result.attempts == 1 and result.status == 404
    with webhook("redirect") as hook:
        result = send(hook.url, {"text": "hi"}, sleep=lambda _: None)
    assert not result.ok and result.status == 307 and len(hook.bodies) == 1  # the body went nowhere else


def test_a_hanging_server_costs_a_bounded_time() -> None:
    with webhook(default="hang") as hook:
        started = time.monotonic()
        result = send(hook.url, {"text": "hi"}, timeout=0.4, attempts=5, backoff=0.1, deadline=1.0)
        elapsed = time.monotonic() - started
    assert not result.ok and "timed out" in result.error.lower()
    assert elapsed < 2.0 and 1 <= result.attempts < 5


def test_nobody_listening_is_a_warning_not_an_exception() -> None:
    notifier = prepare("http://127.0.0.1:9/hook")
    assert notifier is not None
    warnings: list[str] = []
    result = notifier.deliver(evaluation(), None, warn=warnings.append, attempts=2, sleep=lambda _: None)
    assert result is not None and not result.ok
    assert len(warnings) == 1 and "127.0.0.1:9" in warnings[0] and "/hook" not in warnings[0]


# -- the command line -------------------------------------------------------------------------------

def invoke(*args: str) -> Any:
    """The command line in this process (faster than a subprocess; exit codes as main() gives them)."""
    from typer.testing import CliRunner

    from assay.cli import app

    return CliRunner().invoke(app, list(args))


@pytest.fixture()
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "snap.json.gz"
    inventory(estate()).save(path)
    return path


def test_failing_webhook_leaves_exit_code_and_report_intact(snapshot: Path, tmp_path: Path) -> None:
    args = ["evaluate", str(snapshot), "--only-controls", ",".join(KMS), "-f", "json", "--fail-on", "medium"]
    plain = invoke(*args, "-o", str(tmp_path / "plain.json"))
    assert plain.exit_code == 1, plain.output
    with webhook(default=500) as hook:
        proc = run(*args, "-o", str(tmp_path / "notified.json"), "--notify", hook.url)  # the real process
    assert proc.returncode == 1, proc.stderr
    assert "warning: notification to http://127.0.0.1:" in proc.stderr and "HTTP 500" in proc.stderr
    assert len(hook.bodies) == 3  # bounded retries
    assert (tmp_path / "plain.json").read_text() == (tmp_path / "notified.json").read_text()
    assert "Traceback" not in proc.stderr


def test_cli_posts_new_failures_since_a_previous_report(snapshot: Path, tmp_path: Path) -> None:
    previous = tmp_path / "previous.json"
    ev = evaluation()
    state = previous_where_all_passed(ev)
    previous.write_text(json.dumps({
        "scan": {"scan_id": "old", "finished_at": "2024-04-01T00:00:00+00:00"},
        "findings": [{"id": fid, "status": st} for fid, st in state.findings.items()],
        "criteria": [{"id": cid, "status": st} for cid, st in state.criteria.items()],
    }))
    with webhook(200) as hook:
        proc = invoke("evaluate", str(snapshot), "--only-controls", ",".join(KMS), "-o", str(tmp_path / "r.txt"),
                      "--notify", hook.url, "--notify-format", "slack", "--previous", str(previous))
    assert proc.exit_code == 0, proc.output
    assert len(hook.bodies) == 1
    body = hook.bodies[0]
    assert set(body) == {"text", "blocks"} and "2 new" in body["text"]
    assert "New failures since the previous scan (2)" in json.dumps(body)
    assert "Since the previous scan: 2 new failures" in proc.output


def test_previous_is_a_snapshot_or_a_json_report(snapshot: Path, tmp_path: Path) -> None:
    state = load_previous(snapshot)
    assert set(state.findings.values()) >= {"pass", "fail"} and state.label.startswith("scan scan-0001")
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(UsageError, match="not an Assay JSON report"):
        load_previous(bad)
    with pytest.raises(UsageError, match="does not exist"):
        load_previous(tmp_path / "missing.json")


# -- the previous state from the scan store ---------------------------------------------------------

def fixed_then_failing(tmp_path: Path) -> tuple[Path, Path]:
    """Two snapshots of one account: first every key rotates, then k-fail does not."""
    old_inv = inventory([*estate()[:1], key("k-fail", name="fail-no-rotation"), *estate()[2:]])
    old_inv.meta.scan_id = "scan-0000"
    old, new = tmp_path / "old.json.gz", tmp_path / "new.json.gz"
    old_inv.save(old)
    inventory(estate()).save(new)
    return old, new


def test_previous_state_comes_from_the_store(tmp_path: Path) -> None:
    from assay.changes import state_of_store, stored_previous
    from assay.models.inventory import Inventory
    from assay.store import open_store

    old, new = fixed_then_failing(tmp_path)
    db = f"sqlite:///{tmp_path / 'assay.db'}"
    assert stored_previous(db, evaluation()) is None and not (tmp_path / "assay.db").exists()  # nothing created
    store = open_store(db)
    try:
        old_ev = select(soc2(), controls=KMS).evaluate(Inventory.load(old))
        new_ev = select(soc2(), controls=KMS).evaluate(Inventory.load(new))
        store.ingest(old_ev)
        store.ingest(new_ev)  # the current scan itself, once stored, is never its own previous
        state = state_of_store(store, new_ev)
    finally:
        store.close()
    assert state is not None and state.label.startswith("stored scan #1")
    changes = compare(new_ev, state)
    assert [f.resource_id for f in changes.new_failures] == ["k-fail"]


def test_cli_notifies_new_failures_since_the_stored_scan(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from assay.cli import app

    old, new = fixed_then_failing(tmp_path)
    db = f"sqlite:///{tmp_path / 'assay.db'}"
    only = ["--only-criteria", "CC6.1"]
    first = CliRunner().invoke(app, ["evaluate", str(old), "--db", db, "-o", str(tmp_path / "a.txt")])
    assert first.exit_code == 0, first.output
    with webhook(200) as hook:
        second = CliRunner().invoke(app, ["evaluate", str(new), "--db", db, "-o", str(tmp_path / "b.txt"),
                                          "--notify", hook.url, *only])
    assert second.exit_code == 0, second.output
    (body,) = hook.bodies
    new_failures = body["changes"]["new_failures"]
    assert [f["resource_id"] for f in new_failures] == ["k-fail"]
    assert body["previous"]["label"].startswith("stored scan #1")
