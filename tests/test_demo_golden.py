"""The demo estate's full scan against a golden file of expected findings.

Every finding must be expected and every expectation found: a new control, a lost resource or a
changed verdict fails here. After a deliberate change, regenerate with
`ASSAY_UPDATE_GOLDEN=1 python -m pytest tests/test_demo_golden.py` and review the diff.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from pathlib import Path

from assay.collect.runner import collect
from assay.collect.session import AwsAccess
from assay.controls.registry import load_controls
from assay.demo.accounts import demo_services
from assay.demo.estate import REGIONS
from assay.engine import Evaluation, evaluate

GOLDEN = Path(__file__).parent / "golden" / "demo_findings.json"


def rows(ev: Evaluation) -> list[list[str]]:
    return sorted([f.control_id, f.account_id, f.region, f.resource_name, f.status.value] for f in ev.findings)


def test_demo_scan_matches_golden(demo_accesses: list[AwsAccess]) -> None:
    inv = collect(demo_accesses, regions=REGIONS, services=demo_services())
    assert inv.complete, [c for c in inv.coverage if c.status != "complete"]
    ev = evaluate(inv)
    actual = rows(ev)
    if os.environ.get("ASSAY_UPDATE_GOLDEN"):
        GOLDEN.write_text("[\n" + ",\n".join(json.dumps(r) for r in actual) + "\n]\n")  # a row a line
    expected = json.loads(GOLDEN.read_text())
    missing = [r for r in expected if r not in actual]
    unexpected = [r for r in actual if r not in expected]
    assert not missing and not unexpected, f"missing: {missing[:10]}\nunexpected: {unexpected[:10]}"
    # Finding ids are unique within the scan.
    assert len({f.id for f in ev.findings}) == len(ev.findings)


def test_every_control_shows_both_verdicts_in_the_demo() -> None:
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    for control_id, _, _, _, status in json.loads(GOLDEN.read_text()):
        statuses[control_id][status] += 1
    assert set(statuses) == set(load_controls()), "every control appears in the demo"
    lacking = {cid: dict(c) for cid, c in statuses.items() if not (c["pass"] and c["fail"])}
    assert not lacking, f"controls without both a pass and a fail in the demo: {lacking}"


def test_names_announce_their_verdict() -> None:
    """Resources named pass-*/fail-* are there to show that verdict for at least one control."""
    verdicts: dict[str, set[str]] = defaultdict(set)
    for _, _, _, name, status in json.loads(GOLDEN.read_text()):
        verdicts[name.rsplit("/", 1)[-1]].add(status)
    for name, seen in verdicts.items():
        for prefix, status in (("pass-", "pass"), ("fail-", "fail"), ("skip-", "skip")):
            if name.startswith(prefix):
                assert status in seen, f"{name} never gets {status}: {seen}"
