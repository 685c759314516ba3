"""Exceptions (risk acceptances): validation, matching, expiry on the collection date, roll-up, --fail-on, CLI."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml

from assay.cli import main
from assay.controls.registry import load_controls
from assay.engine import PASS_WITH_EXCEPTIONS, Evaluation, evaluate
from assay.errors import ConfigError
from assay.exceptions import ExceptionEntry, apply, derived_id, load, parse, review_warnings, usage
from assay.models.findings import ExceptionType, Finding, Severity, Status
from assay.models.inventory import Inventory
from assay.reporters.document import exceptions_summary, failing_at_or_above
from tests.reporters.test_html import ACCOUNT, KMS_CONTROLS, estate, framework, inventory

# The hand-made inventory (tests.reporters.test_html) is collected on 2024-05-01 at 12:03:27 UTC.
COLLECTED = date(2024, 5, 1)
ROTATION = "kms.key_rotation_enabled"  # fails for fail-no-rotation (key k-fail), medium
PUBLIC = "kms.key_policy_not_public"  # fails for fail-public-policy (key k-public), critical
OTHER = "222233334444"


def entry(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "control": ROTATION, "resource": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k-fail", "type": "risk_accepted",
        "reason": "Legacy key kept for decrypting archives only.", "owner": "platform@example.com",
        "approver": "ciso@example.com", "expires": "2024-06-30",
    }
    return {k: v for k, v in {**base, **over}.items() if v is not ...}


def entries(*items: dict[str, Any]) -> tuple[ExceptionEntry, ...]:
    return parse({"exceptions": list(items)}, load_controls()).exceptions


def run(*items: dict[str, Any], inv: Inventory | None = None) -> Evaluation:
    controls = {cid: c for cid, c in load_controls().items() if cid in KMS_CONTROLS}
    return evaluate(inv or inventory(estate()), framework=framework(), controls=controls, exceptions=entries(*items))


def failing(ev: Evaluation, control_id: str) -> Finding:
    [f] = [f for f in ev.findings if f.control_id == control_id and f.status is Status.FAIL]
    return f


def finding(*, control: str = ROTATION, account: str = ACCOUNT, arn: str = "arn:aws:kms:us-east-1:x:key/k",
            status: Status = Status.FAIL) -> Finding:
    return Finding(id=f"{control}/{account}/{arn}", control_id=control, title="t", severity=Severity.MEDIUM,
                   status=status, resource_arn=arn, resource_id="k", resource_name="k", resource_type="AWS::KMS::Key",
                   region="us-east-1", account_id=account, message="m", criteria=["CC6.1"])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "exceptions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def dump(*items: dict[str, Any]) -> str:
    return yaml.safe_dump({"exceptions": list(items)}, sort_keys=False)


def cli(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """The real entry point, in-process: exit code, stdout, stderr."""
    monkeypatch.setattr(sys, "argv", ["assay", *argv])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    code = exit_.value.code
    return (code if isinstance(code, int) else 0), out, err


# -- validation ----------------------------------------------------------------------------------

def test_a_valid_file_loads_with_stable_ids(tmp_path: Path) -> None:
    path = write(tmp_path, dump(entry(), entry(control=PUBLIC, resource="*", account=OTHER, type="false_positive",
                                            id="EX-7")))
    first, second = load(path).exceptions
    assert first.control == ROTATION and first.account == "*" and first.expires == date(2024, 6, 30)
    assert first.type is ExceptionType.RISK_ACCEPTED
    assert first.id == derived_id(ROTATION, "*", first.resource)
    renewed = load(write(tmp_path, dump(entry(expires="2025-01-31", reason="Renewed."))))
    assert renewed.exceptions[0].id == first.id  # a renewal keeps the id, and so its history
    assert second.id == "EX-7" and second.account == OTHER
    assert load(write(tmp_path, "")).exceptions == ()
    assert load(write(tmp_path, "exceptions: []\n")).exceptions == ()


REJECTED = [
    ("unknown control", dump(entry(), entry(control="kms.key_rotation")),
     ["entry 2", "control kms.key_rotation", "unknown control", "did you mean kms.key_rotation_enabled"]),
    ("missing reason", dump(entry(reason=...)), ["entry 1", f"control {ROTATION}", "'reason' is missing"]),
    ("empty reason", dump(entry(reason="   ")), ["entry 1", "'reason' must not be empty"]),
    ("null owner", dump(entry(owner=None)), ["entry 1", "'owner' must not be empty"]),
    ("missing expiry", dump(entry(expires=...)), ["entry 1", f"control {ROTATION}", "'expires' is missing"]),
    ("misspelt expiry", dump(entry(expires=..., expiry="2024-06-30")),
     ["'expires' is missing", "unknown key 'expiry'", "did you mean 'expires'"]),
    ("unknown type", dump(entry(type="accepted")), ["entry 1", "'type' must be one of risk_accepted"]),
    ("impossible date", dump(entry(expires="2024-02-30")), ["entry 1", "'2024-02-30' is not a calendar date"]),
    ("date with a time", dump(entry(expires="2024-06-30T10:00:00")), ["'expires' must be a date written YYYY-MM-DD"]),
    ("number as date", dump(entry(expires=20240630)), ["'expires' must be a date written YYYY-MM-DD, got 20240630"]),
    ("bad account", dump(entry(account="12345")), ["'account' must be a 12-digit account id"]),
    ("resource that is no ARN", dump(entry(resource="my-bucket")), ["'resource' must be an ARN pattern"]),
    ("duplicate entries", dump(entry(), entry(control=PUBLIC), entry()),
     ["entry 3", "same control, account and resource as entry 1"]),
    ("duplicate ids", dump(entry(id="EX-1"), entry(id="EX-1", resource="*")), ["entry 2", "id 'EX-1' is already used"]),
    ("malformed YAML", "exceptions:\n  - {control: x\n", ["is not valid YAML at line"]),
    ("duplicate key", "exceptions:\n  - control: a\n    control: b\n", ["not valid YAML at line 3", "duplicate key"]),
    ("not a mapping", "- control: x\n", ["expected a mapping with the one key 'exceptions'"]),
    ("entry not a mapping", "exceptions:\n  - just text\n", ["entry 1", "expected a mapping"]),
]


@pytest.mark.parametrize(("case", "text", "expected"), REJECTED, ids=[c[0] for c in REJECTED])
def test_rejected_with_one_clear_error_naming_the_entry(case: str, text: str, expected: list[str], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as exc:
        load(path)
    for part in expected:
        assert part in str(exc.value), (case, str(exc.value))
    code, _, err = cli(["exceptions", "check", str(path)], capsys, monkeypatch)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("assay: error: exceptions file ") and expected[-1] in lines[0]


def test_entries_name_their_line(tmp_path: Path) -> None:
    path = write(tmp_path, dump(entry(), entry(control=PUBLIC, reason="")))
    with pytest.raises(ConfigError, match=r"entry 2, line 9 \(control kms.key_policy_not_public\)"):
        load(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load(tmp_path / "nope.yaml")


def test_review_warnings() -> None:
    far, soon, self_approved, fine, lapsed = entries(
        entry(expires="2025-06-01"), entry(control=PUBLIC, expires="2024-05-20"),
        entry(resource="*", owner="ciso@example.com"), entry(resource="arn:aws:kms:*:key/other"),
        entry(resource="arn:aws:kms:*:key/old", expires="2024-04-01"))
    notes = review_warnings([far, soon, self_approved, fine, lapsed], COLLECTED)
    assert notes == [
        f"entry 1 (control {ROTATION}): expires more than a year ahead (2025-06-01); review exceptions at least yearly",
        f"entry 2 (control {PUBLIC}): expires in 19 days (2024-05-20)",
        f"entry 3 (control {ROTATION}): approved by its own owner (ciso@example.com)",
        f"entry 5 (control {ROTATION}): expired on 2024-04-01; its findings fail again",
    ]
    assert review_warnings([fine], COLLECTED) == []


# -- matching ------------------------------------------------------------------------------------

def test_matching_by_control_resource_pattern_and_account() -> None:
    key = "arn:aws:kms:us-east-1:x:key/k"
    mine, other_control, other_account, elsewhere = (
        finding(arn=key), finding(control=PUBLIC, arn=key), finding(arn=key, account=OTHER),
        finding(arn="arn:aws:kms:eu-west-1:x:key/k"))
    on = COLLECTED

    def covered(**over: Any) -> list[bool]:
        out = apply([mine, other_control, other_account, elsewhere], entries(entry(**over)), on)
        return [f.exception is not None for f in out]

    assert covered(resource=key) == [True, False, True, False]  # account "*" by default
    assert covered(resource=key, account=ACCOUNT) == [True, False, False, False]
    assert covered(resource=key, account=OTHER) == [False, False, True, False]
    assert covered(resource="arn:aws:kms:*:x:key/k") == [True, False, True, True]
    assert covered(resource="*") == [True, False, True, True]
    assert covered(resource="arn:aws:kms:us-east-1:x:key/?") == [True, False, True, False]
    assert covered(resource="arn:aws:kms:us-east-1:x:key/K") == [False, False, False, False]  # ARNs are case-sensitive
    assert covered(control=PUBLIC, resource="*") == [False, True, False, False]


def test_never_on_error_pass_or_skip_and_reported_unused() -> None:
    findings = [finding(status=s) for s in (Status.ERROR, Status.PASS, Status.SKIP)]
    rules = entries(entry(resource="*"))
    out = apply(findings, rules, COLLECTED)
    assert all(f.exception is None and not f.excepted for f in out)
    [u] = usage(rules, out, COLLECTED)
    assert u.unused and u.excepted == 0 and u.expired == 0


def test_an_active_entry_wins_over_an_expired_one_then_file_order() -> None:
    expired, active, later = entries(entry(resource="*", expires="2024-04-01", id="old"),
                                     entry(resource="arn:aws:kms:*", id="first"),
                                     entry(resource="arn:aws:kms:us-east-1:*", id="second"))
    [f] = apply([finding()], [expired, active, later], COLLECTED)
    assert f.exception is not None and f.exception.id == "first" and f.excepted
    [g] = apply([finding()], [expired], COLLECTED)
    assert g.exception is not None and g.exception.id == "old" and g.exception.expired and not g.excepted
    assert apply([g], [], COLLECTED)[0].exception is None  # re-applying starts afresh


# -- expiry on the collection date ---------------------------------------------------------------

@pytest.mark.parametrize(("expires", "expired"), [("2024-05-01", False), ("2024-04-30", True), ("2024-05-02", False)])
def test_expiry_boundary_on_the_collection_date(expires: str, expired: bool) -> None:
    ev = run(entry(expires=expires))
    f = failing(ev, ROTATION)
    assert f.status is Status.FAIL  # the data keeps the verdict either way
    assert f.exception is not None and f.exception.expired is expired and f.excepted is not expired


def test_the_collection_date_is_taken_in_utc() -> None:
    inv = inventory(estate())
    # 01:00 on 1 May at UTC+05:00 is still 30 April in UTC: an exception through 30 April holds.
    inv.meta = inv.meta.model_copy(update={"finished_at": datetime(2024, 5, 1, 1, 0,
                                                                    tzinfo=timezone(timedelta(hours=5)))})
    ev = run(entry(expires="2024-04-30"), inv=inv)
    assert failing(ev, ROTATION).excepted
    inv = inventory(estate())
    ev = run(entry(expires="2024-04-30"))  # 12:03 UTC on 1 May
    assert not failing(ev, ROTATION).excepted
    assert inv.meta.finished_at == datetime(2024, 5, 1, 12, 3, 27, tzinfo=UTC)


def test_evaluation_reads_no_clock() -> None:
    """The same inventory and file give the same result whatever today's date is."""
    first = run(entry(expires="2024-05-01"))
    second = run(entry(expires="2024-05-01"))
    assert [f.model_dump() for f in first.findings] == [f.model_dump() for f in second.findings]
    assert failing(first, ROTATION).excepted  # although 2024-05-01 is long past


# -- roll-up and --fail-on -----------------------------------------------------------------------

def crit(ev: Evaluation, cid: str) -> tuple[str, dict[str, int]]:
    [c] = [c for c in ev.criteria if c.id == cid]
    return c.status, c.counts


def test_criterion_with_only_excepted_failures_passes_with_exceptions() -> None:
    base = run()
    assert crit(base, "CC6.1")[0] == "fail" and crit(base, "CC6.7")[0] == "pass"
    ev = run(entry(), entry(control=PUBLIC, resource="*", type="compensating_control"))
    status, counts = crit(ev, "CC6.1")
    assert status == PASS_WITH_EXCEPTIONS
    assert counts["fail"] == 0 and counts["excepted"] == 2 and counts["pass"] == crit(base, "CC6.1")[1]["pass"]
    assert crit(ev, "CC6.7")[0] == "pass"  # no exception involved
    one = run(entry())  # the public-policy failure is not excepted
    assert crit(one, "CC6.1") [0] == "fail" and crit(one, "CC6.1")[1]["excepted"] == 1
    lapsed = run(entry(), entry(control=PUBLIC, resource="*", expires="2024-04-30"))
    assert crit(lapsed, "CC6.1")[0] == "fail"


def test_an_error_outranks_passing_with_exceptions() -> None:
    ev = run(entry(), entry(control=PUBLIC, resource="*"), inv=inventory(estate(), partial=True))
    assert crit(ev, "CC6.1")[0] == "error"


def test_fail_on_ignores_excepted_but_not_expired() -> None:
    assert failing_at_or_above(run(), Severity.CRITICAL) == 1
    covered = run(entry(control=PUBLIC, resource="*"))
    assert failing_at_or_above(covered, Severity.CRITICAL) == 0
    assert failing_at_or_above(covered, Severity.MEDIUM) == 1  # the rotation failure is not covered
    lapsed = run(entry(control=PUBLIC, resource="*", expires="2024-04-30"))
    assert failing_at_or_above(lapsed, Severity.CRITICAL) == 1


def test_no_exceptions_change_nothing() -> None:
    ev = run()
    assert ev.exceptions == ()
    assert all(f.exception is None and not f.excepted for f in ev.findings)
    assert all(c.status != PASS_WITH_EXCEPTIONS and c.counts["excepted"] == 0 for c in ev.criteria)
    assert exceptions_summary(ev) == {"entries": 0, "excepted_findings": 0, "expired_findings": 0, "unused": [],
                                      "reference_date": "2024-05-01"}


def test_summary_lists_unused_entries() -> None:
    ev = run(entry(), entry(control="kms.key_not_pending_deletion", resource="*", id="nothing-to-cover"),
             entry(control=PUBLIC, resource="*", expires="2024-04-01", id="lapsed"))
    s = exceptions_summary(ev)
    assert s["entries"] == 3 and s["excepted_findings"] == 1 and s["expired_findings"] == 1
    assert s["unused"] == ["nothing-to-cover"]


# -- command line --------------------------------------------------------------------------------

def test_check_lists_entries_with_days_left_and_warns(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, dump(entry(expires="2024-05-20", id="EX-soon"),
                                entry(control=PUBLIC, resource="*", expires="2024-09-01", id="EX-later"),
                                entry(resource="*", expires="2024-04-01", id="EX-gone")))
    code, out, err = cli(["exceptions", "check", str(path), "--on", "2024-05-01"], capsys, monkeypatch)
    assert code == 0, err
    assert "EX-soon" in out and "EX-later" in out and "EX-gone" in out
    assert " 19 " in out and " 123 " in out and "expired 30 days ago" in out
    assert "warning: entry 1 (control kms.key_rotation_enabled): expires in 19 days (2024-05-20)" in err
    assert "entry 2" not in err  # more than 30 days left
    assert "warning: entry 3 (control kms.key_rotation_enabled): expired on 2024-04-01" in err
    assert "valid, 3 entries" in err
    code, _, err = cli(["exceptions", "check", str(path), "--on", "1 May"], capsys, monkeypatch)
    assert code == 2 and "--on must be a date" in err


def run_assay(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assay", *args], capture_output=True, text=True, timeout=120)


def test_evaluate_with_exceptions_and_fail_on(tmp_path: Path) -> None:
    """End to end: `assay evaluate --exceptions` gates on failures that are neither excepted nor expired."""
    snap = tmp_path / "snap.json.gz"
    inventory(estate()).save(snap)
    covered = write(tmp_path, dump(entry(control=PUBLIC, resource="*", id="EX-public")))
    proc = run_assay("evaluate", str(snap), "--exceptions", str(covered), "--fail-on", "critical", "-f", "json",
                     "-o", str(tmp_path / "r.json"))
    assert proc.returncode == 0, proc.stderr
    assert "Exceptions: 1 findings excepted, 0 failing again" in proc.stderr
    assert run_assay("evaluate", str(snap), "--fail-on", "critical").returncode == 1
    lapsed = tmp_path / "lapsed.yaml"
    lapsed.write_text(dump(entry(control=PUBLIC, resource="*", expires="2024-04-30")))
    proc = run_assay("evaluate", str(snap), "--exceptions", str(lapsed), "--fail-on", "critical")
    assert proc.returncode == 1
    assert "Exceptions: 0 findings excepted, 1 failing again" in proc.stderr
    assert "expired on 2024-04-30; its findings fail again" in proc.stderr
    broken = write(tmp_path, dump(entry(reason=...)))
    proc = run_assay("evaluate", str(snap), "--exceptions", str(broken))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == [
        f"assay: error: exceptions file {broken}: entry 1, line 2 (control {ROTATION}): 'reason' is missing"]


def test_scan_refuses_a_broken_file_before_any_aws_call(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, dump(entry(type="maybe")))
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens: any call would fail differently
    code, _, err = cli(["scan", "--region", "us-east-1", "--exceptions", str(path)], capsys, monkeypatch)
    assert code == 2 and "'type' must be one of" in err
